//! The one place that sends: build the URL from an [`OssRequest`], sign it with the current time,
//! send it, and on failure turn the response into a typed [`Error`] and retry when the policy and
//! the operation allow. Presigned requests (UploadPart through a URL) go through the same loop
//! without signing.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use chrono::Utc;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH};

use super::body::Body;
use super::clock::ServerClock;
use super::describe::describe;
use super::regions::{region_of_endpoint, BucketRegions};
use super::retry::{Failure, Idempotency, Jitter, RetryPolicy};
use super::unreachable::no_answer_message;
use crate::endpoint::Endpoint;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{Method, OssRequest};
use crate::sign::v4;
use crate::sign::PresignedRequest;
use crate::xml::error::service_error;

/// Bytes of an error body read at most; OSS's are well under 1 KiB.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// What one call sends.
pub(crate) enum Target<'a> {
    /// Signed with headers at each attempt.
    Signed(&'a OssRequest),
    /// Sent as is: the URL carries the signature, the headers are the signed ones.
    Presigned(&'a PresignedRequest),
}

pub(crate) struct Call<'a> {
    /// The operation's name for messages (`PutObject`).
    pub op: &'static str,
    pub target: Target<'a>,
    pub body: Option<&'a Body>,
    pub idempotency: Idempotency,
}

impl Call<'_> {
    /// `PutObject oss://bucket/key`, for messages. Never the URL: a presigned one holds the token.
    fn describe(&self) -> String {
        match &self.target {
            Target::Signed(request) => match (&request.bucket, &request.key) {
                (Some(bucket), Some(key)) => format!("{} oss://{bucket}/{key}", self.op),
                (Some(bucket), None) => format!("{} oss://{bucket}", self.op),
                _ => self.op.to_owned(),
            },
            Target::Presigned(_) => format!("{} through a presigned URL", self.op),
        }
    }

    fn method(&self) -> Method {
        match &self.target {
            Target::Signed(request) => request.method,
            Target::Presigned(presigned) => presigned.method,
        }
    }

    fn bucket(&self) -> Option<&str> {
        match &self.target {
            Target::Signed(request) => request.bucket.as_deref(),
            Target::Presigned(_) => None,
        }
    }

    fn key(&self) -> Option<&str> {
        match &self.target {
            Target::Signed(request) => request.key.as_deref(),
            Target::Presigned(_) => None,
        }
    }

    /// The path of a presigned URL, for logs: its query holds the signature and maybe an STS token.
    fn presigned_path(&self) -> Option<&str> {
        match &self.target {
            Target::Signed(_) => None,
            Target::Presigned(presigned) => Some(url_path(&presigned.url)),
        }
    }
}

/// `https://host/a/b?x=1` → `/a/b`: never the query or the user info.
fn url_path(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let without_query = after_scheme.split(['?', '#']).next().unwrap_or("");
    without_query.find('/').map_or("/", |slash| &without_query[slash..])
}

/// OSS's `x-oss-request-id`, which support asks for.
fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-oss-request-id").and_then(|value| value.to_str().ok())
}

/// The URL of a header-signed request: endpoint, bucket and key, then the query `enc`-encoded as
/// the signer canonicalises it (bare `name` for an empty value).
pub(crate) fn request_url(endpoint: &crate::endpoint::Endpoint, request: &OssRequest) -> String {
    let mut url = endpoint.url(request.bucket.as_deref(), request.key.as_deref());
    for (i, (name, value)) in request.query.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        v4::push_encoded_pair(&mut url, name, value);
    }
    url
}

fn to_reqwest_method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Put => reqwest::Method::PUT,
        Method::Head => reqwest::Method::HEAD,
        Method::Post => reqwest::Method::POST,
        Method::Delete => reqwest::Method::DELETE,
    }
}

fn header_map(headers: &[(String, String)]) -> Result<HeaderMap> {
    let mut map = HeaderMap::with_capacity(headers.len() + 2);
    for (name, value) in headers {
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::invalid_input(format!("'{name}' is not a valid HTTP header name")))?;
        // Never echo the value: it may be the Authorization or the STS token.
        let header_value = HeaderValue::from_str(value)
            .map_err(|_| Error::invalid_input(format!("the value of header '{name}' holds characters HTTP forbids")))?;
        map.insert(header_name, header_value);
    }
    Ok(map)
}

