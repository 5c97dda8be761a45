//! The public face of the transfer engine: requests become one transfer per file or object
//! ([`super::request`]), wait in line for one of `jobs` slots ([`super::queue`]), and each can
//! be paused, resumed, cancelled and watched ([`super::entry`]).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::checkpoint::{default_checkpoint_dir, CheckpointStore};
use super::entry::{lock, Entry, NewEntry};
use super::progress::{EventSink, TransferId, TransferSnapshot, TransferStatus};
use super::queue::Queue;
use super::request::{plan_download, plan_upload, DownloadRequest, Planned, UploadRequest};
use super::unfinished::direction_of;
use super::unfinished::UnfinishedTransfer;
use super::TransferOptions;
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::manage::job::{describe_destination, describe_source, ManageJob};
use crate::manage::{check_request, ItemFailure, ManageOptions, ManageRequest};
use crate::ops::check_bucket_name;

/// Runs transfers, `jobs` at a time. Cheap to clone (shared state).
#[derive(Clone)]
pub struct TransferManager {
    shared: Arc<Shared>,
}

struct Shared {
    queue: Arc<Queue>,
    checkpoints: Arc<CheckpointStore>,
    next_id: AtomicU64,
    entries: Mutex<BTreeMap<TransferId, Arc<Entry>>>,
}

impl std::fmt::Debug for TransferManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransferManager")
            .field("checkpoints", &self.shared.checkpoints.dir())
            .field("transfers", &lock(&self.shared.entries).len())
            .finish()
    }
}

impl TransferManager {
    /// `jobs` files at once (at least 1), checkpoints in `checkpoints`.
    pub fn new(jobs: usize, checkpoints: CheckpointStore) -> Self {
        Self {
            shared: Arc::new(Shared {
                queue: Queue::new(jobs),
                checkpoints: Arc::new(checkpoints),
                next_id: AtomicU64::new(1),
                entries: Mutex::new(BTreeMap::new()),
            }),
        }
    }

    /// Checkpoints in the default folder ([`default_checkpoint_dir`]).
    pub fn open_default(jobs: usize) -> Result<Self> {
        Ok(Self::new(jobs, CheckpointStore::new(default_checkpoint_dir()?)))
    }

    /// Changes how many files move at once (at least 1). More start waiting transfers now;
    /// fewer let the running ones finish and start none until fewer than `jobs` run.
    pub fn set_jobs(&self, jobs: usize) {
        self.shared.queue.set_jobs(jobs);
    }

    pub fn checkpoints(&self) -> &CheckpointStore {
        &self.shared.checkpoints
    }

    #[cfg(test)]
    pub(crate) fn queue(&self) -> &Queue {
        &self.shared.queue
    }

    /// Queues one transfer per file; folders are walked first. Fails before queuing anything
    /// when a source is missing or a file name cannot be a key.
    pub async fn upload(
        &self,
        client: &Client,
        request: UploadRequest,
        options: TransferOptions,
        events: EventSink,
    ) -> Result<Vec<TransferId>> {
        options.check()?;
        check_bucket_name(&request.bucket)?;
        let planned = plan_upload(request).await?;
        Ok(self.start_all(client, planned, options, &events))
    }

    /// Queues one transfer per object; prefixes are listed first. A key that would be written
    /// outside its folder becomes a failed transfer with the reason; the others go ahead.
    pub async fn download(
        &self,
        client: &Client,
        request: DownloadRequest,
        options: TransferOptions,
        events: EventSink,
    ) -> Result<Vec<TransferId>> {
        options.check()?;
        check_bucket_name(&request.bucket)?;
        let planned = plan_download(client, request, options.name_rules).await?;
        Ok(self.start_all(client, planned, options, &events))
    }

