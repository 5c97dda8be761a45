//! A management request as one job of the transfer engine: planned (folders listed) when it
//! first runs, then each object copied, moved, updated or restored, many at once, with a
//! checkpoint of what is done (copied, deleted, parts of a multipart copy) to resume from after
//! a pause or a restart, and an account of the objects that failed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;
use futures_util::{FutureExt, StreamExt};
use serde::{Deserialize, Serialize};

use super::copy::{
    abort_part_copy, copy_with_policy, update_in_place, CopyLog, CopyOutcome, CopySpec, Headers, PartCopyState,
};
use super::plan::{plan as plan_request, KeyPair, Plan};
use super::restore::is_archive_class;
use super::{ItemFailure, ManageAction, ManageOptions, ManageRequest};
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::ops::MAX_DELETE_KEYS;
use crate::transfer::checkpoint::{self, now_secs, CheckpointStore, Checkpointer};
use crate::transfer::env::{Env, Outcome, Work};
use crate::transfer::progress::Counters;

/// Failures named in a failed job's message; the rest are counted.
const FAILURES_IN_MESSAGE: usize = 3;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ManageCheckpoint {
    pub version: u32,
    #[serde(default)]
    pub profile: Option<String>,
    pub endpoint: String,
    pub request: ManageRequest,
    pub options: ManageOptions,
    /// `None` until the selection is listed. Kept in its own file beside the checkpoint
    /// ([`plan_path`]), written once: the checkpoint itself stays small however many objects.
    #[serde(skip)]
    pub plan: Option<Plan>,
    /// Indexes (in the plan) of the objects handled.
    pub done: BTreeSet<u32>,
    /// Of those, the ones skipped because the target existed (a move keeps their sources).
    pub skipped: BTreeSet<u32>,
    /// Indexes of the sources a move has deleted.
    pub deleted: BTreeSet<u32>,
    /// Multipart copies under way, by target key.
    pub parts: BTreeMap<String, PartCopyState>,
    pub failures: Vec<ItemFailure>,
    pub created_at: u64,
}

impl ManageCheckpoint {
    pub fn done_bytes(&self) -> u64 {
        let Some(plan) = &self.plan else { return 0 };
        self.done.iter().filter_map(|&index| plan.pairs.get(index as usize)).map(|pair| pair.size).sum()
    }

    /// The checkpoint at `path` with its plan, or `None` (a checkpoint without its plan file,
    /// or the other way round, is unusable).
    pub fn load(path: &Path) -> Option<Self> {
        let mut data = checkpoint::load::<ManageCheckpoint>(path)?;
        if !data.done.is_empty() || plan_path(path).exists() {
            data.plan = Some(checkpoint::load::<Plan>(&plan_path(path))?);
        }
        Some(data)
    }

    /// [`ManageCheckpoint::done_bytes`] plus the parts of copies under way (a last, shorter
    /// part counts whole): what an unfinished job shows.
    pub fn progress_bytes(&self) -> u64 {
        let total = self.plan.as_ref().map_or(0, Plan::total_bytes);
        let parts: u64 = self.parts.values().map(|state| state.part_size * state.parts.len() as u64).sum();
        (self.done_bytes() + parts).min(total)
    }
}

/// Where the plan of the checkpoint at `path` is kept: `manage-….json.plan`, so that listings
/// of checkpoints (`*.json`) pass it by.
pub(crate) fn plan_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".plan");
    PathBuf::from(name)
}

/// Removes a checkpoint and its plan.
pub(crate) fn remove_checkpoint(path: &Path) {
    checkpoint::remove(path);
    checkpoint::remove(&plan_path(path));
}

/// Saves after an object are spaced this far apart: a large job's checkpoint is not rewritten
/// for every object. A stop loses at most this much bookkeeping; a resumed job finds copies
/// that completed unrecorded by comparing source and target.
const SAVE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

/// The checkpoint file of a request: the same request finds it again.
pub(crate) fn checkpoint_path(store: &CheckpointStore, request: &ManageRequest) -> PathBuf {
    let identity = serde_json::to_string(request).unwrap_or_default();
    store.path_for("manage", &identity, "")
}

pub(crate) struct ManageJob {
    pub request: ManageRequest,
    pub options: ManageOptions,
    failures: Mutex<Vec<ItemFailure>>,
}

impl ManageJob {
    pub fn new(request: ManageRequest, options: ManageOptions) -> Self {
        Self { request, options, failures: Mutex::new(Vec::new()) }
    }
}

