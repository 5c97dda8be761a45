//! Server-side copies: CopyObject and UploadPartCopy.
//! <https://www.alibabacloud.com/help/en/oss/developer-reference/copyobject>,
//! <https://www.alibabacloud.com/help/en/oss/developer-reference/uploadpartcopy>.

use hyper::StatusCode;
use osslite_core::sign::encode::percent_decode;

use super::multipart::{part_number, MAX_PART_SIZE};
use super::object_headers::{attributes_from_request, forbids_overwrite, require_readable};
use super::objects::{commit, refuse_existing, set_version_header};
use super::{blocking, Call};
use crate::checksum::quoted_etag;
use crate::error::{OssError, OssResult};
use crate::http::{self, Reply, HASH_CRC64_HEADER};
use crate::names::{check_bucket_name, check_object_key};
use crate::store::{copy_hashed, ObjectMeta, ObjectWrite, SegmentReader, StagedFile};
use crate::time::{iso8601, parse_http_date};
use crate::xml::XmlWriter;

/// The largest source CopyObject copies (1 GiB); larger objects are copied part by part.
pub const MAX_COPY_SIZE: u64 = 1 << 30;

/// Where a copy reads from.
#[derive(Debug, PartialEq, Eq)]
struct CopySourceName {
    bucket: String,
    key: String,
    version_id: Option<String>,
}

/// `x-oss-copy-source: /BUCKET/KEY` (URL-encoded, optionally `?versionId=`).
fn parse_copy_source(raw: &str) -> OssResult<CopySourceName> {
    let invalid =
        || OssError::invalid_argument("Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.");
    let (path, query) = raw.split_once('?').unwrap_or((raw, ""));
    let version_id = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("versionId="))
        .filter(|v| !v.is_empty())
        .map(|v| percent_decode(v).map_err(|_| invalid()))
        .transpose()?;
    let decoded = percent_decode(path).map_err(|_| invalid())?;
    let (bucket, key) = decoded.strip_prefix('/').and_then(|rest| rest.split_once('/')).ok_or_else(invalid)?;
    check_bucket_name(bucket)?;
    check_object_key(key)?;
    Ok(CopySourceName { bucket: bucket.to_owned(), key: key.to_owned(), version_id })
}

fn copy_source(call: &Call<'_>) -> OssResult<CopySourceName> {
    let raw = call.header("x-oss-copy-source").map(|v| v.into_owned()).unwrap_or_default();
    parse_copy_source(&raw)
}

fn metadata_directive_is_replace(call: &Call<'_>) -> OssResult<bool> {
    match call.header("x-oss-metadata-directive").as_deref().map(str::trim) {
        None | Some("COPY") => Ok(false),
        Some("REPLACE") => Ok(true),
        Some(other) => Err(OssError::invalid_argument("The metadata directive is invalid; use COPY or REPLACE.")
            .with_detail("ArgumentName", "x-oss-metadata-directive")
            .with_detail("ArgumentValue", other)),
    }
}

fn check_copy_size(size: u64) -> OssResult<()> {
    if size > MAX_COPY_SIZE {
        return Err(OssError::new(
            StatusCode::BAD_REQUEST,
            "EntityTooLarge",
            "The source object is larger than CopyObject copies (1 GiB); copy it with a multipart upload and UploadPartCopy.",
        )
        .with_detail("MaxSizeAllowed", MAX_COPY_SIZE.to_string()));
    }
    Ok(())
}

/// Checks the source's bucket, the caller's right to read it, its state and the copy conditions.
async fn checked_source(call: &Call<'_>, bucket: &str, meta: &ObjectMeta) -> OssResult<()> {
    let store = call.state.store.clone();
    let source_bucket = bucket.to_owned();
    let bucket_meta = blocking(move || store.bucket(&source_bucket)).await?;
    call.require_read(&bucket_meta, meta.attributes.acl)?;
    require_readable(meta)?;
    check_copy_preconditions(call, meta)
}

