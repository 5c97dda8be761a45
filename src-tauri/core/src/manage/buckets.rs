//! Buckets: create (name checked as OSS does, storage class, ACL), delete (only when empty,
//! confirmed by its name), and the details panel's facts.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::ops::check_bucket_name;
use crate::xml::ObjectAcl;

/// A bucket to create, in `region` (sent to that region's endpoint, signed for it), else in the
/// region of the client that creates it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct NewBucket {
    pub name: String,
    /// `None`: Standard.
    pub storage_class: Option<String>,
    /// `None`: private. `Default` is not a bucket ACL.
    pub acl: Option<ObjectAcl>,
    /// `cn-beijing`; `None`: the client's region.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub region: Option<String>,
}

pub async fn create_bucket(client: &Client, bucket: &NewBucket) -> Result<()> {
    check_bucket_name(&bucket.name)?;
    if let Some(region) = bucket.region.as_deref().map(str::trim).filter(|region| !region.is_empty()) {
        crate::sign::check_region(region)?;
        client.set_bucket_region(&bucket.name, region);
    }
    client.put_bucket(&bucket.name, bucket.storage_class.as_deref(), bucket.acl).await.map_err(|err| {
        match err.service().and_then(|s| s.code.as_deref()) {
            Some("BucketAlreadyExists") => err.context(format!(
                "the name '{}' is taken (bucket names are unique across all of OSS); choose another",
                bucket.name
            )),
            _ => err,
        }
    })
}

/// Deletes an empty bucket; `confirmation` must repeat its name (the user typed it).
pub async fn delete_bucket(client: &Client, bucket: &str, confirmation: &str) -> Result<()> {
    if confirmation != bucket {
        return Err(Error::invalid_input(format!("type the bucket's name '{bucket}' exactly to confirm deleting it")));
    }
    client.delete_bucket(bucket).await
}

/// What the bucket details panel shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BucketDetails {
    pub name: String,
    /// `cn-hangzhou`.
    pub region: String,
    /// `oss-cn-hangzhou`.
    pub location: String,
    pub extranet_endpoint: Option<String>,
    pub intranet_endpoint: Option<String>,
    pub storage_class: Option<String>,
    /// `Enabled`, `Suspended`, or `None` when never enabled.
    pub versioning: Option<String>,
    /// `private`, `public-read` or `public-read-write`.
    pub acl: Option<String>,
    pub creation_date: Option<DateTime<Utc>>,
}

pub async fn bucket_details(client: &Client, bucket: &str) -> Result<BucketDetails> {
    let info = client.get_bucket_info(bucket).await?;
    let acl = match info.acl {
        Some(acl) => Some(acl),
        None => client.get_bucket_acl(bucket).await.ok().map(|acl| acl.as_str().to_owned()),
    };
    Ok(BucketDetails {
        name: info.name,
        region: info.location.strip_prefix("oss-").unwrap_or(&info.location).to_owned(),
        location: info.location,
        extranet_endpoint: info.extranet_endpoint,
        intranet_endpoint: info.intranet_endpoint,
        storage_class: info.storage_class,
        versioning: info.versioning.filter(|v| !v.is_empty()),
        acl,
        creation_date: info.creation_date,
    })
}