/// A readable message ("Can't reach HOST (connection refused) …"), with the operation and the raw
/// chain as its detail; reqwest's error stays the source for logs, without the URL (which may be presigned).
fn network_error(what: &str, err: reqwest::Error) -> (Error, Failure) {
    let failure = if err.is_connect() { Failure::Connect } else { Failure::Network };
    if err.is_builder() {
        let error = Error::invalid_input(format!("{what}: {}", describe(&err)));
        return (error.with_source(err.without_url()), failure);
    }
    let (message, raw) = no_answer_message(&err);
    let error = Error::new(ErrorKind::Network, message).with_detail(format!("{what}: {raw}"));
    (error.with_source(err.without_url()), failure)
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds: u64 = headers.get("retry-after")?.to_str().ok()?.trim().parse().ok()?;
    Some(Duration::from_secs(seconds))
}

async fn read_capped(mut response: reqwest::Response) -> Bytes {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = MAX_ERROR_BODY - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= MAX_ERROR_BODY {
            break;
        }
    }
    Bytes::from(body)
}

/// The typed error of a non-2xx response, from its status, headers and (capped) body, and the endpoint an `AccessDenied` names when the bucket is in another
/// region ("must be addressed using the specified endpoint", `<Endpoint>` in the body).
async fn error_and_endpoint(what: &str, response: reqwest::Response) -> (Error, Option<String>) {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = read_capped(response).await;
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let endpoint = match status {
        // HEAD has no body: OSS sends the error XML base64-encoded in `x-oss-err`.
        301 | 403 => element_text(&body, "Endpoint").or_else(|| {
            use base64::Engine as _;
            let encoded = header("x-oss-err")?;
            let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
            element_text(&decoded, "Endpoint")
        }),
        _ => None,
    };
    (Error::from_service(service_error(status, header, &body)).context(what), endpoint)
}

/// The text of `<name>…</name>` in an XML body, trimmed; `None` when absent or empty.
fn element_text(body: &[u8], name: &str) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find(&format!("<{name}>"))? + name.len() + 2;
    let end = start + text[start..].find(&format!("</{name}>"))?;
    Some(text[start..end].trim().to_owned()).filter(|value| !value.is_empty())
}

/// What every request of a client shares: the HTTP client, the signers and bucket regions, the
/// endpoint and the retry settings.
pub(crate) struct Inner {
    pub(super) http: reqwest::Client,
    pub(super) regions: BucketRegions,
    pub(super) endpoint: Endpoint,
    pub(super) retry: RetryPolicy,
    pub(super) jitter: Arc<dyn Jitter>,
    pub(super) clock: ServerClock,
}

impl Inner {
    async fn attempt(&self, call: &Call<'_>) -> Result<std::result::Result<reqwest::Response, reqwest::Error>> {
        let (method, url, mut headers) = match &call.target {
            Target::Signed(request) => {
                let route = self.regions.route(&self.endpoint, request.bucket.as_deref())?;
                let mut signed = (*request).clone();
                route.signer.sign_headers(&mut signed, self.clock.now())?;
                (signed.method, request_url(&route.endpoint, request), header_map(&signed.headers)?)
            }
            Target::Presigned(presigned) => {
                (presigned.method, presigned.url.clone(), header_map(&presigned.signed_headers)?)
            }
        };
        let mut builder = self.http.request(to_reqwest_method(method), url);
        match call.body {
            Some(body) => {
                headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
                builder = builder.headers(headers).body(body.open().await?);
            }
            None if matches!(method, Method::Put | Method::Post) => {
                headers.insert(CONTENT_LENGTH, HeaderValue::from(0u64));
                builder = builder.headers(headers);
            }
            None => builder = builder.headers(headers),
        }
        Ok(builder.send().await)
    }

    /// Notes the region of the call's bucket from the endpoint OSS named; `true` when it is new.
    fn learn_region(&self, call: &Call<'_>, endpoint: Option<&str>) -> bool {
        let (Some(bucket), Some(region)) = (call.bucket(), endpoint.and_then(region_of_endpoint)) else {
            return false;
        };
        if !matches!(call.target, Target::Signed(_)) || self.regions.region_of(bucket).as_deref() == Some(&region) {
            return false;
        }
        tracing::info!(region = %region, "the bucket is in another region; sending the request there");
        self.regions.learn(bucket, &region)
    }

