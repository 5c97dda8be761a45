//! Object headers in both directions: what an upload asks for (type, class, ACL, user metadata,
//! stored standard headers) and what GET/HEAD answer with.

use hyper::HeaderMap;

use crate::checksum::{decode_content_md5, quoted_etag};
use crate::error::{OssError, OssResult};
use crate::http::{self, Reply, HASH_CRC64_HEADER};
use crate::names::{Acl, StorageClass};
use crate::store::{ObjectAttributes, ObjectMeta};
use crate::time::{http_date, now_millis};

pub const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";
const USER_META_PREFIX: &str = "x-oss-meta-";
/// Standard headers OSS stores with an object and returns on GET and HEAD.
const STORED_HEADERS: [&str; 5] =
    ["cache-control", "content-disposition", "content-encoding", "content-language", "expires"];
/// OSS limits user metadata to 8 KB in total.
const MAX_USER_META_BYTES: usize = 8 * 1024;

/// The attributes an upload (PutObject, InitiateMultipartUpload, CopyObject with REPLACE) asks for.
pub fn attributes_from_request(headers: &HeaderMap) -> OssResult<ObjectAttributes> {
    let text = |name: &str| http::header(headers, name).map(|v| v.into_owned());
    let content_type =
        text("content-type").filter(|v| !v.is_empty()).unwrap_or_else(|| DEFAULT_CONTENT_TYPE.to_owned());
    let storage_class = match text("x-oss-storage-class") {
        Some(class) => StorageClass::parse(&class)?,
        None => StorageClass::Standard,
    };
    let acl = match text("x-oss-object-acl") {
        Some(acl) => Acl::parse_object(&acl, "x-oss-object-acl")?,
        None => Acl::Default,
    };
    let mut user_meta: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| name.as_str().starts_with(USER_META_PREFIX))
        .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect();
    user_meta.sort();
    let meta_bytes: usize = user_meta.iter().map(|(n, v)| n.len() + v.len()).sum();
    if meta_bytes > MAX_USER_META_BYTES {
        return Err(OssError::invalid_argument(format!(
            "Your metadata headers exceed the maximum allowed metadata size of {MAX_USER_META_BYTES} bytes."
        )));
    }
    let stored_headers = STORED_HEADERS.iter().filter_map(|name| text(name).map(|v| ((*name).to_owned(), v))).collect();
    Ok(ObjectAttributes { content_type, storage_class, acl, user_meta, stored_headers })
}

/// `x-oss-forbid-overwrite: true`.
pub fn forbids_overwrite(headers: &HeaderMap) -> bool {
    http::header(headers, "x-oss-forbid-overwrite").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The 16 bytes of `Content-MD5`, if sent; a malformed one is refused before the body is read.
pub fn content_md5(headers: &HeaderMap) -> OssResult<Option<[u8; 16]>> {
    match http::header(headers, "content-md5") {
        None => Ok(None),
        Some(text) => decode_content_md5(&text)
            .map(Some)
            .ok_or_else(|| OssError::invalid_digest("The Content-MD5 you specified is not valid.")),
    }
}

pub fn check_content_md5(expected: Option<[u8; 16]>, received: &[u8; 16]) -> OssResult<()> {
    match expected {
        Some(expected) if &expected != received => {
            Err(OssError::invalid_digest("The Content-MD5 you specified did not match what we received."))
        }
        _ => Ok(()),
    }
}

/// `Content-Length` as a number, if sent.
pub fn content_length(headers: &HeaderMap) -> OssResult<Option<u64>> {
    match http::header(headers, "content-length") {
        None => Ok(None),
        Some(text) => {
            text.trim().parse().map(Some).map_err(|_| OssError::invalid_argument("Content-Length is not a number."))
        }
    }
}

/// ETag, Last-Modified, Content-Type, object type, class, CRC, user metadata, stored headers.
pub fn write_object_headers(response: &mut Reply, meta: &ObjectMeta) {
    let attributes = &meta.attributes;
    http::set(response, "etag", &quoted_etag(&meta.etag));
    http::set(response, "last-modified", &http_date(meta.last_modified));
    http::set(response, "content-type", &attributes.content_type);
    http::set(response, "accept-ranges", "bytes");
    http::set(response, "x-oss-object-type", meta.object_type.as_str());
    http::set(response, "x-oss-storage-class", attributes.storage_class.as_str());
    http::set(response, HASH_CRC64_HEADER, &meta.crc64.to_string());
    if let Some(restore) = restore_status(meta, now_millis()) {
        http::set(response, "x-oss-restore", &restore);
    }
    super::objects::set_version_header(response, meta);
    for (name, value) in attributes.user_meta.iter().chain(&attributes.stored_headers) {
        http::set(response, name, value);
    }
}

/// `x-oss-restore` (and a listing's `RestoreInfo`) as OSS writes it for an archived object with a
/// restore: `ongoing-request="true"`, then `ongoing-request="false", expiry-date="DATE"` until
/// the restored copy expires.
pub fn restore_status(meta: &ObjectMeta, now_ms: i64) -> Option<String> {
    let restore = meta.restore.filter(|_| meta.attributes.storage_class.needs_restore())?;
    if restore.is_ongoing(now_ms) {
        Some("ongoing-request=\"true\"".to_owned())
    } else if restore.is_readable(now_ms) {
        Some(format!("ongoing-request=\"false\", expiry-date=\"{}\"", http_date(restore.expires_at)))
    } else {
        None
    }
}

/// An archived object's bytes can be read only while restored.
pub fn require_readable(meta: &ObjectMeta) -> OssResult<()> {
    if meta.is_readable(now_millis()) {
        Ok(())
    } else {
        Err(OssError::invalid_object_state(&meta.key))
    }
}
