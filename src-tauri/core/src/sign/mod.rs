//! OSS signature V4 for presigned URLs and Authorization headers.

pub mod encode;
pub mod v4;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use hmac::Mac;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::error::{Error, Result};
use crate::request::{Method, OssRequest};
use encode::{path_encode, push_uri_encoded, uri_encode};
use v4::{HmacSha256, Sink};

/// The validity a presigned URL may have, in seconds, as the official SDKs allow (7 days).
pub const MIN_EXPIRES_SECS: u64 = 1;
pub const MAX_EXPIRES_SECS: u64 = 604_800;

/// Query parameters the presigner writes itself; a caller may not pass them.
const PRESIGN_PARAMETERS: [&str; 7] = [
    "x-oss-signature-version",
    "x-oss-date",
    "x-oss-expires",
    "x-oss-credential",
    "x-oss-security-token",
    "x-oss-additional-headers",
    "x-oss-signature",
];

/// A region id as OSS scopes signatures with it: `cn-hangzhou`, not `oss-cn-hangzhou` or `Hangzhou`.
pub fn check_region(region: &str) -> Result<()> {
    if !region.is_empty() && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "region '{region}' is not a region id such as cn-hangzhou (lower-case letters, digits and '-')"
        )))
    }
}

/// Refuses a validity outside 1..=604800 seconds.
pub fn check_expires(seconds: u64) -> Result<u64> {
    if (MIN_EXPIRES_SECS..=MAX_EXPIRES_SECS).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(Error::invalid_input(format!(
            "a presigned URL must be valid for {MIN_EXPIRES_SECS} to {MAX_EXPIRES_SECS} seconds (7 days); {seconds} is out of range"
        )))
    }
}

/// A presigned request: the URL, and the headers its user must send exactly as given.
/// `Debug` shows the URL without its query: the signature and any STS token stay out of logs.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PresignedRequest {
    pub method: Method,
    pub url: String,
    /// The time the URL is dated with (`x-oss-date`); with a corrected clock it differs from
    /// this machine's.
    pub signed_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    #[serde(serialize_with = "serialize_pairs_as_map")]
    pub signed_headers: Vec<(String, String)>,
}

impl std::fmt::Debug for PresignedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let without_query = self.url.split('?').next().unwrap_or_default();
        f.debug_struct("PresignedRequest")
            .field("method", &self.method)
            .field("url", &format_args!("{without_query}?<signed query>"))
            .field("signed_at", &self.signed_at)
            .field("expires_at", &self.expires_at)
            .field("signed_headers", &self.signed_headers)
            .finish()
    }
}

fn serialize_pairs_as_map<S: serde::Serializer>(pairs: &[(String, String)], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

/// Signs with one set of credentials for one region. What depends only on the day (the signing
/// key, the scope and the credential) is derived once per day and shared.
pub struct Signer {
    credentials: Credentials,
    region: String,
    encoded_security_token: Option<Zeroizing<String>>,
    day: Mutex<Option<Arc<DayKey>>>,
}

struct DayKey {
    date: String,
    scope: String,
    /// `enc(AccessKeyId/scope)`, as the `x-oss-credential` query value.
    encoded_credential: String,
    mac: HmacSha256,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("credentials", &self.credentials).field("region", &self.region).finish()
    }
}

impl Signer {
    /// `region` is the plain region id (`cn-hangzhou`), used verbatim in the scope.
    pub fn new(credentials: Credentials, region: impl Into<String>) -> Result<Self> {
        let region = region.into();
        check_region(&region)?;
        let encoded_security_token =
            credentials.security_token().map(|token| Zeroizing::new(uri_encode(token.expose())));
        Ok(Self { credentials, region, encoded_security_token, day: Mutex::new(None) })
    }

    /// A signer with the same credentials for another region, for a bucket that lives there.
    pub fn for_region(&self, region: &str) -> Result<Self> {
        Self::new(self.credentials.clone(), region)
    }

    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    fn day_key(&self, date: &str) -> Arc<DayKey> {
        // A poisoned lock only means another thread panicked mid-update; the entry is rebuilt below.
        let mut cached = self.day.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(entry) = cached.as_ref().filter(|entry| entry.date == date) {
            return Arc::clone(entry);
        }
        let scope = v4::scope(date, &self.region);
        let entry = Arc::new(DayKey {
            date: date.to_owned(),
            encoded_credential: uri_encode(&format!("{}/{scope}", self.credentials.access_key_id())),
            mac: v4::signing_mac(self.credentials.access_key_secret().expose(), date, &self.region),
            scope,
        });
        *cached = Some(Arc::clone(&entry));
        entry
    }

