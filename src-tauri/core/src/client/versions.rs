//! The versioning operations of [`Client`]: ListObjectVersions (one page, or every version as a
//! stream), Get/PutBucketVersioning, HEAD/GET/DELETE of one version, and restoring a version as
//! the latest with a server-side copy.

use futures_util::{Stream, TryStreamExt};

use super::{paginate, Body, Client, Idempotency, ObjectBody, ObjectMeta};
use crate::error::{Error, ErrorKind, Result};
use crate::ops::{self, ByteRange, CopyObjectOptions, ListObjectVersionsParams, VersioningStatus};
use crate::xml::versions::{ListVersionsResultXml, VersioningConfigurationXml};
use crate::xml::{self as model, ListObjectVersionsPage, ObjectVersion};

/// What deleting one version answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DeletedVersion {
    /// The version removed, or the delete marker a plain DELETE on a versioned bucket created.
    pub version_id: Option<String>,
    pub delete_marker: bool,
}

impl Client {
    /// One page of ListObjectVersions, keys decoded, versions and delete markers in OSS's order.
    pub async fn list_object_versions(&self, params: &ListObjectVersionsParams) -> Result<ListObjectVersionsPage> {
        let request = ops::list_object_versions_request(params)?;
        self.get_xml::<ListVersionsResultXml>("ListObjectVersions", &request).await?.into_page()
    }

    /// Every version and delete marker under `prefix` (no delimiter), page after page.
    pub fn list_all_versions(
        &self,
        bucket: &str,
        prefix: Option<&str>,
    ) -> impl Stream<Item = Result<ObjectVersion>> + Send + 'static {
        let mut params = ListObjectVersionsParams::new(bucket);
        params.prefix = prefix.map(str::to_owned);
        self.version_pages(params)
    }

    /// The keys directly in the folder `prefix` whose latest version is a delete marker (the
    /// "show deleted objects" list), each as that marker; restore one from the version before it.
    pub async fn list_deleted_objects(&self, bucket: &str, prefix: &str) -> Result<Vec<ObjectVersion>> {
        let mut params = ListObjectVersionsParams::new(bucket);
        params.prefix = Some(prefix.to_owned()).filter(|p| !p.is_empty());
        params.delimiter = Some("/".to_owned());
        self.version_pages(params)
            .try_filter(|version| std::future::ready(version.is_latest && version.is_delete_marker))
            .try_collect()
            .await
    }

    fn version_pages(
        &self,
        mut params: ListObjectVersionsParams,
    ) -> impl Stream<Item = Result<ObjectVersion>> + Send + 'static {
        let client = self.clone();
        params.max_keys = Some(1000);
        paginate(None, move |markers: Option<(String, String)>| {
            let client = client.clone();
            let mut params = params.clone();
            if let Some((key, version)) = markers {
                params.key_marker = Some(key);
                params.version_id_marker = Some(version).filter(|v| !v.is_empty());
            }
            async move {
                let page = client.list_object_versions(&params).await?;
                let next = page.next_markers();
                Ok((page.versions, next))
            }
        })
    }

    pub async fn get_bucket_versioning(&self, bucket: &str) -> Result<VersioningStatus> {
        let request = ops::get_bucket_versioning_request(bucket)?;
        Ok(self.get_xml::<VersioningConfigurationXml>("GetBucketVersioning", &request).await?.status())
    }

    /// Enables or suspends versioning (a versioned bucket cannot go back to `Off`).
    pub async fn put_bucket_versioning(&self, bucket: &str, status: VersioningStatus) -> Result<()> {
        let (request, body) = ops::put_bucket_versioning_request(bucket, status)?;
        let body = Body::from_bytes(body);
        self.send("PutBucketVersioning", &request, Some(&body), Idempotency::Idempotent).await?;
        Ok(())
    }

    /// HeadObject of one version (`None`: the latest).
    pub async fn head_object_version(&self, bucket: &str, key: &str, version_id: Option<&str>) -> Result<ObjectMeta> {
        let request = ops::head_object_version_request(bucket, key, version_id)?;
        let response = self.send("HeadObject", &request, None, Idempotency::Idempotent).await?;
        Ok(ObjectMeta::from_headers(response.headers()))
    }

    /// GetObject of one version (`None`: the latest), optionally a byte range: for previews and
    /// downloads of old versions.
    pub async fn get_object_version(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        range: Option<ByteRange>,
    ) -> Result<ObjectBody> {
        let Some(version_id) = version_id else {
            return self.get_object(bucket, key, range).await;
        };
        let request = ops::get_object_version_request(bucket, key, Some(version_id), range)?;
        let response = self.send("GetObject", &request, None, Idempotency::Idempotent).await?;
        let meta = ObjectMeta::from_headers(response.headers());
        Ok(ObjectBody::new(meta, response, format!("GetObject oss://{bucket}/{key}?versionId={version_id}")))
    }

    /// Deletes one version or delete marker for good.
    pub async fn delete_object_version(&self, bucket: &str, key: &str, version_id: &str) -> Result<DeletedVersion> {
        let request = ops::delete_object_version_request(bucket, key, version_id)?;
        let response = self.send("DeleteObject", &request, None, Idempotency::Idempotent).await?;
        let headers = response.headers();
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        Ok(DeletedVersion {
            version_id: text("x-oss-version-id"),
            delete_marker: text("x-oss-delete-marker").as_deref() == Some("true"),
        })
    }

    /// Every version and delete marker of exactly `key`, newest first.
    pub async fn object_versions(&self, bucket: &str, key: &str) -> Result<Vec<ObjectVersion>> {
        if key.is_empty() || key.ends_with('/') {
            return Err(Error::invalid_input("name an object (not a folder) to list its versions"));
        }
        self.list_all_versions(bucket, Some(key))
            .try_filter(|version| std::future::ready(version.key == key))
            .try_collect()
            .await
    }

    /// Brings a deleted object back with its last content: removes the delete markers above its
    /// newest real version, which becomes the latest again (no copy, nothing billed twice).
    /// Returns that version's ID.
    pub async fn undelete_object(&self, bucket: &str, key: &str) -> Result<String> {
        let versions = self.object_versions(bucket, key).await?;
        let Some(last_real) = versions.iter().position(|version| !version.is_delete_marker) else {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!("oss://{bucket}/{key} has no earlier version to restore: it was deleted for good"),
            ));
        };
        for marker in &versions[..last_real] {
            self.delete_object_version(bucket, key, &marker.version_id).await?;
        }
        Ok(versions[last_real].version_id.clone())
    }

    /// Makes `version_id` the latest version again: CopyObject from `key?versionId=` onto `key`,
    /// metadata and storage class kept (CopyObject copies at most 1 GiB). Returns the new version.
    pub async fn restore_version(&self, bucket: &str, key: &str, version_id: &str) -> Result<model::CopyObjectResult> {
        if version_id.is_empty() {
            return Err(Error::invalid_input("name the version to restore"));
        }
        let options = CopyObjectOptions { source_version_id: Some(version_id.to_owned()), ..Default::default() };
        self.copy_object(bucket, key, bucket, key, &options).await.map_err(|err| {
            err.context(format!("restoring version {version_id} of oss://{bucket}/{key} as the latest failed"))
        })
    }
}
