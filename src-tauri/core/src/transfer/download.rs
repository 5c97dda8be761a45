//! One object to one local file: written to a new part file `.NAME.<random>.osslite-part` (one
//! GET, or several ranges in flight for large objects), checked against the object's CRC-64, then
//! put in place under the final name in one step. A checkpoint records the part file's name and
//! the finished ranges so a restart continues.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::task::JoinSet;

use futures_util::future::BoxFuture;

use super::attempt::{guard_stall, Rounds};
use super::checkpoint::{self, Checkpointer, DownloadCheckpoint, VERSION};
use super::crc64::{self, Crc64};
use super::env::{task_failed, Env, Outcome, Work};
use super::local::crc_of_range;
use super::part_file;
use super::paths::numbered_path;
use super::plan::{self, Piece};
use super::progress::{Counters, TransferStatus};
use super::verify::{self, Verification};
use super::ConflictPolicy;
use crate::client::{Client, ObjectMeta, RetryPolicy};
use crate::error::{Error, ErrorKind, Result};
use crate::ops::ByteRange;

/// An object and the file it becomes.
#[derive(Debug, Clone)]
pub(crate) struct DownloadJob {
    pub bucket: String,
    pub key: String,
    /// An old version of the object; none for the latest.
    pub version_id: Option<String>,
    /// The folder the user chose: nothing between it and `destination` may be a symbolic link.
    pub root: PathBuf,
    /// Absolute; the final name (another one after a rename).
    pub destination: PathBuf,
}

impl DownloadJob {
    pub fn source(&self) -> String {
        match &self.version_id {
            Some(version_id) => format!("oss://{}/{}?versionId={version_id}", self.bucket, self.key),
            None => format!("oss://{}/{}", self.bucket, self.key),
        }
    }

    fn checkpoint_path(&self, env: &Env) -> PathBuf {
        let source = format!("{} {}", env.endpoint(), self.source());
        env.checkpoints.path_for("download", &source, &self.destination.to_string_lossy())
    }
}

fn io_error<'a>(path: &'a Path, action: &str) -> impl Fn(std::io::Error) -> Error + 'a {
    let action = action.to_owned();
    move |err| Error::new(ErrorKind::Io, format!("cannot {action} '{}': {err}", path.display()))
}

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

fn exists_error(path: &Path) -> Error {
    Error::new(ErrorKind::Conflict, format!("'{}' exists already; choose to overwrite, skip or rename", path.display()))
}

impl Work for DownloadJob {
    fn run<'a>(&'a self, env: &'a Env) -> BoxFuture<'a, Result<Outcome>> {
        Box::pin(run(env, self))
    }

    fn clean_up_after_cancel<'a>(&'a self, env: &'a Env) -> BoxFuture<'a, ()> {
        Box::pin(clean_up(env, self))
    }
}

