//! What goes up (an upload [`Body`] that can be rebuilt for a retry) and what comes down
//! (an [`ObjectBody`]: the object's metadata and its bytes as a stream).

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use base64::Engine as _;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt, TryStreamExt};
use reqwest::header::HeaderMap;
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWrite, AsyncWriteExt};

use crate::error::{Error, ErrorKind, Result};

/// A stream of body chunks.
pub type ByteStream = Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send>>;

type StreamFuture = Pin<Box<dyn Future<Output = Result<ByteStream>> + Send>>;
type Factory = Arc<dyn Fn() -> StreamFuture + Send + Sync>;

/// An upload body. Bytes, a file (or a range of one) and a factory can be sent again, so
/// requests with them are retried; a one-shot stream cannot, so a request with it is tried once.
#[derive(Clone)]
pub struct Body {
    inner: Inner,
    /// Base64 of the MD5 of the bytes, sent as `Content-MD5` so OSS refuses a body damaged on the way.
    content_md5: Option<String>,
}

#[derive(Clone)]
enum Inner {
    Bytes(Bytes),
    File { path: PathBuf, offset: u64, len: u64 },
    Factory { len: u64, make: Factory },
    Once { len: u64, stream: Arc<Mutex<Option<ByteStream>>> },
}

const FILE_CHUNK: usize = 256 * 1024;

