//! Shared plumbing of the transfer tests: a sandbox on loopback, a client and a manager for it,
//! generated files, event recorders, and a TCP proxy that breaks or freezes connections.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use osslite_core::client::{Client, ClientConfig, FixedJitter, RetryPolicy};
use osslite_core::transfer::{
    crc64, CheckpointStore, ConflictPolicy, DownloadRequest, DownloadSource, EventSink, TransferEvent, TransferManager,
    TransferOptions, TransferSnapshot, TransferStatus, UploadRequest, UploadSource,
};
use osslite_core::{Addressing, Credentials, Endpoint, Secret};
use osslite_sandbox::{AccessKey, Faults, Sandbox, SandboxConfig};
use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const KEY_ID: &str = "LTAI5tTransferTests";
pub const SECRET: &str = "transfer-tests-secret";
pub const REGION: &str = "cn-hangzhou";
pub const BUCKET: &str = "transfer-bucket";
pub const MIB: u64 = 1 << 20;

pub struct Fixture {
    pub sandbox: Sandbox,
    pub client: Client,
    pub manager: TransferManager,
    /// Local files to upload, and download targets.
    pub dir: tempfile::TempDir,
    pub checkpoints: PathBuf,
    _root: tempfile::TempDir,
}

pub async fn start(faults: Faults) -> Fixture {
    let root = tempfile::tempdir().unwrap();
    let config = SandboxConfig::new(root.path())
        .with_bucket(BUCKET)
        .with_key(AccessKey::new(KEY_ID, SECRET))
        .with_region(REGION)
        .with_faults(faults);
    let sandbox = Sandbox::start(config).await.unwrap();
    let client = client_for(sandbox.endpoint());
    let dir = tempfile::tempdir().unwrap();
    let checkpoints = dir.path().join("checkpoints");
    let manager = TransferManager::new(3, CheckpointStore::new(&checkpoints));
    Fixture { sandbox, client, manager, dir, checkpoints, _root: root }
}

/// A client for `endpoint` with quick retries (4 attempts, 5 to 40 ms apart).
pub fn client_for(endpoint: &str) -> Client {
    let credentials = Credentials::new(KEY_ID, Secret::new(SECRET)).unwrap();
    let endpoint = Endpoint::parse(endpoint, Addressing::Path).unwrap();
    let config = ClientConfig::builder(endpoint, REGION, credentials)
        .with_retry(RetryPolicy {
            max_attempts: 4,
            base: Duration::from_millis(5),
            max_delay: Duration::from_millis(40),
        })
        .with_jitter(Arc::new(FixedJitter(0.5)))
        .with_connect_timeout(Duration::from_secs(5))
        .with_read_timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

/// 1 MiB parts above a 1 MiB threshold, 4 in flight, quick rounds of retries.
pub fn options() -> TransferOptions {
    TransferOptions {
        part_size: Some(MIB),
        multipart_threshold: MIB,
        parallel: 4,
        on_conflict: ConflictPolicy::Fail,
        part_retry: RetryPolicy {
            max_attempts: 3,
            base: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
        },
        stall_timeout: Duration::from_secs(10),
        ..TransferOptions::default()
    }
}

/// `size` bytes of seeded pseudo-random data, written in 1 MiB pieces.
pub fn write_file(path: &Path, size: u64, seed: u64) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    let mut rng = rand::rngs::SmallRng::seed_from_u64(seed);
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut buffer = vec![0u8; MIB as usize];
    let mut left = size;
    while left > 0 {
        let n = left.min(MIB) as usize;
        rng.fill(&mut buffer[..n]);
        file.write_all(&buffer[..n]).unwrap();
        left -= n as u64;
    }
    file.flush().unwrap();
}

pub fn crc_of_file(path: &Path) -> u64 {
    let mut file = std::fs::File::open(path).unwrap();
    let mut crc = crc64::Crc64::new();
    let mut buffer = vec![0u8; MIB as usize];
    loop {
        let n = std::io::Read::read(&mut file, &mut buffer).unwrap();
        if n == 0 {
            return crc.value();
        }
        crc.update(&buffer[..n]);
    }
}

/// Collects every event.
pub fn recorder() -> (EventSink, Arc<Mutex<Vec<TransferEvent>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink_events = events.clone();
    let sink: EventSink = Arc::new(move |event| sink_events.lock().unwrap().push(event));
    (sink, events)
}

impl Fixture {
    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub async fn upload(&self, path: &Path, key: &str, options: TransferOptions) -> TransferSnapshot {
        let request = UploadRequest {
            bucket: BUCKET.into(),
            sources: vec![UploadSource::File { path: path.to_path_buf(), key: key.into() }],
        };
        let ids =
            self.manager.upload(&self.client, request, options, osslite_core::transfer::no_events()).await.unwrap();
        assert_eq!(ids.len(), 1);
        self.manager.wait(ids[0]).await.unwrap()
    }

    pub async fn download(&self, key: &str, path: &Path, options: TransferOptions) -> TransferSnapshot {
        let request = DownloadRequest {
            bucket: BUCKET.into(),
            sources: vec![DownloadSource::Object { key: key.into(), path: path.to_path_buf() }],
        };
        let ids =
            self.manager.download(&self.client, request, options, osslite_core::transfer::no_events()).await.unwrap();
        assert_eq!(ids.len(), 1);
        self.manager.wait(ids[0]).await.unwrap()
    }

