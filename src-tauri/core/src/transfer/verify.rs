//! How a finished transfer's bytes were checked: against OSS's CRC-64, against an MD5 when a
//! server in front of OSS (a CDN, a custom domain) drops the CRC-64 header, or not at all.

use std::path::Path;

use base64::Engine as _;
use serde::Serialize;

use super::env::task_failed;
use super::local::md5_of_range;
use crate::client::ObjectMeta;
use crate::error::{Error, Result};

/// What the bytes of a finished transfer were compared with. `None` is never called verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum Verification {
    /// The object's `x-oss-hash-crc64ecma`.
    Crc64,
    /// The object's `Content-MD5`, or the ETag of an object written in one piece (its MD5).
    Md5,
    /// The server sent no checksum to compare with.
    None,
}

/// The MD5 the object's headers promise: `Content-MD5`, else an ETag that is a plain MD5 (32 hex
/// digits) of an object that is not multipart or appendable (theirs are not MD5s of the bytes).
pub(crate) fn expected_md5(meta: &ObjectMeta) -> Option<[u8; 16]> {
    if let Some(md5) = meta.content_md5.as_deref().and_then(decode_content_md5) {
        return Some(md5);
    }
    let whole = meta.object_type.as_deref().is_none_or(|kind| kind.eq_ignore_ascii_case("Normal"));
    let etag = meta.etag.as_deref()?.trim().trim_matches('"');
    if !whole || etag.len() != 32 {
        return None;
    }
    hex::decode(etag).ok()?.try_into().ok()
}

fn decode_content_md5(text: &str) -> Option<[u8; 16]> {
    base64::engine::general_purpose::STANDARD.decode(text.trim()).ok()?.try_into().ok()
}

/// For a download that came without a CRC-64: compares the `size` bytes written to `file` with
/// the MD5 the headers promise. `Md5` when they match, `None` when nothing was promised, and an
/// `integrity` error naming `source` and `destination` when they differ.
pub(crate) async fn by_md5(
    meta: &ObjectMeta,
    file: &Path,
    size: u64,
    source: &str,
    destination: &Path,
) -> Result<Verification> {
    let Some(expected) = expected_md5(meta) else { return Ok(Verification::None) };
    let path = file.to_path_buf();
    let actual = tokio::task::spawn_blocking(move || md5_of_range(&path, 0, size)).await.map_err(task_failed)??;
    if actual == expected {
        return Ok(Verification::Md5);
    }
    Err(Error::integrity(format!(
        "MD5 mismatch: {source} has MD5 {} but the downloaded bytes have {}; nothing was written under '{}'",
        hex::encode(expected),
        hex::encode(actual),
        destination.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(etag: Option<&str>, object_type: Option<&str>, content_md5: Option<&str>) -> ObjectMeta {
        ObjectMeta {
            etag: etag.map(str::to_owned),
            object_type: object_type.map(str::to_owned),
            content_md5: content_md5.map(str::to_owned),
            ..ObjectMeta::default()
        }
    }

    #[test]
    fn the_md5_comes_from_content_md5_or_a_plain_etag_only() {
        // MD5 of "abc".
        let abc = "900150983cd24fb0d6963f7d28e17f72";
        let digest: [u8; 16] = hex::decode(abc).unwrap().try_into().unwrap();
        let quoted = format!("\"{}\"", abc.to_uppercase());
        assert_eq!(expected_md5(&meta(None, None, Some("kAFQmDzST7DWlj99KOF/cg=="))), Some(digest));
        assert_eq!(expected_md5(&meta(Some(&quoted), Some("Normal"), None)), Some(digest));
        assert_eq!(expected_md5(&meta(Some(&quoted), None, None)), Some(digest));
        assert_eq!(expected_md5(&meta(Some(&quoted), Some("Multipart"), None)), None);
        assert_eq!(expected_md5(&meta(Some(&quoted), Some("Appendable"), None)), None);
        assert_eq!(expected_md5(&meta(Some("\"0CC175B9C0F1B6A831C399E269772661-3\""), None, None)), None);
        assert_eq!(expected_md5(&meta(Some("W/\"5f1a-3c\""), None, None)), None);
        assert_eq!(expected_md5(&meta(None, None, Some("not base64"))), None);
        assert_eq!(expected_md5(&meta(None, None, None)), None);
    }

    #[test]
    fn verifications_serialize_as_the_ui_reads_them() {
        let names: Vec<String> = [Verification::Crc64, Verification::Md5, Verification::None]
            .iter()
            .map(|v| serde_json::to_string(v).unwrap())
            .collect();
        assert_eq!(names, ["\"crc64\"", "\"md5\"", "\"none\""]);
    }

    #[tokio::test]
    async fn written_bytes_are_compared_with_the_promised_md5() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("part");
        std::fs::write(&file, b"abc").unwrap();
        let target = dir.path().join("abc.txt");
        let right = meta(None, None, Some("kAFQmDzST7DWlj99KOF/cg=="));
        assert_eq!(by_md5(&right, &file, 3, "oss://b/abc.txt", &target).await.unwrap(), Verification::Md5);
        assert_eq!(
            by_md5(&meta(None, None, None), &file, 3, "oss://b/abc.txt", &target).await.unwrap(),
            Verification::None
        );
        // The MD5 of "abd".
        let wrong = meta(Some("\"4911E516E5AA21D327512E0C8B197616\""), Some("Normal"), None);
        let err = by_md5(&wrong, &file, 3, "oss://b/abc.txt", &target).await.unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::Integrity);
        assert!(err.message().starts_with("MD5 mismatch: oss://b/abc.txt"), "{err}");
        assert!(err.message().contains("nothing was written under"), "{err}");
    }
}
