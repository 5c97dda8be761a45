//! The transfer queue: requests become one transfer per file or object, at most `jobs` of them
//! move at once, and each can be paused, resumed, cancelled and watched.

use std::collections::{BTreeMap, VecDeque};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Instant;

use futures_util::{FutureExt, StreamExt};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

use super::checkpoint::{default_checkpoint_dir, CheckpointStore};
use super::download::DownloadJob;
use super::paths::{as_folder_prefix, key_for, local_path_for, walk_files};
use super::progress::{
    Counters, Direction, EventSink, RateMeter, TransferError, TransferEvent, TransferId, TransferSnapshot,
    TransferStatus, PROGRESS_INTERVAL,
};
use super::task::{Env, Job, Outcome};
use super::upload::{task_failed, UploadJob};
use super::TransferOptions;
use crate::client::{Client, ListEntry};
use crate::error::{Error, ErrorKind, Result};
use crate::ops::{check_bucket_name, check_object_key};

/// What to upload.
#[derive(Debug, Clone)]
pub enum UploadSource {
    /// One file to exactly this key.
    File { path: PathBuf, key: String },
    /// Every file under the folder (recursively), at `prefix` + its path relative to the folder.
    Folder { path: PathBuf, prefix: String },
}

#[derive(Debug, Clone)]
pub struct UploadRequest {
    pub bucket: String,
    pub sources: Vec<UploadSource>,
}

impl UploadRequest {
    /// Files and folders put into `prefix` as a file manager would: `a.txt` → `prefix/a.txt`,
    /// folder `photos` → `prefix/photos/…`.
    pub fn into_prefix(bucket: impl Into<String>, prefix: &str, paths: &[PathBuf]) -> Result<Self> {
        let prefix = as_folder_prefix(prefix);
        let mut sources = Vec::with_capacity(paths.len());
        for path in paths {
            let name = path
                .file_name()
                .and_then(|name| name.to_str())
                .ok_or_else(|| Error::invalid_input(format!("'{}' has no usable file name", path.display())))?;
            let metadata = std::fs::metadata(path)
                .map_err(|err| Error::invalid_input(format!("cannot upload '{}': {err}", path.display())))?;
            sources.push(if metadata.is_dir() {
                UploadSource::Folder { path: path.clone(), prefix: format!("{prefix}{name}/") }
            } else {
                UploadSource::File { path: path.clone(), key: format!("{prefix}{name}") }
            });
        }
        Ok(Self { bucket: bucket.into(), sources })
    }
}

/// What to download.
#[derive(Debug, Clone)]
pub enum DownloadSource {
    /// One object to exactly this file (a name the caller chose, so not checked).
    Object { key: String, path: PathBuf },
    /// One object under `folder`, at its key minus `strip`; keys that would leave `folder` fail.
    Key { key: String, strip: String, folder: PathBuf },
    /// Every object under `prefix`, each under `folder` at its key minus `strip`.
    Prefix { prefix: String, strip: String, folder: PathBuf },
}

#[derive(Debug, Clone)]
pub struct DownloadRequest {
    pub bucket: String,
    pub sources: Vec<DownloadSource>,
}

impl DownloadRequest {
    /// Keys selected in the listing of `base` (a key ending in `/` is a folder: everything under
    /// it), each written under `folder` at its key minus `base`.
    pub fn selection(bucket: impl Into<String>, base: &str, keys: &[String], folder: &Path) -> Self {
        let base = as_folder_prefix(base);
        let sources = keys
            .iter()
            .map(|key| {
                let strip = if key.starts_with(&base) { base.clone() } else { String::new() };
                if key.ends_with('/') {
                    DownloadSource::Prefix { prefix: key.clone(), strip, folder: folder.to_path_buf() }
                } else {
                    DownloadSource::Key { key: key.clone(), strip, folder: folder.to_path_buf() }
                }
            })
            .collect();
        Self { bucket: bucket.into(), sources }
    }
}

/// Runs transfers, `jobs` at a time. Cheap to clone (shared state).
#[derive(Clone)]
pub struct TransferManager {
    shared: Arc<Shared>,
}

