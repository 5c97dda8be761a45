//! Signature V4 verification, for Authorization headers and presigned URLs, as OSS does it:
//! re-canonicalise from the DECODED bucket, key and query, sign with the configured secret, compare.
//! Signed headers are taken from the request as received, so a missing or changed one fails.

use std::collections::HashMap;
use std::sync::Mutex;

use hyper::header::AUTHORIZATION;
use hyper::{HeaderMap, StatusCode};
use osslite_core::sign::v4::{self, HmacSha256};

use crate::addressing::Target;
use crate::config::AccessKey;
use crate::error::{OssError, OssResult};
use crate::query::Query;
use crate::time::{http_date, iso8601, parse_v4_timestamp};

/// How far `x-oss-date` may be from the server clock in header-signed requests.
pub const MAX_CLOCK_SKEW_SECS: i64 = 15 * 60;
/// The longest validity a presigned URL may claim (7 days).
pub const MAX_PRESIGN_EXPIRES_SECS: u64 = 604_800;
const TERMINATOR: &str = "aliyun_v4_request";
const SIGNATURE_PARAMETER: &str = "x-oss-signature";

/// Who sent a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Anonymous,
    /// The AccessKey ID and the region the signature is scoped to.
    Key {
        id: String,
        region: String,
    },
}

impl Principal {
    pub fn signing_region(&self) -> Option<&str> {
        match self {
            Principal::Anonymous => None,
            Principal::Key { region, .. } => Some(region),
        }
    }
}

/// The parts of a request a signature covers.
pub struct SignedParts<'a> {
    pub method: &'a str,
    pub target: &'a Target,
    pub query: &'a Query,
    pub headers: &'a HeaderMap,
}

pub struct Verifier {
    keys: HashMap<String, AccessKey>,
    /// The server's region, for messages; a signature may name any region (a bucket's own is
    /// checked once the bucket is known, see [`crate::regions::BucketRegions::check`]).
    region: String,
    /// Signing MACs by (AccessKey ID, date, region); they depend only on secret, date and region.
    macs: Mutex<HashMap<(String, String, String), HmacSha256>>,
}

/// The fields both signing styles carry.
struct Claim {
    access_key_id: String,
    date: String,
    region: String,
    timestamp: String,
    additional_headers: Vec<String>,
    signature: String,
    security_token: Option<String>,
}

impl Verifier {
    pub fn new(keys: &[AccessKey], region: &str) -> Self {
        Self {
            keys: keys.iter().map(|key| (key.id.clone(), key.clone())).collect(),
            region: region.to_owned(),
            macs: Mutex::new(HashMap::new()),
        }
    }

    /// Checks the request's signature at server time `now` (Unix seconds).
    pub fn authenticate(&self, parts: &SignedParts<'_>, now: i64) -> OssResult<Principal> {
        let header = parts.headers.get(AUTHORIZATION);
        let presigned = parts.query.has(SIGNATURE_PARAMETER);
        match (header, presigned) {
            (Some(_), true) => Err(OssError::invalid_argument(
                "Only one auth mechanism allowed; only the x-oss-signature query parameter or the Authorization header should be specified.",
            )),
            (Some(value), false) => {
                let text = value.to_str().map_err(|_| invalid_authorization("it is not ASCII text"))?;
                self.verify_header(parts, text, now)
            }
            (None, true) => self.verify_presigned(parts, now),
            (None, false) if parts.query.has("OSSAccessKeyId") || parts.query.has("Signature") => {
                Err(OssError::invalid_argument(
                    "The sandbox verifies signature V4 (OSS4-HMAC-SHA256) only; this URL is signed with V1.",
                ))
            }
            (None, false) => Ok(Principal::Anonymous),
        }
    }

    fn verify_header(&self, parts: &SignedParts<'_>, authorization: &str, now: i64) -> OssResult<Principal> {
        let Some(fields) = authorization.strip_prefix(v4::ALGORITHM).and_then(|rest| rest.strip_prefix(' ')) else {
            if authorization.starts_with("OSS ") {
                return Err(OssError::invalid_argument(
                    "The sandbox verifies signature V4 (OSS4-HMAC-SHA256) only; this request is signed with V1.",
                ));
            }
            return Err(invalid_authorization("it does not start with OSS4-HMAC-SHA256"));
        };
        let mut credential = None;
        let mut additional = None;
        let mut signature = None;
        for field in fields.split(',') {
            let (name, value) =
                field.trim().split_once('=').ok_or_else(|| invalid_authorization("a field has no '='"))?;
            match name {
                "Credential" => credential = Some(value),
                "AdditionalHeaders" => additional = Some(value),
                "Signature" => signature = Some(value),
                _ => return Err(invalid_authorization(&format!("unknown field '{name}'"))),
            }
        }
        let credential = credential.ok_or_else(|| invalid_authorization("Credential is missing"))?;
        let signature = signature.ok_or_else(|| invalid_authorization("Signature is missing"))?;
        let timestamp = header_text(parts.headers, "x-oss-date")
            .ok_or_else(|| OssError::access_denied("Signature V4 needs the x-oss-date header."))?;
        let signed_at = parse_v4_timestamp(&timestamp).ok_or_else(|| {
            OssError::invalid_argument(format!("x-oss-date '{timestamp}' is not a time such as 20240501T120000Z."))
        })?;
        let claim = self.claim(
            credential,
            timestamp,
            additional.unwrap_or(""),
            signature,
            header_text(parts.headers, "x-oss-security-token"),
        )?;
        let key = self.key_for(&claim)?;
        if (now - signed_at).abs() > MAX_CLOCK_SKEW_SECS {
            return Err(time_too_skewed(signed_at, now));
        }
        let payload_hash = header_text(parts.headers, "x-oss-content-sha256").ok_or_else(|| {
            OssError::invalid_argument("Signature V4 needs the x-oss-content-sha256 header (UNSIGNED-PAYLOAD).")
        })?;
        claimed_body_sha256(&payload_hash)?;
        let query: Vec<(&str, &str)> = parts.query.pairs().iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.check_signature(parts, &claim, key, &query, &payload_hash)
    }

