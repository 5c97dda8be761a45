//! `Content-Disposition: attachment` with an RFC 6266 / RFC 5987 `filename*` for any file name.

use crate::error::{Error, Result};
use crate::sign::encode::uri_encode;

/// `attachment; filename="ASCII fallback"; filename*=UTF-8''percent-encoded`.
/// Browsers that understand `filename*` (all current ones) use the exact UTF-8 name.
pub fn attachment_disposition(file_name: &str) -> Result<String> {
    let file_name = file_name.trim();
    if file_name.is_empty() {
        return Err(Error::invalid_input("the download file name is empty"));
    }
    if file_name.chars().any(|c| c.is_control() || c == '/' || c == '\\') {
        return Err(Error::invalid_input(format!(
            "the download file name '{}' may not contain '/', '\\' or control characters",
            file_name.escape_debug()
        )));
    }
    let fallback: String =
        file_name.chars().map(|c| if c.is_ascii() && c != '"' && c != '%' { c } else { '_' }).collect();
    Ok(format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{}", uri_encode(file_name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_names_are_kept_and_unicode_names_get_a_fallback() {
        assert_eq!(
            attachment_disposition("report 2024.pdf").unwrap(),
            "attachment; filename=\"report 2024.pdf\"; filename*=UTF-8''report%202024.pdf"
        );
        assert_eq!(
            attachment_disposition("报告.pdf").unwrap(),
            "attachment; filename=\"__.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf"
        );
        assert_eq!(
            attachment_disposition("a\"b%.txt").unwrap(),
            "attachment; filename=\"a_b_.txt\"; filename*=UTF-8''a%22b%25.txt"
        );
    }

    #[test]
    fn empty_and_path_like_names_are_refused() {
        assert!(attachment_disposition("  ").is_err());
        assert!(attachment_disposition("../etc/passwd").is_err());
        assert!(attachment_disposition("a\nb").is_err());
    }
}
