//! Buckets in other regions than the server's: which region each bucket is in, and OSS's refusal
//! of a request signed for another region ("must be addressed using the specified endpoint").

use std::collections::HashMap;
use std::sync::Mutex;

use hyper::StatusCode;

use crate::auth::Principal;
use crate::error::{OssError, OssResult};

/// EC of OSS's refusal of a bucket addressed through another region's endpoint.
const WRONG_ENDPOINT_EC: &str = "0003-00001403";

pub struct BucketRegions {
    server: String,
    buckets: Mutex<HashMap<String, String>>,
}

impl BucketRegions {
    pub fn new(server: &str, buckets: &[(String, String)]) -> Self {
        Self { server: server.to_owned(), buckets: Mutex::new(buckets.iter().cloned().collect()) }
    }

    /// The bucket's region; the server's unless configured or created elsewhere.
    pub fn region_of(&self, bucket: &str) -> String {
        let buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        buckets.get(bucket).cloned().unwrap_or_else(|| self.server.clone())
    }

    /// Notes where a new bucket was created (the region its PutBucket was signed for).
    pub fn created(&self, bucket: &str, region: &str) {
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if region == self.server {
            buckets.remove(bucket);
        } else {
            buckets.insert(bucket.to_owned(), region.to_owned());
        }
    }

    pub fn deleted(&self, bucket: &str) {
        self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(bucket);
    }

    /// A signed request reaches the bucket only when signed for the bucket's region, as a request
    /// sent to that region's endpoint is; a service request (no bucket) only for the server's.
    /// PutBucket of a new bucket creates it in the region it is signed for.
    pub fn check(&self, principal: &Principal, bucket: Option<&str>, creates_bucket: bool) -> OssResult<()> {
        let Some(signed_for) = principal.signing_region() else {
            return Ok(());
        };
        let Some(bucket) = bucket else {
            if signed_for == self.server {
                return Ok(());
            }
            return Err(OssError::invalid_argument(format!(
                "Invalid signing region in the credential: '{signed_for}'; this server's region is '{}'.",
                self.server
            ))
            .with_detail("Region", signed_for));
        };
        if creates_bucket {
            return Ok(());
        }
        let region = self.region_of(bucket);
        if region == signed_for {
            return Ok(());
        }
        Err(wrong_endpoint(bucket, &region))
    }
}

/// OSS's 403 for a bucket addressed through another region: `<Bucket>` and `<Endpoint>` name
/// where to send it.
pub fn wrong_endpoint(bucket: &str, region: &str) -> OssError {
    OssError::new(
        StatusCode::FORBIDDEN,
        "AccessDenied",
        "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
    )
    .with_ec(WRONG_ENDPOINT_EC)
    .with_detail("Bucket", bucket)
    .with_detail("Endpoint", format!("oss-{region}.aliyuncs.com"))
}