    fn verify_presigned(&self, parts: &SignedParts<'_>, now: i64) -> OssResult<Principal> {
        let query = parts.query;
        let required = |name: &'static str| {
            query.get(name).ok_or_else(|| {
                OssError::invalid_argument(format!("The presigned URL lacks the {name} parameter."))
                    .with_detail("ArgumentName", name)
            })
        };
        let version = required("x-oss-signature-version")?;
        if version != v4::ALGORITHM {
            return Err(OssError::invalid_argument(format!(
                "x-oss-signature-version '{version}' is not supported; the sandbox verifies OSS4-HMAC-SHA256."
            )));
        }
        let timestamp = required("x-oss-date")?.to_owned();
        let signed_at = parse_v4_timestamp(&timestamp).ok_or_else(|| {
            OssError::invalid_argument(format!("x-oss-date '{timestamp}' is not a time such as 20240501T120000Z."))
        })?;
        let expires_text = required("x-oss-expires")?;
        let expires =
            expires_text.parse::<u64>().ok().filter(|secs| (1..=MAX_PRESIGN_EXPIRES_SECS).contains(secs)).ok_or_else(
                || {
                    OssError::invalid_argument(format!(
                    "x-oss-expires '{expires_text}' must be a number of seconds from 1 to {MAX_PRESIGN_EXPIRES_SECS}."
                ))
                    .with_ec("0002-00000070")
                },
            )?;
        let claim = self.claim(
            required("x-oss-credential")?,
            timestamp,
            query.get("x-oss-additional-headers").unwrap_or(""),
            required(SIGNATURE_PARAMETER)?,
            query.get("x-oss-security-token").map(str::to_owned),
        )?;
        let key = self.key_for(&claim)?;
        // A URL dated ahead of the server clock is refused like a header-signed request, or a
        // signer with a fast clock could make links that outlive their validity.
        if signed_at - now > MAX_CLOCK_SKEW_SECS {
            return Err(time_too_skewed(signed_at, now));
        }
        let expires_at = signed_at.saturating_add(expires as i64);
        if now > expires_at {
            return Err(OssError::access_denied("Request has expired")
                .with_ec("0002-00000069")
                .with_detail("Expires", http_date(expires_at))
                .with_detail("ServerTime", http_date(now)));
        }
        let signed_query: Vec<(&str, &str)> = query
            .pairs()
            .iter()
            .filter(|(name, _)| name != SIGNATURE_PARAMETER)
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.check_signature(parts, &claim, key, &signed_query, v4::UNSIGNED_PAYLOAD)
    }

    /// Parses `AK/DATE/REGION/oss/aliyun_v4_request` and checks it against the timestamp and region.
    fn claim(
        &self,
        credential: &str,
        timestamp: String,
        additional_headers: &str,
        signature: &str,
        security_token: Option<String>,
    ) -> OssResult<Claim> {
        let pieces: Vec<&str> = credential.split('/').collect();
        let [access_key_id, date, region, product, terminator] = pieces.as_slice() else {
            return Err(invalid_credential(credential));
        };
        if access_key_id.is_empty() || *product != v4::PRODUCT || *terminator != TERMINATOR {
            return Err(invalid_credential(credential));
        }
        if timestamp.get(..8) != Some(*date) {
            return Err(OssError::invalid_argument(format!(
                "The credential date {date} is not the date of x-oss-date {timestamp}."
            )));
        }
        if region.is_empty() || !region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(OssError::invalid_argument(format!(
                "Invalid signing region in the credential: '{region}'; this server's region is '{}'.",
                self.region
            ))
            .with_detail("Region", *region));
        }
        Ok(Claim {
            access_key_id: (*access_key_id).to_owned(),
            date: (*date).to_owned(),
            region: (*region).to_owned(),
            timestamp,
            additional_headers: additional_headers
                .split(';')
                .filter(|name| !name.is_empty())
                .map(|name| name.to_ascii_lowercase())
                .collect(),
            signature: signature.to_owned(),
            security_token,
        })
    }

    /// The key the claim names, with its STS token checked.
    fn key_for(&self, claim: &Claim) -> OssResult<&AccessKey> {
        let unknown = || {
            OssError::new(
                StatusCode::FORBIDDEN,
                "InvalidAccessKeyId",
                "The OSS Access Key Id you provided does not exist in our records.",
            )
            .with_detail("OSSAccessKeyId", claim.access_key_id.clone())
        };
        let key = self.keys.get(&claim.access_key_id).ok_or_else(unknown)?;
        match (&key.security_token, &claim.security_token) {
            (None, None) => Ok(key),
            // A permanent key with a token, or a temporary key without one, is not a known STS pair.
            (None, Some(_)) | (Some(_), None) => Err(unknown().with_ec("0002-00000002")),
            (Some(expected), Some(given)) if constant_time_eq(expected.expose().as_bytes(), given.as_bytes()) => {
                Ok(key)
            }
            (Some(_), Some(_)) => Err(OssError::new(
                StatusCode::FORBIDDEN,
                "InvalidSecurityToken",
                "The security token you provided is invalid.",
            )
            .with_ec("0002-00000006")),
        }
    }

    fn check_signature(
        &self,
        parts: &SignedParts<'_>,
        claim: &Claim,
        key: &AccessKey,
        query: &[(&str, &str)],
        payload_hash: &str,
    ) -> OssResult<Principal> {
        let headers = header_pairs(parts.headers);
        let canonical_request = v4::canonical_request(
            parts.method,
            &v4::canonical_uri(parts.target.bucket.as_deref(), parts.target.key.as_deref()),
            &v4::canonical_query(query.iter().copied()),
            &v4::canonical_headers(&headers, &claim.additional_headers),
            &claim.additional_headers,
            payload_hash,
        );
        let scope = v4::scope(&claim.date, &claim.region);
        let string_to_sign = v4::string_to_sign(&claim.timestamp, &scope, &canonical_request);
        let expected = v4::signature(&self.signing_mac(key, &claim.date, &claim.region), &string_to_sign);
        if constant_time_eq(expected.as_bytes(), claim.signature.as_bytes()) {
            return Ok(Principal::Key { id: key.id.clone(), region: claim.region.clone() });
        }
        Err(OssError::new(
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
        )
        .with_ec("0002-00000201")
        .with_detail("OSSAccessKeyId", key.id.clone())
        .with_detail("SignatureProvided", claim.signature.clone())
        .with_detail("StringToSign", string_to_sign)
        .with_detail("CanonicalRequest", canonical_request))
    }

    fn signing_mac(&self, key: &AccessKey, date: &str, region: &str) -> HmacSha256 {
        // A poisoned lock only means a panic elsewhere mid-insert; the map is still usable.
        let mut macs = self.macs.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if macs.len() > 4096 {
            macs.clear();
        }
        macs.entry((key.id.clone(), date.to_owned(), region.to_owned()))
            .or_insert_with(|| v4::signing_mac(key.secret.expose(), date, region))
            .clone()
    }
}

