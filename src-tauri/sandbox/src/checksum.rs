//! Integrity values OSS reports: CRC-64/XZ (`x-oss-hash-crc64ecma`), MD5 ETags, base64 Content-MD5.

use base64::Engine;
use crc::{Crc, Table, CRC_64_XZ};
use md5::{Digest, Md5};

/// CRC-64/XZ: ECMA-182 polynomial, reflected, init and xor-out all ones.
pub static CRC64: Crc<u64, Table<16>> = Crc::<u64, Table<16>>::new(&CRC_64_XZ);

/// The reflected ECMA-182 polynomial, for [`crc64_combine`].
const POLY_REFLECTED: u64 = 0xC96C_5795_D787_0F42;

pub fn crc64(data: &[u8]) -> u64 {
    CRC64.checksum(data)
}

/// The CRC of `A ‖ B` from `crc(A)`, `crc(B)` and `len(B)`, as zlib's `crc32_combine` does for
/// CRC-32 (both have init = xor-out = all ones, so the same algebra holds).
pub fn crc64_combine(crc_a: u64, crc_b: u64, len_b: u64) -> u64 {
    if len_b == 0 {
        return crc_a;
    }
    // `odd` shifts a CRC register by one zero bit; squaring doubles the shift.
    let mut odd = [0u64; 64];
    odd[0] = POLY_REFLECTED;
    let mut row = 1u64;
    for slot in odd.iter_mut().skip(1) {
        *slot = row;
        row <<= 1;
    }
    let mut even = [0u64; 64];
    gf2_square(&mut even, &odd); // two zero bits
    gf2_square(&mut odd, &even); // four zero bits

    let mut crc = crc_a;
    let mut remaining = len_b;
    loop {
        gf2_square(&mut even, &odd); // first pass: one zero byte
        if remaining & 1 != 0 {
            crc = gf2_times(&even, crc);
        }
        remaining >>= 1;
        if remaining == 0 {
            break;
        }
        gf2_square(&mut odd, &even);
        if remaining & 1 != 0 {
            crc = gf2_times(&odd, crc);
        }
        remaining >>= 1;
        if remaining == 0 {
            break;
        }
    }
    crc ^ crc_b
}

fn gf2_times(matrix: &[u64; 64], mut vector: u64) -> u64 {
    let mut sum = 0;
    let mut index = 0;
    while vector != 0 {
        if vector & 1 != 0 {
            sum ^= matrix[index];
        }
        vector >>= 1;
        index += 1;
    }
    sum
}

fn gf2_square(square: &mut [u64; 64], matrix: &[u64; 64]) {
    for (slot, row) in square.iter_mut().zip(matrix.iter()) {
        *slot = gf2_times(matrix, *row);
    }
}

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
