//! Requests for buckets: ListBuckets (GetService), GetBucketInfo, GetBucketLocation.

use super::{check_bucket_name, check_page_size, push_opt};
use crate::error::Result;
use crate::request::{Method, OssRequest};

/// ListBuckets paging: `prefix`, `marker` (the NextMarker of the previous page), `max-keys` (1..=1000).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListBucketsParams {
    pub prefix: Option<String>,
    pub marker: Option<String>,
    pub max_keys: Option<u32>,
}

/// `GET /` on the region's endpoint.
pub fn list_buckets_request(params: &ListBucketsParams) -> Result<OssRequest> {
    check_page_size("max-keys", params.max_keys)?;
    let mut request = OssRequest::new(Method::Get, None, None);
    push_opt(&mut request, "prefix", params.prefix.as_deref());
    push_opt(&mut request, "marker", params.marker.as_deref());
    if let Some(max_keys) = params.max_keys {
        request.query.push(("max-keys".into(), max_keys.to_string()));
    }
    Ok(request)
}

/// `GET /?bucketInfo`.
pub fn get_bucket_info_request(bucket: &str) -> Result<OssRequest> {
    check_bucket_name(bucket)?;
    Ok(OssRequest::new(Method::Get, Some(bucket), None).with_query("bucketInfo", ""))
}

/// `GET /?location`.
pub fn get_bucket_location_request(bucket: &str) -> Result<OssRequest> {
    check_bucket_name(bucket)?;
    Ok(OssRequest::new(Method::Get, Some(bucket), None).with_query("location", ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_buckets_carries_paging_in_the_query_of_the_service_root() {
        let params =
            ListBucketsParams { prefix: Some("my".into()), marker: Some("mybucket".into()), max_keys: Some(10) };
        let request = list_buckets_request(&params).unwrap();
        assert_eq!((request.method, request.bucket.as_deref(), request.key.as_deref()), (Method::Get, None, None));
        assert_eq!(
            request.query,
            [("prefix".into(), "my".into()), ("marker".into(), "mybucket".into()), ("max-keys".into(), "10".into())]
        );
        assert!(list_buckets_request(&ListBucketsParams::default()).unwrap().query.is_empty());
        let too_many = ListBucketsParams { max_keys: Some(1001), ..Default::default() };
        assert!(list_buckets_request(&too_many).unwrap_err().to_string().contains("1 to 1000"));
    }

    #[test]
    fn bucket_info_and_location_are_bare_subresources() {
        let info = get_bucket_info_request("examplebucket").unwrap();
        assert_eq!((info.bucket.as_deref(), info.key.as_deref()), (Some("examplebucket"), None));
        assert_eq!(info.query, [("bucketInfo".to_owned(), String::new())]);
        let location = get_bucket_location_request("examplebucket").unwrap();
        assert_eq!(location.query, [("location".to_owned(), String::new())]);
        assert!(get_bucket_info_request("Bad_Name").is_err());
    }
}
