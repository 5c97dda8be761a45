//! Requests for multipart uploads: Initiate, UploadPart, ListParts, Complete, Abort, and
//! ListMultipartUploads. Limits from Alibaba Cloud's docs, "UploadPart" and "Multipart upload".

use super::{check_bucket_name, check_object, push_opt, PutObjectOptions, XmlBody};
use crate::error::{Error, Result};
use crate::request::{Method, OssRequest};
use crate::xml::multipart::CompleteMultipartUploadXml;
use crate::xml::{to_xml, CompletedPart};

/// Part numbers run 1..=10000.
pub const MIN_PART_NUMBER: u32 = 1;
pub const MAX_PART_NUMBER: u32 = 10_000;
/// Every part but the last must hold at least 100 KiB …
pub const MIN_PART_SIZE: u64 = 100 * 1024;
/// … and no part more than 5 GiB.
pub const MAX_PART_SIZE: u64 = 5 * 1024 * 1024 * 1024;

pub fn check_part_number(part_number: u32) -> Result<u32> {
    if (MIN_PART_NUMBER..=MAX_PART_NUMBER).contains(&part_number) {
        Ok(part_number)
    } else {
        Err(Error::invalid_input(format!(
            "part numbers run from {MIN_PART_NUMBER} to {MAX_PART_NUMBER}; {part_number} is out of range"
        )))
    }
}

fn check_upload_id(upload_id: &str) -> Result<()> {
    if upload_id.is_empty() {
        return Err(Error::invalid_input("the upload ID is empty"));
    }
    Ok(())
}

/// `POST /key?uploads` with the headers the final object gets (type, metadata, class, overwrite guard).
pub fn initiate_multipart_upload_request(bucket: &str, key: &str, options: &PutObjectOptions) -> Result<OssRequest> {
    check_object(bucket, key)?;
    let mut request = OssRequest::object(Method::Post, bucket, key).with_query("uploads", "");
    options.apply(&mut request, key)?;
    Ok(request)
}

