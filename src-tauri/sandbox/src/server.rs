//! The server: binds, accepts HTTP/1.1 connections, and takes each request through faults,
//! addressing, authentication and the operation, then logs it.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use hyper::header::HOST;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinHandle;

use crate::addressing;
use crate::auth::{signed_body_sha256, SignedParts, Verifier};
use crate::body::{Meter, RequestBody};
use crate::config::{Faults, Limits, SandboxConfig};
use crate::error::{OssError, OssResult, SandboxError};
use crate::faults::{corrupted_crc, FaultInjector};
use crate::http::{self, Reply, HASH_CRC64_HEADER};
use crate::names::is_valid_bucket_name;
use crate::ops::{self, Call};
use crate::query::Query;
use crate::request_log::{redact_query, RequestRecord};
use crate::state::State;
use crate::store::Store;
use crate::time::http_date;

/// A failed request's body is read (and dropped) up to this size so the client sees the answer.
const DRAIN_LIMIT: u64 = 8 << 20;
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A running sandbox. Dropping it without [`Sandbox::shutdown`] stops accepting at once.
pub struct Sandbox {
    state: Arc<State>,
    local_addr: SocketAddr,
    root: PathBuf,
    stop: watch::Sender<bool>,
    accept_loop: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("endpoint", &self.state.endpoint)
            .field("region", &self.state.region)
            .field("root", &self.root)
            .finish()
    }
}

impl Sandbox {
    /// Opens the store, creates the configured buckets, binds and starts serving.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        validate(&config)?;
        let root = config.root.clone();
        let buckets: Vec<String> =
            config.buckets.iter().chain(config.bucket_regions.iter().map(|(bucket, _)| bucket)).cloned().collect();
        let store = tokio::task::spawn_blocking(move || -> Result<Store, SandboxError> {
            let store = Store::open(&root)?;
            for bucket in &buckets {
                store.ensure_bucket(bucket).map_err(|err| SandboxError::Storage {
                    path: root.join("buckets").join(bucket),
                    source: std::io::Error::other(err.message),
                })?;
            }
            Ok(store)
        })
        .await
        .map_err(|err| SandboxError::InvalidConfig(format!("the storage task failed: {err}")))??;

        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|source| SandboxError::Listen { addr: config.listen, source })?;
        let local_addr =
            listener.local_addr().map_err(|source| SandboxError::Listen { addr: config.listen, source })?;
        let authority = match local_addr {
            SocketAddr::V4(v4) if v4.ip().is_unspecified() => format!("127.0.0.1:{}", v4.port()),
            SocketAddr::V6(v6) if v6.ip().is_unspecified() => format!("[::1]:{}", v6.port()),
            addr => addr.to_string(),
        };
        let mut state = State::new(
            Arc::new(store),
            Verifier::new(&config.keys, &config.region),
            FaultInjector::new(config.faults.clone()),
            config.region.clone(),
            authority,
        );
        state.clock_offset_secs = config.clock_offset_secs;
        state.bucket_regions = crate::regions::BucketRegions::new(&config.region, &config.bucket_regions);
        state.restore_delay = config.restore_delay;
        let state = Arc::new(state);
        let (stop, stopped) = watch::channel(false);
        let accept_loop = tokio::spawn(accept_loop(listener, state.clone(), config.limits.clone(), stopped));
        Ok(Sandbox { state, local_addr, root: config.root, stop, accept_loop: Some(accept_loop) })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> &str {
        &self.state.endpoint
    }

    pub fn port(&self) -> u16 {
        self.local_addr.port()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    pub fn region(&self) -> &str {
        &self.state.region
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every request answered so far, oldest first.
    pub fn request_log(&self) -> Vec<RequestRecord> {
        self.state.log.snapshot()
    }

    pub fn clear_request_log(&self) {
        self.state.log.clear();
    }

    pub fn faults(&self) -> Faults {
        self.state.faults.current()
    }

    /// Replaces the injected faults from the next request on (and reseeds the RNG).
    pub fn set_faults(&self, faults: Faults) {
        self.state.faults.set(faults);
    }

    /// Stops accepting, lets requests in flight finish (up to 5 s), then returns.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(accept_loop) = self.accept_loop.take() {
            let _ = accept_loop.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

fn validate(config: &SandboxConfig) -> Result<(), SandboxError> {
    let invalid = |message: String| Err(SandboxError::InvalidConfig(message));
    let region = &config.region;
    if region.is_empty() || !region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return invalid(format!("region '{region}' is not a region id such as cn-hangzhou"));
    }
    let is_region = |region: &str| {
        !region.is_empty() && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if let Some((bucket, region)) = config.bucket_regions.iter().find(|(_, region)| !is_region(region)) {
        return invalid(format!("the region '{region}' of bucket '{bucket}' is not a region id such as cn-beijing"));
    }
    let names = config.buckets.iter().chain(config.bucket_regions.iter().map(|(bucket, _)| bucket));
    if let Some(bad) = names.into_iter().find(|name| !is_valid_bucket_name(name)) {
        return invalid(format!(
            "bucket name '{bad}' is not valid: 3 to 63 of a-z 0-9 -, starting and ending with a letter or digit"
        ));
    }
    for (i, key) in config.keys.iter().enumerate() {
        if key.id.is_empty() || key.id.contains('/') || key.secret.is_empty() {
            return invalid(format!("access key #{} needs a non-empty ID without '/' and a non-empty secret", i + 1));
        }
        if config.keys[..i].iter().any(|earlier| earlier.id == key.id) {
            return invalid(format!("access key '{}' is configured twice", key.id));
        }
    }
    let ratio = config.faults.error_503_ratio;
    if !(0.0..=1.0).contains(&ratio) {
        return invalid(format!("error_503_ratio {ratio} is not between 0 and 1"));
    }
    if config.faults.bandwidth_bytes_per_sec == Some(0) {
        return invalid("bandwidth_bytes_per_sec must be at least 1".to_owned());
    }
    let limits = &config.limits;
    if limits.max_connections == 0 || limits.header_read_timeout.is_zero() || limits.body_idle_timeout.is_zero() {
        return invalid(format!("limits must all be above zero: {limits:?}"));
    }
    Ok(())
}

async fn accept_loop(listener: TcpListener, state: Arc<State>, limits: Limits, mut stopped: watch::Receiver<bool>) {
    let graceful = GracefulShutdown::new();
    // A permit per open connection: beyond the limit, clients wait in the listen backlog.
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    loop {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_closed) => break,
            },
            _ = stopped.changed() => break,
        };
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let state = state.clone();
                    let body_idle_timeout = limits.body_idle_timeout;
                    let service = service_fn(move |request| handle(state.clone(), body_idle_timeout, request));
                    let connection = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(limits.header_read_timeout)
                        .serve_connection(TokioIo::new(stream), service);
                    let connection = graceful.watch(connection);
                    tokio::spawn(async move {
                        let _ = connection.await;
                        drop(permit);
                    });
                }
                // Out of file descriptors and the like: wait a little rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            _ = stopped.changed() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