    /// Lower-case hex signature over a canonical request written by `write_canonical_request`.
    fn sign_canonical_request(
        &self,
        day: &DayKey,
        timestamp: &str,
        write_canonical_request: impl FnOnce(&mut Sha256),
    ) -> [u8; 64] {
        let mut hasher = Sha256::new();
        write_canonical_request(&mut hasher);
        let mut mac = day.mac.clone();
        v4::write_string_to_sign(&mut mac, timestamp, &day.scope, &hasher.finalize());
        let mut hex = [0u8; 64];
        v4::hex_lower(&mac.finalize().into_bytes(), &mut hex);
        hex
    }

    /// A URL that performs `request` without credentials until `at + expires_secs`. The query keeps
    /// the caller's parameters first, in their order, then the signer's, as the official SDK writes them.
    pub fn presign(
        &self,
        endpoint: &Endpoint,
        request: &OssRequest,
        at: DateTime<Utc>,
        expires_secs: u64,
    ) -> Result<PresignedRequest> {
        let expires_secs = check_expires(expires_secs)?;
        check_query(&request.query)?;
        let timestamp = v4::timestamp(at);
        let day = self.day_key(&timestamp[..8]);
        let headers = with_host_header(request, endpoint);
        let additional = additional_header_names(&headers, &request.additional_headers)?;

        let mut url = String::with_capacity(320 + request.key.as_deref().map_or(0, str::len) * 3);
        let key_range = endpoint.push_url(&mut url, request.bucket.as_deref(), request.key.as_deref());
        // Each pair is written into the URL once; the canonical query sorts slices of it.
        let mut pair_ranges: Vec<(Range<usize>, Range<usize>)> = Vec::with_capacity(request.query.len() + 6);
        let mut push_pair = |url: &mut String, name: &str, value: &str, encode: bool| {
            url.push(if pair_ranges.is_empty() { '?' } else { '&' });
            let name_start = url.len();
            if encode {
                push_uri_encoded(url, name)
            } else {
                url.push_str(name)
            }
            let name_range = name_start..url.len();
            if !value.is_empty() {
                url.push('=');
            }
            let value_start = url.len();
            if encode {
                push_uri_encoded(url, value)
            } else {
                url.push_str(value)
            }
            pair_ranges.push((name_range, value_start..url.len()));
        };
        for (name, value) in &request.query {
            push_pair(&mut url, name, value, true);
        }
        push_pair(&mut url, "x-oss-signature-version", v4::ALGORITHM, false);
        push_pair(&mut url, "x-oss-date", &timestamp, false);
        push_pair(&mut url, "x-oss-expires", itoa_u64(expires_secs, &mut [0u8; 20]), false);
        push_pair(&mut url, "x-oss-credential", &day.encoded_credential, false);
        if let Some(token) = &self.encoded_security_token {
            push_pair(&mut url, "x-oss-security-token", token, false);
        }
        if !additional.is_empty() {
            push_pair(&mut url, "x-oss-additional-headers", &additional.join(";"), true);
        }

        let encoded_bucket = request.bucket.as_deref().map(path_encode);
        let has_key = request.key.is_some();
        let signature = {
            let mut sorted: Vec<(&str, &str)> =
                pair_ranges.iter().map(|(name, value)| (&url[name.clone()], &url[value.clone()])).collect();
            v4::sort_query(&mut sorted);
            let encoded_key = has_key.then(|| &url[key_range.clone()]);
            self.sign_canonical_request(&day, &timestamp, |hasher| {
                v4::write_canonical_request(
                    hasher,
                    request.method.as_str(),
                    |h| v4::write_canonical_uri(h, encoded_bucket.as_deref(), encoded_key),
                    |h| v4::write_canonical_query(h, &sorted),
                    |h| v4::write_canonical_headers(h, &headers, &additional),
                    &additional,
                    v4::UNSIGNED_PAYLOAD,
                )
            })
        };
        url.push_str("&x-oss-signature=");
        url.push_str(std::str::from_utf8(&signature).unwrap_or_default());

        Ok(PresignedRequest {
            method: request.method,
            url,
            signed_at: at,
            expires_at: at + Duration::seconds(expires_secs as i64),
            signed_headers: request.headers.clone(),
        })
    }

