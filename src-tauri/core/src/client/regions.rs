//! Buckets in other regions than the profile's: which region each bucket is in, the endpoint and
//! the signer a request for it goes out with, and the region OSS names when it refuses a request
//! sent to the wrong one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use super::Client;
use crate::endpoint::{Addressing, Endpoint};
use crate::error::{Error, ErrorKind, Result};
use crate::request::OssRequest;
use crate::sign::{PresignedRequest, Signer};

const OSS_DOMAIN: &str = ".aliyuncs.com";

/// The endpoint a request for a bucket in `region` goes to, from the profile's endpoint: a
/// standard `oss-<region>[-internal].aliyuncs.com` becomes the one of `region` (scheme, port,
/// addressing and `-internal` kept); a custom domain, an IP, a local server or the acceleration
/// endpoint stay as they are (only the signing region changes).
pub fn endpoint_for_region(endpoint: &Endpoint, region: &str) -> Endpoint {
    if endpoint.addressing() == Addressing::Cname {
        return endpoint.clone();
    }
    let Some((_, internal)) = standard_region_of_host(endpoint.host()) else {
        return endpoint.clone();
    };
    // `:PORT`, or nothing.
    let port = endpoint.authority().strip_prefix(endpoint.host()).unwrap_or_default();
    let new_authority = format!("oss-{region}{}{OSS_DOMAIN}{port}", if internal { "-internal" } else { "" });
    Endpoint::parse(&format!("{}://{new_authority}", endpoint.scheme().as_str()), endpoint.addressing())
        .unwrap_or_else(|_| endpoint.clone())
}

/// `oss-cn-beijing[-internal].aliyuncs.com` → (`cn-beijing`, internal?); `None` for any other
/// host, the acceleration endpoints included.
fn standard_region_of_host(host: &str) -> Option<(&str, bool)> {
    let name = host.trim_end_matches('.').strip_suffix(OSS_DOMAIN)?.strip_prefix("oss-")?;
    if name.contains('.') || name.starts_with("accelerate") || name.is_empty() {
        return None;
    }
    Some(match name.strip_suffix("-internal") {
        Some(region) => (region, true),
        None => (name, false),
    })
}

/// The region of an endpoint OSS names in a refusal (`oss-cn-beijing.aliyuncs.com`, perhaps with
/// the bucket in front), or of a location (`oss-cn-beijing`).
pub fn region_of_endpoint(text: &str) -> Option<String> {
    let text = text.trim();
    let host = text.split_once("://").map_or(text, |(_, rest)| rest);
    let host = host.split(['/', ':']).next().unwrap_or(host);
    let host = host.find("oss-").map_or(host, |start| &host[start..]);
    let region = match standard_region_of_host(host) {
        Some((region, _)) => region,
        None => {
            let name = host.strip_prefix("oss-")?;
            name.strip_suffix("-internal").unwrap_or(name)
        }
    };
    crate::sign::check_region(region).ok()?;
    Some(region.to_owned())
}

/// The region table of a client, and a signer per region met, all sharing the client's credentials.
pub(crate) struct BucketRegions {
    profile_signer: Arc<Signer>,
    buckets: Mutex<HashMap<String, String>>,
    signers: Mutex<HashMap<String, Arc<Signer>>>,
}

/// Where a request for one bucket goes, and who signs it.
pub(crate) struct Route {
    pub endpoint: Endpoint,
    pub signer: Arc<Signer>,
}

impl BucketRegions {
    pub fn new(profile_signer: Arc<Signer>) -> Self {
        Self { profile_signer, buckets: Mutex::default(), signers: Mutex::default() }
    }

    pub fn profile_signer(&self) -> &Arc<Signer> {
        &self.profile_signer
    }

    /// Notes that `bucket` is in `region`; `false` when that was known already.
    pub fn learn(&self, bucket: &str, region: &str) -> bool {
        if crate::sign::check_region(region).is_err() {
            return false;
        }
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        buckets.insert(bucket.to_owned(), region.to_owned()).as_deref() != Some(region)
    }

