//! Writing objects: PutObject, CopyObject, DeleteObject, Get/PutObjectACL.
//! <https://www.alibabacloud.com/help/en/oss/developer-reference/putobject>,
//! <https://www.alibabacloud.com/help/en/oss/developer-reference/copyobject>.

use hyper::StatusCode;
use osslite_core::sign::encode::percent_decode;

use super::buckets::acl_document;
use super::object_headers::{
    attributes_from_request, check_content_md5, content_length, content_md5, forbids_overwrite,
};
use super::{blocking, Call};
use crate::checksum::{base64_encode, hex_upper, quoted_etag};
use crate::error::{OssError, OssResult};
use crate::http::{self, Reply, HASH_CRC64_HEADER};
use crate::names::{check_bucket_name, check_object_key, Acl};
use crate::store::{self, ObjectType, ObjectWrite};
use crate::time::{iso8601, parse_http_date};

/// The largest object a single PutObject may write (5 GiB).
pub const MAX_PUT_SIZE: u64 = 5 << 30;

pub async fn put_object(call: &mut Call<'_>) -> OssResult<Reply> {
    let bucket_meta = call.bucket_meta().await?;
    call.require_write(&bucket_meta)?;
    let attributes = attributes_from_request(call.headers)?;
    let expected_md5 = content_md5(call.headers)?;
    let expected_size = content_length(call.headers)?;
    if expected_size.is_some_and(|size| size > MAX_PUT_SIZE) {
        return Err(entity_too_large());
    }
    let forbid_overwrite = forbids_overwrite(call.headers);
    if forbid_overwrite {
        refuse_existing(call).await?;
    }
    let staged = store::receive(call.body, call.state.store.staging_path(), expected_size, MAX_PUT_SIZE).await?;
    check_content_md5(expected_md5, &staged.md5)?;
    let md5 = staged.md5;
    let write = ObjectWrite { etag: hex_upper(&md5), object_type: ObjectType::Normal, attributes, forbid_overwrite };
    let meta = commit(call, staged, write).await?;
    let mut response = http::empty(StatusCode::OK);
    http::set(&mut response, "etag", &quoted_etag(&meta.etag));
    http::set(&mut response, HASH_CRC64_HEADER, &meta.crc64.to_string());
    http::set(&mut response, "content-md5", &base64_encode(&md5));
    Ok(response)
}

fn entity_too_large() -> OssError {
    OssError::new(
        StatusCode::BAD_REQUEST,
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed object size.",
    )
    .with_detail("MaxSizeAllowed", MAX_PUT_SIZE.to_string())
}

/// Refuses early when `x-oss-forbid-overwrite` meets an existing key (checked again at commit).
pub async fn refuse_existing(call: &Call<'_>) -> OssResult<()> {
    let store = call.state.store.clone();
    let (bucket, key) = (call.bucket().to_owned(), call.key().to_owned());
    match blocking(move || store.object(&bucket, &key)).await {
        Ok(_) => Err(store::file_already_exists()),
        Err(err) if err.code == "NoSuchKey" => Ok(()),
        Err(err) => Err(err),
    }
}

async fn commit(call: &Call<'_>, staged: store::StagedFile, write: ObjectWrite) -> OssResult<store::ObjectMeta> {
    let store = call.state.store.clone();
    let (bucket, key) = (call.bucket().to_owned(), call.key().to_owned());
    blocking(move || store.commit_object(&bucket, &key, staged, write)).await
}

/// `x-oss-copy-source: /BUCKET/KEY` (URL-encoded, optionally `?versionId=`).
fn parse_copy_source(raw: &str) -> OssResult<(String, String)> {
    let invalid =
        || OssError::invalid_argument("Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.");
    let path = raw.split_once('?').map_or(raw, |(path, _)| path);
    let decoded = percent_decode(path).map_err(|_| invalid())?;
    let (bucket, key) = decoded.strip_prefix('/').and_then(|rest| rest.split_once('/')).ok_or_else(invalid)?;
    check_bucket_name(bucket)?;
    check_object_key(key)?;
    Ok((bucket.to_owned(), key.to_owned()))
}