struct Shared {
    slots: Arc<Semaphore>,
    /// How many slots there are in all (some may be taken).
    jobs: std::sync::atomic::AtomicUsize,
    checkpoints: Arc<CheckpointStore>,
    next_id: AtomicU64,
    entries: Mutex<BTreeMap<TransferId, Arc<Entry>>>,
    /// Transfers waiting for a slot, in order.
    queue: Mutex<VecDeque<Arc<Entry>>>,
    /// The dispatcher task runs.
    dispatching: AtomicBool,
}

impl std::fmt::Debug for TransferManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransferManager")
            .field("checkpoints", &self.shared.checkpoints.dir())
            .field("transfers", &lock(&self.shared.entries).len())
            .finish()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Plain bookkeeping: a panic elsewhere cannot leave it half-updated in a way that matters.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path)
        .map_err(|err| Error::invalid_input(format!("'{}' is not a usable path: {err}", path.display())))
}

impl TransferManager {
    /// `jobs` files at once (at least 1), checkpoints in `checkpoints`.
    pub fn new(jobs: usize, checkpoints: CheckpointStore) -> Self {
        Self {
            shared: Arc::new(Shared {
                slots: Arc::new(Semaphore::new(jobs.max(1))),
                jobs: std::sync::atomic::AtomicUsize::new(jobs.max(1)),
                checkpoints: Arc::new(checkpoints),
                next_id: AtomicU64::new(1),
                entries: Mutex::new(BTreeMap::new()),
                queue: Mutex::new(VecDeque::new()),
                dispatching: AtomicBool::new(false),
            }),
        }
    }

    /// Checkpoints in the default folder ([`default_checkpoint_dir`]).
    pub fn open_default(jobs: usize) -> Result<Self> {
        Ok(Self::new(jobs, CheckpointStore::new(default_checkpoint_dir()?)))
    }

    /// Changes how many files move at once (at least 1). Fewer takes effect as running ones finish.
    pub fn set_jobs(&self, jobs: usize) {
        let jobs = jobs.max(1);
        let before = self.shared.jobs.swap(jobs, Ordering::SeqCst);
        if jobs > before {
            self.shared.slots.add_permits(jobs - before);
        } else {
            let mut to_remove = before - jobs;
            // Free slots go now; the rest are taken back as transfers release them.
            to_remove -= self.shared.slots.forget_permits(to_remove);
            let slots = Arc::clone(&self.shared.slots);
            if to_remove > 0 {
                tokio::spawn(async move {
                    if let Ok(permits) = slots.acquire_many(to_remove as u32).await {
                        permits.forget();
                    }
                });
            }
        }
    }

    pub fn checkpoints(&self) -> &CheckpointStore {
        &self.shared.checkpoints
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
        let options = Arc::new(options);
        let mut jobs = Vec::new();
        for source in request.sources {
            match source {
                UploadSource::File { path, key } => {
                    let path = absolute(&path)?;
                    let metadata = tokio::fs::metadata(&path)
                        .await
                        .map_err(|err| Error::invalid_input(format!("cannot upload '{}': {err}", path.display())))?;
                    if metadata.is_dir() {
                        return Err(Error::invalid_input(format!(
                            "'{}' is a folder; upload it as a folder (recursively)",
                            path.display()
                        )));
                    }
                    check_object_key(&key)?;
                    jobs.push((UploadJob { source: path, bucket: request.bucket.clone(), key }, metadata.len()));
                }
                UploadSource::Folder { path, prefix } => {
                    let path = absolute(&path)?;
                    let prefix = as_folder_prefix(&prefix);
                    let walked = path.clone();
                    let files =
                        tokio::task::spawn_blocking(move || walk_files(&walked)).await.map_err(task_failed)??;
                    for file in files {
                        let key = key_for(&prefix, &file.relative)?;
                        jobs.push((UploadJob { source: file.path, bucket: request.bucket.clone(), key }, file.size));
                    }
                }
            }
        }
        Ok(jobs
            .into_iter()
            .map(|(job, size)| {
                let (source, destination) = (job.source.display().to_string(), job.destination());
                self.start(client, Job::Upload(job), Direction::Upload, source, destination, &options, &events, size)
            })
            .collect())
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
        let options = Arc::new(options);
        let bucket = request.bucket;
        let mut planned: Vec<(String, u64, Result<PathBuf>)> = Vec::new();
        for source in request.sources {
            match source {
                DownloadSource::Object { key, path } => {
                    check_object_key(&key)?;
                    planned.push((key, 0, absolute(&path)));
                }
                DownloadSource::Key { key, strip, folder } => {
                    check_object_key(&key)?;
                    let folder = absolute(&folder)?;
                    let relative = key.strip_prefix(&strip).unwrap_or(&key).to_owned();
                    let path = local_path_for(&folder, &relative, &key, options.name_rules);
                    planned.push((key, 0, path));
                }
                DownloadSource::Prefix { prefix, strip, folder } => {
                    let folder = absolute(&folder)?;
                    let mut listing = Box::pin(client.list_all(&bucket, Some(&prefix), None));
                    while let Some(entry) = listing.next().await {
                        let ListEntry::Object(object) = entry? else { continue };
                        let relative = object.key.strip_prefix(&strip).unwrap_or(&object.key).to_owned();
                        if relative.is_empty() {
                            continue; // the "folder" object of the prefix itself
                        }
                        let path = local_path_for(&folder, &relative, &object.key, options.name_rules);
                        planned.push((object.key, object.size, path));
                    }
                }
            }
        }
        Ok(planned
            .into_iter()
            .map(|(key, size, path)| {
                let source = format!("oss://{bucket}/{key}");
                match path {
                    Ok(destination) => {
                        let shown = destination.display().to_string();
                        let job = DownloadJob { bucket: bucket.clone(), key, destination };
                        self.start(
                            client,
                            Job::Download(job),
                            Direction::Download,
                            source,
                            shown,
                            &options,
                            &events,
                            size,
                        )
                    }
                    Err(err) => self.start_failed(client, Direction::Download, source, &options, &events, err),
                }
            })
            .collect())
    }