pub async fn copy_object(call: &mut Call<'_>) -> OssResult<Reply> {
    let CopySourceName { bucket: source_bucket, key: source_key, version_id: source_version } = copy_source(call)?;
    let replace = metadata_directive_is_replace(call)?;
    let bucket_meta = call.bucket_meta().await?;
    call.require_write(&bucket_meta)?;
    let onto_itself = source_bucket == call.bucket() && source_key == call.key() && source_version.is_none();
    let changes_class_or_acl =
        call.headers.contains_key("x-oss-storage-class") || call.headers.contains_key("x-oss-object-acl");
    if onto_itself && !replace && !changes_class_or_acl {
        return Err(OssError::invalid_argument(
            "The source object and the target object are the same and nothing changes; send x-oss-metadata-directive: REPLACE to change its metadata.",
        )
        .with_detail("ArgumentName", "x-oss-metadata-directive"));
    }
    let forbid_overwrite = forbids_overwrite(call.headers);
    if forbid_overwrite {
        refuse_existing(call).await?;
    }
    let requested = attributes_from_request(call.headers)?;

    let store = call.state.store.clone();
    let (bucket, key, version) = (source_bucket.clone(), source_key.clone(), source_version.clone());
    // Staging links the source's files (no bytes move), so checking afterwards costs nothing
    // and checks exactly what is copied.
    let source = blocking(move || store.stage_copy(&bucket, &key, version.as_deref())).await?;
    checked_source(call, &source_bucket, &source.meta).await?;
    check_copy_size(source.meta.size)?;

    let mut attributes = if replace { requested.clone() } else { source.meta.attributes.clone() };
    if call.headers.contains_key("x-oss-storage-class") {
        attributes.storage_class = requested.storage_class;
    }
    attributes.acl = requested.acl;
    let write = ObjectWrite {
        etag: source.meta.etag.clone(),
        object_type: source.meta.object_type,
        attributes,
        forbid_overwrite,
    };
    let meta = commit(call, source.staged, write).await?;

    let mut doc = XmlWriter::new("CopyObjectResult");
    doc.element("ETag", &quoted_etag(&meta.etag));
    doc.element("LastModified", &iso8601(meta.last_modified));
    let mut response = http::xml(StatusCode::OK, doc.finish("CopyObjectResult"));
    http::set(&mut response, HASH_CRC64_HEADER, &meta.crc64.to_string());
    set_version_header(&mut response, &meta);
    if let Some(version_id) = &source.meta.version_id {
        http::set(&mut response, "x-oss-copy-source-version-id", version_id);
    }
    Ok(response)
}

/// `x-oss-copy-source-range: bytes=FIRST-LAST` (inclusive) as (offset, length); the whole
/// object without it. A range outside the object is refused.
fn copy_range(header: Option<&str>, size: u64) -> OssResult<(u64, u64)> {
    let Some(text) = header else { return Ok((0, size)) };
    let invalid = || {
        OssError::invalid_argument("The x-oss-copy-source-range is not bytes=FIRST-LAST inside the source object.")
            .with_detail("ArgumentName", "x-oss-copy-source-range")
            .with_detail("ArgumentValue", text)
    };
    let (first, last) = text.trim().strip_prefix("bytes=").and_then(|spec| spec.split_once('-')).ok_or_else(invalid)?;
    let first: u64 = first.trim().parse().map_err(|_| invalid())?;
    let last: u64 = match last.trim() {
        "" => size.checked_sub(1).ok_or_else(invalid)?,
        last => last.parse().map_err(|_| invalid())?,
    };
    if first > last || last >= size {
        return Err(invalid());
    }
    Ok((first, last - first + 1))
}

