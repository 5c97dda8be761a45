//! The async OSS client: `Client::new(ClientConfig)`, then one method per operation.
//!
//! Every method builds its request with a pure builder from [`crate::ops`], sends it through the
//! one send loop in `send.rs` (sign with V4 headers → send → typed error → retry when allowed), and
//! parses the answer with [`crate::xml`]. The settings are in `config.rs`; the multipart
//! operations are `Client` methods too, in `multipart.rs`.
//!
//! ```no_run
//! # async fn demo() -> osslite_core::Result<()> {
//! use futures_util::TryStreamExt;
//! use osslite_core::client::{Body, Client, ClientConfig};
//! use osslite_core::{Addressing, Credentials, Endpoint};
//!
//! let endpoint = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual)?;
//! let client = Client::new(ClientConfig::builder(endpoint, "cn-hangzhou", Credentials::from_env()?).build()?)?;
//! client.put_object("bucket", "hello.txt", Body::from("hi".to_owned()), &Default::default()).await?;
//! let entries: Vec<_> = client.list_all("bucket", Some("dir/"), Some("/")).try_collect().await?;
//! # Ok(()) }
//! ```

mod body;
mod clock;
mod config;
mod describe;
mod manage;
mod multipart;
mod paginate;
mod regions;
mod resolve;
mod retry;
mod send;
mod unreachable;
mod versions;

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use chrono::Utc;
use futures_util::Stream;

pub use body::{Body, ByteStream, ObjectBody, ObjectMeta};
pub use clock::CLOCK_SKEW_TOLERANCE_SECS;
pub use config::{ClientConfig, ClientConfigBuilder, ProxyConfig};
pub use manage::RestoreStarted;
pub use paginate::paginate;
pub use regions::{endpoint_for_region, region_of_endpoint};
pub use resolve::{is_localhost_name, is_loopback_host, LocalhostResolver};
pub use retry::{FixedJitter, Idempotency, Jitter, RandomJitter, RetryPolicy};
pub use versions::DeletedVersion;

use crate::endpoint::Endpoint;
use crate::error::{Error, ErrorKind, Result};
use crate::ops::{self, ByteRange, CopyObjectOptions, ListBucketsParams, ListObjectsV2Params};
use crate::ops::{PutObjectOptions, MAX_DELETE_KEYS};
use crate::request::OssRequest;
use crate::sign::{PresignedRequest, Signer};
use crate::xml::buckets::{BucketInfoXml, LocationXml};
use crate::xml::objects::AccessControlPolicyXml;
use crate::xml::{self as model, from_xml};
use send::{Call, Inner, Target};

/// An item of a listing with a delimiter: an object, or a "directory" (common prefix).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ListEntry {
    Object(model::ObjectSummary),
    Prefix { prefix: String },
}

impl ListEntry {
    /// The object's key or the prefix.
    pub fn name(&self) -> &str {
        match self {
            ListEntry::Object(object) => &object.key,
            ListEntry::Prefix { prefix } => prefix,
        }
    }
}

/// What PutObject and UploadPart answer in their headers.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutObjectResult {
    pub etag: String,
    pub crc64: Option<u64>,
    pub version_id: Option<String>,
    pub request_id: Option<String>,
}

/// A part UploadPart accepted; turn it into a [`model::CompletedPart`] for CompleteMultipartUpload.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadedPart {
    pub part_number: u32,
    pub etag: String,
    pub crc64: Option<u64>,
}

impl From<UploadedPart> for model::CompletedPart {
    fn from(part: UploadedPart) -> Self {
        model::CompletedPart { part_number: part.part_number, etag: part.etag }
    }
}

/// An OSS client for one endpoint, region and set of credentials. Cheap to clone (shared state).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint.to_string())
            .field("addressing", &self.inner.endpoint.addressing())
            .field("signer", self.inner.regions.profile_signer())
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

fn etag_of(response: &reqwest::Response) -> Result<String> {
    response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| Error::new(ErrorKind::InvalidResponse, "OSS accepted the upload but sent no ETag"))
}

fn put_result(response: &reqwest::Response) -> Result<PutObjectResult> {
    let meta = ObjectMeta::from_headers(response.headers());
    Ok(PutObjectResult {
        etag: etag_of(response)?,
        crc64: meta.crc64,
        version_id: meta.version_id,
        request_id: meta.request_id,
    })
}

