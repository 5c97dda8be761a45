//! One object to one local file: written to `NAME.osslite-part` (one GET, or several ranges in
//! flight for large objects), checked against the object's CRC-64, then put in place under the
//! final name in one step. A checkpoint records finished ranges so a restart continues.

use std::collections::BTreeMap;
use std::io::SeekFrom;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::{AsyncSeekExt, AsyncWriteExt};
use tokio::task::JoinSet;

use futures_util::future::BoxFuture;

use super::attempt::{guard_stall, Rounds};
use super::checkpoint::{self, Checkpointer, DownloadCheckpoint, VERSION};
use super::crc64::{self, Crc64};
use super::env::{task_failed, Env, Outcome, Work};
use super::local::crc_of_range;
use super::paths::{numbered_path, part_path};
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
    /// Absolute; the final name (another one after a rename).
    pub destination: PathBuf,
}

impl DownloadJob {
    pub fn source(&self) -> String {
        format!("oss://{}/{}", self.bucket, self.key)
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
        tokio::fs::create_dir_all(&job.destination).await.map_err(io_error(&job.destination, "create"))?;
        // No bytes, so nothing to verify.
        return Ok(Outcome { destination, skipped: false, verification: None });
    }
    let policy = env.options.on_conflict;
    if exists(&job.destination) {
        match policy {
            ConflictPolicy::Skip => return Ok(Outcome::skipped(destination)),
            ConflictPolicy::Fail => return Err(exists_error(&job.destination)),
            ConflictPolicy::Overwrite | ConflictPolicy::Rename => {}
        }
    }
    let meta = env.client.head_object(&job.bucket, &job.key).await?;
    let size = meta.content_length.ok_or_else(|| {
        Error::new(ErrorKind::InvalidResponse, format!("HeadObject {}: no Content-Length", job.source()))
    })?;
    env.counters.set_total(size);
    if let Some(parent) = job.destination.parent() {
        tokio::fs::create_dir_all(parent).await.map_err(io_error(parent, "create the folder"))?;
    }
    let part = part_path(&job.destination);
    let range_size = if size > env.options.multipart_threshold {
        plan::part_size_for(size, env.options.part_size)?
    } else {
        size.max(1)
    };
    let mut checkpointer = resume_or_start(env, job, &meta, size, range_size, &part).await?;
    let range_size = checkpointer.data().range_size;
    let pieces = plan::pieces(size, range_size);

    let finished = checkpointer.data().ranges.clone();
    env.counters.set_done(pieces.iter().filter(|p| finished.contains_key(&p.number)).map(|p| p.len).sum());
    let shared = Arc::new(Ranges {
        client: env.client.clone(),
        bucket: job.bucket.clone(),
        key: job.key.clone(),
        part: part.clone(),
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
    let (part_for_place, destination_for_place) = (part.clone(), job.destination.clone());
    let placed = tokio::task::spawn_blocking(move || place(&part_for_place, &destination_for_place, policy))
        .await
        .map_err(task_failed)?;
    checkpointer.discard();
    match placed? {
        Some(path) => Ok(Outcome::moved(path.display().to_string(), verification)),
        None => Ok(Outcome::skipped(destination)),
    }
}

/// After a cancel: delete the part file and the checkpoint.
async fn clean_up(env: &Env, job: &DownloadJob) {
    let _ = tokio::fs::remove_file(part_path(&job.destination)).await;
    checkpoint::remove(&job.checkpoint_path(env));
}

/// The checkpoint to continue from, when it describes the same object and its part file is
/// there (its finished ranges re-read and checked, since a power cut can lose written data);
/// else a fresh part file and checkpoint.
async fn resume_or_start(
    env: &Env,
    job: &DownloadJob,
    meta: &ObjectMeta,
    size: u64,
    range_size: u64,
    part: &Path,
) -> Result<Checkpointer<DownloadCheckpoint>> {
    let path = job.checkpoint_path(env);
    let part_len = std::fs::metadata(part).ok().filter(|m| m.is_file()).map(|m| m.len());
    if let Some(saved) = checkpoint::load::<DownloadCheckpoint>(&path) {
        let same = saved.version == VERSION
            && saved.bucket == job.bucket
            && saved.key == job.key
            && saved.size == size
            && saved.etag == meta.etag
            && saved.crc64 == meta.crc64
            && saved.range_size > 0
            && part_len == Some(size);
        if same {
            let (part, ranges, range_size) = (part.to_path_buf(), saved.ranges.clone(), saved.range_size);
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
            return Ok(checkpointer);
        }
        checkpoint::remove(&path);
    }
    // No usable checkpoint: whatever part file is there is a leftover of this same transfer.
    let file = std::fs::File::create(part).map_err(io_error(part, "create"))?;
    file.set_len(size).map_err(io_error(part, "size"))?;
    let data = DownloadCheckpoint {
        version: VERSION,
        endpoint: env.endpoint(),
        bucket: job.bucket.clone(),
        key: job.key.clone(),
        destination: job.destination.clone(),
        size,
        etag: meta.etag.clone(),
        crc64: meta.crc64,
        range_size,
        ranges: BTreeMap::new(),
        created_at: checkpoint::now_secs(),
    };
    Checkpointer::create(path, data)
}

/// Puts the verified part file under its final name, as the policy says; `None` when skipped.
fn place(part: &Path, destination: &Path, policy: ConflictPolicy) -> Result<Option<PathBuf>> {
    let synced = std::fs::File::open(part).and_then(|file| file.sync_all());
    synced.map_err(io_error(part, "write"))?;
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
    part: PathBuf,
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
    let mut file =
        tokio::fs::OpenOptions::new().write(true).open(&shared.part).await.map_err(io_error(&shared.part, "open"))?;
    let mut crc = Crc64::new();
    let activity = AtomicU64::new(0);
    let mut rounds = Rounds::new(&shared.retry, shared.client.jitter());
    while crc.len() < piece.len {
        let before = crc.len();
        let fetched =
            guard_stall(shared.get_into(piece, &mut file, &mut crc, &activity), &activity, shared.stall_timeout, &what)
                .await;
        if let Err(err) = fetched {
            let progressed = crc.len() > before;
            rounds.retry_after(err, progressed).await.map_err(|err| err.context(format!("downloading {what}")))?;
        }
    }
    file.flush().await.map_err(io_error(&shared.part, "write"))?;
    Ok((piece.number, crc.value()))
}

impl Ranges {
    /// One GET for what is missing of `piece`, written at its place and hashed.
    async fn get_into(
        &self,
        piece: Piece,
        file: &mut tokio::fs::File,
        crc: &mut Crc64,
        activity: &AtomicU64,
    ) -> Result<()> {
        let got = crc.len();
        let (start, len) = (piece.offset + got, piece.len - got);
        let range = if self.single && got == 0 { None } else { Some(ByteRange::with_len(start, len)?) };
        let body = self.client.get_object(&self.bucket, &self.key, range).await?;
        self.check_same_object(body.meta(), range.is_some(), start, len)?;
        file.seek(SeekFrom::Start(start)).await.map_err(io_error(&self.part, "write"))?;
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
            file.write_all(&chunk).await.map_err(io_error(&self.part, "write"))?;
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
