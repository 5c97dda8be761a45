//! Requests for objects: ListObjectsV2, HeadObject, GetObject, GetObjectMeta, PutObject,
//! CopyObject, DeleteObject, DeleteMultipleObjects, GetObjectACL, PutObjectACL.

use std::fmt;

use super::{check_bucket_name, check_object, check_page_size, content_md5, push_opt, PutObjectOptions, XmlBody};
use crate::error::{Error, Result};
use crate::request::{Method, OssRequest};
use crate::sign::encode::path_encode;
use crate::xml::objects::{DeleteObjectXml, DeleteXml};
use crate::xml::{to_xml, ObjectAcl};

/// At most this many keys per DeleteMultipleObjects call (Alibaba Cloud docs, "DeleteMultipleObjects").
pub const MAX_DELETE_KEYS: usize = 1000;

/// ListObjectsV2 parameters. `continuation_token` is the previous page's NextContinuationToken.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListObjectsV2Params {
    pub bucket: String,
    pub prefix: Option<String>,
    pub delimiter: Option<String>,
    /// 1..=1000; OSS's default is 100.
    pub max_keys: Option<u32>,
    pub continuation_token: Option<String>,
    pub start_after: Option<String>,
    pub fetch_owner: bool,
}

impl ListObjectsV2Params {
    pub fn new(bucket: impl Into<String>) -> Self {
        Self { bucket: bucket.into(), ..Default::default() }
    }

    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    pub fn with_delimiter(mut self, delimiter: impl Into<String>) -> Self {
        self.delimiter = Some(delimiter.into());
        self
    }

    pub fn with_max_keys(mut self, max_keys: u32) -> Self {
        self.max_keys = Some(max_keys);
        self
    }

    pub fn with_continuation_token(mut self, token: impl Into<String>) -> Self {
        self.continuation_token = Some(token.into());
        self
    }

    pub fn with_start_after(mut self, start_after: impl Into<String>) -> Self {
        self.start_after = Some(start_after.into());
        self
    }
}

/// `GET /?list-type=2`, always with `encoding-type=url` so that keys holding characters XML
/// cannot carry still list; the client decodes them.
pub fn list_objects_v2_request(params: &ListObjectsV2Params) -> Result<OssRequest> {
    check_bucket_name(&params.bucket)?;
    check_page_size("max-keys", params.max_keys)?;
    let mut request = OssRequest::new(Method::Get, Some(&params.bucket), None).with_query("list-type", "2");
    push_opt(&mut request, "prefix", params.prefix.as_deref());
    push_opt(&mut request, "delimiter", params.delimiter.as_deref());
    if let Some(max_keys) = params.max_keys {
        request.query.push(("max-keys".into(), max_keys.to_string()));
    }
    push_opt(&mut request, "continuation-token", params.continuation_token.as_deref());
    push_opt(&mut request, "start-after", params.start_after.as_deref());
    if params.fetch_owner {
        request.query.push(("fetch-owner".into(), "true".into()));
    }
    request.query.push(("encoding-type".into(), "url".into()));
    Ok(request)
}

/// An inclusive byte range: `bytes=start-end`, or `bytes=start-` to the end of the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ByteRange {
    pub start: u64,
    /// Inclusive; `None` reads to the end.
    pub end: Option<u64>,
}

impl ByteRange {
    /// Bytes `start..=end`.
    pub fn new(start: u64, end_inclusive: u64) -> Result<Self> {
        if end_inclusive < start {
            return Err(Error::invalid_input(format!("the range {start}-{end_inclusive} ends before it starts")));
        }
        Ok(Self { start, end: Some(end_inclusive) })
    }

    /// From `start` to the end of the object.
    pub fn from_offset(start: u64) -> Self {
        Self { start, end: None }
    }

    /// `len` bytes from `start` (`len` at least 1).
    pub fn with_len(start: u64, len: u64) -> Result<Self> {
        if len == 0 {
            return Err(Error::invalid_input("a byte range must hold at least one byte"));
        }
        Self::new(start, start.saturating_add(len - 1))
    }
}

impl fmt::Display for ByteRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.end {
            Some(end) => write!(f, "bytes={}-{end}", self.start),
            None => write!(f, "bytes={}-", self.start),
        }
    }
}

/// `HEAD /key`: metadata in the response headers.
pub fn head_object_request(bucket: &str, key: &str) -> Result<OssRequest> {
    check_object(bucket, key)?;
    Ok(OssRequest::object(Method::Head, bucket, key))
}