/// Bytes of a response body read whole (an XML listing or result) at most. A 1000-key page with
/// long keys is well under 2 MiB; anything past this is not an answer OSS sends.
pub const MAX_RESPONSE_BODY: usize = 16 * 1024 * 1024;

fn too_large(what: &str) -> Error {
    Error::new(
        ErrorKind::InvalidResponse,
        format!(
            "{what}: the answer is larger than {} MiB, more than OSS ever sends; stopped reading",
            MAX_RESPONSE_BODY >> 20
        ),
    )
}

/// The whole body, refused as `InvalidResponse` once it passes [`MAX_RESPONSE_BODY`] (announced or not).
async fn read_body(what: &str, mut response: reqwest::Response) -> Result<Bytes> {
    if response.content_length().is_some_and(|length| length > MAX_RESPONSE_BODY as u64) {
        return Err(too_large(what));
    }
    let broke_off = |err: reqwest::Error| {
        Error::new(ErrorKind::Network, format!("{what}: the answer broke off: {}", describe::describe(&err)))
    };
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(broke_off)? {
        if body.len() + chunk.len() > MAX_RESPONSE_BODY {
            return Err(too_large(what));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(body))
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Self> {
        let signer = Arc::new(Signer::new(config.credentials, config.region)?);
        let mut http = reqwest::Client::builder()
            .user_agent(config.user_agent)
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            // A redirect would carry the signature to another host; OSS's are errors to show.
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(LocalhostResolver));
        if let Some(timeout) = config.timeout {
            http = http.timeout(timeout);
        }
        http = match &config.proxy {
            ProxyConfig::System if is_loopback_host(config.endpoint.host()) => http.no_proxy(),
            ProxyConfig::System => http,
            ProxyConfig::Direct => http.no_proxy(),
            ProxyConfig::Url(url) => {
                let proxy = reqwest::Proxy::all(url.as_str())
                    .map_err(|_| {
                        Error::invalid_input(format!("proxy '{}' is not a URL", config::redact_userinfo(url)))
                    })?
                    .no_proxy(reqwest::NoProxy::from_env());
                http.proxy(proxy)
            }
        };
        let http = http.build().map_err(|err| {
            Error::invalid_input(format!("cannot set up the HTTP client: {}", describe::describe(&err)))
        })?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                regions: regions::BucketRegions::new(signer),
                endpoint: config.endpoint,
                retry: config.retry,
                jitter: config.jitter,
                clock: Default::default(),
            }),
        })
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The backoff jitter this client retries with; transfers retry their parts with it too.
    pub(crate) fn jitter(&self) -> &dyn Jitter {
        self.inner.jitter.as_ref()
    }

    /// The signer of the profile's region; a bucket of another region is signed by
    /// [`Client::presign`] and the send loop with that region's.
    pub fn signer(&self) -> &Signer {
        self.inner.regions.profile_signer()
    }

    /// Sends any request built by [`crate::ops`] (or by hand) and returns the 2xx response.
    pub async fn send(
        &self,
        op: &'static str,
        request: &OssRequest,
        body: Option<&Body>,
        idempotency: Idempotency,
    ) -> Result<reqwest::Response> {
        self.inner.send(Call { op, target: Target::Signed(request), body, idempotency }).await
    }

    async fn send_read(
        &self,
        op: &'static str,
        request: &OssRequest,
        body: Option<&Body>,
        idempotency: Idempotency,
    ) -> Result<Bytes> {
        let response = self.send(op, request, body, idempotency).await?;
        read_body(op, response).await
    }

    async fn get_xml<T: serde::de::DeserializeOwned>(&self, op: &'static str, request: &OssRequest) -> Result<T> {
        let body = self.send_read(op, request, None, Idempotency::Idempotent).await?;
        from_xml(&body, op)
    }

    /// A presigned URL for any request, valid `expires_secs` (1..=604800) from now by the
    /// server's clock ([`Client::now`]).
    pub fn presign(&self, request: &OssRequest, expires_secs: u64) -> Result<PresignedRequest> {
        self.presign_on(&self.inner.endpoint, request, self.now(), expires_secs)
    }

    /// Seconds the server's clock is ahead of this machine's (negative: behind), as OSS's answers
    /// showed; zero until one differed by more than [`CLOCK_SKEW_TOLERANCE_SECS`].
    pub fn clock_offset_secs(&self) -> i64 {
        self.inner.clock.offset_secs()
    }

    /// The time to sign with: this machine's clock corrected by [`Client::clock_offset_secs`].
    pub fn now(&self) -> chrono::DateTime<Utc> {
        self.inner.clock.now()
    }

    // ---- buckets ----

    /// One page of ListBuckets.
    pub async fn list_buckets(&self, params: &ListBucketsParams) -> Result<model::ListBucketsPage> {
        let request = ops::list_buckets_request(params)?;
        let page = self.get_xml::<model::ListBucketsPage>("ListBuckets", &request).await?.normalize();
        for bucket in &page.buckets {
            let region = bucket.region.clone().or_else(|| region_of_endpoint(&bucket.location));
            if let Some(region) = region {
                self.set_bucket_region(&bucket.name, &region);
            }
        }
        Ok(page)
    }

    /// Every bucket, following the markers.
    pub fn list_all_buckets(
        &self,
        prefix: Option<&str>,
    ) -> impl Stream<Item = Result<model::BucketSummary>> + Send + 'static {
        let client = self.clone();
        let prefix = prefix.map(str::to_owned);
        paginate(None, move |marker: Option<String>| {
            let client = client.clone();
            let params = ListBucketsParams { prefix: prefix.clone(), marker, max_keys: Some(1000) };
            async move {
                let page = client.list_buckets(&params).await?;
                let next = page.next_marker().map(str::to_owned);
                Ok((page.buckets, next))
            }
        })
    }

    pub async fn get_bucket_info(&self, bucket: &str) -> Result<model::BucketInfo> {
        let request = ops::get_bucket_info_request(bucket)?;
        let info = self.get_xml::<BucketInfoXml>("GetBucketInfo", &request).await?.bucket;
        if let Some(region) = region_of_endpoint(&info.location) {
            self.set_bucket_region(bucket, &region);
        }
        Ok(info)
    }

    /// The bucket's location, such as `oss-cn-hangzhou`.
    pub async fn get_bucket_location(&self, bucket: &str) -> Result<String> {
        let request = ops::get_bucket_location_request(bucket)?;
        let location = self.get_xml::<LocationXml>("GetBucketLocation", &request).await?.location.trim().to_owned();
        if let Some(region) = region_of_endpoint(&location) {
            self.set_bucket_region(bucket, &region);
        }
        Ok(location)
    }

    // ---- objects ----

    /// One page of ListObjectsV2, keys decoded.
    pub async fn list_objects_v2(&self, params: &ListObjectsV2Params) -> Result<model::ListObjectsV2Page> {
        let request = ops::list_objects_v2_request(params)?;
        self.get_xml::<model::ListObjectsV2Page>("ListObjectsV2", &request).await?.normalize()
    }

    /// Every object (and, with a delimiter, every common prefix) under `prefix`, page after page,
    /// each page's objects and prefixes merged in key order.
    pub fn list_all(
        &self,
        bucket: &str,
        prefix: Option<&str>,
        delimiter: Option<&str>,
    ) -> impl Stream<Item = Result<ListEntry>> + Send + 'static {
        let mut params = ListObjectsV2Params::new(bucket).with_max_keys(1000);
        params.prefix = prefix.map(str::to_owned);
        params.delimiter = delimiter.map(str::to_owned);
        self.list_all_with(params)
    }

    /// As [`Client::list_all`], from full parameters (`start_after`, page size, a first token).
    pub fn list_all_with(&self, params: ListObjectsV2Params) -> impl Stream<Item = Result<ListEntry>> + Send + 'static {
        let client = self.clone();
        let first = params.continuation_token.clone();
        paginate(first, move |token: Option<String>| {
            let client = client.clone();
            let mut params = params.clone();
            params.continuation_token = token;
            if params.continuation_token.is_some() {
                params.start_after = None;
            }
            async move {
                let page = client.list_objects_v2(&params).await?;
                let next = page.next_token().map(str::to_owned);
                Ok((merge_entries(page.contents, page.common_prefixes), next))
            }
        })
    }

    /// HeadObject: the object's metadata.
    pub async fn head_object(&self, bucket: &str, key: &str) -> Result<ObjectMeta> {
        let request = ops::head_object_request(bucket, key)?;
        let response = self.send("HeadObject", &request, None, Idempotency::Idempotent).await?;
        Ok(ObjectMeta::from_headers(response.headers()))
    }

    /// GetObjectMeta: ETag, size, Last-Modified and last access time, cheaper than HEAD.
    pub async fn get_object_meta(&self, bucket: &str, key: &str) -> Result<ObjectMeta> {
        let request = ops::get_object_meta_request(bucket, key)?;
        let response = self.send("GetObjectMeta", &request, None, Idempotency::Idempotent).await?;
        Ok(ObjectMeta::from_headers(response.headers()))
    }

    /// GetObject, optionally a byte range, as metadata and a byte stream. A failure before the
    /// body starts is retried; a break in the stream is reported, for the caller to resume.
    pub async fn get_object(&self, bucket: &str, key: &str, range: Option<ByteRange>) -> Result<ObjectBody> {
        let request = ops::get_object_request(bucket, key, range)?;
        let response =
            self.send("GetObject", &request, None, Idempotency::Idempotent).await.map_err(|err| {
                match err.service().and_then(|s| s.code.as_deref()) {
                    Some("InvalidObjectState") => err.context(format!(
                        "oss://{bucket}/{key} is archived and not restored, so it cannot be read; restore it \
                         (Restore in the app, or osslite-cli restore) and read it once the restore completes"
                    )),
                    _ => err,
                }
            })?;
        let meta = ObjectMeta::from_headers(response.headers());
        Ok(ObjectBody::new(meta, response, format!("GetObject oss://{bucket}/{key}")))
    }

    /// PutObject. Without a Content-Type in `options`, it is guessed from the body's file name,
    /// else from the key. Retried when the body can be rebuilt (bytes, file, factory).
    pub async fn put_object(
        &self,
        bucket: &str,
        key: &str,
        body: Body,
        options: &PutObjectOptions,
    ) -> Result<PutObjectResult> {
        let request = with_content_md5(ops::put_object_request(bucket, key, &with_file_type(options, &body))?, &body);
        let response = self.send("PutObject", &request, Some(&body), Idempotency::Idempotent).await?;
        put_result(&response)
    }

    /// CopyObject within or across buckets of this endpoint.
    pub async fn copy_object(
        &self,
        source_bucket: &str,
        source_key: &str,
        bucket: &str,
        key: &str,
        options: &CopyObjectOptions,
    ) -> Result<model::CopyObjectResult> {
        let request = ops::copy_object_request(source_bucket, source_key, bucket, key, options)?;
        let response = self.send("CopyObject", &request, None, Idempotency::Idempotent).await?;
        let version_id = ObjectMeta::from_headers(response.headers()).version_id;
        let body = read_body("CopyObject", response).await?;
        let mut result: model::CopyObjectResult = from_xml(&body, "CopyObject")?;
        result.version_id = version_id;
        Ok(result)
    }

    /// DeleteObject; deleting a key that does not exist succeeds.
    pub async fn delete_object(&self, bucket: &str, key: &str) -> Result<()> {
        let request = ops::delete_object_request(bucket, key)?;
        self.send("DeleteObject", &request, None, Idempotency::Idempotent).await?;
        Ok(())
    }

    /// DeleteMultipleObjects in quiet mode, 1000 keys a call, as many calls as `keys` needs.
    /// Returns the number of keys sent. Stops at the first failed call; the keys of the calls
    /// before it are deleted.
    pub async fn delete_objects<S: AsRef<str>>(&self, bucket: &str, keys: &[S]) -> Result<usize> {
        let mut done = 0;
        for chunk in keys.chunks(MAX_DELETE_KEYS) {
            let (request, body) = ops::delete_multiple_objects_request(bucket, chunk, true)?;
            // Deleting is idempotent whatever the method: a repeated batch deletes nothing new.
            let body = Body::from_bytes(body);
            self.send("DeleteMultipleObjects", &request, Some(&body), Idempotency::Idempotent)
                .await
                .map_err(|err| if done > 0 { err.context(format!("{done} keys were deleted before")) } else { err })?;
            done += chunk.len();
        }
        Ok(done)
    }

    /// DeleteMultipleObjects for at most 1000 keys without quiet mode: OSS lists what it deleted.
    pub async fn delete_multiple_objects<S: AsRef<str>>(
        &self,
        bucket: &str,
        keys: &[S],
    ) -> Result<model::DeleteMultipleObjectsResult> {
        let (request, body) = ops::delete_multiple_objects_request(bucket, keys, false)?;
        let body = Body::from_bytes(body);
        let answer = self.send_read("DeleteMultipleObjects", &request, Some(&body), Idempotency::Idempotent).await?;
        if answer.is_empty() {
            return Ok(model::DeleteMultipleObjectsResult::default());
        }
        from_xml::<model::DeleteMultipleObjectsResult>(&answer, "DeleteMultipleObjects")?.normalize()
    }

    pub async fn get_object_acl(&self, bucket: &str, key: &str) -> Result<model::ObjectAclPolicy> {
        let request = ops::get_object_acl_request(bucket, key)?;
        let policy: AccessControlPolicyXml = self.get_xml("GetObjectACL", &request).await?;
        let grant = policy
            .grant
            .ok_or_else(|| Error::new(ErrorKind::InvalidResponse, "GetObjectACL: the answer has no <Grant>"))?;
        let acl = grant
            .parse()
            .map_err(|_| Error::new(ErrorKind::InvalidResponse, format!("GetObjectACL: unknown grant '{grant}'")))?;
        Ok(model::ObjectAclPolicy { owner: policy.owner, acl })
    }

    pub async fn put_object_acl(&self, bucket: &str, key: &str, acl: model::ObjectAcl) -> Result<()> {
        let request = ops::put_object_acl_request(bucket, key, acl)?;
        self.send("PutObjectACL", &request, None, Idempotency::Idempotent).await?;
        Ok(())
    }
}

