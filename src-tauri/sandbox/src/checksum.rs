//! Integrity values OSS reports: CRC-64/XZ (`x-oss-hash-crc64ecma`), MD5 ETags, base64 Content-MD5.

use base64::Engine;
use crc::{Crc, Table, CRC_64_XZ};
use md5::{Digest, Md5};

/// CRC-64/XZ: ECMA-182 polynomial, reflected, init and xor-out all ones.
pub static CRC64: Crc<u64, Table<16>> = Crc::<u64, Table<16>>::new(&CRC_64_XZ);

pub fn crc64(data: &[u8]) -> u64 {
    CRC64.checksum(data)
}

/// The CRC of `A ‖ B` from `crc(A)`, `crc(B)` and `len(B)`: the core's, so client and sandbox
/// combine parts the same way.
pub use osslite_core::transfer::crc64::combine as crc64_combine;

pub fn md5(data: &[u8]) -> [u8; 16] {
    Md5::digest(data).into()
}

/// `"HEX"` with upper-case hex, as OSS writes ETags.
pub fn quoted_etag(hex_upper: &str) -> String {
    format!("\"{hex_upper}\"")
}

pub fn hex_upper(bytes: &[u8]) -> String {
    hex::encode_upper(bytes)
}

pub fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The 16 bytes of a `Content-MD5` header, or `None` when it is not base64 of 16 bytes.
pub fn decode_content_md5(text: &str) -> Option<[u8; 16]> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(text.trim()).ok()?;
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc64_matches_the_catalogue_check_value() {
        assert_eq!(crc64(b"123456789"), 0x995D_C9BB_DF19_39FA);
        assert_eq!(crc64(b""), 0);
    }

    #[test]
    fn combining_equals_computing_over_the_concatenation() {
        let data: Vec<u8> = (0..5000u32).map(|i| (i * 31 % 251) as u8).collect();
        for split in [0, 1, 7, 8, 9, 255, 256, 1000, 4999, 5000] {
            let (a, b) = data.split_at(split);
            assert_eq!(crc64_combine(crc64(a), crc64(b), b.len() as u64), crc64(&data), "split at {split}");
        }
    }

    #[test]
    fn content_md5_must_be_base64_of_sixteen_bytes() {
        let digest = md5(b"hello");
        assert_eq!(decode_content_md5(&base64_encode(&digest)), Some(digest));
        assert_eq!(decode_content_md5("not base64!"), None);
        assert_eq!(decode_content_md5(&base64_encode(b"short")), None);
    }
}