    pub fn region_of(&self, bucket: &str) -> Option<String> {
        self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get(bucket).cloned()
    }

    /// The endpoint and signer for a request to `bucket` (none: the service itself) from `base`.
    pub fn route(&self, base: &Endpoint, bucket: Option<&str>) -> Result<Route> {
        let region = bucket.and_then(|bucket| self.region_of(bucket));
        match region {
            Some(region) if region != self.profile_signer.region() => {
                Ok(Route { endpoint: endpoint_for_region(base, &region), signer: self.signer_for(&region)? })
            }
            _ => Ok(Route { endpoint: base.clone(), signer: Arc::clone(&self.profile_signer) }),
        }
    }

    fn signer_for(&self, region: &str) -> Result<Arc<Signer>> {
        let mut signers = self.signers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(signer) = signers.get(region) {
            return Ok(Arc::clone(signer));
        }
        let signer = Arc::new(
            self.profile_signer
                .for_region(region)
                .map_err(|err: Error| err.context("OSS named a region for the bucket that is not a region id"))?,
        );
        signers.insert(region.to_owned(), Arc::clone(&signer));
        Ok(signer)
    }
}

impl Client {
    /// Notes that `bucket` is in `region` (`cn-beijing`): its requests and links go to that
    /// region's endpoint, signed for it. ListBuckets, GetBucketInfo and GetBucketLocation note
    /// it themselves, and so does a refusal naming the bucket's endpoint.
    pub fn set_bucket_region(&self, bucket: &str, region: &str) {
        self.inner.regions.learn(bucket, region);
    }

    /// The region `bucket` is known to be in, if it was learned.
    pub fn bucket_region(&self, bucket: &str) -> Option<String> {
        self.inner.regions.region_of(bucket)
    }

    /// The bucket's region, asked of OSS (GetBucketLocation, which a refusal naming the bucket's
    /// endpoint answers too) unless known; links for it are then made for that region.
    pub async fn find_bucket_region(&self, bucket: &str) -> Result<String> {
        if let Some(region) = self.bucket_region(bucket) {
            return Ok(region);
        }
        let location = self.get_bucket_location(bucket).await?;
        self.bucket_region(bucket).ok_or_else(|| {
            Error::new(ErrorKind::InvalidResponse, format!("GetBucketLocation: '{location}' names no region"))
        })
    }

    /// The endpoint a request for `bucket` goes to from this client.
    pub fn endpoint_for_bucket(&self, bucket: &str) -> Result<Endpoint> {
        Ok(self.inner.regions.route(&self.inner.endpoint, Some(bucket))?.endpoint)
    }