    #[allow(clippy::too_many_arguments)]
    fn entry(
        &self,
        client: &Client,
        job: Option<Job>,
        direction: Direction,
        source: String,
        destination: String,
        options: &Arc<TransferOptions>,
        events: &EventSink,
        total: u64,
    ) -> Arc<Entry> {
        let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
        let counters = Arc::new(Counters::default());
        counters.set_total(total);
        let entry = Arc::new_cyclic(|weak: &Weak<Entry>| {
            let weak = weak.clone();
            Entry {
                id,
                direction,
                source,
                job,
                env: Env {
                    client: client.clone(),
                    options: options.clone(),
                    checkpoints: self.shared.checkpoints.clone(),
                    counters,
                    phase: Arc::new(move |phase| {
                        if let Some(entry) = weak.upgrade() {
                            entry.set_status(phase);
                        }
                    }),
                },
                sink: events.clone(),
                desired: Mutex::new(Desired::Run),
                wake: Notify::new(),
                state: Mutex::new(State { status: TransferStatus::Queued, destination, ..State::default() }),
                changed: Notify::new(),
                driving: AtomicBool::new(false),
                queued: AtomicBool::new(false),
            }
        });
        lock(&self.shared.entries).insert(id, entry.clone());
        entry.emit(TransferEvent::Queued { transfer: entry.snapshot() });
        entry
    }

    #[allow(clippy::too_many_arguments)]
    fn start(
        &self,
        client: &Client,
        job: Job,
        direction: Direction,
        source: String,
        destination: String,
        options: &Arc<TransferOptions>,
        events: &EventSink,
        total: u64,
    ) -> TransferId {
        let entry = self.entry(client, Some(job), direction, source, destination, options, events, total);
        self.shared.enqueue(entry.clone());
        entry.id
    }

    /// A transfer refused before it started (its key would escape the folder, say).
    fn start_failed(
        &self,
        client: &Client,
        direction: Direction,
        source: String,
        options: &Arc<TransferOptions>,
        events: &EventSink,
        err: Error,
    ) -> TransferId {
        let entry = self.entry(client, None, direction, source, String::new(), options, events, 0);
        entry.conclude(Err(err));
        entry.id
    }

    fn find(&self, id: TransferId) -> Result<Arc<Entry>> {
        lock(&self.shared.entries)
            .get(&id)
            .cloned()
            .ok_or_else(|| Error::new(ErrorKind::NotFound, format!("there is no transfer {id}")))
    }