async fn handle(
    state: Arc<State>,
    body_idle_timeout: Duration,
    request: Request<hyper::body::Incoming>,
) -> Result<Reply, Infallible> {
    let request_id = state.next_request_id();
    let faults = state.faults.current();
    let (parts, incoming) = request.into_parts();
    let bytes_in = Arc::new(AtomicU64::new(0));
    let mut body = RequestBody::new(incoming, bytes_in.clone(), faults.bandwidth_bytes_per_sec)
        .with_idle_timeout(body_idle_timeout)
        .with_damage(faults.damage_request_bodies);
    let host = parts
        .headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(|a| a.to_string()))
        .unwrap_or_else(|| state.authority.clone());

    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    let (operation, result) = if state.faults.draw_503(faults.error_503_ratio) {
        let err = OssError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceUnavailable",
            "Please reduce your request rate. (injected fault)",
        );
        ("-", Err(err))
    } else {
        process(&state, &parts, &host, &mut body).await
    };
    let mut response = match result {
        Ok(response) => response,
        Err(err) => {
            if !body.is_finished() {
                body.drain(DRAIN_LIMIT).await;
            }
            http::error_reply(&err, &request_id, &host, parts.method == Method::HEAD)
        }
    };
    http::set(&mut response, "x-oss-request-id", &request_id);
    http::set(&mut response, "date", &http_date(state.now()));
    http::set(&mut response, "server", "AliyunOSS");
    if body.timed_out() {
        http::set(&mut response, "connection", "close");
    }
    if faults.corrupt_crc || (faults.corrupt_completed_crc && operation == "CompleteMultipartUpload") {
        if let Some(real) = response.headers().get(HASH_CRC64_HEADER).and_then(|v| v.to_str().ok()) {
            let wrong = corrupted_crc(real);
            http::set(&mut response, HASH_CRC64_HEADER, &wrong);
        }
    }
    if faults.omit_crc64 {
        response.headers_mut().remove(HASH_CRC64_HEADER);
    }

    let seq = state.log.push(RequestRecord {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: redact_query(parts.uri.query().unwrap_or("")),
        operation,
        status: response.status().as_u16(),
        bytes_in: bytes_in.load(Ordering::Relaxed),
        bytes_out: response.body().len(),
        request_id,
    });
    let response = response.map(|body| {
        body.with_faults(faults.drop_after_bytes, faults.bandwidth_bytes_per_sec)
            .with_meter(Meter { log: state.log.clone(), seq })
    });
    Ok(response)
}

/// Addressing, query, authentication, then the operation. Returns the operation's name for the
/// log even when it fails.
async fn process(
    state: &Arc<State>,
    parts: &hyper::http::request::Parts,
    host: &str,
    body: &mut RequestBody,
) -> (&'static str, OssResult<Reply>) {
    let target = match addressing::resolve(Some(host), parts.uri.path()) {
        Ok(target) => target,
        Err(err) => return ("-", Err(err)),
    };
    let query = match Query::parse(parts.uri.query()) {
        Ok(query) => query,
        Err(err) => return ("-", Err(err)),
    };
    let route = ops::route(&parts.method, &target, &query, &parts.headers);
    let name = route.as_ref().map_or("-", |operation| operation.name());
    let signed = SignedParts { method: parts.method.as_str(), target: &target, query: &query, headers: &parts.headers };
    let principal = match state.verifier.authenticate(&signed, state.now()) {
        Ok(principal) => principal,
        Err(err) => return (name, Err(err)),
    };
    let creates_bucket = matches!(route, Ok(ops::Operation::PutBucket));
    if let Err(err) = state.bucket_regions.check(&principal, target.bucket.as_deref(), creates_bucket) {
        return (name, Err(err));
    }
    if let Some(digest) = signed_body_sha256(&parts.headers) {
        body.expect_sha256(digest);
    }
    let operation = match route {
        Ok(operation) => operation,
        Err(err) => return (name, Err(err)),
    };
    let mut call = Call { state, target, query, headers: &parts.headers, body, principal };
    (name, ops::run(operation, &mut call).await)
}