/// The options with the Content-Type guessed from the body's file name when none is given and
/// the file has an extension mime_guess knows.
/// Adds the body's `Content-MD5`, when it has one, to the headers that are signed and sent.
fn with_content_md5(request: OssRequest, body: &Body) -> OssRequest {
    match body.content_md5() {
        Some(md5) => request.with_header("Content-MD5", md5),
        None => request,
    }
}

fn with_file_type(options: &PutObjectOptions, body: &Body) -> PutObjectOptions {
    let mut options = options.clone();
    if options.content_type.is_none() {
        if let Some(guess) = body.file_path().and_then(|path| mime_guess::from_path(path).first()) {
            options.content_type = Some(guess.essence_str().to_owned());
        }
    }
    options
}

/// One page's objects and common prefixes in key order (both come sorted from OSS).
fn merge_entries(objects: Vec<model::ObjectSummary>, prefixes: Vec<String>) -> Vec<ListEntry> {
    let mut out = Vec::with_capacity(objects.len() + prefixes.len());
    let mut objects = objects.into_iter().peekable();
    let mut prefixes = prefixes.into_iter().peekable();
    loop {
        let take_object = match (objects.peek(), prefixes.peek()) {
            (Some(object), Some(prefix)) => object.key.as_str() <= prefix.as_str(),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        if take_object {
            out.extend(objects.next().map(ListEntry::Object));
        } else {
            out.extend(prefixes.next().map(|prefix| ListEntry::Prefix { prefix }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_of_a_page_are_merged_in_key_order() {
        let object = |key: &str| model::ObjectSummary { key: key.into(), ..Default::default() };
        let merged = merge_entries(vec![object("a.txt"), object("c.txt")], vec!["b/".into(), "d/".into()]);
        let names: Vec<&str> = merged.iter().map(ListEntry::name).collect();
        assert_eq!(names, ["a.txt", "b/", "c.txt", "d/"]);
        assert!(matches!(merged[1], ListEntry::Prefix { .. }));
    }

    #[test]
    fn file_bodies_give_the_content_type() {
        let body = Body::file_range("/tmp/photo.png", 0, 1);
        assert_eq!(with_file_type(&PutObjectOptions::default(), &body).content_type.as_deref(), Some("image/png"));
        let explicit = PutObjectOptions::default().with_content_type("text/plain");
        assert_eq!(with_file_type(&explicit, &body).content_type.as_deref(), Some("text/plain"));
        let unknown = Body::file_range("/tmp/data", 0, 1);
        assert_eq!(with_file_type(&PutObjectOptions::default(), &unknown).content_type, None);
    }
}
