//! Percent-encoding as OSS V4 canonicalises it: UTF-8 bytes, `A-Z a-z 0-9 - _ . ~` kept,
//! everything else `%XX` in upper-case hex. Never form-encoding (space is `%20`, `+` is `%2B`).

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

fn push_encoded(out: &mut String, text: &str, keep_slash: bool) {
    let mut plain_start = 0;
    let bytes = text.as_bytes();
    for (i, &byte) in bytes.iter().enumerate() {
        if is_unreserved(byte) || (keep_slash && byte == b'/') {
            continue;
        }
        // A non-empty plain run holds only ASCII, so both of its ends are char boundaries.
        if plain_start < i {
            out.push_str(&text[plain_start..i]);
        }
        out.push('%');
        out.push(HEX_UPPER[usize::from(byte >> 4)] as char);
        out.push(HEX_UPPER[usize::from(byte & 0x0f)] as char);
        plain_start = i + 1;
    }
    if plain_start < bytes.len() {
        out.push_str(&text[plain_start..]);
    }
}

/// Appends `text` encoded for a query key or value (`/` becomes `%2F`).
pub fn push_uri_encoded(out: &mut String, text: &str) {
    push_encoded(out, text, false);
}

/// Appends `text` encoded for a URL path (`/` kept).
pub fn push_path_encoded(out: &mut String, text: &str) {
    push_encoded(out, text, true);
}

/// `text` encoded for a query key or value.
pub fn uri_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    push_uri_encoded(&mut out, text);
    out
}

/// `text` encoded for a URL path (`/` kept).
pub fn path_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    push_path_encoded(&mut out, text);
    out
}

/// Decodes `%XX` escapes (and nothing else: `+` stays `+`). Fails on a truncated or
/// non-hex escape, or when the decoded bytes are not UTF-8.
pub fn percent_decode(text: &str) -> Result<String, PercentDecodeError> {
    if !text.contains('%') {
        return Ok(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hi = bytes.get(i + 1).and_then(|b| (*b as char).to_digit(16));
            let lo = bytes.get(i + 2).and_then(|b| (*b as char).to_digit(16));
            match (hi, lo) {
                (Some(hi), Some(lo)) => out.push((hi * 16 + lo) as u8),
                _ => return Err(PercentDecodeError::BadEscape { at: i }),
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| PercentDecodeError::NotUtf8)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PercentDecodeError {
    #[error("a '%' at byte {at} is not followed by two hex digits")]
    BadEscape { at: usize },
    #[error("the decoded bytes are not valid UTF-8")]
    NotUtf8,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_unreserved_and_encodes_the_rest_in_upper_hex() {
        assert_eq!(uri_encode("aZ09-_.~"), "aZ09-_.~");
        assert_eq!(uri_encode("a b+c/d;e"), "a%20b%2Bc%2Fd%3Be");
        assert_eq!(uri_encode("!*'()"), "%21%2A%27%28%29");
        assert_eq!(uri_encode("中"), "%E4%B8%AD");
    }

    #[test]
    fn path_encoding_keeps_slashes_including_leading_and_double() {
        assert_eq!(path_encode("/bucket//a b/+"), "/bucket//a%20b/%2B");
    }

    #[test]
    fn decode_inverts_encode_and_rejects_bad_escapes() {
        let original = "key with spaces/+%~中文";
        assert_eq!(percent_decode(&uri_encode(original)).unwrap(), original);
        assert_eq!(percent_decode("a+b").unwrap(), "a+b");
        assert_eq!(percent_decode("%4"), Err(PercentDecodeError::BadEscape { at: 0 }));
        assert_eq!(percent_decode("%zz"), Err(PercentDecodeError::BadEscape { at: 0 }));
        assert_eq!(percent_decode("%FF"), Err(PercentDecodeError::NotUtf8));
    }
}
