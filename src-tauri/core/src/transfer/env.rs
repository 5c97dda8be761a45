//! What one transfer (one file or object) needs while it runs, what it ends with, and the
//! [`Work`] the queue runs: an upload, a download, or a fake in the queue's tests.

use std::sync::Arc;

use futures_util::future::BoxFuture;

use super::checkpoint::CheckpointStore;
use super::progress::{Counters, TransferStatus};
use super::verify::Verification;
use super::TransferOptions;
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};

/// The surroundings of a running transfer.
pub(crate) struct Env {
    pub client: Client,
    /// Shared by the transfers of one request.
    pub options: Arc<TransferOptions>,
    pub checkpoints: Arc<CheckpointStore>,
    pub counters: Arc<Counters>,
    /// Reports a change of phase (running → verifying) to the manager.
    pub phase: Arc<dyn Fn(TransferStatus) + Send + Sync>,
}

impl Env {
    pub fn endpoint(&self) -> String {
        self.client.endpoint().to_string()
    }
}

/// How a transfer ended well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// Where it went (`oss://bucket/key` or a local path), after any rename.
    pub destination: String,
    pub skipped: bool,
    /// What the bytes were checked against; `None` when skipped.
    pub verification: Option<Verification>,
}

impl Outcome {
    pub fn moved(destination: String, verification: Verification) -> Self {
        Self { destination, skipped: false, verification: Some(verification) }
    }

    pub fn skipped(destination: String) -> Self {
        Self { destination, skipped: true, verification: None }
    }
}

/// The work of one transfer, as the queue sees it.
pub(crate) trait Work: Send + Sync + 'static {
    /// Runs (or continues from its checkpoint) until done; dropped at any await to pause.
    fn run<'a>(&'a self, env: &'a Env) -> BoxFuture<'a, Result<Outcome>>;

    /// After a cancel: abort the multipart upload, or delete the part file; drop the checkpoint.
    fn clean_up_after_cancel<'a>(&'a self, env: &'a Env) -> BoxFuture<'a, ()>;

    /// The objects a job of many could not handle, after its last run.
    fn failures(&self) -> Vec<crate::manage::ItemFailure> {
        Vec::new()
    }
}

/// A blocking helper task that panicked or was cancelled.
pub(crate) fn task_failed(err: tokio::task::JoinError) -> Error {
    Error::new(ErrorKind::Io, format!("a transfer worker stopped unexpectedly: {err}"))
}
