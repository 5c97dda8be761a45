//! Recognising GB18030 (and its subsets GBK and GB2312), the usual encoding of Chinese text files
//! that are not UTF-8. The core carries no decoding tables: the bytes go to the web view, whose
//! `TextDecoder('gb18030')` decodes them.

/// Whether `bytes` (not UTF-8) read as GB18030: every byte is ASCII or part of a well-formed
/// two- or four-byte sequence, and there is at least one. A sequence cut at the end is allowed.
pub fn looks_like_gb18030(bytes: &[u8]) -> bool {
    let mut multibyte = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        if lead < 0x80 {
            if lead == 0 {
                return false;
            }
            i += 1;
            continue;
        }
        if !(0x81..=0xFE).contains(&lead) {
            return false;
        }
        let Some(&second) = bytes.get(i + 1) else { return true };
        if (0x40..=0xFE).contains(&second) && second != 0x7F {
            i += 2;
        } else if second.is_ascii_digit() {
            let (third, fourth) = (bytes.get(i + 2), bytes.get(i + 3));
            match (third, fourth) {
                (Some(0x81..=0xFE), Some(b'0'..=b'9')) | (Some(0x81..=0xFE), None) | (None, None) => i += 4,
                _ => return false,
            }
        } else {
            return false;
        }
        multibyte += 1;
    }
    multibyte > 0
}

#[cfg(test)]
mod tests {
    use super::looks_like_gb18030;

    #[test]
    fn chinese_in_gbk_and_gb18030_is_recognised() {
        // "中文 text, 你好" in GBK.
        assert!(looks_like_gb18030(b"\xD6\xD0\xCE\xC4 text, \xC4\xE3\xBA\xC3\n"));
        // A four-byte GB18030 sequence (U+00E9 é is 81 30 85 30), and one cut by the range.
        assert!(looks_like_gb18030(b"caf\x81\x30\x85\x30"));
        assert!(looks_like_gb18030(b"\xD6\xD0\xCE"));
    }

    #[test]
    fn ascii_binary_and_latin1_are_not() {
        assert!(!looks_like_gb18030(b"plain ascii"), "no multibyte sequence");
        assert!(!looks_like_gb18030(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
        assert!(!looks_like_gb18030(b"\xD6\xD0\x00\x01"), "NUL bytes are binary");
        assert!(!looks_like_gb18030(b"caf\xE9 au lait"), "Latin-1 é followed by a space is no pair");
        assert!(!looks_like_gb18030(b"\xFF\xFF"));
    }
}
