//! Preview support: which viewer an object gets, the text of its first MiB with the encoding
//! detected, whether a thumbnail comes from OSS's image processing, and the byte range a media
//! player asked for. Pure but for [`text_preview`]; media bytes come from
//! [`crate::client::Client::get_object_version`] with a range.

use crate::endpoint::Endpoint;
use crate::error::{Error, Result};
use crate::ops::{get_object_version_request, ByteRange};
use crate::request::OssRequest;

/// Bytes a text preview reads.
pub const TEXT_PREVIEW_BYTES: u64 = 1 << 20;
/// Images up to this size are shown as they are; bigger ones as a processed thumbnail.
pub const ORIGINAL_IMAGE_MAX_BYTES: u64 = 512 << 10;
/// OSS's image processing refuses sources above 20 MB.
pub const IMAGE_PROCESS_MAX_BYTES: u64 = 20 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum PreviewKind {
    Image,
    Text,
    Pdf,
    Audio,
    Video,
    Unsupported,
}

const TEXT_EXTENSIONS: &[&str] = &[
    "txt",
    "log",
    "md",
    "markdown",
    "csv",
    "tsv",
    "json",
    "jsonl",
    "ndjson",
    "xml",
    "yaml",
    "yml",
    "toml",
    "ini",
    "conf",
    "cfg",
    "html",
    "htm",
    "css",
    "js",
    "mjs",
    "ts",
    "tsx",
    "jsx",
    "svelte",
    "vue",
    "rs",
    "go",
    "py",
    "rb",
    "java",
    "kt",
    "c",
    "h",
    "cc",
    "cpp",
    "hpp",
    "cs",
    "php",
    "sh",
    "bash",
    "zsh",
    "sql",
    "lua",
    "swift",
    "r",
    "properties",
    "env",
    "gitignore",
    "dockerfile",
    "makefile",
];
const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "ico", "avif"];
const AUDIO_EXTENSIONS: &[&str] = &["mp3", "wav", "ogg", "oga", "m4a", "aac", "flac", "opus"];
const VIDEO_EXTENSIONS: &[&str] = &["mp4", "m4v", "webm", "ogv", "mov"];

/// The viewer for an object, from its Content-Type, else (for `application/octet-stream`,
/// missing or unknown types) from its key's extension.
pub fn preview_kind(content_type: Option<&str>, key: &str) -> PreviewKind {
    let essence = content_type.map(|t| t.split(';').next().unwrap_or(t).trim().to_ascii_lowercase());
    if let Some(kind) = essence.as_deref().and_then(kind_of_type) {
        return kind;
    }
    let name = key.rsplit('/').next().unwrap_or(key).to_ascii_lowercase();
    let extension = name.rsplit_once('.').map_or(name.as_str(), |(_, ext)| ext);
    let listed = |list: &[&str]| list.contains(&extension);
    if listed(IMAGE_EXTENSIONS) {
        PreviewKind::Image
    } else if listed(TEXT_EXTENSIONS) {
        PreviewKind::Text
    } else if extension == "pdf" {
        PreviewKind::Pdf
    } else if listed(AUDIO_EXTENSIONS) {
        PreviewKind::Audio
    } else if listed(VIDEO_EXTENSIONS) {
        PreviewKind::Video
    } else {
        PreviewKind::Unsupported
    }
}

/// The viewer for an object of `size` bytes: as [`preview_kind`], except that an image too big
/// for a thumbnail (OSS processes up to [`IMAGE_PROCESS_MAX_BYTES`]) would have to be read whole,
/// so it gets no preview, only its details and a download.
pub fn preview_kind_sized(content_type: Option<&str>, key: &str, size: u64) -> PreviewKind {
    match preview_kind(content_type, key) {
        PreviewKind::Image if size > IMAGE_PROCESS_MAX_BYTES => PreviewKind::Unsupported,
        kind => kind,
    }
}

fn kind_of_type(essence: &str) -> Option<PreviewKind> {
    let (top, sub) = essence.split_once('/')?;
    match (top, sub) {
        ("image", _) => Some(PreviewKind::Image),
        ("text", _) => Some(PreviewKind::Text),
        ("audio", _) => Some(PreviewKind::Audio),
        ("video", _) => Some(PreviewKind::Video),
        ("application", "pdf") => Some(PreviewKind::Pdf),
        ("application", "json" | "xml" | "javascript" | "x-sh" | "toml" | "yaml" | "x-yaml" | "sql") => {
            Some(PreviewKind::Text)
        }
        ("application", sub) if sub.ends_with("+json") || sub.ends_with("+xml") => Some(PreviewKind::Text),
        _ => None,
    }
}

/// A text preview: the decoded start of the object.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TextPreview {
    pub text: String,
    /// `UTF-8`, `UTF-16LE`, `UTF-16BE`, `GB18030`, or `binary` when the bytes are not text
    /// (shown lossily).
    pub encoding: String,
    /// The object is longer than what was read.
    pub truncated: bool,
    /// For GB18030 only: the bytes in base64, for the web view's `TextDecoder` (`text` is empty).
    pub undecoded: Option<String>,
}