    pub async fn object_crc(&self, key: &str) -> Option<u64> {
        self.client.head_object(BUCKET, key).await.unwrap().crc64
    }

    pub fn count(&self, operation: &str) -> usize {
        self.sandbox.request_log().iter().filter(|r| r.operation == operation).count()
    }

    pub async fn unfinished_uploads(&self) -> usize {
        let params = osslite_core::ops::ListMultipartUploadsParams::new(BUCKET);
        self.client.list_multipart_uploads(&params).await.unwrap().uploads.len()
    }
}

pub fn assert_done(snapshot: &TransferSnapshot) {
    assert_eq!(snapshot.state, TransferStatus::Done, "{snapshot:?}");
    assert!(snapshot.error.is_none(), "{snapshot:?}");
}

/// Files named `*.osslite-part` anywhere under `dir`.
pub fn part_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(".osslite-part") {
                found.push(path);
            }
        }
    }
    found
}

/// What the proxy does to a connection.
#[derive(Debug, Clone, Copy)]
pub struct ProxyFaults {
    /// Share of connections cut after a random number of bytes (either direction).
    pub cut_ratio: f64,
    /// Share of connections that stop forwarding (and stay open) after a random number of bytes.
    pub freeze_ratio: f64,
    /// Cuts and freezes happen within this many bytes.
    pub within_bytes: u64,
    /// The first this many connections freeze, whatever the ratios.
    pub freeze_first: u64,
    pub seed: u64,
}

/// A TCP proxy in front of `upstream` (`127.0.0.1:PORT`) that breaks connections at random
/// offsets. Returns its `http://127.0.0.1:PORT` and the numbers of (cut, frozen) connections.
pub async fn faulty_proxy(upstream: String, faults: ProxyFaults) -> (String, Arc<(AtomicU64, AtomicU64)>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let stats = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
    let counts = stats.clone();
    tokio::spawn(async move {
        let mut rng = rand::rngs::SmallRng::seed_from_u64(faults.seed);
        let mut accepted = 0u64;
        loop {
            let Ok((client, _)) = listener.accept().await else { return };
            accepted += 1;
            let roll: f64 = if accepted <= faults.freeze_first { faults.cut_ratio } else { rng.random() };
            let limit = rng.random_range(1..faults.within_bytes.max(2));
            let mode = if roll < faults.cut_ratio {
                counts.0.fetch_add(1, Ordering::Relaxed);
                Some((limit, false))
            } else if roll < faults.cut_ratio + faults.freeze_ratio {
                counts.1.fetch_add(1, Ordering::Relaxed);
                Some((limit, true))
            } else {
                None
            };
            let upstream = upstream.clone();
            tokio::spawn(async move {
                let Ok(server) = TcpStream::connect(&upstream).await else { return };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                let budget = Arc::new(AtomicU64::new(mode.map_or(u64::MAX, |(limit, _)| limit)));
                let freeze = mode.is_some_and(|(_, freeze)| freeze);
                let (client_read, client_write) = client.into_split();
                let (server_read, server_write) = server.into_split();
                let up = pump(client_read, server_write, budget.clone(), freeze);
                let down = pump(server_read, client_write, budget, freeze);
                tokio::join!(up, down);
            });
        }
    });
    (format!("http://{address}"), stats)
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    budget: Arc<AtomicU64>,
    freeze: bool,
) {
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n as u64,
        };
        let mut allowed = 0;
        let _ = budget.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            allowed = left.min(n);
            Some(left - allowed)
        });
        if to.write_all(&buffer[..allowed as usize]).await.is_err() {
            return;
        }
        if allowed < n {
            if freeze {
                // Keep the connection open without forwarding anything more.
                tokio::time::sleep(Duration::from_secs(3600)).await;
            }
            return; // dropping the halves closes the connection
        }
    }
}

/// PUTs `body` at `key` over a raw connection, so that a key such as `p/../../x` reaches the
/// sandbox as it is (URL parsers would resolve the dots). Returns the HTTP status line.
pub async fn raw_put(fixture: &Fixture, key: &str, body: &[u8]) -> String {
    use osslite_core::sign::encode::path_encode;
    let mut request = osslite_core::OssRequest::object(osslite_core::Method::Put, BUCKET, key);
    fixture.client.signer().sign_headers(&mut request, chrono::Utc::now()).unwrap();
    let address = fixture.sandbox.local_addr();
    let mut text = format!("PUT /{BUCKET}/{} HTTP/1.1\r\nHost: {address}\r\n", path_encode(key));
    for (name, value) in &request.headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()));
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(text.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).lines().next().unwrap_or_default().to_owned()
}

/// Polls until `ready` holds for the transfer's snapshot (at most 20 s).
pub async fn until(fixture: &Fixture, id: u64, ready: impl Fn(&TransferSnapshot) -> bool) -> TransferSnapshot {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let snapshot = fixture.manager.get(id).unwrap();
        if ready(&snapshot) {
            return snapshot;
        }
        assert!(std::time::Instant::now() < deadline, "timed out waiting: {snapshot:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
