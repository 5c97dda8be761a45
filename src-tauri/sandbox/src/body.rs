//! Request and response bodies, streamed: uploads are read frame by frame, downloads are read
//! from disk on a blocking thread, and both honour the bandwidth cap; responses also honour
//! the drop-after-N-bytes fault and report the bytes they actually sent to the request log.

use std::future::Future;
use std::io::{self, Read};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::StatusCode;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;
use tokio::time::Sleep;

use crate::error::{OssError, OssResult};
use crate::faults::Throttle;
use crate::request_log::RequestLog;

const FILE_CHUNK: usize = 256 * 1024;
const FILE_CHUNKS_IN_FLIGHT: usize = 4;
/// How long a body due to be cut waits so the bytes before the cut reach the client.
const DROP_FLUSH_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);

/// The body of a request, counted into `bytes_in` and paced by the bandwidth cap.
pub struct RequestBody {
    incoming: Option<Incoming>,
    bytes_in: Arc<AtomicU64>,
    throttle: Option<Throttle>,
    idle_timeout: Option<Duration>,
    timed_out: bool,
    /// The SHA-256 the signed request claims for the body, and the hash of what arrived so far.
    sha256: Option<([u8; 32], Sha256)>,
    /// The `damage_request_bodies` fault, until it has flipped a byte.
    damage: bool,
}

impl RequestBody {
    pub fn new(incoming: Incoming, bytes_in: Arc<AtomicU64>, bandwidth: Option<u64>) -> Self {
        Self {
            incoming: Some(incoming),
            bytes_in,
            throttle: bandwidth.map(Throttle::new),
            idle_timeout: None,
            timed_out: false,
            sha256: None,
            damage: false,
        }
    }

    /// Flips the first byte that arrives (the `damage_request_bodies` fault).
    pub fn with_damage(mut self, damage: bool) -> Self {
        self.damage = damage;
        self
    }

    /// A client that sends nothing for `timeout` while its body is awaited fails the request
    /// (400 RequestTimeout) and loses the connection, so a stalled upload holds nothing for long.
    pub fn with_idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// The body must hash to `digest`; at its end a mismatch is an error instead of the end.
    pub fn expect_sha256(&mut self, digest: [u8; 32]) {
        self.sha256 = Some((digest, Sha256::new()));
    }

    /// Whether the client stalled past the idle timeout: its connection is not to be reused.
    pub fn timed_out(&self) -> bool {
        self.timed_out
    }

    /// The next piece of data, `None` at the end. A client that goes away mid-body is an error.
    pub async fn chunk(&mut self) -> OssResult<Option<Bytes>> {
        loop {
            let Some(incoming) = self.incoming.as_mut() else { return Ok(None) };
            let next_frame = std::future::poll_fn(|cx| Pin::new(&mut *incoming).poll_frame(cx));
            let frame = match self.idle_timeout {
                Some(timeout) => match tokio::time::timeout(timeout, next_frame).await {
                    Ok(frame) => frame,
                    Err(_elapsed) => {
                        self.incoming = None;
                        self.timed_out = true;
                        return Err(OssError::new(
                            StatusCode::BAD_REQUEST,
                            "RequestTimeout",
                            format!(
                                "Your socket connection to the server was not read from or written to within the timeout period ({} s).",
                                timeout.as_secs_f32()
                            ),
                        ));
                    }
                },
                None => next_frame.await,
            };
            let data = match frame {
                None => {
                    self.incoming = None;
                    self.check_sha256()?;
                    return Ok(None);
                }
                Some(Err(err)) => {
                    self.incoming = None;
                    return Err(OssError::new(
                        StatusCode::BAD_REQUEST,
                        "IncompleteBody",
                        format!("The request body ended before it was complete: {err}."),
                    ));
                }
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) => data,
                    Err(_trailers) => continue,
                },
            };
            let data = if self.damage && !data.is_empty() {
                self.damage = false;
                let mut damaged = data.to_vec();
                damaged[0] ^= 0xFF;
                Bytes::from(damaged)
            } else {
                data
            };
            self.bytes_in.fetch_add(data.len() as u64, Ordering::Relaxed);
            if let Some((_, hasher)) = self.sha256.as_mut() {
                hasher.update(&data);
            }
            if let Some(wait) = self.throttle.as_mut().and_then(|t| t.delay_after(data.len())) {
                tokio::time::sleep(wait).await;
            }
            return Ok(Some(data));
        }
    }

    fn check_sha256(&mut self) -> OssResult<()> {
        let Some((claimed, hasher)) = self.sha256.take() else { return Ok(()) };
        let received: [u8; 32] = hasher.finalize().into();
        if received == claimed {
            return Ok(());
        }
        Err(OssError::invalid_argument("The x-oss-content-sha256 you specified did not match what we received.")
            .with_ec("0002-00000214")
            .with_detail("ClientComputedContentSHA256", hex::encode(claimed))
            .with_detail("OSSComputedContentSHA256", hex::encode(received)))
    }

    /// The whole body in memory, for XML documents; more than `limit` bytes is an error.
    pub async fn read_to_vec(&mut self, limit: usize) -> OssResult<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(data) = self.chunk().await? {
            if out.len() + data.len() > limit {
                return Err(OssError::new(
                    StatusCode::BAD_REQUEST,
                    "EntityTooLarge",
                    format!("Your proposed body exceeds the maximum allowed size of {limit} bytes."),
                ));
            }
            out.extend_from_slice(&data);
        }
        Ok(out)
    }

    /// Reads and discards up to `limit` bytes so the client can read the answer; beyond that the
    /// connection is closed instead.
    pub async fn drain(&mut self, limit: u64) {
        let mut drained = 0u64;
        while drained < limit {
            match self.chunk().await {
                Ok(Some(data)) => drained += data.len() as u64,
                _ => return,
            }
        }
    }

    pub fn is_finished(&self) -> bool {
        self.incoming.as_ref().is_none_or(|incoming| incoming.is_end_stream())
    }
}