/// `GET /key`, with `Range` and `x-oss-range-behavior: standard` (a range past the end is then
/// 416 InvalidRange, not silently the whole object).
pub fn get_object_request(bucket: &str, key: &str, range: Option<ByteRange>) -> Result<OssRequest> {
    check_object(bucket, key)?;
    let mut request = OssRequest::object(Method::Get, bucket, key);
    if let Some(range) = range {
        request.set_header("Range", range.to_string());
        request.set_header("x-oss-range-behavior", "standard");
    }
    Ok(request)
}

/// `HEAD /key?objectMeta`: ETag, size, Last-Modified and last access time only.
pub fn get_object_meta_request(bucket: &str, key: &str) -> Result<OssRequest> {
    check_object(bucket, key)?;
    Ok(OssRequest::object(Method::Head, bucket, key).with_query("objectMeta", ""))
}

/// `PUT /key`. The Content-Type is `options.content_type`, else guessed from the key.
pub fn put_object_request(bucket: &str, key: &str, options: &PutObjectOptions) -> Result<OssRequest> {
    check_object(bucket, key)?;
    let mut request = OssRequest::object(Method::Put, bucket, key);
    options.apply(&mut request, key)?;
    Ok(request)
}

/// CopyObject options: the source version, and whether the target gets new metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyObjectOptions {
    pub source_version_id: Option<String>,
    /// `Some`: `x-oss-metadata-directive: REPLACE` with these headers; `None`: metadata copied.
    pub replace_metadata: Option<PutObjectOptions>,
    pub forbid_overwrite: bool,
    pub storage_class: Option<String>,
    /// `x-oss-object-acl` of the target (OSS gives a copy the default ACL otherwise).
    pub acl: Option<ObjectAcl>,
}

/// `PUT /target` with `x-oss-copy-source: /source-bucket/source-key` (the key path-encoded,
/// as the SDKs send it).
pub fn copy_object_request(
    source_bucket: &str,
    source_key: &str,
    bucket: &str,
    key: &str,
    options: &CopyObjectOptions,
) -> Result<OssRequest> {
    check_object(source_bucket, source_key)?;
    check_object(bucket, key)?;
    let mut request = OssRequest::object(Method::Put, bucket, key);
    let mut source = format!("/{source_bucket}/{}", path_encode(source_key));
    if let Some(version) = &options.source_version_id {
        source.push_str("?versionId=");
        source.push_str(&crate::sign::encode::uri_encode(version));
    }
    match &options.replace_metadata {
        Some(metadata) => {
            metadata.apply(&mut request, key)?;
            request.set_header("x-oss-metadata-directive", "REPLACE");
        }
        None => request.set_header("x-oss-metadata-directive", "COPY"),
    }
    request.set_header("x-oss-copy-source", source);
    if options.forbid_overwrite {
        request.set_header("x-oss-forbid-overwrite", "true");
    }
    if let Some(class) = &options.storage_class {
        request.set_header("x-oss-storage-class", crate::share::check_storage_class(class)?);
    }
    if let Some(acl) = options.acl {
        request.set_header("x-oss-object-acl", acl.as_str());
    }
    Ok(request)
}

/// `DELETE /key`; deleting a missing key succeeds (204).
pub fn delete_object_request(bucket: &str, key: &str) -> Result<OssRequest> {
    check_object(bucket, key)?;
    Ok(OssRequest::object(Method::Delete, bucket, key))
}

/// `POST /?delete` for 1 to 1000 keys, with the XML body and its Content-MD5. Quiet mode answers
/// without listing the deleted keys. Split bigger inputs with `keys.chunks(MAX_DELETE_KEYS)`
/// (the client's `delete_objects` does).
pub fn delete_multiple_objects_request<S: AsRef<str>>(
    bucket: &str,
    keys: &[S],
    quiet: bool,
) -> Result<(OssRequest, XmlBody)> {
    check_bucket_name(bucket)?;
    if keys.is_empty() || keys.len() > MAX_DELETE_KEYS {
        return Err(Error::invalid_input(format!(
            "DeleteMultipleObjects takes 1 to {MAX_DELETE_KEYS} keys a call; {} given",
            keys.len()
        )));
    }
    for key in keys {
        super::check_object_key(key.as_ref())?;
    }
    let body = DeleteXml { quiet, objects: keys.iter().map(|k| DeleteObjectXml { key: k.as_ref() }).collect() };
    let body = to_xml(&body)?;
    let request = OssRequest::new(Method::Post, Some(bucket), None)
        .with_query("delete", "")
        .with_header("Content-Type", "application/xml")
        .with_header("Content-MD5", content_md5(body.as_bytes()));
    Ok((request, XmlBody::from(body)))
}