/// Decodes the first bytes of an object: a BOM decides UTF-8 or UTF-16; otherwise UTF-8 (a
/// character cut at the end of the range is dropped), then GB18030 (left to the web view to
/// decode), and anything else is `binary`.
pub fn decode_text(bytes: &[u8], truncated: bool) -> TextPreview {
    let preview =
        |text: String, encoding: &str| TextPreview { text, encoding: encoding.to_owned(), truncated, undecoded: None };
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return preview(utf8_prefix(rest), "UTF-8");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return preview(utf16(rest, u16::from_le_bytes), "UTF-16LE");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return preview(utf16(rest, u16::from_be_bytes), "UTF-16BE");
    }
    match std::str::from_utf8(bytes) {
        Ok(text) if !text.contains('\0') => preview(text.to_owned(), "UTF-8"),
        Err(err) if err.error_len().is_none() => preview(utf8_prefix(bytes), "UTF-8"),
        _ if crate::gb18030::looks_like_gb18030(bytes) => {
            use base64::Engine as _;
            let undecoded = base64::engine::general_purpose::STANDARD.encode(bytes);
            TextPreview { undecoded: Some(undecoded), ..preview(String::new(), "GB18030") }
        }
        _ => preview(String::from_utf8_lossy(bytes).into_owned(), "binary"),
    }
}

fn utf8_prefix(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(err) => String::from_utf8_lossy(&bytes[..err.valid_up_to()]).into_owned(),
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}

/// Reads at most [`TEXT_PREVIEW_BYTES`] of an object (of `size` bytes) and decodes them.
pub async fn text_preview(
    client: &crate::client::Client,
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
    size: u64,
) -> Result<TextPreview> {
    if size == 0 {
        return Ok(decode_text(&[], false));
    }
    let range = ByteRange::with_len(0, size.min(TEXT_PREVIEW_BYTES))?;
    let bytes = client.get_object_version(bucket, key, version_id, Some(range)).await?.bytes().await?;
    Ok(decode_text(&bytes, size > TEXT_PREVIEW_BYTES))
}

/// Whether the endpoint runs OSS's image processing: Alibaba Cloud's and the local sandbox.
pub fn supports_image_processing(endpoint: &Endpoint) -> bool {
    let host = endpoint.host().to_ascii_lowercase();
    host.ends_with(".aliyuncs.com") || crate::client::is_loopback_host(&host)
}

/// The `x-oss-process` of a thumbnail that fits a `max_side` square, never enlarged.
pub fn thumbnail_process(max_side: u32) -> String {
    format!("image/resize,m_lfit,w_{max_side},h_{max_side},limit_1")
}

/// The GET for an image preview: the original when small (or when the endpoint cannot process
/// images, or the image is too big to process, or it is an SVG), else a thumbnail.
pub fn image_preview_request(
    endpoint: &Endpoint,
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
    size: u64,
    max_side: u32,
) -> Result<OssRequest> {
    let mut request = get_object_version_request(bucket, key, version_id, None)?;
    let is_svg = key.to_ascii_lowercase().ends_with(".svg");
    if size > ORIGINAL_IMAGE_MAX_BYTES
        && size <= IMAGE_PROCESS_MAX_BYTES
        && !is_svg
        && supports_image_processing(endpoint)
    {
        request.query.push(("x-oss-process".into(), thumbnail_process(max_side)));
    }
    Ok(request)
}

