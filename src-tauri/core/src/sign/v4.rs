//! The pieces of OSS signature V4 (OSS4-HMAC-SHA256) as small pure functions. The time is always
//! a parameter. The reference for every detail is alibabacloud-oss-v2; see
//! docs in shared/docs/oss-v4-signing.md for where the SDKs disagree.

use chrono::{DateTime, Datelike, Timelike, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::encode::{path_encode, push_uri_encoded, uri_encode};

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

/// Where canonical text goes: a `String` to look at it, or a hash to sign it without building it.
pub trait Sink {
    fn put(&mut self, text: &str);
}

impl Sink for String {
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }
}

impl Sink for Sha256 {
    fn put(&mut self, text: &str) {
        Digest::update(self, text.as_bytes());
    }
}

impl Sink for HmacSha256 {
    fn put(&mut self, text: &str) {
        Mac::update(self, text.as_bytes());
    }
}

/// `/bucket/key` from already path-encoded parts. The bucket is always in it, whatever the
/// addressing style; without a bucket it is `/key`.
pub fn write_canonical_uri(sink: &mut impl Sink, encoded_bucket: Option<&str>, encoded_key: Option<&str>) {
    sink.put("/");
    if let Some(bucket) = encoded_bucket {
        sink.put(bucket);
        sink.put("/");
    }
    if let Some(key) = encoded_key {
        sink.put(key);
    }
}

/// The canonical URI for a bucket and key.
pub fn canonical_uri(bucket: Option<&str>, key: Option<&str>) -> String {
    let mut out = String::with_capacity(2 + (bucket.map_or(0, str::len) + key.map_or(0, str::len)) * 3 / 2);
    write_canonical_uri(&mut out, bucket.map(path_encode).as_deref(), key.map(path_encode).as_deref());
    out
}

/// Appends `enc(name)=enc(value)`, or a bare `enc(name)` when the value is empty, as both the URL
/// and the canonical query write a pair.
pub fn push_encoded_pair(out: &mut String, name: &str, value: &str) {
    push_uri_encoded(out, name);
    if !value.is_empty() {
        out.push('=');
        push_uri_encoded(out, value);
    }
}

/// Sorts encoded pairs bytewise by (key, value), as OSS canonicalises them.
pub fn sort_query(pairs: &mut [(&str, &str)]) {
    pairs.sort_unstable();
}

/// `k=v&k2&...` from encoded pairs already sorted by [`sort_query`].
pub fn write_canonical_query(sink: &mut impl Sink, sorted_pairs: &[(&str, &str)]) {
    for (i, (name, value)) in sorted_pairs.iter().enumerate() {
        if i > 0 {
            sink.put("&");
        }
        sink.put(name);
        if !value.is_empty() {
            sink.put("=");
            sink.put(value);
        }
    }
}

/// The canonical query from decoded pairs.
pub fn canonical_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let encoded: Vec<(String, String)> = pairs.into_iter().map(|(k, v)| (uri_encode(k), uri_encode(v))).collect();
    let mut sorted: Vec<(&str, &str)> = encoded.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    sort_query(&mut sorted);
    let mut out = String::with_capacity(encoded.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    write_canonical_query(&mut out, &sorted);
    out
}

/// `x-oss-*`, Content-Type and Content-MD5 are always signed. `lower_name` must be lower-case.
pub fn is_signed_by_default(lower_name: &str) -> bool {
    lower_name.starts_with("x-oss-") || lower_name == "content-type" || lower_name == "content-md5"
}

/// The additional headers that count: lower-cased, de-duplicated, sorted; names signed by default
/// dropped (they are signed anyway when present). A name the request carries no value for is an
/// error naming it: alibabacloud-oss-v2 drops it silently, which signs less than the caller asked.
pub fn additional_header_names(
    headers: &[(String, String)],
    requested: &[String],
) -> Result<Vec<String>, MissingAdditionalHeader> {
    let mut names = Vec::with_capacity(requested.len());
    for name in requested.iter().map(|name| name.to_ascii_lowercase()) {
        if is_signed_by_default(&name) {
            continue;
        }
        if !headers.iter().any(|(n, v)| n.eq_ignore_ascii_case(&name) && !v.is_empty()) {
            return Err(MissingAdditionalHeader(name));
        }
        names.push(name);
    }
    names.sort_unstable();
    names.dedup();
    Ok(names)
}

/// An additional header to sign that the request does not carry (lower-cased name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingAdditionalHeader(pub String);