pub async fn upload_part_copy(call: &mut Call<'_>) -> OssResult<Reply> {
    let part_number = part_number(call)?;
    let CopySourceName { bucket: source_bucket, key: source_key, version_id: source_version } = copy_source(call)?;
    let bucket_meta = call.bucket_meta().await?;
    call.require_write(&bucket_meta)?;
    let upload_id = call.query.get("uploadId").unwrap_or("").to_owned();
    {
        let store = call.state.store.clone();
        let (bucket, key, id) = (call.bucket().to_owned(), call.key().to_owned(), upload_id.clone());
        blocking(move || store.upload(&bucket, &key, &id)).await?;
    }
    let store = call.state.store.clone();
    let (bucket, key) = (source_bucket.clone(), source_key.clone());
    let (_, source_meta, files) = blocking(move || store.open_object(&bucket, &key, source_version.as_deref())).await?;
    checked_source(call, &source_bucket, &source_meta).await?;
    let (offset, length) = copy_range(call.header("x-oss-copy-source-range").as_deref(), source_meta.size)?;
    if length > MAX_PART_SIZE {
        return Err(OssError::new(
            StatusCode::BAD_REQUEST,
            "EntityTooLarge",
            "The copied range exceeds the maximum part size (5 GiB).",
        )
        .with_detail("MaxSizeAllowed", MAX_PART_SIZE.to_string()));
    }

    let path = call.state.store.staging_path();
    let staged = blocking(move || {
        // From here on the guard removes the file on every early return.
        let mut staged = StagedFile::from_parts(path.clone(), 0, [0; 16], 0);
        let (size, md5, crc64) = copy_hashed(SegmentReader::new(files, offset, length), &path)?;
        (staged.size, staged.md5, staged.crc64) = (size, md5, crc64);
        Ok(staged)
    })
    .await?;
    let store = call.state.store.clone();
    let (bucket, key) = (call.bucket().to_owned(), call.key().to_owned());
    let part = blocking(move || store.commit_part(&bucket, &key, &upload_id, part_number, staged)).await?;

    let mut doc = XmlWriter::new("CopyPartResult");
    doc.element("LastModified", &iso8601(part.last_modified));
    doc.element("ETag", &quoted_etag(&part.etag));
    let mut response = http::xml(StatusCode::OK, doc.finish("CopyPartResult"));
    http::set(&mut response, HASH_CRC64_HEADER, &part.crc64.to_string());
    Ok(response)
}

/// `x-oss-copy-source-if-*`: a failed match is 412 PreconditionFailed, "not modified" is 304.
fn check_copy_preconditions(call: &Call<'_>, source: &ObjectMeta) -> OssResult<()> {
    let etag_is = |text: &str| text.trim().trim_matches('"').eq_ignore_ascii_case(&source.etag);
    let not_modified = || OssError::new(StatusCode::NOT_MODIFIED, "NotModified", "The source object was not modified.");
    if let Some(tag) = call.header("x-oss-copy-source-if-match") {
        if !etag_is(&tag) {
            return Err(OssError::precondition_failed().with_detail("Condition", "x-oss-copy-source-if-match"));
        }
    }
    if let Some(tag) = call.header("x-oss-copy-source-if-none-match") {
        if etag_is(&tag) {
            return Err(not_modified());
        }
    }
    if let Some(since) = call.header("x-oss-copy-source-if-unmodified-since").and_then(|t| parse_http_date(&t)) {
        if source.last_modified > since {
            return Err(
                OssError::precondition_failed().with_detail("Condition", "x-oss-copy-source-if-unmodified-since")
            );
        }
    }
    if let Some(since) = call.header("x-oss-copy-source-if-modified-since").and_then(|t| parse_http_date(&t)) {
        if source.last_modified <= since {
            return Err(not_modified());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_source_is_decoded_and_validated() {
        let name = |bucket: &str, key: &str, version: Option<&str>| CopySourceName {
            bucket: bucket.into(),
            key: key.into(),
            version_id: version.map(str::to_owned),
        };
        assert_eq!(parse_copy_source("/bkt/a%20b/%E4%B8%AD?versionId=x").unwrap(), name("bkt", "a b/中", Some("x")));
        assert_eq!(parse_copy_source("/bkt/a+b").unwrap(), name("bkt", "a+b", None));
        for bad in ["", "bkt/k", "/bkt", "/bkt/", "/B/k", "/bkt/%zz"] {
            assert!(parse_copy_source(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn copy_ranges_must_lie_inside_the_source() {
        assert_eq!(copy_range(None, 10).unwrap(), (0, 10));
        assert_eq!(copy_range(Some("bytes=0-9"), 10).unwrap(), (0, 10));
        assert_eq!(copy_range(Some("bytes=3-4"), 10).unwrap(), (3, 2));
        assert_eq!(copy_range(Some("bytes=5-"), 10).unwrap(), (5, 5));
        for bad in ["bytes=0-10", "bytes=5-4", "bytes=-3", "0-1", "bytes=a-b", "bytes=10-"] {
            assert_eq!(copy_range(Some(bad), 10).unwrap_err().code, "InvalidArgument", "{bad}");
        }
    }

    #[test]
    fn sources_over_one_gib_are_refused() {
        assert!(check_copy_size(MAX_COPY_SIZE).is_ok());
        assert_eq!(check_copy_size(MAX_COPY_SIZE + 1).unwrap_err().code, "EntityTooLarge");
    }
}