    /// Sends `call`, retrying per the policy; returns the successful (2xx) response.
    #[tracing::instrument(name = "oss_request", skip_all, fields(
        op = call.op, method = ?call.method(), bucket = call.bucket(), key = call.key(), path = call.presigned_path()
    ))]
    pub(crate) async fn send(&self, call: Call<'_>) -> Result<reqwest::Response> {
        let what = call.describe();
        let replayable = call.body.is_none_or(Body::is_replayable);
        let header_signed = matches!(call.target, Target::Signed(_));
        let mut attempt = 1u32;
        let mut resigned_for_skew = false;
        let mut rerouted = false;
        loop {
            let label = if attempt > 1 { format!("{what} ({attempt} attempts)") } else { what.clone() };
            let signed_with_offset = self.clock.offset_secs();
            let outcome = self.attempt(&call).await?;
            // A presigned URL may go through a CDN whose Date is stale; only OSS's own answers count.
            if let (Ok(response), true) = (&outcome, header_signed) {
                self.clock.observe(response.headers(), Utc::now());
            }
            // Compared with the offset this attempt used, not the last one seen: of many requests
            // refused at once, every one is signed again, not only the first to learn the offset.
            let clock_changed = self.clock.offset_secs() != signed_with_offset;
            let (error, failure, hint) = match outcome {
                Ok(response) if response.status().is_success() => {
                    let status = response.status().as_u16();
                    tracing::debug!(status, request_id = request_id(response.headers()), attempt, "answered");
                    return Ok(response);
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    let hint = retry_after(response.headers());
                    let request_id = request_id(response.headers()).map(str::to_owned);
                    tracing::debug!(status, request_id, attempt, "refused");
                    let (error, endpoint) = error_and_endpoint(&label, response).await;
                    // OSS refused before doing anything: send again to the bucket's own region, once.
                    if !rerouted && self.learn_region(&call, endpoint.as_deref()) && replayable {
                        rerouted = true;
                        continue;
                    }
                    (error, Failure::Status(status), hint)
                }
                Err(err) => {
                    let (error, failure) = network_error(&label, err);
                    tracing::debug!(attempt, error = %error, "not answered");
                    (error, failure, None)
                }
            };
            // Signed with a clock OSS refuses: once the offset is known, sign again with the
            // server's time, once, outside the retry budget (nothing was carried out).
            if error.code() == Some("RequestTimeTooSkewed") && clock_changed && replayable && !resigned_for_skew {
                tracing::info!(offset_secs = self.clock.offset_secs(), "signing again with the server's time");
                resigned_for_skew = true;
                continue;
            }
            let retry = attempt < self.retry.max_attempts
                && replayable
                && error.kind() != ErrorKind::InvalidInput
                && call.idempotency.allows_retry(failure);
            if !retry {
                return Err(error);
            }
            tracing::info!(attempt, error = %error, "retrying");
            let delay = self.retry.delay_with_hint(attempt, self.jitter.sample(), hint);
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::{Addressing, Endpoint};

    #[test]
    fn urls_encode_the_key_and_query_as_the_signer_does() {
        let endpoint = Endpoint::parse("http://127.0.0.1:9000", Addressing::Path).unwrap();
        let request = OssRequest::object(Method::Put, "bucket", "dir/a b+c.txt")
            .with_query("partNumber", "1")
            .with_query("uploadId", "a/b+c=")
            .with_query("acl", "");
        assert_eq!(
            request_url(&endpoint, &request),
            "http://127.0.0.1:9000/bucket/dir/a%20b%2Bc.txt?partNumber=1&uploadId=a%2Fb%2Bc%3D&acl"
        );
        let virtual_hosted = Endpoint::parse("http://localhost:9000", Addressing::Virtual).unwrap();
        let list = OssRequest::new(Method::Get, Some("bucket"), None).with_query("list-type", "2");
        assert_eq!(request_url(&virtual_hosted, &list), "http://bucket.localhost:9000/?list-type=2");
    }

    #[test]
    fn logs_name_the_path_of_a_presigned_url_without_its_query() {
        assert_eq!(
            url_path("https://b.oss-cn-hangzhou.aliyuncs.com/dir/a.txt?x-oss-signature=SIG&x-oss-security-token=T"),
            "/dir/a.txt"
        );
        assert_eq!(url_path("http://127.0.0.1:9000/bucket/k#frag"), "/bucket/k");
        assert_eq!(url_path("https://host?x-oss-signature=SIG"), "/");
    }

    #[test]
    fn the_endpoint_oss_names_is_read_from_its_refusal() {
        let body = b"<Error><Code>AccessDenied</Code><Bucket>b</Bucket>\n  <Endpoint> oss-cn-beijing.aliyuncs.com </Endpoint><EC>0003-00001403</EC></Error>";
        assert_eq!(element_text(body, "Endpoint").as_deref(), Some("oss-cn-beijing.aliyuncs.com"));
        assert_eq!(element_text(b"<Error><Endpoint></Endpoint></Error>", "Endpoint"), None);
        assert_eq!(element_text(b"<Error><Code>AccessDenied</Code></Error>", "Endpoint"), None);
    }

    #[test]
    fn header_values_are_checked_without_echoing_them() {
        let err = header_map(&[("x-oss-security-token".into(), "SECRET\r\nInjected: 1".into())]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(!err.to_string().contains("SECRET"));
        assert!(header_map(&[("bad name".into(), "v".into())]).is_err());
    }
}