#[tracing::instrument(name = "download", skip_all, fields(bucket = %job.bucket, key = %job.key, destination = %job.destination.display()), ret, err(level = "warn", Debug))]
async fn run(env: &Env, job: &DownloadJob) -> Result<Outcome> {
    tracing::info!("started");
    let destination = job.destination.display().to_string();
    if job.key.ends_with('/') {
        // A "folder" object: the folder itself.
        let (root, folder) = (job.root.clone(), job.destination.clone());
        tokio::task::spawn_blocking(move || part_file::make_folders(&root, &folder)).await.map_err(task_failed)??;
        // No bytes, so nothing to verify.
        return Ok(Outcome { destination, skipped: false, verification: None });
    }
    let policy = env.options.on_conflict;
    if let Some(parent) = job.destination.parent() {
        part_file::make_folders(&job.root, parent)?;
    }
    if exists(&job.destination) {
        refuse_link_overwrite(&job.destination, policy)?;
        match policy {
            ConflictPolicy::Skip => return Ok(Outcome::skipped(destination)),
            ConflictPolicy::Fail => return Err(exists_error(&job.destination)),
            ConflictPolicy::Overwrite | ConflictPolicy::Rename => {}
        }
    }
    let meta = env.client.head_object_version(&job.bucket, &job.key, job.version_id.as_deref()).await?;
    let size = meta.content_length.ok_or_else(|| {
        Error::new(ErrorKind::InvalidResponse, format!("HeadObject {}: no Content-Length", job.source()))
    })?;
    env.counters.set_total(size);
    let range_size = if size > env.options.multipart_threshold {
        plan::part_size_for(size, env.options.part_size)?
    } else {
        size.max(1)
    };
    let (mut checkpointer, file, part) = resume_or_start(env, job, &meta, size, range_size).await?;
    let file = Arc::new(file);
    let range_size = checkpointer.data().range_size;
    let pieces = plan::pieces(size, range_size);

    let finished = checkpointer.data().ranges.clone();
    env.counters.set_done(pieces.iter().filter(|p| finished.contains_key(&p.number)).map(|p| p.len).sum());
    let shared = Arc::new(Ranges {
        client: env.client.clone(),
        bucket: job.bucket.clone(),
        key: job.key.clone(),
        version_id: job.version_id.clone(),
        part: part.clone(),
        file: file.clone(),
        etag: meta.etag.clone(),
        size,
        single: pieces.len() == 1,
        retry: env.options.part_retry,
        stall_timeout: env.options.stall_timeout,
        counters: env.counters.clone(),
    });
    let mut waiting = pieces.iter().copied().filter(|piece| !finished.contains_key(&piece.number));
    let mut running = JoinSet::new();
    loop {
        while running.len() < env.options.parallel {
            let Some(piece) = waiting.next() else { break };
            running.spawn(fetch_range(shared.clone(), piece));
        }
        let Some(joined) = running.join_next().await else { break };
        let (number, crc) = joined.map_err(task_failed)??;
        checkpointer.update(|data| {
            data.ranges.insert(number, crc);
        });
        checkpointer.save_soon()?;
    }

    (env.phase)(TransferStatus::Verifying);
    let ranges = checkpointer.data().ranges.clone();
    let crc = crc64::combine_all(pieces.iter().map(|p| (ranges.get(&p.number).copied().unwrap_or_default(), p.len)));
    if let Some(expected) = meta.crc64.filter(|expected| *expected != crc) {
        let _ = tokio::fs::remove_file(&part).await;
        checkpointer.discard();
        return Err(Error::integrity(format!(
            "CRC-64 mismatch: {} has CRC-64 {expected} but the downloaded bytes have {crc}; \
             nothing was written under '{}'",
            job.source(),
            job.destination.display()
        )));
    }
    let verification = match meta.crc64 {
        Some(_) => Verification::Crc64,
        None => match verify::by_md5(&meta, &part, size, &job.source(), &job.destination).await {
            Ok(verification) => verification,
            Err(err) => {
                if err.kind() == ErrorKind::Integrity {
                    let _ = tokio::fs::remove_file(&part).await;
                    checkpointer.discard();
                }
                return Err(err);
            }
        },
    };
    drop(shared);
    let (part_for_place, destination_for_place, root) = (part.clone(), job.destination.clone(), job.root.clone());
    let placed = tokio::task::spawn_blocking(move || {
        file.sync_all().map_err(io_error(&part_for_place, "write"))?;
        drop(file);
        if let Some(parent) = destination_for_place.parent() {
            part_file::check_folders(&root, parent)?;
        }
        place(&part_for_place, &destination_for_place, policy)
    })
    .await
    .map_err(task_failed)?;
    checkpointer.discard();
    match placed? {
        Some(path) => Ok(Outcome::moved(path.display().to_string(), verification)),
        None => Ok(Outcome::skipped(destination)),
    }
}

/// After a cancel: delete the part file the checkpoint names, and the checkpoint.
async fn clean_up(env: &Env, job: &DownloadJob) {
    let path = job.checkpoint_path(env);
    if let Some(name) = checkpoint::load::<DownloadCheckpoint>(&path).and_then(|saved| saved.part_name) {
        if part_file::is_part_name(&name) {
            let _ = tokio::fs::remove_file(part_file::path_of(&job.destination, &name)).await;
        }
    }
    checkpoint::remove(&path);
}

/// Overwriting replaces whatever is at the destination; a symbolic link planted there is refused
/// rather than silently swapped for a file.
fn refuse_link_overwrite(destination: &Path, policy: ConflictPolicy) -> Result<()> {
    let is_link = std::fs::symlink_metadata(destination).is_ok_and(|m| m.file_type().is_symlink());
    if is_link && policy == ConflictPolicy::Overwrite {
        return Err(Error::new(
            ErrorKind::Conflict,
            format!("'{}' is a symbolic link; refusing to overwrite it", destination.display()),
        ));
    }
    Ok(())
}