/// `name:value\n` for every signed header, names lower-cased, sorted by name, values untrimmed.
pub fn write_canonical_headers(sink: &mut impl Sink, headers: &[(String, String)], additional: &[String]) {
    let mut signed: Vec<(String, &str)> = headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.as_str()))
        .filter(|(name, _)| is_signed_by_default(name) || additional.iter().any(|a| a == name))
        .collect();
    signed.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, value) in signed {
        sink.put(&name);
        sink.put(":");
        sink.put(value);
        sink.put("\n");
    }
}

pub fn canonical_headers(headers: &[(String, String)], additional: &[String]) -> String {
    let mut out = String::new();
    write_canonical_headers(&mut out, headers, additional);
    out
}

/// `METHOD\nURI\nQUERY\nHEADERS\nADDITIONAL\nPAYLOAD`; the header block already ends in `\n`.
/// URI, query and headers are written by the callbacks, so a hash can take them piece by piece.
pub fn write_canonical_request<S: Sink>(
    sink: &mut S,
    method: &str,
    write_uri: impl FnOnce(&mut S),
    write_query: impl FnOnce(&mut S),
    write_headers: impl FnOnce(&mut S),
    additional: &[String],
    payload_hash: &str,
) {
    sink.put(method);
    sink.put("\n");
    write_uri(sink);
    sink.put("\n");
    write_query(sink);
    sink.put("\n");
    write_headers(sink);
    sink.put("\n");
    for (i, name) in additional.iter().enumerate() {
        if i > 0 {
            sink.put(";");
        }
        sink.put(name);
    }
    sink.put("\n");
    sink.put(payload_hash);
}

/// The canonical request from rendered pieces.
pub fn canonical_request(
    method: &str,
    uri: &str,
    query: &str,
    headers: &str,
    additional: &[String],
    payload_hash: &str,
) -> String {
    let mut out = String::with_capacity(method.len() + uri.len() + query.len() + headers.len() + 80);
    write_canonical_request(
        &mut out,
        method,
        |s| s.put(uri),
        |s| s.put(query),
        |s| s.put(headers),
        additional,
        payload_hash,
    );
    out
}

/// `OSS4-HMAC-SHA256\nT\nscope\n` followed by the canonical request's hex SHA-256.
pub fn write_string_to_sign(sink: &mut impl Sink, timestamp: &str, scope: &str, canonical_request_sha256: &[u8]) {
    for part in [ALGORITHM, "\n", timestamp, "\n", scope, "\n"] {
        sink.put(part);
    }
    let mut hex = [0u8; 64];
    sink.put(hex_lower(canonical_request_sha256, &mut hex));
}

pub fn string_to_sign(timestamp: &str, scope: &str, canonical_request: &str) -> String {
    let mut out = String::with_capacity(ALGORITHM.len() + timestamp.len() + scope.len() + 67);
    write_string_to_sign(&mut out, timestamp, scope, &Sha256::digest(canonical_request.as_bytes()));
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
    Mac::update(&mut mac, string_to_sign.as_bytes());
    let mut hex = [0u8; 64];
    hex_lower(&mac.finalize().into_bytes(), &mut hex).to_owned()
}

/// Writes up to 32 bytes as lower-case hex into `buffer` and returns it as text.
pub fn hex_lower<'b>(bytes: &[u8], buffer: &'b mut [u8; 64]) -> &'b str {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let len = bytes.len().min(32) * 2;
    for (i, byte) in bytes.iter().take(32).enumerate() {
        buffer[2 * i] = DIGITS[usize::from(byte >> 4)];
        buffer[2 * i + 1] = DIGITS[usize::from(byte & 0x0f)];
    }
    std::str::from_utf8(&buffer[..len]).unwrap_or_default()
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
    fn additional_headers_drop_default_signed_names_and_refuse_absent_ones() {
        let headers = vec![
            ("ZAbc".to_owned(), "value".to_owned()),
            ("abc".to_owned(), "value".to_owned()),
            ("empty".to_owned(), String::new()),
            ("x-oss-head1".to_owned(), "value".to_owned()),
        ];
        let requested: Vec<String> = ["x-oss-no-exist", "ZAbc", "x-oss-head1", "abc", "ABC"].map(String::from).to_vec();
        assert_eq!(additional_header_names(&headers, &requested), Ok(vec!["abc".to_owned(), "zabc".to_owned()]));
        for absent in ["missing", "Empty"] {
            let requested = vec!["abc".to_owned(), absent.to_owned()];
            assert_eq!(
                additional_header_names(&headers, &requested),
                Err(MissingAdditionalHeader(absent.to_ascii_lowercase()))
            );
        }
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
