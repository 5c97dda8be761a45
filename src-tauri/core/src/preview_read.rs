//! Reading the bytes of a preview: an image (thumbnail or original), or
//! a bounded range of a PDF, audio or video for a player that seeks. Never the whole of a large
//! object: a range asks for at most [`MEDIA_CHUNK_BYTES`], and the player asks for the next.

use bytes::Bytes;

use crate::client::{Client, Idempotency};
use crate::error::Result;
use crate::ops::ByteRange;
use crate::preview::{image_preview_request, parse_range_header, PreviewKind};

/// The most one answer of a media range holds.
pub const MEDIA_CHUNK_BYTES: u64 = 2 << 20;
/// The longest side of an image preview's thumbnail.
pub const THUMBNAIL_SIDE: u32 = 1024;

/// An object the user chose to preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewTarget {
    pub bucket: String,
    pub key: String,
    pub version_id: Option<String>,
    pub size: u64,
    pub kind: PreviewKind,
}

/// What the web view gets: 200 with the whole body, or 206 with `content_range`.
#[derive(Debug)]
pub struct PreviewBytes {
    pub status: u16,
    pub content_type: Option<String>,
    pub content_range: Option<String>,
    pub body: Bytes,
}

/// The range to read for a player's `Range` header (none: from the start), at most one chunk.
pub fn media_range(range_header: Option<&str>, size: u64) -> Result<ByteRange> {
    let asked = match range_header {
        Some(header) => parse_range_header(header, size)?,
        None => ByteRange::from_offset(0),
    };
    let last = size.saturating_sub(1);
    let end = asked.end.unwrap_or(last).min(asked.start.saturating_add(MEDIA_CHUNK_BYTES - 1)).min(last);
    ByteRange::new(asked.start, end)
}

/// The bytes answering one request of the web view for `target`.
pub async fn read_preview(client: &Client, target: &PreviewTarget, range_header: Option<&str>) -> Result<PreviewBytes> {
    let version = target.version_id.as_deref();
    if target.kind == PreviewKind::Image {
        let request = image_preview_request(
            client.endpoint(),
            &target.bucket,
            &target.key,
            version,
            target.size,
            THUMBNAIL_SIDE,
        )?;
        let response = client.send("GetObject", &request, None, Idempotency::Idempotent).await?;
        let stored = response.headers().get("content-type").and_then(|v| v.to_str().ok());
        // An SVG is drawn only when named as one; pictures stored untyped get their extension's type.
        let content_type = match stored {
            Some(stored) if !is_untyped(stored) => Some(stored.to_owned()),
            _ => Some(crate::ops::guess_content_type(&target.key)),
        };
        let body = response.bytes().await.map_err(|err| {
            crate::Error::new(
                crate::ErrorKind::Network,
                format!("reading the preview of oss://{}/{} broke off: {err}; try again", target.bucket, target.key),
            )
        })?;
        return Ok(PreviewBytes { status: 200, content_type, content_range: None, body });
    }
    if target.size == 0 {
        return Ok(PreviewBytes { status: 200, content_type: None, content_range: None, body: Bytes::new() });
    }
    let range = media_range(range_header, target.size)?;
    let end = range.end.unwrap_or(target.size - 1);
    let object = client.get_object_version(&target.bucket, &target.key, version, Some(range)).await?;
    // A PDF is framed: it is served as a PDF whatever it was stored as, never as a page. A player
    // gets the type of the key's extension when the object was stored without a useful one.
    let content_type = match (target.kind, object.meta().content_type.as_deref()) {
        (PreviewKind::Pdf, _) => Some("application/pdf".to_owned()),
        (_, Some(stored)) if !is_untyped(stored) => Some(stored.to_owned()),
        _ => Some(crate::ops::guess_content_type(&target.key)),
    };
    let body = object.bytes().await?;
    let whole = range.start == 0 && end + 1 == target.size && range_header.is_none();
    Ok(PreviewBytes {
        status: if whole { 200 } else { 206 },
        content_type,
        content_range: (!whole).then(|| format!("bytes {}-{end}/{}", range.start, target.size)),
        body,
    })
}

fn is_untyped(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.is_empty() || essence.eq_ignore_ascii_case("application/octet-stream")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_media_range_is_at_most_one_chunk_and_inside_the_object() {
        let size = 10 * MEDIA_CHUNK_BYTES;
        let first = media_range(None, size).unwrap();
        assert_eq!((first.start, first.end), (0, Some(MEDIA_CHUNK_BYTES - 1)));
        let tail = media_range(Some("bytes=-100"), size).unwrap();
        assert_eq!((tail.start, tail.end), (size - 100, Some(size - 1)));
        let open = media_range(Some("bytes=5000-"), size).unwrap();
        assert_eq!(open.end, Some(5000 + MEDIA_CHUNK_BYTES - 1));
        let small = media_range(Some("bytes=0-"), 10).unwrap();
        assert_eq!(small.end, Some(9));
        assert!(media_range(Some("bytes=20-"), 10).is_err());
    }

    #[test]
    fn octet_streams_count_as_untyped() {
        assert!(is_untyped("application/octet-stream"));
        assert!(is_untyped(" "));
        assert!(!is_untyped("audio/wav; codecs=1"));
    }
}