/// The checkpoint to continue from, when it describes the same object and its part file is
/// there (its finished ranges re-read and checked, since a power cut can lose written data);
/// else a fresh part file and checkpoint. Either way, the one handle every range writes through,
/// and the part file's path.
async fn resume_or_start(
    env: &Env,
    job: &DownloadJob,
    meta: &ObjectMeta,
    size: u64,
    range_size: u64,
) -> Result<(Checkpointer<DownloadCheckpoint>, File, PathBuf)> {
    let path = job.checkpoint_path(env);
    if let Some(saved) = checkpoint::load::<DownloadCheckpoint>(&path) {
        let same = saved.version == VERSION
            && saved.bucket == job.bucket
            && saved.key == job.key
            && saved.version_id == job.version_id
            && saved.size == size
            && saved.etag == meta.etag
            && saved.crc64 == meta.crc64
            && saved.range_size > 0;
        let name = saved.part_name.clone().unwrap_or_default();
        let reopened = if same { part_file::reopen(&job.destination, &name, size) } else { None };
        if let Some(file) = reopened {
            let (part, ranges, range_size) =
                (part_file::path_of(&job.destination, &name), saved.ranges.clone(), saved.range_size);
            let verified = tokio::task::spawn_blocking(move || -> Result<BTreeMap<u32, u64>> {
                let pieces = plan::pieces(size, range_size);
                let mut verified = BTreeMap::new();
                for (number, crc) in ranges {
                    let Some(piece) = (number as usize).checked_sub(1).and_then(|i| pieces.get(i)) else { continue };
                    if crc_of_range(&part, piece.offset, piece.len)? == crc {
                        verified.insert(number, crc);
                    }
                }
                Ok(verified)
            })
            .await
            .map_err(task_failed)??;
            let mut checkpointer = Checkpointer::resume(path, saved);
            checkpointer.update(|data| data.ranges = verified);
            checkpointer.save_now()?;
            return Ok((checkpointer, file, part_file::path_of(&job.destination, &name)));
        }
        // Not resumable: its part file is a leftover of this same transfer.
        if part_file::is_part_name(&name) {
            let _ = std::fs::remove_file(part_file::path_of(&job.destination, &name));
        }
        checkpoint::remove(&path);
    }
    let (part_name, file) = part_file::create(&job.destination)?;
    let part = part_file::path_of(&job.destination, &part_name);
    file.set_len(size).map_err(io_error(&part, "size"))?;
    let data = DownloadCheckpoint {
        version: VERSION,
        profile: env.options.profile.clone(),
        endpoint: env.endpoint(),
        bucket: job.bucket.clone(),
        key: job.key.clone(),
        version_id: job.version_id.clone(),
        destination: job.destination.clone(),
        part_name: Some(part_name),
        size,
        etag: meta.etag.clone(),
        crc64: meta.crc64,
        range_size,
        ranges: BTreeMap::new(),
        created_at: checkpoint::now_secs(),
    };
    Ok((Checkpointer::create(path, data)?, file, part))
}

/// Puts the verified part file under its final name, as the policy says; `None` when skipped.
fn place(part: &Path, destination: &Path, policy: ConflictPolicy) -> Result<Option<PathBuf>> {
    if policy == ConflictPolicy::Overwrite {
        std::fs::rename(part, destination).map_err(io_error(destination, "write"))?;
        return Ok(Some(destination.to_path_buf()));
    }
    let mut candidate = destination.to_path_buf();
    let mut n = 0;
    loop {
        match move_without_replacing(part, &candidate) {
            Ok(()) => return Ok(Some(candidate)),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => match policy {
                ConflictPolicy::Rename if n < 9999 => {
                    n += 1;
                    candidate = numbered_path(destination, n);
                }
                ConflictPolicy::Skip => {
                    let _ = std::fs::remove_file(part);
                    return Ok(None);
                }
                _ => {
                    let _ = std::fs::remove_file(part);
                    return Err(exists_error(&candidate));
                }
            },
            Err(err) => return Err(io_error(&candidate, "write")(err)),
        }
    }
}

