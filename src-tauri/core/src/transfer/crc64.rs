//! CRC-64/XZ, the checksum OSS reports as `x-oss-hash-crc64ecma` (ECMA-182 polynomial, reflected,
//! init and xor-out all ones; the check value of `123456789` is `0x995DC9BBDF1939FA`).
//!
//! Parts travel in parallel, so each part's CRC is computed on its own while it is read, and
//! [`combine`] joins them into the whole object's: zlib's `crc32_combine` method (multiplying by
//! powers of the "append one zero bit" operator as 64×64 matrices over GF(2)), which holds for
//! any CRC whose init and xor-out are equal.

use crc::{Crc, Digest, Table, CRC_64_XZ};

static CRC64_XZ: Crc<u64, Table<16>> = Crc::<u64, Table<16>>::new(&CRC_64_XZ);

/// The reflected ECMA-182 polynomial.
const POLY_REFLECTED: u64 = 0xC96C_5795_D787_0F42;

/// The CRC-64/XZ of `data`.
pub fn checksum(data: &[u8]) -> u64 {
    CRC64_XZ.checksum(data)
}

/// A CRC-64/XZ computed piece by piece.
#[derive(Clone)]
pub struct Crc64 {
    digest: Digest<'static, u64, Table<16>>,
    len: u64,
}

impl Default for Crc64 {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Crc64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Crc64").field("value", &self.value()).field("len", &self.len).finish()
    }
}

impl Crc64 {
    pub fn new() -> Self {
        Self { digest: CRC64_XZ.digest(), len: 0 }
    }

    pub fn update(&mut self, data: &[u8]) {
        self.digest.update(data);
        self.len += data.len() as u64;
    }

    /// The CRC of everything so far.
    pub fn value(&self) -> u64 {
        self.digest.clone().finalize()
    }

    /// The number of bytes hashed so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// The CRC of `A ‖ B` from `crc(A)`, `crc(B)` and the length of `B`.
pub fn combine(crc_a: u64, crc_b: u64, len_b: u64) -> u64 {
    if len_b == 0 {
        return crc_a;
    }
    // `odd` appends one zero bit to a CRC register; each squaring doubles what it appends.
    let mut odd = [0u64; 64];
    odd[0] = POLY_REFLECTED;
    for (i, row) in odd.iter_mut().enumerate().skip(1) {
        *row = 1u64 << (i - 1);
    }
    let mut even = [0u64; 64];
    square(&mut even, &odd); // two zero bits
    square(&mut odd, &even); // four zero bits

    // Apply `len_b` zero bytes to crc(A), one bit of `len_b` at a time, squaring as we go.
    let mut crc = crc_a;
    let mut remaining = len_b;
    loop {
        square(&mut even, &odd); // the first pass makes one zero byte (eight bits)
        if remaining & 1 != 0 {
            crc = times(&even, crc);
        }
        remaining >>= 1;
        if remaining == 0 {
            break;
        }
        square(&mut odd, &even);
        if remaining & 1 != 0 {
            crc = times(&odd, crc);
        }
        remaining >>= 1;
        if remaining == 0 {
            break;
        }
    }
    crc ^ crc_b
}

/// `matrix × vector` over GF(2).
fn times(matrix: &[u64; 64], mut vector: u64) -> u64 {
    let mut sum = 0;
    let mut row = 0;
    while vector != 0 {
        if vector & 1 != 0 {
            sum ^= matrix[row];
        }
        vector >>= 1;
        row += 1;
    }
    sum
}

fn square(out: &mut [u64; 64], matrix: &[u64; 64]) {
    for (slot, row) in out.iter_mut().zip(matrix) {
        *slot = times(matrix, *row);
    }
}

/// Joins the CRCs of consecutive pieces (each `(crc, len)`) into the CRC of their concatenation.
pub fn combine_all(pieces: impl IntoIterator<Item = (u64, u64)>) -> u64 {
    pieces.into_iter().fold(0, |crc, (piece_crc, len)| combine(crc, piece_crc, len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn data(len: usize, seed: u32) -> Vec<u8> {
        (0..len as u32).map(|i| (i.wrapping_mul(2_654_435_761).wrapping_add(seed) >> 13) as u8).collect()
    }

    #[test]
    fn check_value_from_the_crc_catalogue() {
        assert_eq!(checksum(b"123456789"), 0x995D_C9BB_DF19_39FA);
        assert_eq!(checksum(b""), 0);
        let mut streaming = Crc64::new();
        streaming.update(b"1234");
        streaming.update(b"");
        streaming.update(b"56789");
        assert_eq!(streaming.value(), 0x995D_C9BB_DF19_39FA);
        assert_eq!(streaming.len(), 9);
    }

    #[test]
    fn combining_two_pieces_equals_the_whole_buffer_crc() {
        let whole = data(70_000, 7);
        for split in [0, 1, 7, 8, 9, 63, 64, 65, 4096, 65_535, 65_536, 69_999, 70_000] {
            let (a, b) = whole.split_at(split);
            assert_eq!(combine(checksum(a), checksum(b), b.len() as u64), checksum(&whole), "split at {split}");
        }
    }

    #[test]
    fn combining_many_parts_in_order_equals_the_whole_buffer_crc() {
        let whole = data(1_000_003, 11);
        for part in [997, 102_400, 131_072, 999_999, 2_000_000] {
            let pieces = whole.chunks(part).map(|chunk| (checksum(chunk), chunk.len() as u64));
            assert_eq!(combine_all(pieces), checksum(&whole), "parts of {part} bytes");
        }
        assert_eq!(combine_all([]), 0, "no bytes at all");
    }

    #[test]
    fn combine_is_consistent_for_lengths_beyond_32_bits() {
        // crc(A ‖ Z ‖ Z) for Z = 4 GiB of zeros, built by doubling: appending Z twice must equal
        // appending Z ‖ Z at once, which exercises lengths past u32.
        let head = checksum(b"head");
        let mut zeros = (checksum(&[0u8]), 1u64);
        while zeros.1 < (4 << 30) {
            zeros = (combine(zeros.0, zeros.0, zeros.1), zeros.1 * 2);
        }
        let (z, n) = zeros;
        let twice = combine(combine(head, z, n), z, n);
        let at_once = combine(head, combine(z, z, n), 2 * n);
        assert_eq!(twice, at_once);
        assert_ne!(combine(head, z, n), twice);
        assert_eq!(combine(head, 0, 0), head);
    }

    proptest! {
        #[test]
        fn combine_matches_for_random_splits(bytes in proptest::collection::vec(any::<u8>(), 0..4096), cut in 0usize..4096) {
            let cut = cut.min(bytes.len());
            let (a, b) = bytes.split_at(cut);
            prop_assert_eq!(combine(checksum(a), checksum(b), b.len() as u64), checksum(&bytes));
        }
    }
}