    /// A presigned URL on `endpoint` (the profile's, or a link domain), dated `at`: for a bucket
    /// of another region, on that region's endpoint and signed for it.
    pub fn presign_on(
        &self,
        endpoint: &Endpoint,
        request: &OssRequest,
        at: DateTime<Utc>,
        expires_secs: u64,
    ) -> Result<PresignedRequest> {
        let route = self.inner.regions.route(endpoint, request.bucket.as_deref())?;
        route.signer.presign(&route.endpoint, request, at, expires_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, addressing: Addressing) -> Endpoint {
        Endpoint::parse(text, addressing).unwrap()
    }

    #[test]
    fn a_standard_endpoint_becomes_the_regions_keeping_scheme_internal_and_addressing() {
        let public = parse("oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual);
        assert_eq!(endpoint_for_region(&public, "cn-beijing").to_string(), "https://oss-cn-beijing.aliyuncs.com");
        let internal = parse("http://oss-cn-hangzhou-internal.aliyuncs.com", Addressing::Path);
        let mapped = endpoint_for_region(&internal, "ap-southeast-1");
        assert_eq!(mapped.to_string(), "http://oss-ap-southeast-1-internal.aliyuncs.com");
        assert_eq!(mapped.addressing(), Addressing::Path);
        let with_port = parse("oss-cn-hangzhou.aliyuncs.com:8443", Addressing::Virtual);
        assert_eq!(
            endpoint_for_region(&with_port, "cn-beijing").to_string(),
            "https://oss-cn-beijing.aliyuncs.com:8443"
        );
        assert_eq!(
            endpoint_for_region(&public, "cn-beijing").url(Some("b"), Some("k")),
            "https://b.oss-cn-beijing.aliyuncs.com/k"
        );
    }

    #[test]
    fn a_link_for_a_bucket_of_another_region_is_on_its_host_and_signed_for_it() {
        use crate::client::{Client, ClientConfig};
        use crate::credentials::{Credentials, Secret};
        use crate::request::{Method, OssRequest};
        let endpoint = parse("oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual);
        let credentials = Credentials::new("ak", Secret::new("sk")).unwrap();
        let client = Client::new(ClientConfig::builder(endpoint, "cn-hangzhou", credentials).build().unwrap()).unwrap();
        let request = OssRequest::object(Method::Get, "far", "k.txt");
        let before = client.presign(&request, 60).unwrap().url;
        assert!(before.starts_with("https://far.oss-cn-hangzhou.aliyuncs.com/k.txt?"), "{before}");
        assert!(before.contains("%2Fcn-hangzhou%2Foss%2Faliyun_v4_request"), "{before}");
        client.set_bucket_region("far", "cn-beijing");
        let url = client.presign(&request, 60).unwrap().url;
        assert!(url.starts_with("https://far.oss-cn-beijing.aliyuncs.com/k.txt?"), "{url}");
        assert!(
            url.contains("x-oss-credential=ak%2F") && url.contains("%2Fcn-beijing%2Foss%2Faliyun_v4_request"),
            "{url}"
        );
        let near = client.presign(&OssRequest::object(Method::Get, "near", "k.txt"), 60).unwrap().url;
        assert!(near.starts_with("https://near.oss-cn-hangzhou.aliyuncs.com/"), "{near}");
        let cname = parse("static.example.com", Addressing::Cname);
        let linked = client.presign_on(&cname, &request, client.now(), 60).unwrap().url;
        assert!(linked.starts_with("https://static.example.com/k.txt?"), "{linked}");
        assert!(linked.contains("%2Fcn-beijing%2Foss%2F"), "{linked}");
    }

    #[test]
    fn other_endpoints_stay_as_they_are() {
        for (text, addressing) in [
            ("http://127.0.0.1:9000", Addressing::Path),
            ("http://localhost:18765", Addressing::Path),
            ("oss-accelerate.aliyuncs.com", Addressing::Virtual),
            ("oss-accelerate-overseas.aliyuncs.com", Addressing::Virtual),
            ("minio.example.com", Addressing::Virtual),
            ("static.example.com", Addressing::Cname),
        ] {
            let endpoint = parse(text, addressing);
            assert_eq!(endpoint_for_region(&endpoint, "cn-beijing"), endpoint, "{text}");
        }
    }

    #[test]
    fn the_region_is_read_from_an_endpoint_or_a_location() {
        assert_eq!(region_of_endpoint("oss-cn-beijing.aliyuncs.com").as_deref(), Some("cn-beijing"));
        assert_eq!(region_of_endpoint("b.oss-us-west-1.aliyuncs.com").as_deref(), Some("us-west-1"));
        assert_eq!(region_of_endpoint("oss-cn-beijing-internal.aliyuncs.com").as_deref(), Some("cn-beijing"));
        assert_eq!(region_of_endpoint("oss-cn-shanghai").as_deref(), Some("cn-shanghai"));
        assert_eq!(region_of_endpoint("static.example.com"), None);
        assert_eq!(region_of_endpoint(""), None);
    }
}