/// `GET /key?acl`.
pub fn get_object_acl_request(bucket: &str, key: &str) -> Result<OssRequest> {
    check_object(bucket, key)?;
    Ok(OssRequest::object(Method::Get, bucket, key).with_query("acl", ""))
}

/// `PUT /key?acl` with `x-oss-object-acl`.
pub fn put_object_acl_request(bucket: &str, key: &str, acl: ObjectAcl) -> Result<OssRequest> {
    check_object(bucket, key)?;
    Ok(OssRequest::object(Method::Put, bucket, key).with_query("acl", "").with_header("x-oss-object-acl", acl.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(request: &OssRequest) -> Vec<(&str, &str)> {
        request.query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    #[test]
    fn list_objects_v2_puts_every_parameter_in_the_query() {
        let params = ListObjectsV2Params::new("examplebucket")
            .with_prefix("a/")
            .with_delimiter("/")
            .with_max_keys(3)
            .with_continuation_token("CgJiYw--")
            .with_start_after("a/b");
        let request = list_objects_v2_request(&params).unwrap();
        assert_eq!(request.method, Method::Get);
        assert_eq!((request.bucket.as_deref(), request.key.as_deref()), (Some("examplebucket"), None));
        assert_eq!(
            query(&request),
            [
                ("list-type", "2"),
                ("prefix", "a/"),
                ("delimiter", "/"),
                ("max-keys", "3"),
                ("continuation-token", "CgJiYw--"),
                ("start-after", "a/b"),
                ("encoding-type", "url"),
            ]
        );
        let bare = list_objects_v2_request(&ListObjectsV2Params::new("b12")).unwrap();
        assert_eq!(query(&bare), [("list-type", "2"), ("encoding-type", "url")]);
        assert!(list_objects_v2_request(&ListObjectsV2Params::new("b12").with_max_keys(0)).is_err());
    }

    #[test]
    fn get_object_with_a_range_asks_for_standard_range_behaviour() {
        let request = get_object_request("bucket", "dir/a b.txt", Some(ByteRange::new(0, 99).unwrap())).unwrap();
        assert_eq!((request.method, request.key.as_deref()), (Method::Get, Some("dir/a b.txt")));
        assert_eq!(request.header("range"), Some("bytes=0-99"));
        assert_eq!(request.header("x-oss-range-behavior"), Some("standard"));
        let open = get_object_request("bucket", "k", Some(ByteRange::from_offset(10))).unwrap();
        assert_eq!(open.header("Range"), Some("bytes=10-"));
        let whole = get_object_request("bucket", "k", None).unwrap();
        assert!(whole.headers.is_empty() && whole.query.is_empty());
        assert!(ByteRange::new(5, 4).is_err());
        assert_eq!(ByteRange::with_len(100, 50).unwrap().to_string(), "bytes=100-149");
        assert!(ByteRange::with_len(1, 0).is_err());
    }

    #[test]
    fn head_and_meta_requests() {
        let head = head_object_request("bucket", "k").unwrap();
        assert_eq!((head.method, head.query.len()), (Method::Head, 0));
        let meta = get_object_meta_request("bucket", "k").unwrap();
        assert_eq!((meta.method, query(&meta)), (Method::Head, vec![("objectMeta", "")]));
        assert!(head_object_request("bucket", "").is_err());
    }

    #[test]
    fn put_object_sets_type_meta_class_and_overwrite_guard() {
        let options = PutObjectOptions::default()
            .with_meta("Owner", "alice")
            .with_storage_class("ia")
            .with_forbid_overwrite(true);
        let request = put_object_request("bucket", "photos/cat.jpg", &options).unwrap();
        assert_eq!(request.method, Method::Put);
        assert_eq!(request.header("content-type"), Some("image/jpeg"));
        assert_eq!(request.header("x-oss-meta-owner"), Some("alice"));
        assert_eq!(request.header("x-oss-storage-class"), Some("IA"));
        assert_eq!(request.header("x-oss-forbid-overwrite"), Some("true"));
        assert!(request.query.is_empty());

        let explicit =
            put_object_request("bucket", "x.jpg", &PutObjectOptions::default().with_content_type("text/plain"));
        assert_eq!(explicit.unwrap().header("Content-Type"), Some("text/plain"));
        let plain = put_object_request("bucket", "README", &PutObjectOptions::default()).unwrap();
        assert_eq!(plain.header("Content-Type"), Some("application/octet-stream"));
        assert_eq!(plain.header("x-oss-forbid-overwrite"), None);

        let bad_meta = PutObjectOptions::default().with_meta("bad name", "x");
        assert!(put_object_request("bucket", "k", &bad_meta).unwrap_err().to_string().contains("metadata name"));
        let bad_class = PutObjectOptions::default().with_storage_class("Gold");
        assert!(put_object_request("bucket", "k", &bad_class).is_err());
    }

    #[test]
    fn copy_object_names_the_encoded_source_and_the_directive() {
        let request =
            copy_object_request("src-bucket", "dir/a b+c.txt", "dst-bucket", "copy.txt", &CopyObjectOptions::default())
                .unwrap();
        assert_eq!((request.method, request.bucket.as_deref()), (Method::Put, Some("dst-bucket")));
        assert_eq!(request.key.as_deref(), Some("copy.txt"));
        assert_eq!(request.header("x-oss-copy-source"), Some("/src-bucket/dir/a%20b%2Bc.txt"));
        assert_eq!(request.header("x-oss-metadata-directive"), Some("COPY"));
        assert_eq!(request.header("Content-Type"), None);

        let options = CopyObjectOptions {
            source_version_id: Some("CAEQ+ID".into()),
            replace_metadata: Some(PutObjectOptions::default().with_meta("k", "v")),
            forbid_overwrite: true,
            storage_class: Some("Archive".into()),
            acl: Some(ObjectAcl::Private),
        };
        let request = copy_object_request("src-bucket", "a", "dst-bucket", "b.txt", &options).unwrap();
        assert_eq!(request.header("x-oss-copy-source"), Some("/src-bucket/a?versionId=CAEQ%2BID"));
        assert_eq!(request.header("x-oss-metadata-directive"), Some("REPLACE"));
        assert_eq!(request.header("x-oss-meta-k"), Some("v"));
        assert_eq!(request.header("content-type"), Some("text/plain"));
        assert_eq!(request.header("x-oss-forbid-overwrite"), Some("true"));
        assert_eq!(request.header("x-oss-storage-class"), Some("Archive"));
        assert_eq!(request.header("x-oss-object-acl"), Some("private"));
    }

    #[test]
    fn delete_requests() {
        let single = delete_object_request("bucket", "k").unwrap();
        assert_eq!((single.method, single.key.as_deref()), (Method::Delete, Some("k")));

        let (request, body) = delete_multiple_objects_request("bucket", &["a", "b/c"], true).unwrap();
        assert_eq!((request.method, request.key.as_deref()), (Method::Post, None));
        assert_eq!(query(&request), [("delete", "")]);
        let text = std::str::from_utf8(&body).unwrap();
        assert!(text.contains("<Quiet>true</Quiet><Object><Key>a</Key></Object><Object><Key>b/c</Key></Object>"));
        assert_eq!(request.header("Content-MD5"), Some(content_md5(&body).as_str()));
        assert_eq!(request.header("Content-Type"), Some("application/xml"));

        let none: [&str; 0] = [];
        assert!(delete_multiple_objects_request("bucket", &none, true).is_err());
        let too_many: Vec<String> = (0..1001).map(|i| i.to_string()).collect();
        let err = delete_multiple_objects_request("bucket", &too_many, true).unwrap_err();
        assert!(err.to_string().contains("1 to 1000 keys"), "{err}");
        assert!(delete_multiple_objects_request("bucket", &too_many[..1000], false).is_ok());
    }

    #[test]
    fn acl_requests() {
        let get = get_object_acl_request("bucket", "k").unwrap();
        assert_eq!((get.method, query(&get)), (Method::Get, vec![("acl", "")]));
        let put = put_object_acl_request("bucket", "k", ObjectAcl::PublicRead).unwrap();
        assert_eq!((put.method, query(&put)), (Method::Put, vec![("acl", "")]));
        assert_eq!(put.header("x-oss-object-acl"), Some("public-read"));
    }
}