    /// Queues a management job (copy, move, metadata, ACL, storage class, restore of a
    /// selection) as one transfer. Targets that cannot work (a folder into itself, several
    /// sources to one name) are refused here; the selection is listed when the job starts.
    pub async fn manage(
        &self,
        client: &Client,
        request: ManageRequest,
        options: ManageOptions,
        events: EventSink,
    ) -> Result<TransferId> {
        options.check()?;
        check_request(&request)?;
        let planned = Planned {
            direction: direction_of(&request),
            source: describe_source(&request),
            destination: describe_destination(&request),
            size: 0,
            work: Ok(Box::new(ManageJob::new(request, options.clone()))),
        };
        let transfer_options = TransferOptions { profile: options.profile, ..TransferOptions::default() };
        self.start_all(client, vec![planned], transfer_options, &events)
            .pop()
            .ok_or_else(|| Error::new(ErrorKind::Io, "the job could not be queued"))
    }

    /// The objects a management job could not handle in its last run (empty for other transfers).
    pub fn failures(&self, id: TransferId) -> Result<Vec<ItemFailure>> {
        Ok(self.find(id)?.failures())
    }

    /// Queues the planned transfers in order; a planned failure is concluded at once.
    pub(crate) fn start_all(
        &self,
        client: &Client,
        planned: Vec<Planned>,
        options: TransferOptions,
        events: &EventSink,
    ) -> Vec<TransferId> {
        let options = Arc::new(options);
        planned
            .into_iter()
            .map(|plan| {
                let (job, failure, total) = match plan.work {
                    Ok(work) => (Some(work), None, plan.size),
                    Err(err) => (None, Some(err), 0),
                };
                let entry = Entry::create(NewEntry {
                    id: self.shared.next_id.fetch_add(1, Ordering::Relaxed),
                    job,
                    direction: plan.direction,
                    source: plan.source,
                    destination: if failure.is_some() { String::new() } else { plan.destination },
                    total,
                    client,
                    options: &options,
                    checkpoints: &self.shared.checkpoints,
                    events,
                });
                lock(&self.shared.entries).insert(entry.id, entry.clone());
                match failure {
                    // Refused before it started (its key would escape the folder, say).
                    Some(err) => entry.conclude(Err(err)),
                    None => self.shared.queue.enqueue(entry.clone()),
                }
                entry.id
            })
            .collect()
    }

    fn find(&self, id: TransferId) -> Result<Arc<Entry>> {
        lock(&self.shared.entries)
            .get(&id)
            .cloned()
            .ok_or_else(|| Error::new(ErrorKind::NotFound, format!("there is no transfer {id}")))
    }

    /// Stops moving bytes and keeps the checkpoint; parts in flight are dropped.
    pub fn pause(&self, id: TransferId) -> Result<()> {
        self.find(id)?.pause()
    }

    /// Continues a paused transfer, or tries a failed one again (from its checkpoint).
    pub fn resume(&self, id: TransferId) -> Result<()> {
        let entry = self.find(id)?;
        if entry.resume()? {
            self.shared.queue.enqueue(entry);
        }
        Ok(())
    }

    /// Stops for good: aborts the multipart upload on OSS, or deletes the part file.
    pub fn cancel(&self, id: TransferId) -> Result<()> {
        self.find(id)?.cancel()
    }

    /// Pauses every transfer that has not ended (Ctrl-C in the CLI, quitting the app).
    pub fn pause_all(&self) {
        for snapshot in self.list() {
            let _ = self.pause(snapshot.id);
        }
    }

    pub fn list(&self) -> Vec<TransferSnapshot> {
        lock(&self.shared.entries).values().map(|entry| entry.snapshot()).collect()
    }

    pub fn get(&self, id: TransferId) -> Option<TransferSnapshot> {
        lock(&self.shared.entries).get(&id).map(|entry| entry.snapshot())
    }

    /// Forgets the transfers that are done or cancelled; returns how many.
    pub fn clear_finished(&self) -> usize {
        let mut entries = lock(&self.shared.entries);
        let before = entries.len();
        entries.retain(|_, entry| !matches!(entry.status(), TransferStatus::Done | TransferStatus::Cancelled));
        before - entries.len()
    }

    /// Waits until the transfer has ended (done, failed or cancelled).
    pub async fn wait(&self, id: TransferId) -> Result<TransferSnapshot> {
        Ok(self.find(id)?.wait_for(|status| status.is_terminal()).await)
    }

