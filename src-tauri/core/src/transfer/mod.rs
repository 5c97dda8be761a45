//! Uploads and downloads of files, folders and prefixes: multipart and ranged, in parallel,
//! streamed from and to disk, verified with CRC-64, resumable after a crash, pausable and
//! cancellable. Nothing here knows about Tauri: progress goes to an [`EventSink`] closure.
//!
//! ```no_run
//! # async fn demo(client: osslite_core::client::Client) -> osslite_core::Result<()> {
//! use osslite_core::transfer::{no_events, TransferManager, TransferOptions, UploadRequest, UploadSource};
//! let manager = TransferManager::open_default(3)?;
//! let request = UploadRequest {
//!     bucket: "bucket".into(),
//!     sources: vec![UploadSource::Folder { path: "photos".into(), prefix: "backup/photos/".into() }],
//! };
//! let ids = manager.upload(&client, request, TransferOptions::default(), no_events()).await?;
//! for snapshot in manager.wait_all(&ids).await {
//!     println!("{} → {}: {:?}", snapshot.source, snapshot.destination, snapshot.state);
//! }
//! # Ok(()) }
//! ```

// The module graph, lowest first (no module imports one after it): progress, plan, paths,
// crc64, checkpoint → local, part_file, env, attempt → upload, download → request → entry → queue →
// unfinished → manager.
mod attempt;
pub(crate) mod checkpoint;
pub mod crc64;
mod download;
mod entry;
pub(crate) mod env;
mod local;
mod manager;
mod part_file;
pub mod paths;
pub mod plan;
pub(crate) mod progress;
mod queue;
mod request;
mod unfinished;
mod upload;
mod verify;

use std::time::Duration;

use crate::client::RetryPolicy;

pub use checkpoint::{default_checkpoint_dir, CheckpointStore};
pub use manager::TransferManager;
pub use paths::NameRules;
pub use plan::{human_size, parse_size, DEFAULT_PART_SIZE, MAX_PARTS, MAX_PART_SIZE, MIN_PART_SIZE};
pub use progress::{
    no_events, Counters, Direction, EventSink, TransferError, TransferEvent, TransferId, TransferSnapshot,
    TransferStatus, PROGRESS_INTERVAL,
};
pub use request::{DownloadRequest, DownloadSource, UploadRequest, UploadSource};
pub use unfinished::UnfinishedTransfer;
pub use verify::Verification;

/// Files up to this size go up in one PutObject (and come down in one GET); larger ones in parts.
pub const DEFAULT_MULTIPART_THRESHOLD: u64 = 100 << 20;
pub const DEFAULT_PARALLEL: usize = 4;
pub const DEFAULT_JOBS: usize = 3;

/// What to do when the destination (an object, or a local file) exists already.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum ConflictPolicy {
    /// Replace it.
    Overwrite,
    /// Leave it and report the transfer as done and skipped.
    Skip,
    /// Write next to it as `name (1).ext` (the first free number).
    Rename,
    /// Fail with a `conflict` error that names the choices.
    #[default]
    Fail,
}

/// How one upload or download request moves its files.
#[derive(Debug, Clone)]
pub struct TransferOptions {
    /// The part (and download range) size; `None`: 8 MiB. Raised when a file needs more than
    /// 10,000 parts; 100 KiB to 5 GiB.
    pub part_size: Option<u64>,
    /// Files larger than this are sent in parts and fetched in ranges.
    pub multipart_threshold: u64,
    /// Parts (or ranges) of one file in flight.
    pub parallel: usize,
    pub on_conflict: ConflictPolicy,
    /// Send each part with a plain PUT to its own presigned URL (Alibaba's "multipart upload with
    /// presigned URLs"), instead of signing each request.
    pub presigned_parts: bool,
    /// Rounds of the client's own retries a part gets before it fails the transfer, and the
    /// backoff between rounds (network errors, 5xx, 429, a part that arrived damaged).
    pub part_retry: RetryPolicy,
    /// A part or range that moves no byte for this long is dropped and retried.
    pub stall_timeout: Duration,
    /// Which local names downloads may write.
    pub name_rules: NameRules,
    /// The saved profile the transfers run under (`None`: keys from elsewhere). Checkpoints
    /// record it, so that only this profile, on the same endpoint, resumes them.
    pub profile: Option<String>,
}

impl Default for TransferOptions {
    fn default() -> Self {
        Self {
            part_size: None,
            multipart_threshold: DEFAULT_MULTIPART_THRESHOLD,
            parallel: DEFAULT_PARALLEL,
            on_conflict: ConflictPolicy::Fail,
            presigned_parts: false,
            part_retry: RetryPolicy {
                max_attempts: 3,
                base: Duration::from_millis(500),
                max_delay: Duration::from_secs(8),
            },
            stall_timeout: Duration::from_secs(60),
            name_rules: NameRules::Native,
            profile: None,
        }
    }
}

impl TransferOptions {
    fn check(&self) -> crate::Result<()> {
        if let Some(size) = self.part_size {
            plan::part_size_for(0, Some(size))?;
        }
        if self.parallel == 0 || self.parallel > 64 {
            return Err(crate::Error::invalid_input(format!(
                "parts in flight must be 1 to 64; {} is out of range",
                self.parallel
            )));
        }
        if self.part_retry.max_attempts == 0 {
            return Err(crate::Error::invalid_input(
                "part_retry.max_attempts counts the first try and must be at least 1",
            ));
        }
        if self.stall_timeout.is_zero() {
            return Err(crate::Error::invalid_input("the stall timeout must be longer than zero"));
        }
        Ok(())
    }
}