type Shared = Arc<Mutex<Checkpointer<ManageCheckpoint>>>;

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Records a job's parts and progress for the copies it makes.
struct JobLog {
    shared: Shared,
    counters: Arc<Counters>,
}

impl CopyLog for JobLog {
    fn resume_parts(&self, target_key: &str) -> Option<PartCopyState> {
        lock(&self.shared).data().parts.get(target_key).cloned()
    }

    fn save_parts(&self, target_key: &str, state: Option<&PartCopyState>) {
        let mut checkpointer = lock(&self.shared);
        checkpointer.update(|data| match state {
            Some(state) => {
                data.parts.insert(target_key.to_owned(), state.clone());
            }
            None => {
                data.parts.remove(target_key);
            }
        });
        // The upload id must survive a crash, or its parts stay on OSS unseen.
        let _ =
            if state.is_some_and(|s| s.parts.is_empty()) { checkpointer.save_now() } else { checkpointer.save_soon() };
    }

    fn progress(&self, bytes: u64) {
        self.counters.add(bytes);
    }
}

impl Work for ManageJob {
    fn run<'a>(&'a self, env: &'a Env) -> BoxFuture<'a, Result<Outcome>> {
        Box::pin(run(self, env))
    }

    fn clean_up_after_cancel<'a>(&'a self, env: &'a Env) -> BoxFuture<'a, ()> {
        async move {
            let path = checkpoint_path(&env.checkpoints, &self.request);
            if let Some(data) = ManageCheckpoint::load(&path) {
                let bucket = data.plan.as_ref().map_or(self.request.bucket.clone(), |plan| plan.target_bucket.clone());
                for (key, state) in &data.parts {
                    abort_part_copy(&env.client, &bucket, key, state).await;
                }
            }
            remove_checkpoint(&path);
        }
        .boxed()
    }

    fn failures(&self) -> Vec<ItemFailure> {
        lock(&self.failures).clone()
    }
}

fn open_checkpoint(job: &ManageJob, env: &Env) -> Result<(Checkpointer<ManageCheckpoint>, bool)> {
    let path = checkpoint_path(&env.checkpoints, &job.request);
    if let Some(data) = ManageCheckpoint::load(&path) {
        if data.version == checkpoint::VERSION && data.endpoint == env.endpoint() {
            return Ok((Checkpointer::resume(path, data).with_interval(SAVE_INTERVAL), true));
        }
    }
    let data = ManageCheckpoint {
        version: checkpoint::VERSION,
        profile: job.options.profile.clone(),
        endpoint: env.endpoint(),
        request: job.request.clone(),
        options: job.options.clone(),
        plan: None,
        done: BTreeSet::new(),
        skipped: BTreeSet::new(),
        deleted: BTreeSet::new(),
        parts: BTreeMap::new(),
        failures: Vec::new(),
        created_at: now_secs(),
    };
    Ok((Checkpointer::create(path, data)?.with_interval(SAVE_INTERVAL), false))
}

