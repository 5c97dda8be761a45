//! What one transfer (one file or object) needs while it runs, and what it ends with.

use std::sync::Arc;

use super::checkpoint::CheckpointStore;
use super::download::DownloadJob;
use super::progress::{Counters, TransferStatus};
use super::upload::UploadJob;
use super::TransferOptions;
use crate::client::Client;
use crate::error::Result;

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
}

pub(crate) enum Job {
    Upload(UploadJob),
    Download(DownloadJob),
}

impl Job {
    /// Runs (or continues from its checkpoint) until done; dropped at any await to pause.
    pub async fn run(&self, env: &Env) -> Result<Outcome> {
        match self {
            Job::Upload(job) => super::upload::run(env, job).await,
            Job::Download(job) => super::download::run(env, job).await,
        }
    }

    /// After a cancel: abort the multipart upload, or delete the part file; drop the checkpoint.
    pub async fn clean_up_after_cancel(&self, env: &Env) {
        match self {
            Job::Upload(job) => super::upload::clean_up(env, job).await,
            Job::Download(job) => super::download::clean_up(env, job).await,
        }
    }
}