impl Body {
    pub fn empty() -> Self {
        Self::from_bytes(Bytes::new())
    }

    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        Self { inner: Inner::Bytes(bytes.into()), content_md5: None }
    }

    /// A whole file; its length is read now, its content streamed at each send.
    pub async fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let metadata = tokio::fs::metadata(&path).await.map_err(|err| io_error(&path, "read", err))?;
        if !metadata.is_file() {
            return Err(Error::invalid_input(format!("'{}' is not a file", path.display())));
        }
        Ok(Self { inner: Inner::File { path, offset: 0, len: metadata.len() }, content_md5: None })
    }

    /// `len` bytes of a file from `offset`: one part of a multipart upload.
    pub fn file_range(path: impl Into<PathBuf>, offset: u64, len: u64) -> Self {
        Self { inner: Inner::File { path: path.into(), offset, len }, content_md5: None }
    }

    /// A body of `len` bytes that `make` produces afresh for each attempt.
    pub fn from_factory<F, Fut>(len: u64, make: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<ByteStream>> + Send + 'static,
    {
        let make: Factory = Arc::new(move || Box::pin(make()) as StreamFuture);
        Self { inner: Inner::Factory { len, make }, content_md5: None }
    }

    /// A stream of exactly `len` bytes that can be sent once: requests with it are not retried.
    pub fn from_stream<S>(len: u64, stream: S) -> Self
    where
        S: Stream<Item = std::io::Result<Bytes>> + Send + 'static,
    {
        Self { inner: Inner::Once { len, stream: Arc::new(Mutex::new(Some(Box::pin(stream)))) }, content_md5: None }
    }

    /// Sends `Content-MD5` with these bytes' MD5 (16 bytes), so OSS answers 400 InvalidDigest
    /// when what arrives differs. The caller computes it over the same bytes the body produces.
    pub fn with_md5(mut self, md5: [u8; 16]) -> Self {
        self.content_md5 = Some(base64::engine::general_purpose::STANDARD.encode(md5));
        self
    }

    /// The `Content-MD5` value to send, if set.
    pub fn content_md5(&self) -> Option<&str> {
        self.content_md5.as_deref()
    }

    /// The number of bytes, sent as Content-Length.
    pub fn len(&self) -> u64 {
        match &self.inner {
            Inner::Bytes(bytes) => bytes.len() as u64,
            Inner::File { len, .. } | Inner::Factory { len, .. } | Inner::Once { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the body can be produced again for a retry.
    pub fn is_replayable(&self) -> bool {
        !matches!(self.inner, Inner::Once { .. })
    }

    /// The file the body reads, if it is one (the Content-Type is guessed from its name).
    pub fn file_path(&self) -> Option<&Path> {
        match &self.inner {
            Inner::File { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The body for one attempt.
    pub(crate) async fn open(&self) -> Result<reqwest::Body> {
        match &self.inner {
            Inner::Bytes(bytes) => Ok(reqwest::Body::from(bytes.clone())),
            Inner::File { path, offset, len } => {
                let mut file = tokio::fs::File::open(path).await.map_err(|err| io_error(path, "read", err))?;
                let size = file.metadata().await.map_err(|err| io_error(path, "read", err))?.len();
                if offset.saturating_add(*len) > size {
                    return Err(Error::new(
                        ErrorKind::Io,
                        format!(
                            "'{}' has {size} bytes, fewer than the {len} to send from byte {offset}",
                            path.display()
                        ),
                    ));
                }
                file.seek(std::io::SeekFrom::Start(*offset)).await.map_err(|err| io_error(path, "read", err))?;
                let reader = file.take(*len);
                Ok(reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::with_capacity(reader, FILE_CHUNK)))
            }
            Inner::Factory { make, .. } => Ok(reqwest::Body::wrap_stream(make().await?)),
            Inner::Once { stream, .. } => {
                let taken = stream.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
                match taken {
                    Some(stream) => Ok(reqwest::Body::wrap_stream(stream)),
                    None => Err(Error::invalid_input("this upload body is a one-shot stream and was already sent")),
                }
            }
        }
    }
}

pub(crate) fn io_error(path: &Path, action: &str, err: std::io::Error) -> Error {
    let kind = if err.kind() == std::io::ErrorKind::NotFound { ErrorKind::InvalidInput } else { ErrorKind::Io };
    Error::new(kind, format!("cannot {action} '{}': {err}", path.display())).with_source(err)
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Bytes(bytes) => f.debug_struct("Body::Bytes").field("len", &bytes.len()).finish(),
            Inner::File { path, offset, len } => {
                f.debug_struct("Body::File").field("path", path).field("offset", offset).field("len", len).finish()
            }
            Inner::Factory { len, .. } => f.debug_struct("Body::Factory").field("len", len).finish(),
            Inner::Once { len, .. } => f.debug_struct("Body::Once").field("len", len).finish(),
        }
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Self::from_bytes(bytes)
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Self::from_bytes(bytes)
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Self::from_bytes(bytes)
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Self::from_bytes(text)
    }
}

/// An object's metadata as the response headers of HeadObject, GetObject and GetObjectMeta carry it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    /// The bytes in this response: the object's size for HEAD and whole GETs, the range's for ranged GETs.
    pub content_length: Option<u64>,
    pub content_type: Option<String>,
    /// `bytes START-END/TOTAL` for a ranged GET.
    pub content_range: Option<String>,
    /// As OSS sends it, quotes included.
    pub etag: Option<String>,
    pub last_modified: Option<DateTime<Utc>>,
    pub cache_control: Option<String>,
    pub content_disposition: Option<String>,
    pub content_encoding: Option<String>,
    pub content_language: Option<String>,
    pub expires: Option<String>,
    /// `x-oss-restore` as sent: `ongoing-request="true"`, or `ongoing-request="false", expiry-date="…"`.
    pub restore: Option<String>,
    /// `x-oss-hash-crc64ecma`: CRC-64/XZ of the whole object.
    pub crc64: Option<u64>,
    /// `Content-MD5` (base64): OSS sends it for objects written by a single PutObject.
    pub content_md5: Option<String>,
    pub storage_class: Option<String>,
    /// `x-oss-object-type`: `Normal`, `Multipart`, `Appendable` or `Symlink`.
    pub object_type: Option<String>,
    pub version_id: Option<String>,
    /// `x-oss-last-access-time`, from GetObjectMeta when access tracking is on.
    pub last_access_time: Option<DateTime<Utc>>,
    /// `x-oss-meta-NAME` headers, NAME without the prefix, in response order.
    pub metadata: Vec<(String, String)>,
    pub request_id: Option<String>,
}

impl ObjectMeta {
    pub(crate) fn from_headers(headers: &HeaderMap) -> Self {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let time =
            |name: &str| text(name).and_then(|v| DateTime::parse_from_rfc2822(&v).ok()).map(|t| t.with_timezone(&Utc));
        let metadata = headers
            .iter()
            .filter_map(|(name, value)| {
                let name = name.as_str().strip_prefix("x-oss-meta-")?;
                Some((name.to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            })
            .collect();
        Self {
            content_length: text("content-length").and_then(|v| v.parse().ok()),
            content_type: text("content-type"),
            content_range: text("content-range"),
            etag: text("etag"),
            last_modified: time("last-modified"),
            cache_control: text("cache-control"),
            content_disposition: text("content-disposition"),
            content_encoding: text("content-encoding"),
            content_language: text("content-language"),
            expires: text("expires"),
            restore: text("x-oss-restore"),
            crc64: text("x-oss-hash-crc64ecma").and_then(|v| v.trim().parse().ok()),
            content_md5: text("content-md5"),
            storage_class: text("x-oss-storage-class"),
            object_type: text("x-oss-object-type"),
            version_id: text("x-oss-version-id"),
            last_access_time: time("x-oss-last-access-time"),
            metadata,
            request_id: text("x-oss-request-id"),
        }
    }

    /// The value of `x-oss-meta-NAME`, NAME in any letter case.
    pub fn meta(&self, name: &str) -> Option<&str> {
        self.metadata.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A downloaded object: its metadata, and its bytes as a stream that yields [`Error`]s of kind
/// `Network` when the connection breaks (resume with a range from the bytes already received).
pub struct ObjectBody {
    meta: ObjectMeta,
    stream: Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>,
}

impl ObjectBody {
    pub(crate) fn new(meta: ObjectMeta, response: reqwest::Response, what: String) -> Self {
        let stream = response.bytes_stream().map_err(move |err| {
            Error::new(
                ErrorKind::Network,
                format!("{what}: the download broke off: {}", super::describe::describe(&err)),
            )
        });
        Self { meta, stream: Box::pin(stream) }
    }

    pub fn meta(&self) -> &ObjectMeta {
        &self.meta
    }

    /// Reads the whole body into memory.
    pub async fn bytes(mut self) -> Result<Bytes> {
        let mut out = Vec::with_capacity(self.meta.content_length.unwrap_or(0).min(64 << 20) as usize);
        while let Some(chunk) = self.stream.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(Bytes::from(out))
    }

    /// Copies the body into `writer`, returning the number of bytes written.
    pub async fn write_to<W: AsyncWrite + Unpin>(mut self, writer: &mut W) -> Result<u64> {
        let mut written = 0u64;
        while let Some(chunk) = self.stream.next().await {
            let chunk = chunk?;
            writer
                .write_all(&chunk)
                .await
                .map_err(|err| Error::new(ErrorKind::Io, format!("cannot write the download: {err}")))?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(|err| Error::new(ErrorKind::Io, format!("cannot write the download: {err}")))?;
        Ok(written)
    }

    /// The metadata and the byte stream, apart.
    pub fn into_parts(self) -> (ObjectMeta, Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>) {
        (self.meta, self.stream)
    }
}

impl Stream for ObjectBody {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.stream.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for ObjectBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectBody").field("meta", &self.meta).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};

    #[test]
    fn object_meta_reads_the_documented_headers() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("content-length", "344606"),
            ("content-type", "image/jpg"),
            ("etag", "\"fba9dede5f27731c9771645a3986****\""),
            ("last-modified", "Fri, 24 Feb 2012 06:07:48 GMT"),
            ("x-oss-hash-crc64ecma", "316181249502703****".replace('*', "1").as_str()),
            ("x-oss-object-type", "Normal"),
            ("x-oss-storage-class", "Archive"),
            ("x-oss-meta-author", "alice"),
            ("x-oss-request-id", "559CC9BDC755F95A6448****"),
            ("x-oss-last-access-time", "Thu, 14 Oct 2021 11:49:05 GMT"),
        ] {
            headers.insert(HeaderName::from_static(name), HeaderValue::from_str(value).unwrap());
        }
        let meta = ObjectMeta::from_headers(&headers);
        assert_eq!(meta.content_length, Some(344_606));
        assert_eq!(meta.etag.as_deref(), Some("\"fba9dede5f27731c9771645a3986****\""));
        assert_eq!(meta.last_modified.unwrap().to_rfc3339(), "2012-02-24T06:07:48+00:00");
        assert_eq!(meta.crc64, Some(3_161_812_495_027_031_111));
        assert_eq!(meta.meta("Author"), Some("alice"));
        assert_eq!(meta.storage_class.as_deref(), Some("Archive"));
        assert!(meta.last_access_time.is_some());
        assert_eq!(meta.request_id.as_deref(), Some("559CC9BDC755F95A6448****"));
    }

    #[tokio::test]
    async fn file_ranges_are_replayable_and_checked_against_the_file_size() {
        let dir = std::env::temp_dir().join(format!("osslite-body-{}", std::process::id()));
        tokio::fs::create_dir_all(&dir).await.unwrap();
        let path = dir.join("data.bin");
        tokio::fs::write(&path, b"0123456789").await.unwrap();

        let body = Body::file_range(&path, 2, 5);
        assert!(body.is_replayable());
        assert_eq!(body.len(), 5);
        assert!(body.open().await.is_ok());
        assert!(body.open().await.is_ok(), "opened again for a retry");
        let too_long = Body::file_range(&path, 8, 5);
        assert_eq!(too_long.open().await.unwrap_err().kind(), ErrorKind::Io);
        assert_eq!(Body::from_file(&path).await.unwrap().len(), 10);
        assert_eq!(Body::from_file(dir.join("missing")).await.unwrap_err().kind(), ErrorKind::InvalidInput);

        let once = Body::from_stream(3, futures_util::stream::iter([Ok(Bytes::from_static(b"abc"))]));
        assert!(!once.is_replayable());
        assert!(once.open().await.is_ok());
        assert!(once.open().await.is_err(), "a one-shot stream cannot be sent twice");
        tokio::fs::remove_dir_all(&dir).await.unwrap();
    }
}