    /// Adds `x-oss-date`, `Date`, `x-oss-content-sha256`, the STS token if any, and `Authorization`.
    pub fn sign_headers(&self, request: &mut OssRequest, at: DateTime<Utc>) -> Result<()> {
        check_query(&request.query)?;
        let timestamp = v4::timestamp(at);
        let day = self.day_key(&timestamp[..8]);
        request.set_header("x-oss-date", timestamp.clone());
        request.set_header("Date", at.format("%a, %d %b %Y %H:%M:%S GMT").to_string());
        if let Some(token) = self.credentials.security_token() {
            request.set_header("x-oss-security-token", token.expose());
        }
        request.set_header("x-oss-content-sha256", v4::UNSIGNED_PAYLOAD);
        let additional = additional_header_names(&request.headers, &request.additional_headers)?;

        let query = v4::canonical_query(request.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let encoded_bucket = request.bucket.as_deref().map(path_encode);
        let encoded_key = request.key.as_deref().map(path_encode);
        let signature = self.sign_canonical_request(&day, &timestamp, |hasher| {
            v4::write_canonical_request(
                hasher,
                request.method.as_str(),
                |h| v4::write_canonical_uri(h, encoded_bucket.as_deref(), encoded_key.as_deref()),
                |h| h.put(&query),
                |h| v4::write_canonical_headers(h, &request.headers, &additional),
                &additional,
                v4::UNSIGNED_PAYLOAD,
            )
        });
        let mut authorization =
            format!("{} Credential={}/{}", v4::ALGORITHM, self.credentials.access_key_id(), day.scope);
        if !additional.is_empty() {
            authorization.push_str(",AdditionalHeaders=");
            authorization.push_str(&additional.join(";"));
        }
        authorization.push_str(",Signature=");
        authorization.push_str(std::str::from_utf8(&signature).unwrap_or_default());
        request.set_header("Authorization", authorization);
        Ok(())
    }
}

/// The request's headers, with `Host` added when `host` is to be signed and the caller did not
/// set it: a presigned URL's host is known here, and every HTTP client sends it, as the official
/// SDKs and reqsign sign it. Header signing has no endpoint, so there `Host` must be given.
fn with_host_header<'r>(request: &'r OssRequest, endpoint: &Endpoint) -> Cow<'r, [(String, String)]> {
    let wants_host = request.additional_headers.iter().any(|name| name.eq_ignore_ascii_case("host"));
    let has_host = request.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("host"));
    if !wants_host || has_host {
        return Cow::Borrowed(&request.headers);
    }
    let mut headers = request.headers.clone();
    headers.push(("host".to_owned(), endpoint.host_for(request.bucket.as_deref())));
    Cow::Owned(headers)
}

fn additional_header_names(headers: &[(String, String)], requested: &[String]) -> Result<Vec<String>> {
    v4::additional_header_names(headers, requested).map_err(|v4::MissingAdditionalHeader(name)| {
        Error::invalid_input(format!(
            "additional header '{name}' is to be signed, but the request does not carry it; give it a value or leave it out"
        ))
    })
}

/// Decimal digits of `value`, written into `buffer` without allocating.
fn itoa_u64(mut value: u64, buffer: &mut [u8; 20]) -> &str {
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    std::str::from_utf8(&buffer[start..]).unwrap_or_default()
}