    /// Stops moving bytes and keeps the checkpoint; parts in flight are dropped.
    pub fn pause(&self, id: TransferId) -> Result<()> {
        let entry = self.find(id)?;
        if entry.status().is_terminal() {
            return Err(Error::invalid_input(format!("transfer {id} has ended; there is nothing to pause")));
        }
        // `desired` changes under its lock, and whoever sets `driving` acts on the transfer.
        let owner = {
            let mut desired = lock(&entry.desired);
            if *desired != Desired::Run {
                return Ok(());
            }
            *desired = Desired::Pause;
            !entry.driving.swap(true, Ordering::AcqRel)
        };
        if owner {
            // Waiting in the queue: it stays there, skipped, until resumed.
            entry.set_status(TransferStatus::Paused);
            entry.set_driving(false);
        } else {
            entry.wake.notify_one();
        }
        Ok(())
    }

    /// Continues a paused transfer, or tries a failed one again (from its checkpoint).
    pub fn resume(&self, id: TransferId) -> Result<()> {
        let entry = self.find(id)?;
        match entry.status() {
            TransferStatus::Done | TransferStatus::Cancelled => {
                return Err(Error::invalid_input(format!("transfer {id} has ended; start it again instead")));
            }
            TransferStatus::Failed if entry.job.is_none() => {
                let reason = lock(&entry.state).error.as_ref().map(|e| e.message.clone()).unwrap_or_default();
                return Err(Error::invalid_input(format!("transfer {id} cannot be tried again: {reason}")));
            }
            _ => {}
        }
        let owner = {
            let mut desired = lock(&entry.desired);
            if *desired == Desired::Cancel {
                return Err(Error::invalid_input(format!("transfer {id} is being cancelled")));
            }
            *desired = Desired::Run;
            matches!(entry.status(), TransferStatus::Paused | TransferStatus::Failed)
                && !entry.driving.swap(true, Ordering::AcqRel)
        };
        // Otherwise it is queued, or its driver is still stopping and will put it back in line.
        if owner {
            lock(&entry.state).error = None;
            entry.set_status(TransferStatus::Queued);
            entry.set_driving(false);
            self.shared.enqueue(entry);
        }
        Ok(())
    }

    /// Stops for good: aborts the multipart upload on OSS, or deletes the part file.
    pub fn cancel(&self, id: TransferId) -> Result<()> {
        let entry = self.find(id)?;
        if matches!(entry.status(), TransferStatus::Done | TransferStatus::Cancelled) {
            return Err(Error::invalid_input(format!("transfer {id} has ended; there is nothing to cancel")));
        }
        let owner = {
            let mut desired = lock(&entry.desired);
            if *desired == Desired::Cancel {
                return Ok(());
            }
            *desired = Desired::Cancel;
            !entry.driving.swap(true, Ordering::AcqRel)
        };
        if owner {
            // Queued, paused or failed: clean up here (the queue skips it).
            tokio::spawn(async move {
                entry.conclude_cancelled().await;
                entry.set_driving(false);
            });
        } else {
            // Running: its driver stops it and cleans up.
            entry.wake.notify_one();
        }
        Ok(())
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
        self.wait_for(id, |status| status.is_terminal()).await
    }

    /// Waits until the transfer is paused (its checkpoint saved) or has ended.
    pub async fn wait_idle(&self, id: TransferId) -> Result<TransferSnapshot> {
        self.wait_for(id, |status| status == TransferStatus::Paused || status.is_terminal()).await
    }