/// Renames `from` to `to` unless `to` exists: a hard link fails atomically when it does; where
/// the file system has no hard links, a check and a rename.
fn move_without_replacing(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => {
            let _ = std::fs::remove_file(from);
            Ok(())
        }
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Err(err),
        Err(_) if exists(to) => Err(std::io::ErrorKind::AlreadyExists.into()),
        Err(_) => std::fs::rename(from, to),
    }
}

/// What every range of one object shares.
struct Ranges {
    client: Client,
    bucket: String,
    key: String,
    version_id: Option<String>,
    part: PathBuf,
    /// Opened once; every range writes at its offsets through it.
    file: Arc<File>,
    etag: Option<String>,
    size: u64,
    /// One range covering the object: the first GET asks for the whole object.
    single: bool,
    retry: RetryPolicy,
    stall_timeout: Duration,
    counters: Arc<Counters>,
}

/// One range, continued from where it broke off, until a failure repeats without progress.
async fn fetch_range(shared: Arc<Ranges>, piece: Piece) -> Result<(u32, u64)> {
    let what = if shared.single {
        format!("oss://{}/{}", shared.bucket, shared.key)
    } else {
        format!("bytes {}-{} of oss://{}/{}", piece.offset, piece.offset + piece.len - 1, shared.bucket, shared.key)
    };
    let mut crc = Crc64::new();
    let activity = AtomicU64::new(0);
    let mut rounds = Rounds::new(&shared.retry, shared.client.jitter());
    while crc.len() < piece.len {
        let before = crc.len();
        let fetched =
            guard_stall(shared.get_into(piece, &mut crc, &activity), &activity, shared.stall_timeout, &what).await;
        if let Err(err) = fetched {
            let progressed = crc.len() > before;
            rounds.retry_after(err, progressed).await.map_err(|err| err.context(format!("downloading {what}")))?;
        }
    }
    Ok((piece.number, crc.value()))
}

impl Ranges {
    /// One GET for what is missing of `piece`, written at its place and hashed.
    async fn get_into(&self, piece: Piece, crc: &mut Crc64, activity: &AtomicU64) -> Result<()> {
        let got = crc.len();
        let (start, len) = (piece.offset + got, piece.len - got);
        let range = if self.single && got == 0 { None } else { Some(ByteRange::with_len(start, len)?) };
        let body = self.client.get_object_version(&self.bucket, &self.key, self.version_id.as_deref(), range).await?;
        self.check_same_object(body.meta(), range.is_some(), start, len)?;
        let (_, mut stream) = body.into_parts();
        let mut received = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            let n = chunk.len() as u64;
            if received + n > len {
                return Err(Error::new(
                    ErrorKind::InvalidResponse,
                    format!("OSS sent more than the {len} bytes asked for from byte {start}"),
                ));
            }
            let (file, at) = (self.file.clone(), start + received);
            let chunk = tokio::task::spawn_blocking(move || part_file::write_all_at(&file, &chunk, at).map(|()| chunk))
                .await
                .map_err(task_failed)?
                .map_err(io_error(&self.part, "write"))?;
            crc.update(&chunk);
            received += n;
            self.counters.add(n);
            activity.fetch_add(1, Ordering::Relaxed);
        }
        if received < len {
            return Err(Error::new(
                ErrorKind::Network,
                format!("the answer ended after {received} of {len} bytes from byte {start}"),
            ));
        }
        Ok(())
    }

    /// Every answer must come from the object HeadObject described, and hold the bytes asked for.
    fn check_same_object(&self, meta: &ObjectMeta, ranged: bool, start: u64, len: u64) -> Result<()> {
        let changed = || {
            Error::new(
                ErrorKind::Conflict,
                format!("oss://{}/{} changed on OSS during the download; download it again", self.bucket, self.key),
            )
        };
        if let (Some(expected), Some(etag)) = (&self.etag, &meta.etag) {
            if expected != etag {
                return Err(changed());
            }
        }
        if ranged {
            let wanted = format!("bytes {start}-{}/{}", start + len - 1, self.size);
            if meta.content_range.as_deref() != Some(wanted.as_str()) {
                return Err(changed());
            }
        } else if meta.content_length != Some(self.size) {
            return Err(changed());
        }
        Ok(())
    }
}