async fn run(job: &ManageJob, env: &Env) -> Result<Outcome> {
    let (mut checkpointer, resumed) = open_checkpoint(job, env)?;
    let plan = match checkpointer.data().plan.clone() {
        Some(plan) => plan,
        None => {
            let plan = plan_request(&env.client, &job.request).await?;
            checkpoint::save(&plan_path(checkpointer.path()), &plan)?;
            checkpointer.update(|data| data.plan = Some(plan.clone()));
            plan
        }
    };
    env.counters.set_total(plan.total_bytes());
    env.counters.set_done(checkpointer.data().done_bytes());
    checkpointer.update(|data| data.failures.clear());
    let shared: Shared = Arc::new(Mutex::new(checkpointer));
    let log = JobLog { shared: shared.clone(), counters: env.counters.clone() };
    let is_move = matches!(job.request.action, ManageAction::Move { .. });
    // Owned: a stream of borrowed pairs makes the future's lifetimes too hard to prove Send.
    let (pending, mut to_delete): (Vec<(u32, KeyPair)>, Vec<u32>) = {
        let checkpointer = lock(&shared);
        let data = checkpointer.data();
        let indexed = (0u32..).zip(plan.pairs.iter());
        let pending = indexed.clone().filter(|(index, _)| !data.done.contains(index));
        let to_delete = indexed
            .filter(|(index, _)| is_move && data.done.contains(index))
            .filter(|(index, _)| !data.skipped.contains(index) && !data.deleted.contains(index))
            .map(|(index, _)| index);
        (pending.map(|(index, pair)| (index, pair.clone())).collect(), to_delete.collect())
    };
    let plan_ref = &plan;
    let mut results = futures_util::stream::iter(pending)
        .map(|(index, pair): (u32, KeyPair)| {
            let (log, plan) = (&log, plan_ref);
            async move {
                // A resumed job may find copies made after its last save.
                let result = handle_pair(job, env, plan, &pair, resumed, log).await;
                (index, result)
            }
        })
        .buffer_unordered(job.options.parallel.max(1));
    while let Some((index, result)) = results.next().await {
        record(&shared, &plan, index, result, is_move, &mut to_delete);
        if to_delete.len() >= MAX_DELETE_KEYS {
            delete_sources(env, &plan, &shared, &mut to_delete).await?;
        }
    }
    drop(results);
    drop(log);
    delete_sources(env, &plan, &shared, &mut to_delete).await?;
    let mut checkpointer = Arc::try_unwrap(shared)
        .map_err(|_| Error::new(ErrorKind::Io, "the job's checkpoint is still in use"))?
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    checkpointer.update(|data| data.failures.sort_by(|a, b| a.source.cmp(&b.source)));
    let failures = checkpointer.data().failures.clone();
    *lock(&job.failures) = failures.clone();
    let destination = describe_destination(&job.request);
    if failures.is_empty() {
        let skipped = !plan.pairs.is_empty() && checkpointer.data().skipped.len() == plan.pairs.len();
        checkpointer.discard();
        checkpoint::remove(&plan_path(&checkpoint_path(&env.checkpoints, &job.request)));
        return Ok(Outcome { destination, skipped, verification: None });
    }
    checkpointer.save_now()?;
    Err(failed_summary(&failures, plan.pairs.len()))
}

/// Notes how one object went in the checkpoint; a moved object's source joins the deletions.
fn record(
    shared: &Shared,
    plan: &Plan,
    index: u32,
    result: Result<Option<String>>,
    is_move: bool,
    to_delete: &mut Vec<u32>,
) {
    let mut checkpointer = lock(shared);
    match result {
        Ok(written) => {
            if is_move && written.is_some() {
                to_delete.push(index);
            }
            checkpointer.update(|data| {
                data.done.insert(index);
                if written.is_none() {
                    data.skipped.insert(index);
                }
            });
        }
        Err(err) => {
            let source = plan.pairs.get(index as usize).map_or("", |pair| pair.source.as_str());
            let failure = ItemFailure::new(&plan.source_bucket, source, &err);
            checkpointer.update(|data| data.failures.push(failure));
        }
    }
    let _ = checkpointer.save_soon();
}

fn failed_summary(failures: &[ItemFailure], total: usize) -> Error {
    let named: Vec<String> =
        failures.iter().take(FAILURES_IN_MESSAGE).map(|f| format!("{}: {}", f.source, f.message)).collect();
    let more = failures.len().saturating_sub(FAILURES_IN_MESSAGE);
    let more = if more > 0 { format!("; and {more} more") } else { String::new() };
    // The kind of the first failure, so the UI can explain it; the others are listed apart.
    let kind = failures.first().map_or(ErrorKind::Service, |f| f.kind);
    Error::new(
        kind,
        format!(
            "{} of {total} objects failed (the others are done; resume to try these again): {}{more}",
            failures.len(),
            named.join("; ")
        ),
    )
}

/// Deletes the copied sources of a move in batches of up to 1000 keys.
async fn delete_sources(env: &Env, plan: &Plan, shared: &Shared, indexes: &mut Vec<u32>) -> Result<()> {
    for chunk in indexes.chunks(MAX_DELETE_KEYS) {
        let keys: Vec<&str> =
            chunk.iter().filter_map(|&index| plan.pairs.get(index as usize)).map(|pair| pair.source.as_str()).collect();
        env.client.delete_objects(&plan.source_bucket, &keys).await.map_err(|err| {
            err.context("the objects were copied, but deleting the sources failed; resume to delete them")
        })?;
        let mut checkpointer = lock(shared);
        checkpointer.update(|data| data.deleted.extend(chunk.iter().copied()));
        let _ = checkpointer.save_soon();
    }
    indexes.clear();
    Ok(())
}