enum Source {
    Full(Option<Bytes>),
    File(mpsc::Receiver<io::Result<Bytes>>),
}

/// Where a response reports what it sent.
pub struct Meter {
    pub log: Arc<RequestLog>,
    pub seq: u64,
}

/// A response body: in memory or streamed from a file, with the response faults applied.
pub struct ResponseBody {
    source: Source,
    length: u64,
    sent: u64,
    pending: Option<Bytes>,
    drop_after: Option<u64>,
    drop_armed: bool,
    throttle: Option<Throttle>,
    sleep: Option<Pin<Box<Sleep>>>,
    meter: Option<Meter>,
}

impl ResponseBody {
    pub fn empty() -> Self {
        Self::full(Bytes::new())
    }

    pub fn full(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        let length = bytes.len() as u64;
        Self::with_source(Source::Full((!bytes.is_empty()).then_some(bytes)), length)
    }

    /// `length` bytes of `reader` (files on disk), read on a blocking thread.
    pub fn reader(reader: impl Read + Send + 'static, length: u64) -> Self {
        let (sender, receiver) = mpsc::channel(FILE_CHUNKS_IN_FLIGHT);
        tokio::task::spawn_blocking(move || stream_reader(reader, length, &sender));
        Self::with_source(Source::File(receiver), length)
    }

    fn with_source(source: Source, length: u64) -> Self {
        Self {
            source,
            length,
            sent: 0,
            pending: None,
            drop_after: None,
            drop_armed: false,
            throttle: None,
            sleep: None,
            meter: None,
        }
    }

    pub fn len(&self) -> u64 {
        self.length
    }

    pub fn with_faults(mut self, drop_after: Option<u64>, bandwidth: Option<u64>) -> Self {
        self.drop_after = drop_after;
        self.throttle = bandwidth.map(Throttle::new);
        self
    }

    pub fn with_meter(mut self, meter: Meter) -> Self {
        self.meter = Some(meter);
        self
    }

    fn poll_source(&mut self, cx: &mut Context<'_>) -> Poll<Option<io::Result<Bytes>>> {
        match &mut self.source {
            Source::Full(bytes) => Poll::Ready(bytes.take().map(Ok)),
            Source::File(receiver) => receiver.poll_recv(cx),
        }
    }
}

fn stream_reader(mut file: impl Read, length: u64, sender: &mpsc::Sender<io::Result<Bytes>>) {
    let mut remaining = length;
    while remaining > 0 {
        let mut buffer = vec![0u8; (remaining as usize).min(FILE_CHUNK)];
        let read = match file.read(&mut buffer) {
            Ok(0) => {
                Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the object's file is shorter than its metadata says"))
            }
            Ok(read) => Ok(read),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => Err(err),
        };
        match read {
            Ok(read) => {
                buffer.truncate(read);
                remaining -= read as u64;
                if sender.blocking_send(Ok(Bytes::from(buffer))).is_err() {
                    return; // the client went away
                }
            }
            Err(err) => {
                let _ = sender.blocking_send(Err(err));
                return;
            }
        }
    }
}

impl Body for ResponseBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = &mut *self;
        loop {
            if let Some(sleep) = this.sleep.as_mut() {
                ready!(sleep.as_mut().poll(cx));
                this.sleep = None;
            }
            let chunk = match this.pending.take() {
                Some(chunk) => chunk,
                None => match ready!(this.poll_source(cx)) {
                    None => return Poll::Ready(None),
                    Some(Err(err)) => return Poll::Ready(Some(Err(err))),
                    Some(Ok(chunk)) if chunk.is_empty() => continue,
                    Some(Ok(chunk)) => chunk,
                },
            };
            let mut allowed = chunk.len();
            if let Some(limit) = this.drop_after {
                if this.sent >= limit {
                    // Pause once first: while the body is pending, hyper flushes what it buffered,
                    // so the client really receives the headers and the first `limit` bytes.
                    if !this.drop_armed {
                        this.drop_armed = true;
                        this.pending = Some(chunk);
                        this.sleep = Some(Box::pin(tokio::time::sleep(DROP_FLUSH_PAUSE)));
                        continue;
                    }
                    return Poll::Ready(Some(Err(io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        "injected fault: connection dropped",
                    ))));
                }
                allowed = allowed.min((limit - this.sent).try_into().unwrap_or(usize::MAX));
            }
            if let Some(throttle) = &this.throttle {
                allowed = allowed.min(throttle.max_chunk());
            }
            let mut piece = chunk;
            if allowed < piece.len() {
                this.pending = Some(piece.split_off(allowed));
            }
            this.sent += piece.len() as u64;
            if let Some(wait) = this.throttle.as_mut().and_then(|t| t.delay_after(piece.len())) {
                this.sleep = Some(Box::pin(tokio::time::sleep(wait)));
            }
            return Poll::Ready(Some(Ok(Frame::data(piece))));
        }
    }

    fn is_end_stream(&self) -> bool {
        self.length == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.length)
    }
}

impl Drop for ResponseBody {
    fn drop(&mut self) {
        if let Some(meter) = &self.meter {
            meter.log.set_bytes_out(meter.seq, self.sent);
        }
    }
}