/// The range of a `Range: bytes=…` header from a media player, for an object of `size` bytes:
/// `bytes=0-`, `bytes=100-199`, `bytes=-500` (the last 500). One range only.
pub fn parse_range_header(header: &str, size: u64) -> Result<ByteRange> {
    let bad = || Error::invalid_input(format!("unsupported Range '{header}' for {size} bytes"));
    let spec = header.trim().strip_prefix("bytes=").ok_or_else(bad)?;
    if spec.contains(',') || size == 0 {
        return Err(bad());
    }
    let (start, end) = spec.split_once('-').ok_or_else(bad)?;
    let last = size - 1;
    if start.is_empty() {
        let suffix: u64 = end.parse().map_err(|_| bad())?;
        if suffix == 0 {
            return Err(bad());
        }
        return ByteRange::new(size.saturating_sub(suffix), last);
    }
    let start: u64 = start.parse().map_err(|_| bad())?;
    let end: u64 = if end.is_empty() { last } else { end.parse::<u64>().map_err(|_| bad())?.min(last) };
    if start > last {
        return Err(bad());
    }
    ByteRange::new(start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Addressing;

    #[test]
    fn kinds_come_from_the_type_then_the_extension() {
        assert_eq!(preview_kind(Some("image/png"), "x.bin"), PreviewKind::Image);
        assert_eq!(preview_kind_sized(None, "big.png", IMAGE_PROCESS_MAX_BYTES), PreviewKind::Image);
        assert_eq!(preview_kind_sized(None, "huge.png", IMAGE_PROCESS_MAX_BYTES + 1), PreviewKind::Unsupported);
        assert_eq!(preview_kind_sized(None, "huge.mp4", IMAGE_PROCESS_MAX_BYTES + 1), PreviewKind::Video);
        assert_eq!(preview_kind(Some("text/plain; charset=utf-8"), "x"), PreviewKind::Text);
        assert_eq!(preview_kind(Some("application/json"), "x"), PreviewKind::Text);
        assert_eq!(preview_kind(Some("application/pdf"), "x"), PreviewKind::Pdf);
        assert_eq!(preview_kind(Some("application/octet-stream"), "dir/Photo.JPG"), PreviewKind::Image);
        assert_eq!(preview_kind(None, "logo.svg"), PreviewKind::Image);
        assert_eq!(preview_kind(None, "notes.md"), PreviewKind::Text);
        assert_eq!(preview_kind(None, "song.mp3"), PreviewKind::Audio);
        assert_eq!(preview_kind(Some("video/mp4"), "clip"), PreviewKind::Video);
        assert_eq!(preview_kind(Some("application/zip"), "a.zip"), PreviewKind::Unsupported);
        assert_eq!(preview_kind(None, "README"), PreviewKind::Unsupported);
    }

    #[test]
    fn text_encodings_are_detected() {
        assert_eq!(decode_text("héllo".as_bytes(), false).encoding, "UTF-8");
        let bom = decode_text(b"\xEF\xBB\xBFhi", true);
        assert_eq!((bom.text.as_str(), bom.encoding.as_str(), bom.truncated), ("hi", "UTF-8", true));
        let le = decode_text(b"\xFF\xFEh\0i\0", false);
        assert_eq!((le.text.as_str(), le.encoding.as_str()), ("hi", "UTF-16LE"));
        let be = decode_text(b"\xFE\xFF\0h\0i", false);
        assert_eq!((be.text.as_str(), be.encoding.as_str()), ("hi", "UTF-16BE"));
        let cut = decode_text(&"aé".as_bytes()[..2], true);
        assert_eq!(
            (cut.text.as_str(), cut.encoding.as_str()),
            ("a", "UTF-8"),
            "a character cut by the range is dropped"
        );
        assert_eq!(decode_text(b"\x00\x01\xFF\xFE\x80", false).encoding, "binary");
        let gbk = decode_text(b"\xC4\xE3\xBA\xC3", false);
        assert_eq!((gbk.text.as_str(), gbk.encoding.as_str()), ("", "GB18030"));
        assert_eq!(gbk.undecoded.as_deref(), Some("xOO6ww=="));
        assert_eq!(decode_text("你好".as_bytes(), false).undecoded, None, "UTF-8 is decoded here");
    }

    #[test]
    fn thumbnails_only_for_big_images_on_endpoints_that_process_them() {
        let aliyun = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual).unwrap();
        let sandbox = Endpoint::parse("http://127.0.0.1:9000", Addressing::Path).unwrap();
        let other = Endpoint::parse("https://s3.example.com", Addressing::Path).unwrap();
        let process = |endpoint: &Endpoint, key: &str, size: u64| {
            let request = image_preview_request(endpoint, "b12", key, Some("v1"), size, 256).unwrap();
            request.query.iter().find(|(k, _)| k == "x-oss-process").map(|(_, v)| v.clone())
        };
        assert_eq!(process(&aliyun, "a.jpg", 5 << 20).as_deref(), Some("image/resize,m_lfit,w_256,h_256,limit_1"));
        assert!(process(&sandbox, "a.jpg", 5 << 20).is_some());
        assert_eq!(process(&other, "a.jpg", 5 << 20), None);
        assert_eq!(process(&aliyun, "a.jpg", 10 << 10), None, "small: the original");
        assert_eq!(process(&aliyun, "a.svg", 5 << 20), None);
        assert_eq!(process(&aliyun, "a.jpg", 30 << 20), None, "too big to process");
    }

    #[test]
    fn range_headers_of_media_players() {
        assert_eq!(parse_range_header("bytes=0-", 100).unwrap(), ByteRange::new(0, 99).unwrap());
        assert_eq!(parse_range_header("bytes=10-19", 100).unwrap(), ByteRange::new(10, 19).unwrap());
        assert_eq!(parse_range_header("bytes=90-500", 100).unwrap(), ByteRange::new(90, 99).unwrap());
        assert_eq!(parse_range_header("bytes=-30", 100).unwrap(), ByteRange::new(70, 99).unwrap());
        assert!(parse_range_header("bytes=100-", 100).is_err());
        assert!(parse_range_header("bytes=0-1,5-6", 100).is_err());
        assert!(parse_range_header("items=0-1", 100).is_err());
    }
}
