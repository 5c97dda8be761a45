//! How a file or object is cut into parts: the part size, and each part's number, offset and length.
//!
//! OSS limits (<https://www.alibabacloud.com/help/en/oss/user-guide/multipart-upload>): part numbers
//! 1..=10000, every part but the last at least 100 KiB, at most 5 GiB a part.

use crate::error::{Error, Result};

pub const MIN_PART_SIZE: u64 = 100 * 1024;
pub const MAX_PART_SIZE: u64 = 5 << 30;
pub const MAX_PARTS: u64 = 10_000;
/// The part size when the caller names none: 8 MiB, raised for files past 78 GiB so that 10,000
/// parts suffice.
pub const DEFAULT_PART_SIZE: u64 = 8 << 20;

/// The part size for `size` bytes: `requested` (default 8 MiB), raised in whole MiB when more than
/// 10,000 parts would be needed. A requested size outside 100 KiB..=5 GiB is refused.
pub fn part_size_for(size: u64, requested: Option<u64>) -> Result<u64> {
    let base = requested.unwrap_or(DEFAULT_PART_SIZE);
    if !(MIN_PART_SIZE..=MAX_PART_SIZE).contains(&base) {
        return Err(Error::invalid_input(format!(
            "a part size must be 100 KiB to 5 GiB ({MIN_PART_SIZE} to {MAX_PART_SIZE} bytes); {base} is out of range"
        )));
    }
    if size.div_ceil(base) <= MAX_PARTS {
        return Ok(base);
    }
    let needed = size.div_ceil(MAX_PARTS).next_multiple_of(1 << 20);
    if needed > MAX_PART_SIZE {
        return Err(Error::invalid_input(format!(
            "{size} bytes do not fit in 10,000 parts of at most 5 GiB; OSS cannot store an object this large"
        )));
    }
    Ok(needed)
}

/// One part: OSS part number `number` (from 1), `len` bytes from `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub number: u32,
    pub offset: u64,
    pub len: u64,
}

/// `size` bytes in pieces of `part_size` (the last one shorter); no pieces for 0 bytes.
pub fn pieces(size: u64, part_size: u64) -> Vec<Piece> {
    let part_size = part_size.max(1);
    (0..size.div_ceil(part_size))
        .map(|index| {
            let offset = index * part_size;
            Piece { number: index as u32 + 1, offset, len: part_size.min(size - offset) }
        })
        .collect()
}

/// `1.5 MiB`, `300 KiB`, `12 B`: sizes for people.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value >= 100.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Reads `8M`, `8MiB`, `512k`, `1.5G`, `102400` (bytes; binary multiples, any letter case).
pub fn parse_size(text: &str) -> Result<u64> {
    let trimmed = text.trim();
    let split = trimmed.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        _ => return Err(Error::invalid_input(format!("'{text}' is not a size such as 8M, 512K or 1G"))),
    };
    let value: f64 =
        number.parse().map_err(|_| Error::invalid_input(format!("'{text}' is not a size such as 8M, 512K or 1G")))?;
    let bytes = value * multiplier as f64;
    if !bytes.is_finite() || bytes < 0.0 || bytes > u64::MAX as f64 {
        return Err(Error::invalid_input(format!("'{text}' is out of range")));
    }
    Ok(bytes.round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_part_size_keeps_to_10000_parts_and_the_size_limits() {
        assert_eq!(part_size_for(0, None).unwrap(), DEFAULT_PART_SIZE);
        assert_eq!(part_size_for(10 << 30, None).unwrap(), DEFAULT_PART_SIZE);
        assert_eq!(part_size_for(10_000 * DEFAULT_PART_SIZE, None).unwrap(), DEFAULT_PART_SIZE);
        let big = 10_000 * DEFAULT_PART_SIZE + 1;
        let raised = part_size_for(big, None).unwrap();
        assert_eq!(raised, 9 << 20);
        assert!(big.div_ceil(raised) <= MAX_PARTS);
        assert_eq!(part_size_for(1 << 30, Some(MIN_PART_SIZE)).unwrap(), 1 << 20, "raised in whole MiB");
        assert!(part_size_for(100, Some(MIN_PART_SIZE - 1)).is_err());
        assert!(part_size_for(100, Some(MAX_PART_SIZE + 1)).is_err());
        assert!(part_size_for(MAX_PARTS * MAX_PART_SIZE + 1, None).is_err());
        assert_eq!(part_size_for(MAX_PARTS * MAX_PART_SIZE, None).unwrap(), MAX_PART_SIZE);
    }

    #[test]
    fn pieces_cover_the_size_exactly() {
        assert!(pieces(0, 10).is_empty());
        assert_eq!(pieces(1, 10), [Piece { number: 1, offset: 0, len: 1 }]);
        assert_eq!(pieces(10, 10), [Piece { number: 1, offset: 0, len: 10 }]);
        let eleven = pieces(11, 10);
        assert_eq!(eleven, [Piece { number: 1, offset: 0, len: 10 }, Piece { number: 2, offset: 10, len: 1 }]);
        let many = pieces(1_000_001, 1000);
        assert_eq!(many.len(), 1001);
        assert_eq!(many.iter().map(|p| p.len).sum::<u64>(), 1_000_001);
        assert_eq!(many.last().map(|p| (p.number, p.offset, p.len)), Some((1001, 1_000_000, 1)));
    }

    #[test]
    fn sizes_parse_and_print() {
        assert_eq!(parse_size("8M").unwrap(), 8 << 20);
        assert_eq!(parse_size("8MiB").unwrap(), 8 << 20);
        assert_eq!(parse_size("512k").unwrap(), 512 << 10);
        assert_eq!(parse_size("1.5G").unwrap(), 3 << 29);
        assert_eq!(parse_size("102400").unwrap(), 102_400);
        assert!(parse_size("8X").is_err());
        assert!(parse_size("").is_err());
        assert_eq!(human_size(12), "12 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(300 << 20), "300 MiB");
    }
}