pub async fn copy_object(call: &mut Call<'_>) -> OssResult<Reply> {
    let raw_source = call.header("x-oss-copy-source").map(|v| v.into_owned()).unwrap_or_default();
    let (source_bucket, source_key) = parse_copy_source(&raw_source)?;
    let replace = match call.header("x-oss-metadata-directive").as_deref().map(str::trim) {
        None | Some("COPY") => false,
        Some("REPLACE") => true,
        Some(other) => {
            return Err(OssError::invalid_argument("The metadata directive is invalid; use COPY or REPLACE.")
                .with_detail("ArgumentName", "x-oss-metadata-directive")
                .with_detail("ArgumentValue", other))
        }
    };
    let bucket_meta = call.bucket_meta().await?;
    call.require_write(&bucket_meta)?;
    let forbid_overwrite = forbids_overwrite(call.headers);
    if forbid_overwrite {
        refuse_existing(call).await?;
    }
    let requested = attributes_from_request(call.headers)?;

    let store = call.state.store.clone();
    let (bucket, key) = (source_bucket.clone(), source_key.clone());
    let source_bucket_meta = {
        let store = store.clone();
        blocking(move || store.bucket(&source_bucket)).await?
    };
    let source = blocking(move || store.stage_copy(&bucket, &key)).await?;
    call.require_read(&source_bucket_meta, source.meta.attributes.acl)?;
    check_copy_preconditions(call, &source.meta)?;

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

    let mut doc = crate::xml::XmlWriter::new("CopyObjectResult");
    doc.element("ETag", &quoted_etag(&meta.etag));
    doc.element("LastModified", &iso8601(meta.last_modified));
    let mut response = http::xml(StatusCode::OK, doc.finish("CopyObjectResult"));
    http::set(&mut response, HASH_CRC64_HEADER, &meta.crc64.to_string());
    Ok(response)
}

/// `x-oss-copy-source-if-*`: a failed match is 412 PreconditionFailed, "not modified" is 304.
fn check_copy_preconditions(call: &Call<'_>, source: &store::ObjectMeta) -> OssResult<()> {
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

pub async fn delete_object(call: &mut Call<'_>) -> OssResult<Reply> {
    let bucket_meta = call.bucket_meta().await?;
    call.require_write(&bucket_meta)?;
    let store = call.state.store.clone();
    let (bucket, key) = (call.bucket().to_owned(), call.key().to_owned());
    blocking(move || store.delete_object(&bucket, &key)).await?;
    Ok(http::empty(StatusCode::NO_CONTENT))
}

pub async fn get_object_acl(call: &mut Call<'_>) -> OssResult<Reply> {
    call.require_signed()?;
    let store = call.state.store.clone();
    let (bucket, key) = (call.bucket().to_owned(), call.key().to_owned());
    let (_, meta) = blocking(move || store.object(&bucket, &key)).await?;
    Ok(http::xml(StatusCode::OK, acl_document(meta.attributes.acl)))
}

pub async fn put_object_acl(call: &mut Call<'_>) -> OssResult<Reply> {
    call.require_signed()?;
    let text = call.header("x-oss-object-acl").ok_or_else(|| {
        OssError::invalid_argument("The x-oss-object-acl header is required.")
            .with_detail("ArgumentName", "x-oss-object-acl")
    })?;
    let acl = Acl::parse_object(&text, "x-oss-object-acl")?;
    let store = call.state.store.clone();
    let (bucket, key) = (call.bucket().to_owned(), call.key().to_owned());
    blocking(move || store.set_object_acl(&bucket, &key, acl)).await?;
    Ok(http::empty(StatusCode::OK))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_source_is_decoded_and_validated() {
        assert_eq!(parse_copy_source("/bkt/a%20b/%E4%B8%AD?versionId=x").unwrap(), ("bkt".into(), "a b/中".into()));
        assert_eq!(parse_copy_source("/bkt/a+b").unwrap(), ("bkt".into(), "a+b".into()));
        for bad in ["", "bkt/k", "/bkt", "/bkt/", "/B/k", "/bkt/%zz"] {
            assert!(parse_copy_source(bad).is_err(), "{bad}");
        }
    }
}