/// `oss://bucket/prefix` of a copy or move, or what an update does.
pub(crate) fn describe_destination(request: &ManageRequest) -> String {
    use super::CopyTarget;
    match &request.action {
        ManageAction::Copy { target } | ManageAction::Move { target } => match target {
            CopyTarget::IntoFolder { bucket, prefix } => format!("oss://{bucket}/{prefix}"),
            CopyTarget::Exact { bucket, key } => format!("oss://{bucket}/{key}"),
        },
        ManageAction::SetMeta { .. } => "metadata".to_owned(),
        ManageAction::SetAcl { acl } => format!("ACL {}", acl.as_str()),
        ManageAction::SetClass { storage_class } => format!("storage class {storage_class}"),
        ManageAction::Restore { days, .. } => format!("restore for {} day(s)", days.unwrap_or(1)),
    }
}

/// `oss://bucket/key` of the selection, `(+N more)` when several.
pub(crate) fn describe_source(request: &ManageRequest) -> String {
    let first = request.keys.first().map(String::as_str).unwrap_or("");
    match request.keys.len() {
        0 | 1 => format!("oss://{}/{first}", request.bucket),
        n => format!("oss://{}/{first} (+{} more)", request.bucket, n - 1),
    }
}

/// Whether the target already holds the source's bytes (a copy that completed before a stop).
async fn same_object(client: &Client, plan: &Plan, pair: &KeyPair) -> bool {
    let (Ok(source), Ok(target)) = (
        client.head_object(&plan.source_bucket, &pair.source).await,
        client.head_object(&plan.target_bucket, &pair.target).await,
    ) else {
        return false;
    };
    source.content_length == target.content_length && source.crc64.is_some() && source.crc64 == target.crc64
}

/// Does the job's action to one object; the key written (`None`: skipped).
async fn handle_pair(
    job: &ManageJob,
    env: &Env,
    plan: &Plan,
    pair: &KeyPair,
    in_doubt: bool,
    log: &JobLog,
) -> Result<Option<String>> {
    let client = &env.client;
    let spec = CopySpec {
        source_bucket: &plan.source_bucket,
        source_key: &pair.source,
        target_bucket: &plan.target_bucket,
        target_key: &pair.target,
        size: pair.size,
        storage_class: pair.storage_class.as_deref(),
    };
    match &job.request.action {
        ManageAction::Copy { .. } | ManageAction::Move { .. } => {
            if in_doubt && same_object(client, plan, pair).await {
                log.progress(pair.size);
                return Ok(Some(pair.target.clone()));
            }
            match copy_with_policy(client, &spec, &job.options, log).await? {
                CopyOutcome::Copied { key } => Ok(Some(key)),
                CopyOutcome::Skipped => {
                    log.progress(pair.size);
                    Ok(None)
                }
            }
        }
        ManageAction::SetMeta { edit } => {
            let headers = Headers::Edited { edit: Box::new(edit.clone()), storage_class: None };
            update_in_place(client, &spec, &headers, &job.options, log).await?;
            Ok(Some(pair.source.clone()))
        }
        ManageAction::SetClass { storage_class } => {
            if pair.storage_class.as_deref().is_some_and(|class| class.eq_ignore_ascii_case(storage_class)) {
                log.progress(pair.size);
                return Ok(Some(pair.source.clone()));
            }
            let headers = Headers::Edited { edit: Default::default(), storage_class: Some(storage_class.clone()) };
            update_in_place(client, &spec, &headers, &job.options, log).await?;
            Ok(Some(pair.source.clone()))
        }
        ManageAction::SetAcl { acl } => {
            client.put_object_acl(&plan.source_bucket, &pair.source, *acl).await?;
            log.progress(pair.size);
            Ok(Some(pair.source.clone()))
        }
        ManageAction::Restore { days, tier } => {
            let archived = pair.storage_class.as_deref().is_some_and(is_archive_class);
            let single = job.request.keys.iter().all(|key| !key.ends_with('/'));
            if !archived && single {
                return Err(Error::invalid_input(format!(
                    "oss://{}/{} is {}, not archived: it can be read as it is",
                    plan.source_bucket,
                    pair.source,
                    pair.storage_class.as_deref().unwrap_or("Standard")
                )));
            }
            if archived {
                match client.restore_object(&plan.source_bucket, &pair.source, *days, *tier).await {
                    Ok(_) => {}
                    Err(err) if err.service().and_then(|s| s.code.as_deref()) == Some("RestoreAlreadyInProgress") => {}
                    Err(err) => return Err(err),
                }
            }
            log.progress(pair.size);
            Ok(archived.then(|| pair.source.clone()))
        }
    }
}