fn check_query(query: &[(String, String)]) -> Result<()> {
    for (i, (name, _)) in query.iter().enumerate() {
        if name.is_empty() {
            return Err(Error::invalid_input("a query parameter has an empty name"));
        }
        if PRESIGN_PARAMETERS.iter().any(|reserved| reserved.eq_ignore_ascii_case(name)) {
            return Err(Error::invalid_input(format!(
                "query parameter '{name}' is written by the signer itself; leave it out"
            )));
        }
        if query[..i].iter().any(|(earlier, _)| earlier == name) {
            return Err(Error::invalid_input(format!("query parameter '{name}' is given twice")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Secret;
    use crate::endpoint::Addressing;
    use chrono::TimeZone;

    fn signer() -> Signer {
        Signer::new(Credentials::new("ak", Secret::new("sk")).unwrap(), "cn-hangzhou").unwrap()
    }

    #[test]
    fn expiry_outside_one_second_to_seven_days_is_refused_naming_the_range() {
        assert!(check_expires(1).is_ok());
        assert!(check_expires(604_800).is_ok());
        for bad in [0, 604_801] {
            let message = check_expires(bad).unwrap_err().to_string();
            assert!(message.contains("1 to 604800 seconds"), "{message}");
        }
    }

    #[test]
    fn reserved_and_duplicate_query_parameters_are_refused() {
        let endpoint = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual).unwrap();
        let at = Utc.timestamp_opt(1_702_781_677, 0).unwrap();
        let reserved = OssRequest::object(Method::Get, "b", "k").with_query("X-Oss-Signature", "x");
        assert!(signer().presign(&endpoint, &reserved, at, 60).unwrap_err().to_string().contains("X-Oss-Signature"));
        let twice = OssRequest::object(Method::Get, "b", "k").with_query("a", "1").with_query("a", "2");
        assert!(signer().presign(&endpoint, &twice, at, 60).unwrap_err().to_string().contains("twice"));
    }

    #[test]
    fn debug_output_hides_the_signature_and_the_sts_token() {
        let credentials =
            Credentials::new("ak", Secret::new("sk")).unwrap().with_security_token(Secret::new("CANARY-token"));
        let signer = Signer::new(credentials, "cn-hangzhou").unwrap();
        let endpoint = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual).unwrap();
        let at = Utc.timestamp_opt(1_702_781_677, 0).unwrap();
        let presigned = signer.presign(&endpoint, &OssRequest::object(Method::Get, "b", "k"), at, 60).unwrap();
        let signature = presigned.url.rsplit('=').next().unwrap().to_owned();
        let debug = format!("{presigned:?} {signer:?}");
        assert!(!debug.contains("CANARY-token") && !debug.contains(&signature), "{debug}");
        assert!(debug.contains("https://b.oss-cn-hangzhou.aliyuncs.com/k?<signed query>"), "{debug}");
    }

    #[test]
    fn an_additional_header_the_request_lacks_is_refused_by_name() {
        let endpoint = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual).unwrap();
        let at = Utc.timestamp_opt(1_702_781_677, 0).unwrap();
        let mut request = OssRequest::object(Method::Get, "b", "k");
        request.additional_headers = vec!["Cache-Control".to_owned()];
        let message = signer().presign(&endpoint, &request, at, 60).unwrap_err().to_string();
        assert!(message.contains("'cache-control'"), "{message}");
        let message = signer().sign_headers(&mut request, at).unwrap_err().to_string();
        assert!(message.contains("'cache-control'"), "{message}");
        // Header signing has no URL to take the host from.
        request.additional_headers = vec!["host".to_owned()];
        assert!(signer().sign_headers(&mut request, at).unwrap_err().to_string().contains("'host'"));
    }

    #[test]
    fn host_is_signed_as_the_url_names_it_unless_given() {
        let at = Utc.timestamp_opt(1_702_781_677, 0).unwrap();
        let mut request = OssRequest::object(Method::Get, "b", "k");
        request.additional_headers = vec!["Host".to_owned()];
        for (endpoint, host) in [
            (
                Endpoint::parse("oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual).unwrap(),
                "b.oss-cn-hangzhou.aliyuncs.com",
            ),
            (Endpoint::parse("http://127.0.0.1:9000", Addressing::Path).unwrap(), "127.0.0.1:9000"),
        ] {
            let implied = signer().presign(&endpoint, &request, at, 60).unwrap();
            assert!(implied.url.contains("x-oss-additional-headers=host&"), "{}", implied.url);
            assert!(implied.signed_headers.is_empty(), "Host is the client's to send");
            let mut explicit = request.clone();
            explicit.headers.push(("Host".to_owned(), host.to_owned()));
            assert_eq!(signer().presign(&endpoint, &explicit, at, 60).unwrap().url, implied.url);
            let mut other = request.clone();
            other.headers.push(("Host".to_owned(), "elsewhere.example.com".to_owned()));
            assert_ne!(signer().presign(&endpoint, &other, at, 60).unwrap().url, implied.url);
        }
    }

    #[test]
    fn region_must_be_a_plain_region_id() {
        let credentials = Credentials::new("ak", Secret::new("sk")).unwrap();
        assert!(Signer::new(credentials, "CN Hangzhou").unwrap_err().to_string().contains("region"));
    }

    #[test]
    fn cached_key_is_refreshed_when_the_date_changes() {
        let signer = signer();
        let endpoint = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual).unwrap();
        let request = OssRequest::object(Method::Get, "b", "k");
        let day_one = Utc.with_ymd_and_hms(2024, 1, 1, 23, 59, 59).unwrap();
        let day_two = Utc.with_ymd_and_hms(2024, 1, 2, 0, 0, 0).unwrap();
        let warm = signer.presign(&endpoint, &request, day_one, 60).unwrap();
        let next_day = signer.presign(&endpoint, &request, day_two, 60).unwrap();
        let fresh_next_day = self::signer().presign(&endpoint, &request, day_two, 60).unwrap();
        assert_eq!(next_day.url, fresh_next_day.url);
        assert_ne!(warm.url, next_day.url);
    }
}