    /// Waits until the transfer is paused (its checkpoint saved) or has ended.
    pub async fn wait_idle(&self, id: TransferId) -> Result<TransferSnapshot> {
        Ok(self.find(id)?.wait_for(|status| status == TransferStatus::Paused || status.is_terminal()).await)
    }

    /// Transfers an earlier run left unfinished (their checkpoints), except those this manager
    /// holds (same source and destination), oldest first. Those not started by `profile` on
    /// `endpoint` (the current ones; `None` when no profile is open) are marked
    /// [`UnfinishedTransfer::belongs_to`]: they may only be discarded here.
    pub fn unfinished(&self, profile: Option<&str>, endpoint: Option<&str>) -> Vec<UnfinishedTransfer> {
        let held: Vec<(String, String)> = self.list().into_iter().map(|t| (t.source, t.destination)).collect();
        self.checkpoints()
            .unfinished()
            .into_iter()
            .filter(|t| !held.iter().any(|(source, destination)| *source == t.source && *destination == t.destination))
            .map(|t| t.seen_from(profile, endpoint))
            .collect()
    }

    /// The unfinished transfers whose checkpoint names are in `checkpoints` (unknown names are
    /// ignored: another window may have handled them already).
    fn chosen(&self, checkpoints: &[String]) -> Vec<UnfinishedTransfer> {
        self.checkpoints().unfinished().into_iter().filter(|t| checkpoints.contains(&t.checkpoint)).collect()
    }

    /// Queues the chosen unfinished transfers again with `client` under `options.profile`; each
    /// continues from its checkpoint (the same source and destination find it). One started by
    /// another profile or endpoint is refused before any is queued: it would otherwise run
    /// against another account's bucket of the same name.
    pub async fn restore(
        &self,
        client: &Client,
        checkpoints: &[String],
        options: TransferOptions,
        events: EventSink,
    ) -> Result<Vec<TransferId>> {
        let chosen = self.chosen(checkpoints);
        let endpoint = client.endpoint().to_string();
        if let Some(other) = chosen.iter().find(|t| !t.started_by(options.profile.as_deref(), &endpoint)) {
            let owner = match &other.profile {
                Some(profile) => format!("profile '{profile}' on {}", other.endpoint),
                None => format!("other keys on {}", other.endpoint),
            };
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "{} → {} was started by {owner}; open that profile to resume it, or discard it",
                    other.source, other.destination
                ),
            ));
        }
        let mut ids = Vec::new();
        for transfer in chosen {
            if let Some(request) = transfer.upload_request() {
                ids.extend(self.upload(client, request, options.clone(), events.clone()).await?);
            } else if let Some(request) = transfer.download_request() {
                ids.extend(self.download(client, request, options.clone(), events.clone()).await?);
            } else if let Some((request, manage_options)) = transfer.manage_request() {
                let manage_options = ManageOptions { profile: options.profile.clone(), ..manage_options };
                ids.push(self.manage(client, request, manage_options, events.clone()).await?);
            }
        }
        Ok(ids)
    }

    /// Forgets the chosen unfinished transfers: an upload's multipart upload is aborted when
    /// `client` talks to the endpoint it was started on (already gone is fine), then the
    /// checkpoint is removed. Returns how many were discarded.
    pub async fn discard(&self, client: Option<&Client>, checkpoints: &[String]) -> Result<usize> {
        let mut discarded = 0;
        for transfer in self.chosen(checkpoints) {
            for (bucket, key, upload_id) in transfer.multipart_uploads() {
                let Some(client) = client else { break };
                if client.endpoint().to_string() == transfer.endpoint {
                    match client.abort_multipart_upload(bucket, key, upload_id).await {
                        Ok(()) => {}
                        Err(err) if err.kind() == ErrorKind::NotFound => {}
                        Err(err) => return Err(err),
                    }
                }
            }
            self.checkpoints().remove_named(&transfer.checkpoint)?;
            discarded += 1;
        }
        Ok(discarded)
    }

    /// Waits for all of `ids`, in order.
    pub async fn wait_all(&self, ids: &[TransferId]) -> Vec<TransferSnapshot> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Ok(snapshot) = self.wait(*id).await {
                out.push(snapshot);
            }
        }
        out
    }
}
