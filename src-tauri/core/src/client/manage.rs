//! The management operations of [`Client`]: UploadPartCopy, RestoreObject, PutBucket,
//! DeleteBucket and GetBucketAcl.

use super::{Body, Client, Idempotency};
use crate::error::{Error, ErrorKind, Result};
use crate::ops::{self, ByteRange, RestoreTier};
use crate::xml::objects::AccessControlPolicyXml;
use crate::xml::{self as model, from_xml, ObjectAcl};

/// What RestoreObject answered: 202 a restore started, 200 the object was restored already
/// (its restored copy is kept longer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum RestoreStarted {
    Started,
    AlreadyRestored,
}

impl Client {
    /// UploadPartCopy: bytes `range` of the source become part `part_number`, without passing
    /// through this machine. Returns the part's ETag.
    #[allow(clippy::too_many_arguments)]
    pub async fn upload_part_copy(
        &self,
        source_bucket: &str,
        source_key: &str,
        bucket: &str,
        key: &str,
        upload_id: &str,
        part_number: u32,
        range: ByteRange,
    ) -> Result<model::CompletedPart> {
        let request =
            ops::upload_part_copy_request(source_bucket, source_key, bucket, key, upload_id, part_number, range)?;
        let body = self.send_read("UploadPartCopy", &request, None, Idempotency::Idempotent).await?;
        let result: model::CopyPartResult = from_xml(&body, "UploadPartCopy")?;
        if result.etag.is_empty() {
            return Err(Error::new(ErrorKind::InvalidResponse, "UploadPartCopy: the answer has no ETag"));
        }
        Ok(model::CompletedPart { part_number, etag: result.etag })
    }

    /// RestoreObject for an Archive, Cold Archive or Deep Cold Archive object.
    pub async fn restore_object(
        &self,
        bucket: &str,
        key: &str,
        days: Option<u32>,
        tier: Option<RestoreTier>,
    ) -> Result<RestoreStarted> {
        let (request, body) = ops::restore_object_request(bucket, key, days, tier)?;
        let body = body.map(Body::from_bytes);
        let response = self.send("RestoreObject", &request, body.as_ref(), Idempotency::OnlyIfRefused).await?;
        Ok(if response.status().as_u16() == 202 { RestoreStarted::Started } else { RestoreStarted::AlreadyRestored })
    }

    /// PutBucket in this client's region.
    pub async fn put_bucket(&self, bucket: &str, storage_class: Option<&str>, acl: Option<ObjectAcl>) -> Result<()> {
        let (request, body) = ops::put_bucket_request(bucket, storage_class, acl)?;
        let body = Body::from_bytes(body);
        self.send("PutBucket", &request, Some(&body), Idempotency::OnlyIfRefused).await?;
        Ok(())
    }

    /// DeleteBucket; a bucket that still holds objects is refused (409 BucketNotEmpty).
    pub async fn delete_bucket(&self, bucket: &str) -> Result<()> {
        let request = ops::delete_bucket_request(bucket)?;
        let response = self.send("DeleteBucket", &request, None, Idempotency::Idempotent).await;
        response.map(|_| ()).map_err(|err| match err.service().and_then(|s| s.code.as_deref()) {
            Some("BucketNotEmpty") => err.context(format!(
                "oss://{bucket} still holds objects or unfinished uploads; delete them first, then the bucket"
            )),
            _ => err,
        })
    }

    /// GetBucketAcl: `private`, `public-read` or `public-read-write`.
    pub async fn get_bucket_acl(&self, bucket: &str) -> Result<ObjectAcl> {
        let request = ops::get_bucket_acl_request(bucket)?;
        let body = self.send_read("GetBucketAcl", &request, None, Idempotency::Idempotent).await?;
        let policy: AccessControlPolicyXml = from_xml(&body, "GetBucketAcl")?;
        let grant = policy
            .grant
            .ok_or_else(|| Error::new(ErrorKind::InvalidResponse, "GetBucketAcl: the answer has no <Grant>"))?;
        grant
            .parse()
            .map_err(|_| Error::new(ErrorKind::InvalidResponse, format!("GetBucketAcl: unknown grant '{grant}'")))
    }
}
