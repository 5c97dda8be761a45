//! Requests for versioning: ListObjectVersions, Get/PutBucketVersioning, and HEAD, GET and
//! DELETE of one version of an object (`?versionId=`).

use super::{check_bucket_name, check_object, check_page_size, get_object_request, push_opt, ByteRange, XmlBody};
use crate::error::{Error, Result};
use crate::request::{Method, OssRequest};

/// A bucket's versioning state. `Off` is a bucket that never had versioning enabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum VersioningStatus {
    Off,
    Enabled,
    Suspended,
}

impl VersioningStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VersioningStatus::Off => "Off",
            VersioningStatus::Enabled => "Enabled",
            VersioningStatus::Suspended => "Suspended",
        }
    }
}

/// ListObjectVersions parameters; `key_marker` and `version_id_marker` are the previous page's
/// NextKeyMarker and NextVersionIdMarker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListObjectVersionsParams {
    pub bucket: String,
    pub prefix: Option<String>,
    pub delimiter: Option<String>,
    pub key_marker: Option<String>,
    pub version_id_marker: Option<String>,
    /// 1..=1000; OSS's default is 100.
    pub max_keys: Option<u32>,
}

impl ListObjectVersionsParams {
    pub fn new(bucket: impl Into<String>) -> Self {
        Self { bucket: bucket.into(), ..Default::default() }
    }

    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }
}

/// `GET /?versions`, with `encoding-type=url` (the client decodes keys).
pub fn list_object_versions_request(params: &ListObjectVersionsParams) -> Result<OssRequest> {
    check_bucket_name(&params.bucket)?;
    check_page_size("max-keys", params.max_keys)?;
    let mut request = OssRequest::new(Method::Get, Some(&params.bucket), None).with_query("versions", "");
    push_opt(&mut request, "prefix", params.prefix.as_deref());
    push_opt(&mut request, "delimiter", params.delimiter.as_deref());
    push_opt(&mut request, "key-marker", params.key_marker.as_deref());
    push_opt(&mut request, "version-id-marker", params.version_id_marker.as_deref());
    if let Some(max_keys) = params.max_keys {
        request.query.push(("max-keys".into(), max_keys.to_string()));
    }
    request.query.push(("encoding-type".into(), "url".into()));
    Ok(request)
}

/// `GET /?versioning`.
pub fn get_bucket_versioning_request(bucket: &str) -> Result<OssRequest> {
    check_bucket_name(bucket)?;
    Ok(OssRequest::new(Method::Get, Some(bucket), None).with_query("versioning", ""))
}

/// `PUT /?versioning` with `<VersioningConfiguration><Status>…`; `Off` cannot be set once a
/// bucket was versioned (OSS only suspends).
pub fn put_bucket_versioning_request(bucket: &str, status: VersioningStatus) -> Result<(OssRequest, XmlBody)> {
    check_bucket_name(bucket)?;
    if status == VersioningStatus::Off {
        return Err(Error::invalid_input("versioning can be enabled or suspended, not turned off: use suspend"));
    }
    let body = format!("<VersioningConfiguration><Status>{}</Status></VersioningConfiguration>", status.as_str());
    let request = OssRequest::new(Method::Put, Some(bucket), None)
        .with_query("versioning", "")
        .with_header("Content-Type", "application/xml");
    Ok((request, XmlBody::from(body)))
}

fn with_version(mut request: OssRequest, version_id: Option<&str>) -> Result<OssRequest> {
    match version_id {
        Some("") => Err(Error::invalid_input("a version ID cannot be empty")),
        Some(version_id) => {
            request.query.push(("versionId".into(), version_id.to_owned()));
            Ok(request)
        }
        None => Ok(request),
    }
}

/// `HEAD /key[?versionId=ID]`.
pub fn head_object_version_request(bucket: &str, key: &str, version_id: Option<&str>) -> Result<OssRequest> {
    check_object(bucket, key)?;
    with_version(OssRequest::object(Method::Head, bucket, key), version_id)
}

/// `GET /key[?versionId=ID]`, with a range as [`get_object_request`].
pub fn get_object_version_request(
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
    range: Option<ByteRange>,
) -> Result<OssRequest> {
    with_version(get_object_request(bucket, key, range)?, version_id)
}

/// `DELETE /key?versionId=ID`: removes that version (or delete marker) for good.
pub fn delete_object_version_request(bucket: &str, key: &str, version_id: &str) -> Result<OssRequest> {
    check_object(bucket, key)?;
    with_version(OssRequest::object(Method::Delete, bucket, key), Some(version_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(request: &OssRequest) -> Vec<(&str, &str)> {
        request.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    #[test]
    fn list_versions_puts_markers_in_the_query() {
        let params = ListObjectVersionsParams {
            key_marker: Some("a".into()),
            version_id_marker: Some("v1".into()),
            max_keys: Some(10),
            ..ListObjectVersionsParams::new("bucket").with_prefix("p/")
        };
        let request = list_object_versions_request(&params).unwrap();
        assert_eq!(
            query(&request),
            [
                ("versions", ""),
                ("prefix", "p/"),
                ("key-marker", "a"),
                ("version-id-marker", "v1"),
                ("max-keys", "10"),
                ("encoding-type", "url")
            ]
        );
        let too_big = ListObjectVersionsParams { max_keys: Some(1001), ..ListObjectVersionsParams::new("bucket") };
        assert!(list_object_versions_request(&too_big).is_err());
    }

    #[test]
    fn versioning_requests() {
        assert_eq!(query(&get_bucket_versioning_request("bucket").unwrap()), [("versioning", "")]);
        let (put, body) = put_bucket_versioning_request("bucket", VersioningStatus::Suspended).unwrap();
        assert_eq!(put.method, Method::Put);
        assert!(std::str::from_utf8(&body).unwrap().contains("<Status>Suspended</Status>"));
        assert!(put_bucket_versioning_request("bucket", VersioningStatus::Off).is_err());
    }

    #[test]
    fn object_requests_name_the_version() {
        let head = head_object_version_request("bucket", "k", Some("CAE=")).unwrap();
        assert_eq!((head.method, query(&head)), (Method::Head, vec![("versionId", "CAE=")]));
        assert!(head_object_version_request("bucket", "k", None).unwrap().query.is_empty());
        let get = get_object_version_request("bucket", "k", Some("v"), Some(ByteRange::from_offset(5))).unwrap();
        assert_eq!((get.header("Range"), query(&get)), (Some("bytes=5-"), vec![("versionId", "v")]));
        let delete = delete_object_version_request("bucket", "k", "v").unwrap();
        assert_eq!(delete.method, Method::Delete);
        assert!(delete_object_version_request("bucket", "k", "").is_err());
    }
}