/// `PUT /key?partNumber=N&uploadId=ID`; sign it with headers, or presign it for a plain PUT.
pub fn upload_part_request(bucket: &str, key: &str, upload_id: &str, part_number: u32) -> Result<OssRequest> {
    check_object(bucket, key)?;
    check_upload_id(upload_id)?;
    check_part_number(part_number)?;
    Ok(OssRequest::object(Method::Put, bucket, key)
        .with_query("partNumber", part_number.to_string())
        .with_query("uploadId", upload_id))
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListPartsParams {
    /// 1..=1000.
    pub max_parts: Option<u32>,
    /// List parts after this part number (the previous page's NextPartNumberMarker).
    pub part_number_marker: Option<u32>,
}

/// `GET /key?uploadId=ID`.
pub fn list_parts_request(bucket: &str, key: &str, upload_id: &str, params: &ListPartsParams) -> Result<OssRequest> {
    check_object(bucket, key)?;
    check_upload_id(upload_id)?;
    super::check_page_size("max-parts", params.max_parts)?;
    let mut request = OssRequest::object(Method::Get, bucket, key).with_query("uploadId", upload_id);
    if let Some(max_parts) = params.max_parts {
        request.query.push(("max-parts".into(), max_parts.to_string()));
    }
    if let Some(marker) = params.part_number_marker {
        request.query.push(("part-number-marker".into(), marker.to_string()));
    }
    Ok(request)
}

/// `POST /key?uploadId=ID` with `<CompleteMultipartUpload>` naming every part in ascending order.
pub fn complete_multipart_upload_request(
    bucket: &str,
    key: &str,
    upload_id: &str,
    parts: &[CompletedPart],
    forbid_overwrite: bool,
) -> Result<(OssRequest, XmlBody)> {
    check_object(bucket, key)?;
    check_upload_id(upload_id)?;
    if parts.is_empty() {
        return Err(Error::invalid_input("CompleteMultipartUpload needs at least one part"));
    }
    for (i, part) in parts.iter().enumerate() {
        check_part_number(part.part_number)?;
        if i > 0 && parts[i - 1].part_number >= part.part_number {
            return Err(Error::invalid_input(format!(
                "parts must be listed in ascending order without repeats; part {} follows part {}",
                part.part_number,
                parts[i - 1].part_number
            )));
        }
        if part.etag.is_empty() {
            return Err(Error::invalid_input(format!("part {} has no ETag", part.part_number)));
        }
    }
    let body = to_xml(&CompleteMultipartUploadXml { parts })?;
    let mut request = OssRequest::object(Method::Post, bucket, key)
        .with_query("uploadId", upload_id)
        .with_header("Content-Type", "application/xml");
    if forbid_overwrite {
        request.set_header("x-oss-forbid-overwrite", "true");
    }
    Ok((request, XmlBody::from(body)))
}

/// `DELETE /key?uploadId=ID`.
pub fn abort_multipart_upload_request(bucket: &str, key: &str, upload_id: &str) -> Result<OssRequest> {
    check_object(bucket, key)?;
    check_upload_id(upload_id)?;
    Ok(OssRequest::object(Method::Delete, bucket, key).with_query("uploadId", upload_id))
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListMultipartUploadsParams {
    pub bucket: String,
    pub prefix: Option<String>,
    pub delimiter: Option<String>,
    pub key_marker: Option<String>,
    pub upload_id_marker: Option<String>,
    /// 1..=1000.
    pub max_uploads: Option<u32>,
}

impl ListMultipartUploadsParams {
    pub fn new(bucket: impl Into<String>) -> Self {
        Self { bucket: bucket.into(), ..Default::default() }
    }
}

/// `GET /?uploads`, with `encoding-type=url`.
pub fn list_multipart_uploads_request(params: &ListMultipartUploadsParams) -> Result<OssRequest> {
    check_bucket_name(&params.bucket)?;
    super::check_page_size("max-uploads", params.max_uploads)?;
    let mut request = OssRequest::new(Method::Get, Some(&params.bucket), None).with_query("uploads", "");
    push_opt(&mut request, "prefix", params.prefix.as_deref());
    push_opt(&mut request, "delimiter", params.delimiter.as_deref());
    push_opt(&mut request, "key-marker", params.key_marker.as_deref());
    push_opt(&mut request, "upload-id-marker", params.upload_id_marker.as_deref());
    if let Some(max) = params.max_uploads {
        request.query.push(("max-uploads".into(), max.to_string()));
    }
    request.query.push(("encoding-type".into(), "url".into()));
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(request: &OssRequest) -> Vec<(&str, &str)> {
        request.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    #[test]
    fn initiate_carries_the_object_headers() {
        let options = PutObjectOptions::default().with_meta("a", "1").with_forbid_overwrite(true);
        let request = initiate_multipart_upload_request("bucket", "big.zip", &options).unwrap();
        assert_eq!((request.method, query(&request)), (Method::Post, vec![("uploads", "")]));
        assert_eq!(request.header("Content-Type"), Some("application/zip"));
        assert_eq!(request.header("x-oss-meta-a"), Some("1"));
        assert_eq!(request.header("x-oss-forbid-overwrite"), Some("true"));
    }

    #[test]
    fn upload_part_checks_the_part_number() {
        let request = upload_part_request("bucket", "k", "UPLOAD", 7).unwrap();
        assert_eq!((request.method, query(&request)), (Method::Put, vec![("partNumber", "7"), ("uploadId", "UPLOAD")]));
        assert!(request.headers.is_empty());
        for bad in [0, 10_001] {
            assert!(upload_part_request("bucket", "k", "UPLOAD", bad).unwrap_err().to_string().contains("1 to 10000"));
        }
        assert!(upload_part_request("bucket", "k", "", 1).is_err());
    }

    #[test]
    fn list_parts_and_abort() {
        let params = ListPartsParams { max_parts: Some(2), part_number_marker: Some(5) };
        let request = list_parts_request("bucket", "k", "U", &params).unwrap();
        assert_eq!(
            (request.method, query(&request)),
            (Method::Get, vec![("uploadId", "U"), ("max-parts", "2"), ("part-number-marker", "5")])
        );
        let abort = abort_multipart_upload_request("bucket", "k", "U").unwrap();
        assert_eq!((abort.method, query(&abort)), (Method::Delete, vec![("uploadId", "U")]));
    }

    #[test]
    fn complete_lists_parts_in_order_and_refuses_disorder() {
        let parts = vec![
            CompletedPart { part_number: 1, etag: "\"a\"".into() },
            CompletedPart { part_number: 2, etag: "\"b\"".into() },
        ];
        let (request, body) = complete_multipart_upload_request("bucket", "k", "U", &parts, true).unwrap();
        assert_eq!((request.method, query(&request)), (Method::Post, vec![("uploadId", "U")]));
        assert_eq!(request.header("x-oss-forbid-overwrite"), Some("true"));
        let text = std::str::from_utf8(&body).unwrap();
        assert!(text.contains("<Part><PartNumber>1</PartNumber>"), "{text}");
        assert!(text.find("<PartNumber>1<").unwrap() < text.find("<PartNumber>2<").unwrap());

        let backwards = vec![parts[1].clone(), parts[0].clone()];
        assert!(complete_multipart_upload_request("bucket", "k", "U", &backwards, false).is_err());
        assert!(complete_multipart_upload_request("bucket", "k", "U", &[], false).is_err());
    }

    #[test]
    fn list_uploads_query() {
        let params = ListMultipartUploadsParams {
            prefix: Some("p/".into()),
            key_marker: Some("k".into()),
            upload_id_marker: Some("u".into()),
            max_uploads: Some(50),
            ..ListMultipartUploadsParams::new("bucket")
        };
        let request = list_multipart_uploads_request(&params).unwrap();
        assert_eq!(
            query(&request),
            [
                ("uploads", ""),
                ("prefix", "p/"),
                ("key-marker", "k"),
                ("upload-id-marker", "u"),
                ("max-uploads", "50"),
                ("encoding-type", "url")
            ]
        );
    }
}