/// OSS's answer to a request dated more than 15 minutes from the server clock.
fn time_too_skewed(signed_at: i64, now: i64) -> OssError {
    OssError::new(
        StatusCode::FORBIDDEN,
        "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.",
    )
    .with_ec("0002-00000504")
    .with_detail("MaxAllowedSkewMilliseconds", (MAX_CLOCK_SKEW_SECS * 1000).to_string())
    .with_detail("RequestTime", iso8601(signed_at))
    .with_detail("ServerTime", iso8601(now))
}

/// The SHA-256 a header-signed request claims for its body: `None` for `UNSIGNED-PAYLOAD`, else
/// 64 hex digits (anything else is OSS's 0002-00000214). The signature covers the claim, so the
/// body must match it; see [`crate::body::RequestBody::expect_sha256`].
pub fn claimed_body_sha256(value: &str) -> OssResult<Option<[u8; 32]>> {
    if value == v4::UNSIGNED_PAYLOAD {
        return Ok(None);
    }
    let mut digest = [0u8; 32];
    match hex::decode_to_slice(value, &mut digest) {
        Ok(()) => Ok(Some(digest)),
        Err(_) => Err(OssError::invalid_argument(format!(
            "x-oss-content-sha256 '{value}' is invalid: give UNSIGNED-PAYLOAD or the body's SHA-256 in hex."
        ))
        .with_ec("0002-00000214")),
    }
}

/// The body digest an authenticated, header-signed request claims, if it claims one.
pub fn signed_body_sha256(headers: &HeaderMap) -> Option<[u8; 32]> {
    if !headers.contains_key(AUTHORIZATION) {
        return None;
    }
    claimed_body_sha256(&header_text(headers, "x-oss-content-sha256")?).ok().flatten()
}

/// Header (name, value) pairs as received; names are already lower-case in `HeaderMap`.
fn header_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect()
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

fn invalid_authorization(why: &str) -> OssError {
    OssError::invalid_argument(format!("Authorization header is invalid: {why}."))
}

fn invalid_credential(credential: &str) -> OssError {
    OssError::invalid_argument(format!(
        "Invalid credential '{credential}': write AccessKeyId/YYYYMMDD/region/oss/aliyun_v4_request."
    ))
    .with_ec("0002-00000213")
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}
