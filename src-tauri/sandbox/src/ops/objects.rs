//! Writing objects: PutObject, DeleteObject, Get/PutObjectACL.
//! <https://www.alibabacloud.com/help/en/oss/developer-reference/putobject>.

use hyper::StatusCode;

use super::buckets::acl_document;
use super::object_headers::{
    attributes_from_request, check_content_md5, content_length, content_md5, forbids_overwrite,
};
use super::{blocking, Call};
use crate::checksum::{base64_encode, hex_upper, quoted_etag};
use crate::error::{OssError, OssResult};
use crate::http::{self, Reply, HASH_CRC64_HEADER};
use crate::names::Acl;
use crate::store::{self, ObjectType, ObjectWrite};

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
    let meta = commit(call, store::StagedObject::single(staged), write).await?;
    let mut response = http::empty(StatusCode::OK);
    http::set(&mut response, "etag", &quoted_etag(&meta.etag));
    http::set(&mut response, HASH_CRC64_HEADER, &meta.crc64.to_string());
    http::set(&mut response, "content-md5", &base64_encode(&md5));
    set_version_header(&mut response, &meta);
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
    match blocking(move || store.object(&bucket, &key, None)).await {
        Ok(_) => Err(store::file_already_exists()),
        Err(err) if err.code == "NoSuchKey" => Ok(()),
        Err(err) => Err(err),
    }
}

pub async fn commit(call: &Call<'_>, staged: store::StagedObject, write: ObjectWrite) -> OssResult<store::ObjectMeta> {
    let store = call.state.store.clone();
    let (bucket, key) = (call.bucket().to_owned(), call.key().to_owned());
    blocking(move || store.commit_object(&bucket, &key, staged, write)).await
}

pub async fn delete_object(call: &mut Call<'_>) -> OssResult<Reply> {
    let bucket_meta = call.bucket_meta().await?;
    call.require_write(&bucket_meta)?;
    let store = call.state.store.clone();
    let (bucket, key, version_id) = (call.bucket().to_owned(), call.key().to_owned(), call.version_id());
    let outcome = blocking(move || match version_id {
        Some(version_id) => store.delete_version(&bucket, &key, &version_id),
        None => store.delete_object(&bucket, &key),
    })
    .await?;
    let mut response = http::empty(StatusCode::NO_CONTENT);
    if let Some(version_id) = &outcome.version_id {
        http::set(&mut response, VERSION_ID_HEADER, version_id);
    }
    if outcome.delete_marker {
        http::set(&mut response, "x-oss-delete-marker", "true");
    }
    Ok(response)
}

pub const VERSION_ID_HEADER: &str = "x-oss-version-id";

/// `x-oss-version-id` on answers about a version written while versioning was enabled or suspended.
pub fn set_version_header(response: &mut Reply, meta: &store::ObjectMeta) {
    if let Some(version_id) = &meta.version_id {
        http::set(response, VERSION_ID_HEADER, version_id);
    }
}

pub async fn get_object_acl(call: &mut Call<'_>) -> OssResult<Reply> {
    call.require_signed()?;
    let store = call.state.store.clone();
    let (bucket, key) = (call.bucket().to_owned(), call.key().to_owned());
    let (_, meta) = blocking(move || store.object(&bucket, &key, None)).await?;
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
