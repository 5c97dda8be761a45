//! The pieces of OSS signature V4 (OSS4-HMAC-SHA256) as small pure functions. The time is always
//! a parameter. The reference for every detail is alibabacloud-oss-v2; see
//! docs in shared/docs/oss-v4-signing.md for where the SDKs disagree.

use chrono::{DateTime, Datelike, Timelike, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::encode::{push_path_encoded, push_uri_encoded};

pub type HmacSha256 = Hmac<Sha256>;

pub const ALGORITHM: &str = "OSS4-HMAC-SHA256";
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
pub const PRODUCT: &str = "oss";
const TERMINATOR: &str = "aliyun_v4_request";

/// `YYYYMMDDTHHMMSSZ` in UTC.
pub fn timestamp(at: DateTime<Utc>) -> String {
    let mut out = String::with_capacity(16);
    push_digits(&mut out, at.year().max(0) as u32, 4);
    push_digits(&mut out, at.month(), 2);
    push_digits(&mut out, at.day(), 2);
    out.push('T');
    push_digits(&mut out, at.hour(), 2);
    push_digits(&mut out, at.minute(), 2);
    push_digits(&mut out, at.second(), 2);
    out.push('Z');
    out
}

fn push_digits(out: &mut String, value: u32, width: u32) {
    for position in (0..width).rev() {
        let digit = (value / 10u32.pow(position)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// `D/region/oss/aliyun_v4_request`; `date` is `YYYYMMDD`, the region verbatim (`cn-hangzhou`).
pub fn scope(date: &str, region: &str) -> String {
    format!("{date}/{region}/{PRODUCT}/{TERMINATOR}")
}

/// `/bucket/key`, path-encoded. The bucket is always in it, whatever the addressing style.
pub fn canonical_uri(bucket: Option<&str>, key: Option<&str>) -> String {
    let mut raw = String::with_capacity(2 + bucket.map_or(0, str::len) + key.map_or(0, str::len));
    raw.push('/');
    if let Some(bucket) = bucket {
        raw.push_str(bucket);
        raw.push('/');
    }
    if let Some(key) = key {
        raw.push_str(key);
    }
    let mut out = String::with_capacity(raw.len() + raw.len() / 2);
    push_path_encoded(&mut out, &raw);
    out
}

/// One query pair with key and value already `enc`-encoded.
pub type EncodedPair = (String, String);

pub fn encode_pair(name: &str, value: &str) -> EncodedPair {
    let mut encoded_name = String::with_capacity(name.len());
    push_uri_encoded(&mut encoded_name, name);
    let mut encoded_value = String::with_capacity(value.len());
    push_uri_encoded(&mut encoded_value, value);
    (encoded_name, encoded_value)
}

/// Appends `k=v`, or a bare `k` when the value is empty, as both the URL and the canonical query write it.
pub fn push_query_pair(out: &mut String, (name, value): (&str, &str)) {
    out.push_str(name);
    if !value.is_empty() {
        out.push('=');
        out.push_str(value);
    }
}

/// The canonical query from encoded pairs: sorted bytewise by (key, value), joined with `&`.
pub fn canonical_query_from_encoded(pairs: &mut [EncodedPair]) -> String {
    pairs.sort_unstable();
    let mut out = String::with_capacity(pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        push_query_pair(&mut out, (name, value));
    }
    out
}

/// The canonical query from decoded pairs.
pub fn canonical_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut encoded: Vec<EncodedPair> = pairs.into_iter().map(|(k, v)| encode_pair(k, v)).collect();
    canonical_query_from_encoded(&mut encoded)
}

/// `x-oss-*`, Content-Type and Content-MD5 are always signed. `lower_name` must be lower-case.
pub fn is_signed_by_default(lower_name: &str) -> bool {
    lower_name.starts_with("x-oss-") || lower_name == "content-type" || lower_name == "content-md5"
}

/// The additional headers that count: lower-cased, de-duplicated, sorted; names signed by default,
/// and names absent or empty in `headers`, dropped.
pub fn additional_header_names(headers: &[(String, String)], requested: &[String]) -> Vec<String> {
    let mut names: Vec<String> = requested
        .iter()
        .map(|name| name.to_ascii_lowercase())
        .filter(|name| !is_signed_by_default(name))
        .filter(|name| headers.iter().any(|(n, v)| n.eq_ignore_ascii_case(name) && !v.is_empty()))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// `name:value\n` for every signed header, names lower-cased, sorted by name, values untrimmed.
pub fn canonical_headers(headers: &[(String, String)], additional: &[String]) -> String {
    let mut signed: Vec<(String, &str)> = headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.as_str()))
        .filter(|(name, _)| is_signed_by_default(name) || additional.iter().any(|a| a == name))
        .collect();
    signed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = String::with_capacity(signed.iter().map(|(n, v)| n.len() + v.len() + 2).sum());
    for (name, value) in signed {
        out.push_str(&name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
    out
}

/// `METHOD\nURI\nQUERY\nHEADERS\nADDITIONAL\nPAYLOAD`; the header block already ends in `\n`.
pub fn canonical_request(
    method: &str,
    uri: &str,
    query: &str,
    headers: &str,
    additional: &[String],
    payload_hash: &str,
) -> String {
    let additional_len: usize = additional.iter().map(|a| a.len() + 1).sum();
    let mut out = String::with_capacity(
        method.len() + uri.len() + query.len() + headers.len() + additional_len + payload_hash.len() + 5,
    );
    for part in [method, "\n", uri, "\n", query, "\n", headers, "\n"] {
        out.push_str(part);
    }
    push_joined(&mut out, additional, ';');
    out.push('\n');
    out.push_str(payload_hash);
    out
}

pub fn push_joined(out: &mut String, items: &[String], separator: char) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(separator);
        }
        out.push_str(item);
    }
}

/// `OSS4-HMAC-SHA256\nT\nscope\nhex(sha256(canonical request))`.
pub fn string_to_sign(timestamp: &str, scope: &str, canonical_request: &str) -> String {
    let digest = Sha256::digest(canonical_request.as_bytes());
    let mut out = String::with_capacity(ALGORITHM.len() + timestamp.len() + scope.len() + 67);
    for part in [ALGORITHM, "\n", timestamp, "\n", scope, "\n"] {
        out.push_str(part);
    }
    push_hex(&mut out, &digest);
    out
}

/// `HMAC(HMAC(HMAC(HMAC("aliyun_v4" + secret, D), region), "oss"), "aliyun_v4_request")`.
pub fn signing_key(secret: &str, date: &str, region: &str) -> [u8; 32] {
    let prefixed_secret = zeroize::Zeroizing::new(format!("aliyun_v4{secret}"));
    let mut key = hmac_bytes(prefixed_secret.as_bytes(), date.as_bytes());
    for step in [region, PRODUCT, TERMINATOR] {
        key = hmac_bytes(&key, step.as_bytes());
    }
    key
}

/// An HMAC already keyed with the signing key. It depends only on (secret, date, region), so
/// callers cache it; cloning it skips re-keying on every signature.
pub fn signing_mac(secret: &str, date: &str, region: &str) -> HmacSha256 {
    let mut key = signing_key(secret, date, region);
    let mac = HmacSha256::new_from_slice(&key).expect("HMAC accepts keys of any length");
    zeroize::Zeroize::zeroize(&mut key);
    mac
}

fn hmac_bytes(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Lower-case hex of `HMAC(signing key, string to sign)`.
pub fn signature(signing_mac: &HmacSha256, string_to_sign: &str) -> String {
    let mut mac = signing_mac.clone();
    mac.update(string_to_sign.as_bytes());
    let mut out = String::with_capacity(64);
    push_hex(&mut out, &mac.finalize().into_bytes());
    out
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";
    for byte in bytes {
        out.push(HEX_LOWER[usize::from(byte >> 4)] as char);
        out.push(HEX_LOWER[usize::from(byte & 0x0f)] as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamp_is_compact_iso8601_utc() {
        let at = Utc.with_ymd_and_hms(2023, 12, 16, 16, 20, 57).unwrap();
        assert_eq!(timestamp(at), "20231216T162057Z");
        let at = Utc.with_ymd_and_hms(2009, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(timestamp(at), "20090102T030405Z");
    }

    #[test]
    fn canonical_uri_always_holds_the_bucket() {
        assert_eq!(canonical_uri(Some("b"), Some("a b/+c")), "/b/a%20b/%2Bc");
        assert_eq!(canonical_uri(Some("b"), None), "/b/");
        assert_eq!(canonical_uri(Some("b"), Some("/lead//double")), "/b//lead//double");
        assert_eq!(canonical_uri(None, None), "/");
    }

    #[test]
    fn canonical_query_sorts_encoded_pairs_and_writes_empty_values_bare() {
        let query = canonical_query([("b", "2"), ("a", ""), ("Zeta", "x"), ("alpha", "y y"), ("+p", "v")]);
        assert_eq!(query, "%2Bp=v&Zeta=x&a&alpha=y%20y&b=2");
    }

    #[test]
    fn additional_headers_drop_default_signed_and_absent_names() {
        let headers = vec![
            ("ZAbc".to_owned(), "value".to_owned()),
            ("abc".to_owned(), "value".to_owned()),
            ("empty".to_owned(), String::new()),
            ("x-oss-head1".to_owned(), "value".to_owned()),
        ];
        let requested: Vec<String> =
            ["x-oss-no-exist", "ZAbc", "x-oss-head1", "abc", "empty", "missing", "ABC"].map(String::from).to_vec();
        assert_eq!(additional_header_names(&headers, &requested), vec!["abc", "zabc"]);
    }

    #[test]
    fn canonical_headers_keep_values_untrimmed() {
        let headers = vec![
            ("X-Oss-Meta-A".to_owned(), " spaced ".to_owned()),
            ("Content-Type".to_owned(), "text/plain".to_owned()),
            ("Host".to_owned(), "example.com".to_owned()),
        ];
        assert_eq!(canonical_headers(&headers, &[]), "content-type:text/plain\nx-oss-meta-a: spaced \n");
        assert_eq!(
            canonical_headers(&headers, &["host".to_owned()]),
            "content-type:text/plain\nhost:example.com\nx-oss-meta-a: spaced \n"
        );
    }

    #[test]
    fn signing_mac_matches_the_raw_signing_key() {
        let key = signing_key("sk", "20231216", "cn-hangzhou");
        let from_key = HmacSha256::new_from_slice(&key).unwrap();
        let cached = signing_mac("sk", "20231216", "cn-hangzhou");
        assert_eq!(signature(&from_key, "x"), signature(&cached, "x"));
    }
}