    async fn wait_for(&self, id: TransferId, ready: impl Fn(TransferStatus) -> bool) -> Result<TransferSnapshot> {
        let entry = self.find(id)?;
        loop {
            let changed = entry.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if ready(entry.status()) && !entry.driving.load(Ordering::Acquire) {
                return Ok(entry.snapshot());
            }
            changed.await;
        }
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

impl Shared {
    /// Puts the transfer in line for a slot (once, however often it is asked).
    fn enqueue(self: &Arc<Self>, entry: Arc<Entry>) {
        if entry.queued.swap(true, Ordering::AcqRel) {
            return;
        }
        lock(&self.queue).push_back(entry);
        self.dispatch();
    }

    /// Starts the one dispatcher unless it runs: it hands each free slot to the next transfer
    /// in line, so waiting transfers cost no task.
    fn dispatch(self: &Arc<Self>) {
        if self.dispatching.swap(true, Ordering::AcqRel) {
            return;
        }
        let shared = self.clone();
        tokio::spawn(async move {
            loop {
                let Ok(permit) = shared.slots.clone().acquire_owned().await else { return };
                let next = lock(&shared.queue).pop_front();
                let Some(entry) = next else {
                    drop(permit);
                    shared.dispatching.store(false, Ordering::Release);
                    // Something may have been queued after the queue looked empty.
                    if lock(&shared.queue).is_empty() || shared.dispatching.swap(true, Ordering::AcqRel) {
                        return;
                    }
                    continue;
                };
                entry.queued.store(false, Ordering::Release);
                // Paused or cancelled while it waited: resume and cancel take it from here.
                if *lock(&entry.desired) != Desired::Run || entry.driving.swap(true, Ordering::AcqRel) {
                    continue;
                }
                let driven = entry.clone();
                let requeue = shared.clone();
                tokio::spawn(async move {
                    let run = AssertUnwindSafe(drive(driven.clone(), permit)).catch_unwind().await;
                    match run {
                        Ok(Some(again)) => {
                            again.set_driving(false);
                            requeue.enqueue(again);
                        }
                        Ok(None) => {}
                        Err(_) => {
                            // A bug, not a transfer error: still end in a state the UI can act on.
                            driven
                                .conclude(Err(Error::new(ErrorKind::Io, "the transfer stopped on an internal error")));
                            driven.set_driving(false);
                        }
                    }
                });
            }
        });
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Desired {
    Run,
    Pause,
    Cancel,
}

/// One transfer. Waiting and paused ones are only this: no task runs for them.
struct Entry {
    id: TransferId,
    direction: Direction,
    source: String,
    /// `None` for a transfer refused before it could start: it never runs.
    job: Option<Job>,
    env: Env,
    sink: EventSink,
    desired: Mutex<Desired>,
    /// Wakes the running driver when `desired` changes.
    wake: Notify,
    state: Mutex<State>,
    /// Wakes the waiters when the status or `driving` changes.
    changed: Notify,
    /// A driver (or a cancel's clean-up) is working on it.
    driving: AtomicBool,
    /// In the dispatcher's queue.
    queued: AtomicBool,
}

#[derive(Default)]
struct State {
    status: TransferStatus,
    destination: String,
    skipped: bool,
    error: Option<TransferError>,
    meter: RateMeter,
    last_emit: Option<Instant>,
    last_sent: Option<(TransferStatus, u64, u64)>,
}

impl Entry {
    /// Hands an event to the sink; a sink that panics (a closed pipe, say) loses the event but
    /// cannot stop the transfer.
    fn emit(&self, event: TransferEvent) {
        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| (self.sink)(event)));
    }

    fn status(&self) -> TransferStatus {
        lock(&self.state).status
    }

    fn set_driving(&self, driving: bool) {
        self.driving.store(driving, Ordering::Release);
        self.changed.notify_waiters();
    }

    fn snapshot(&self) -> TransferSnapshot {
        let state = lock(&self.state);
        let (done, total) = (self.env.counters.done(), self.env.counters.total());
        let moving = matches!(state.status, TransferStatus::Running | TransferStatus::Verifying);
        TransferSnapshot {
            id: self.id,
            direction: self.direction,
            source: self.source.clone(),
            destination: state.destination.clone(),
            state: state.status,
            done,
            total,
            bytes_per_sec: if moving { state.meter.bytes_per_sec() } else { 0 },
            eta_secs: if moving { state.meter.eta_secs(done, total) } else { None },
            skipped: state.skipped,
            error: state.error.clone(),
        }
    }

    /// A new non-final state, reported at once.
    fn set_status(&self, status: TransferStatus) {
        {
            let mut state = lock(&self.state);
            state.status = status;
            if status == TransferStatus::Running {
                state.meter.reset();
            }
        }
        self.emit_progress(true);
        self.changed.notify_waiters();
    }

    /// A progress event, unless nothing changed or (for a mere tick) the last one was less than
    /// 100 ms ago.
    fn emit_progress(&self, forced: bool) {
        let (done, total) = (self.env.counters.done(), self.env.counters.total());
        let now = Instant::now();
        let event = {
            let mut state = lock(&self.state);
            let status = state.status;
            state.meter.sample(now, done);
            let changed = state.last_sent != Some((status, done, total));
            let due = forced || state.last_emit.is_none_or(|at| now.duration_since(at) >= PROGRESS_INTERVAL);
            if !changed || !due {
                return;
            }
            state.last_emit = Some(now);
            state.last_sent = Some((status, done, total));
            let moving = matches!(status, TransferStatus::Running | TransferStatus::Verifying);
            TransferEvent::Progress {
                id: self.id,
                state: status,
                done,
                total,
                bytes_per_sec: if moving { state.meter.bytes_per_sec() } else { 0 },
                eta_secs: if moving { state.meter.eta_secs(done, total) } else { None },
            }
        };
        self.emit(event);
    }

    /// The final state and event.
    fn conclude(&self, result: Result<Outcome>) {
        let (done, total) = (self.env.counters.done(), self.env.counters.total());
        let event = {
            let mut state = lock(&self.state);
            match result {
                Ok(outcome) => {
                    state.status = TransferStatus::Done;
                    state.destination = outcome.destination.clone();
                    state.skipped = outcome.skipped;
                    TransferEvent::Finished {
                        id: self.id,
                        destination: outcome.destination,
                        done,
                        total,
                        skipped: outcome.skipped,
                    }
                }
                Err(err) => {
                    let error = TransferError::from(&err);
                    state.status = TransferStatus::Failed;
                    state.error = Some(error.clone());
                    TransferEvent::Failed { id: self.id, done, total, error }
                }
            }
        };
        self.emit(event);
        self.changed.notify_waiters();
    }

    async fn conclude_cancelled(&self) {
        if let Some(job) = &self.job {
            job.clean_up_after_cancel(&self.env).await;
        }
        let (done, total) = (self.env.counters.done(), self.env.counters.total());
        lock(&self.state).status = TransferStatus::Cancelled;
        tracing::info!(id = self.id, "transfer cancelled");
        self.emit(TransferEvent::Cancelled { id: self.id, done, total });
        self.changed.notify_waiters();
    }
}

/// Runs one transfer in the slot `permit` holds, until it ends or is paused or cancelled (a
/// pause drops the work, whose checkpoint is saved as it goes). Clears `driving` when it is
/// done with the transfer, or returns the transfer, still marked driving, to go back in line.
async fn drive(entry: Arc<Entry>, permit: OwnedSemaphorePermit) -> Option<Arc<Entry>> {
    let Some(job) = &entry.job else {
        entry.conclude(Err(Error::invalid_input("this transfer was refused before it started")));
        entry.set_driving(false);
        return None;
    };
    entry.set_status(TransferStatus::Running);
    let finished = {
        // Boxed: the work's state is large and only exists while it runs.
        let mut work = Box::pin(job.run(&entry.env));
        let mut ticker = tokio::time::interval(PROGRESS_INTERVAL);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            // Verifying is the commit (CompleteMultipartUpload, the final rename): it finishes.
            if *lock(&entry.desired) != Desired::Run && entry.status() != TransferStatus::Verifying {
                break None;
            }
            tokio::select! {
                result = &mut work => break Some(result),
                () = entry.wake.notified() => {}
                _ = ticker.tick() => entry.emit_progress(false),
            }
        }
    };
    drop(permit);
    if let Some(result) = finished {
        entry.emit_progress(true);
        if result.is_err() && *lock(&entry.desired) == Desired::Cancel {
            // Cancelled while it was committing, and the commit failed: cancelled it is.
            entry.conclude_cancelled().await;
        } else {
            entry.conclude(result);
        }
        entry.set_driving(false);
        return None;
    }
    if *lock(&entry.desired) == Desired::Pause {
        entry.set_status(TransferStatus::Paused);
    }
    // Decided under the lock that pause, resume and cancel take: each either sees this driver
    // still in charge (and leaves the rest to it) or sees it gone (and acts itself).
    let desired = {
        let desired = lock(&entry.desired);
        if *desired == Desired::Pause {
            entry.driving.store(false, Ordering::Release);
        }
        *desired
    };
    match desired {
        Desired::Pause => {
            entry.changed.notify_waiters();
            None
        }
        Desired::Run => {
            entry.set_status(TransferStatus::Queued);
            Some(entry.clone())
        }
        Desired::Cancel => {
            entry.conclude_cancelled().await;
            entry.set_driving(false);
            None
        }
    }
}
