//! Requests of the management operations: UploadPartCopy, RestoreObject, PutBucket,
//! DeleteBucket and GetBucketAcl.

use super::{check_bucket_name, check_object, check_part_number, ByteRange, XmlBody};
use crate::error::{Error, Result};
use crate::request::{Method, OssRequest};
use crate::share::check_storage_class;
use crate::sign::encode::path_encode;
use crate::xml::manage::{CreateBucketConfigurationXml, JobParametersXml, RestoreRequestXml};
use crate::xml::{to_xml, ObjectAcl};

/// How fast a Cold Archive (or Deep Cold Archive) restore runs, and what it costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RestoreTier {
    Expedited,
    Standard,
    Bulk,
}

impl RestoreTier {
    pub fn as_str(self) -> &'static str {
        match self {
            RestoreTier::Expedited => "Expedited",
            RestoreTier::Standard => "Standard",
            RestoreTier::Bulk => "Bulk",
        }
    }
}

impl std::str::FromStr for RestoreTier {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        [RestoreTier::Expedited, RestoreTier::Standard, RestoreTier::Bulk]
            .into_iter()
            .find(|tier| tier.as_str().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| {
                Error::invalid_input(format!("unknown restore tier '{text}': use Expedited, Standard or Bulk"))
            })
    }
}

/// Days a restored copy stays readable: 1 to 365 (Alibaba Cloud docs, "RestoreObject").
pub const MAX_RESTORE_DAYS: u32 = 365;

/// `PUT /key?partNumber=N&uploadId=ID` with `x-oss-copy-source` and `x-oss-copy-source-range`.
pub fn upload_part_copy_request(
    source_bucket: &str,
    source_key: &str,
    bucket: &str,
    key: &str,
    upload_id: &str,
    part_number: u32,
    range: ByteRange,
) -> Result<OssRequest> {
    check_object(source_bucket, source_key)?;
    let request = super::upload_part_request(bucket, key, upload_id, check_part_number(part_number)?)?;
    Ok(request
        .with_header("x-oss-copy-source", format!("/{source_bucket}/{}", path_encode(source_key)))
        .with_header("x-oss-copy-source-range", range.to_string()))
}

/// `POST /key?restore`, with a `RestoreRequest` body naming the days (1 to 365) and, for Cold
/// Archive, the tier. `days: None` sends no body (OSS's default: one day).
pub fn restore_object_request(
    bucket: &str,
    key: &str,
    days: Option<u32>,
    tier: Option<RestoreTier>,
) -> Result<(OssRequest, Option<XmlBody>)> {
    check_object(bucket, key)?;
    let request = OssRequest::object(Method::Post, bucket, key).with_query("restore", "");
    if days.is_none() && tier.is_none() {
        return Ok((request, None));
    }
    let days = days.unwrap_or(1);
    if !(1..=MAX_RESTORE_DAYS).contains(&days) {
        return Err(Error::invalid_input(format!(
            "a restore lasts 1 to {MAX_RESTORE_DAYS} days; {days} is out of range"
        )));
    }
    let body = RestoreRequestXml { days, job_parameters: tier.map(|tier| JobParametersXml { tier: tier.as_str() }) };
    let body = to_xml(&body)?;
    Ok((request.with_header("Content-Type", "application/xml"), Some(XmlBody::from(body))))
}

/// `PUT /` on the bucket, with `x-oss-acl` and the storage class in `CreateBucketConfiguration`.
pub fn put_bucket_request(
    bucket: &str,
    storage_class: Option<&str>,
    acl: Option<ObjectAcl>,
) -> Result<(OssRequest, XmlBody)> {
    check_bucket_name(bucket)?;
    let mut request = OssRequest::new(Method::Put, Some(bucket), None).with_header("Content-Type", "application/xml");
    match acl {
        Some(ObjectAcl::Default) => {
            return Err(Error::invalid_input("a bucket's ACL is private, public-read or public-read-write"));
        }
        Some(acl) => request.set_header("x-oss-acl", acl.as_str()),
        None => {}
    }
    let storage_class = storage_class.map(check_storage_class).transpose()?;
    let body = to_xml(&CreateBucketConfigurationXml { storage_class })?;
    Ok((request, XmlBody::from(body)))
}

/// `DELETE /` on the bucket; OSS refuses with 409 BucketNotEmpty while it holds objects.
pub fn delete_bucket_request(bucket: &str) -> Result<OssRequest> {
    check_bucket_name(bucket)?;
    Ok(OssRequest::new(Method::Delete, Some(bucket), None))
}

/// `GET /?acl` on the bucket.
pub fn get_bucket_acl_request(bucket: &str) -> Result<OssRequest> {
    check_bucket_name(bucket)?;
    Ok(OssRequest::new(Method::Get, Some(bucket), None).with_query("acl", ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_copy_names_source_range_part_and_upload() {
        let range = ByteRange::new(0, 99).unwrap();
        let request = upload_part_copy_request("src", "a b.bin", "dst", "c.bin", "UP1", 2, range).unwrap();
        assert_eq!((request.method, request.key.as_deref()), (Method::Put, Some("c.bin")));
        assert_eq!(request.header("x-oss-copy-source"), Some("/src/a%20b.bin"));
        assert_eq!(request.header("x-oss-copy-source-range"), Some("bytes=0-99"));
        assert!(request.query.contains(&("partNumber".into(), "2".into())));
        assert!(upload_part_copy_request("src", "a", "dst", "c", "UP1", 0, range).is_err());
    }

    #[test]
    fn restore_sends_days_and_tier_only_when_asked() {
        let (bare, body) = restore_object_request("b12", "k", None, None).unwrap();
        assert_eq!((bare.method, body), (Method::Post, None));
        assert_eq!(bare.query, [("restore".to_owned(), String::new())]);
        let (_, body) = restore_object_request("b12", "k", Some(3), Some(RestoreTier::Bulk)).unwrap();
        let text = String::from_utf8(body.unwrap().to_vec()).unwrap();
        assert!(text.contains("<Days>3</Days><JobParameters><Tier>Bulk</Tier>"), "{text}");
        assert!(restore_object_request("b12", "k", Some(0), None).is_err());
        assert!(restore_object_request("b12", "k", Some(366), None).is_err());
        assert_eq!("bulk".parse::<RestoreTier>().unwrap(), RestoreTier::Bulk);
        assert!("Fast".parse::<RestoreTier>().is_err());
    }

    #[test]
    fn bucket_requests() {
        let (put, body) = put_bucket_request("new-bucket", Some("ia"), Some(ObjectAcl::PublicRead)).unwrap();
        assert_eq!((put.method, put.key.as_deref()), (Method::Put, None));
        assert_eq!(put.header("x-oss-acl"), Some("public-read"));
        assert!(std::str::from_utf8(&body).unwrap().contains("<StorageClass>IA</StorageClass>"));
        assert!(put_bucket_request("Bad_Name", None, None).is_err());
        assert!(put_bucket_request("okname", None, Some(ObjectAcl::Default)).is_err());
        assert!(put_bucket_request("okname", Some("Gold"), None).is_err());
        assert_eq!(delete_bucket_request("okname").unwrap().method, Method::Delete);
        assert_eq!(get_bucket_acl_request("okname").unwrap().query, [("acl".to_owned(), String::new())]);
    }
}
