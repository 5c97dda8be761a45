//! OSS signature V4 for presigned URLs and Authorization headers.

pub mod encode;
pub mod v4;

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::error::{Error, Result};
use crate::request::{Method, OssRequest};
use v4::{EncodedPair, HmacSha256};

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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PresignedRequest {
    pub method: Method,
    pub url: String,
    pub expires_at: DateTime<Utc>,
    #[serde(serialize_with = "serialize_pairs_as_map")]
    pub signed_headers: Vec<(String, String)>,
}

fn serialize_pairs_as_map<S: serde::Serializer>(pairs: &[(String, String)], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

/// Signs with one set of credentials for one region, caching the derived signing key per day.
pub struct Signer {
    credentials: Credentials,
    region: String,
    cached_key: Mutex<Option<CachedKey>>,
}

struct CachedKey {
    date: String,
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
        if region.is_empty() || !region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(Error::invalid_input(format!(
                "region '{region}' is not a region id such as cn-hangzhou (lower-case letters, digits and '-')"
            )));
        }
        Ok(Self { credentials, region, cached_key: Mutex::new(None) })
    }

    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    fn signing_mac(&self, date: &str) -> HmacSha256 {
        // A poisoned lock only means another thread panicked mid-update; the cache is rebuilt below.
        let mut cached = self.cached_key.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match cached.as_ref() {
            Some(entry) if entry.date == date => entry.mac.clone(),
            _ => {
                let mac = v4::signing_mac(self.credentials.access_key_secret().expose(), date, &self.region);
                *cached = Some(CachedKey { date: date.to_owned(), mac: mac.clone() });
                mac
            }
        }
    }

    fn signature(&self, timestamp: &str, scope: &str, canonical_request: &str) -> String {
        let string_to_sign = v4::string_to_sign(timestamp, scope, canonical_request);
        v4::signature(&self.signing_mac(&timestamp[..8]), &string_to_sign)
    }

    /// A URL that performs `request` without credentials until `at + expires_secs`.
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
        let scope = v4::scope(&timestamp[..8], &self.region);
        let additional = v4::additional_header_names(&request.headers, &request.additional_headers);

        let mut pairs: Vec<EncodedPair> = Vec::with_capacity(request.query.len() + 7);
        pairs.extend(request.query.iter().map(|(k, v)| v4::encode_pair(k, v)));
        pairs.push(("x-oss-signature-version".into(), v4::ALGORITHM.into()));
        pairs.push(("x-oss-date".into(), timestamp.clone()));
        pairs.push(("x-oss-expires".into(), expires_secs.to_string()));
        let credential = format!("{}/{scope}", self.credentials.access_key_id());
        pairs.push(v4::encode_pair("x-oss-credential", &credential));
        if let Some(token) = self.credentials.security_token() {
            pairs.push(v4::encode_pair("x-oss-security-token", token.expose()));
        }
        if !additional.is_empty() {
            pairs.push(v4::encode_pair("x-oss-additional-headers", &additional.join(";")));
        }

        let mut url = String::with_capacity(256);
        endpoint.push_url(&mut url, request.bucket.as_deref(), request.key.as_deref());
        for (i, (name, value)) in pairs.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            v4::push_query_pair(&mut url, (name, value));
        }

        let canonical_request = v4::canonical_request(
            request.method.as_str(),
            &v4::canonical_uri(request.bucket.as_deref(), request.key.as_deref()),
            &v4::canonical_query_from_encoded(&mut pairs),
            &v4::canonical_headers(&request.headers, &additional),
            &additional,
            v4::UNSIGNED_PAYLOAD,
        );
        url.push_str("&x-oss-signature=");
        url.push_str(&self.signature(&timestamp, &scope, &canonical_request));

        Ok(PresignedRequest {
            method: request.method,
            url,
            expires_at: at + Duration::seconds(expires_secs as i64),
            signed_headers: request.headers.clone(),
        })
    }

    /// Adds `x-oss-date`, `Date`, `x-oss-content-sha256`, the STS token if any, and `Authorization`.
    pub fn sign_headers(&self, request: &mut OssRequest, at: DateTime<Utc>) -> Result<()> {
        check_query(&request.query)?;
        let timestamp = v4::timestamp(at);
        let scope = v4::scope(&timestamp[..8], &self.region);
        request.set_header("x-oss-date", timestamp.clone());
        request.set_header("Date", at.format("%a, %d %b %Y %H:%M:%S GMT").to_string());
        if let Some(token) = self.credentials.security_token() {
            request.set_header("x-oss-security-token", token.expose());
        }
        request.set_header("x-oss-content-sha256", v4::UNSIGNED_PAYLOAD);
        let additional = v4::additional_header_names(&request.headers, &request.additional_headers);

        let canonical_request = v4::canonical_request(
            request.method.as_str(),
            &v4::canonical_uri(request.bucket.as_deref(), request.key.as_deref()),
            &v4::canonical_query(request.query.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
            &v4::canonical_headers(&request.headers, &additional),
            &additional,
            v4::UNSIGNED_PAYLOAD,
        );
        let signature = self.signature(&timestamp, &scope, &canonical_request);
        let mut authorization = format!("{} Credential={}/{scope}", v4::ALGORITHM, self.credentials.access_key_id());
        if !additional.is_empty() {
            authorization.push_str(",AdditionalHeaders=");
            v4::push_joined(&mut authorization, &additional, ';');
        }
        authorization.push_str(",Signature=");
        authorization.push_str(&signature);
        request.set_header("Authorization", authorization);
        Ok(())
    }
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
