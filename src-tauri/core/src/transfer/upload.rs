//! One file to one object: a single PutObject up to the threshold, a multipart upload above it
//! (parts streamed from disk, several in flight, each with its own CRC-64), a checkpoint to
//! continue after a crash, and the finished object's CRC-64 compared with the file's.

use std::collections::BTreeMap;
use std::io::SeekFrom;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::TryStreamExt;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio::task::JoinSet;

use futures_util::future::BoxFuture;

use super::attempt::{guard_stall, Rounds};
use super::checkpoint::{self, Checkpointer, FileStamp, PartRecord, UploadCheckpoint, VERSION};
use super::crc64::{self, Crc64};
use super::env::{task_failed, Env, Outcome, Work};
use super::local::{crc_of_range, md5_of_range, CHUNK};
use super::paths::numbered_name;
use super::plan::{self, Piece};
use super::progress::{Counters, TransferStatus};
use super::verify::Verification;
use super::ConflictPolicy;
use crate::client::{Body, ByteStream, Client, RetryPolicy};
use crate::error::{Error, ErrorKind, Result};
use crate::ops::PutObjectOptions;
use crate::xml::CompletedPart;

/// Validity of each part's presigned URL; it only has to be valid when the PUT starts.
const PRESIGN_SECS: u64 = 3600;

/// A file and the object it becomes.
#[derive(Debug, Clone)]
pub(crate) struct UploadJob {
    /// Absolute.
    pub source: PathBuf,
    pub bucket: String,
    pub key: String,
}

impl UploadJob {
    pub fn destination(&self) -> String {
        format!("oss://{}/{}", self.bucket, self.key)
    }

    fn checkpoint_path(&self, env: &Env) -> PathBuf {
        let destination = format!("{} {}", env.endpoint(), self.destination());
        env.checkpoints.path_for("upload", &self.source.to_string_lossy(), &destination)
    }
}

impl Work for UploadJob {
    fn run<'a>(&'a self, env: &'a Env) -> BoxFuture<'a, Result<Outcome>> {
        Box::pin(run(env, self))
    }

    fn clean_up_after_cancel<'a>(&'a self, env: &'a Env) -> BoxFuture<'a, ()> {
        Box::pin(clean_up(env, self))
    }
}

#[tracing::instrument(name = "upload", skip_all, fields(source = %job.source.display(), bucket = %job.bucket, key = %job.key), ret, err(level = "warn", Debug))]
async fn run(env: &Env, job: &UploadJob) -> Result<Outcome> {
    tracing::info!("started");
    let stamp = stamp_of(&job.source).await?;
    env.counters.set_total(stamp.size);
    let multipart = stamp.size > env.options.multipart_threshold;
    let checkpoint_path = job.checkpoint_path(env);

    let mut resumed = None;
    if let Some(saved) = checkpoint::load::<UploadCheckpoint>(&checkpoint_path) {
        let same = saved.version == VERSION
            && saved.file == stamp
            && saved.bucket == job.bucket
            && saved.key == job.key
            && saved.source == job.source;
        if same && multipart {
            resumed = reconcile(env, job, Checkpointer::resume(checkpoint_path.clone(), saved)).await?;
        } else {
            // The file changed since (or the settings did): start over cleanly.
            abort_quietly(&env.client, &saved.bucket, &saved.target_key, &saved.upload_id).await;
            checkpoint::remove(&checkpoint_path);
        }
    }

    let checkpointer = match resumed {
        Some(checkpointer) => checkpointer,
        None => {
            let Some((target_key, forbid_overwrite)) = choose_key(env, job).await? else {
                return Ok(Outcome::skipped(job.destination()));
            };
            if !multipart {
                return put_whole(env, job, &target_key, forbid_overwrite, stamp).await;
            }
            let part_size = plan::part_size_for(stamp.size, env.options.part_size)?;
            let options = PutObjectOptions { forbid_overwrite, ..Default::default() };
            let started = env.client.initiate_multipart_upload(&job.bucket, &target_key, &options).await?;
            let data = UploadCheckpoint {
                version: VERSION,
                source: job.source.clone(),
                profile: env.options.profile.clone(),
                endpoint: env.endpoint(),
                bucket: job.bucket.clone(),
                key: job.key.clone(),
                target_key,
                file: stamp,
                part_size,
                upload_id: started.upload_id,
                forbid_overwrite,
                presigned: env.options.presigned_parts,
                parts: BTreeMap::new(),
                created_at: checkpoint::now_secs(),
            };
            Checkpointer::create(checkpoint_path, data)?
        }
    };
    upload_parts(env, job, checkpointer, stamp).await
}

/// After a cancel: abort the multipart upload on OSS and forget the checkpoint.
async fn clean_up(env: &Env, job: &UploadJob) {
    let path = job.checkpoint_path(env);
    if let Some(saved) = checkpoint::load::<UploadCheckpoint>(&path) {
        abort_quietly(&env.client, &saved.bucket, &saved.target_key, &saved.upload_id).await;
    }
    checkpoint::remove(&path);
}

async fn stamp_of(path: &Path) -> Result<FileStamp> {
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || FileStamp::read(&path)).await.map_err(task_failed)?
}

async fn abort_quietly(client: &Client, bucket: &str, key: &str, upload_id: &str) {
    let _ = client.abort_multipart_upload(bucket, key, upload_id).await;
}

async fn object_exists(client: &Client, bucket: &str, key: &str) -> Result<bool> {
    match client.head_object(bucket, key).await {
        Ok(_) => Ok(true),
        Err(err) if err.kind() == ErrorKind::NotFound => Ok(false),
        Err(err) => Err(err),
    }
}

/// The key to write and whether to send `x-oss-forbid-overwrite`, or `None` to skip.
async fn choose_key(env: &Env, job: &UploadJob) -> Result<Option<(String, bool)>> {
    let policy = env.options.on_conflict;
    if policy == ConflictPolicy::Overwrite {
        return Ok(Some((job.key.clone(), false)));
    }
    if !object_exists(&env.client, &job.bucket, &job.key).await? {
        return Ok(Some((job.key.clone(), true)));
    }
    match policy {
        ConflictPolicy::Overwrite => Ok(Some((job.key.clone(), false))),
        ConflictPolicy::Skip => Ok(None),
        ConflictPolicy::Fail => Err(Error::new(
            ErrorKind::Conflict,
            format!("{} exists already; choose to overwrite, skip or rename", job.destination()),
        )),
        ConflictPolicy::Rename => {
            for n in 1..=9999 {
                let candidate = numbered_name(&job.key, n);
                crate::ops::check_object_key(&candidate)?;
                if !object_exists(&env.client, &job.bucket, &candidate).await? {
                    return Ok(Some((candidate, true)));
                }
            }
            Err(Error::new(ErrorKind::Conflict, format!("{} and 9999 renamed copies exist already", job.destination())))
        }
    }
}

/// Lines the checkpoint up with what OSS holds: parts it recorded and OSS still has, plus parts
/// OSS has that a crash kept it from recording, when the local bytes have the same CRC-64.
/// `None` when the upload no longer exists on OSS (then the transfer starts over).
async fn reconcile(
    env: &Env,
    job: &UploadJob,
    mut checkpointer: Checkpointer<UploadCheckpoint>,
) -> Result<Option<Checkpointer<UploadCheckpoint>>> {
    let data = checkpointer.data().clone();
    let listed: Vec<_> =
        match env.client.list_all_parts(&data.bucket, &data.target_key, &data.upload_id).try_collect().await {
            Ok(parts) => parts,
            Err(err) if err.kind() == ErrorKind::NotFound => {
                checkpointer.discard();
                return Ok(None);
            }
            Err(err) => return Err(err),
        };
    let pieces = plan::pieces(data.file.size, data.part_size);
    let mut kept = BTreeMap::new();
    let mut to_check = Vec::new();
    for summary in listed {
        let Some(piece) = (summary.part_number as usize).checked_sub(1).and_then(|i| pieces.get(i)) else { continue };
        if summary.size != piece.len {
            continue;
        }
        match data.parts.get(&summary.part_number) {
            Some(record) if record.etag.trim_matches('"') == summary.etag.trim_matches('"') => {
                kept.insert(summary.part_number, record.clone());
            }
            _ => {
                if let Some(crc) = summary.crc64 {
                    to_check.push((*piece, summary.etag, crc));
                }
            }
        }
    }
    let path = job.source.clone();
    let adopted = tokio::task::spawn_blocking(move || -> Result<Vec<(u32, PartRecord)>> {
        let mut adopted = Vec::new();
        for (piece, etag, crc) in to_check {
            if crc_of_range(&path, piece.offset, piece.len)? == crc {
                adopted.push((piece.number, PartRecord { etag, crc64: crc, size: piece.len }));
            }
        }
        Ok(adopted)
    })
    .await
    .map_err(task_failed)??;
    kept.extend(adopted);
    checkpointer.update(|data| data.parts = kept);
    checkpointer.save_now()?;
    Ok(Some(checkpointer))
}

/// What every part of one file shares.
struct Parts {
    client: Client,
    path: PathBuf,
    bucket: String,
    key: String,
    /// Empty for a single PutObject.
    upload_id: String,
    forbid_overwrite: bool,
    presigned: bool,
    retry: RetryPolicy,
    stall_timeout: Duration,
    counters: Arc<Counters>,
}

async fn upload_parts(
    env: &Env,
    job: &UploadJob,
    mut checkpointer: Checkpointer<UploadCheckpoint>,
    stamp: FileStamp,
) -> Result<Outcome> {
    let data = checkpointer.data().clone();
    env.counters.set_done(data.parts.values().map(|part| part.size).sum());
    let shared = Arc::new(Parts {
        client: env.client.clone(),
        path: job.source.clone(),
        bucket: data.bucket.clone(),
        key: data.target_key.clone(),
        upload_id: data.upload_id.clone(),
        forbid_overwrite: data.forbid_overwrite,
        presigned: env.options.presigned_parts,
        retry: env.options.part_retry,
        stall_timeout: env.options.stall_timeout,
        counters: env.counters.clone(),
    });
    let mut waiting =
        plan::pieces(stamp.size, data.part_size).into_iter().filter(|piece| !data.parts.contains_key(&piece.number));
    let mut running = JoinSet::new();
    loop {
        while running.len() < env.options.parallel {
            let Some(piece) = waiting.next() else { break };
            running.spawn(send_piece(shared.clone(), piece));
        }
        let Some(joined) = running.join_next().await else { break };
        let (number, record) = joined.map_err(task_failed)??;
        checkpointer.update(|data| {
            data.parts.insert(number, record);
        });
        checkpointer.save_soon()?;
    }

    let destination = format!("oss://{}/{}", data.bucket, data.target_key);
    if stamp_of(&job.source).await? != stamp {
        abort_quietly(&env.client, &data.bucket, &data.target_key, &data.upload_id).await;
        checkpointer.discard();
        return Err(Error::new(
            ErrorKind::Conflict,
            format!("'{}' changed while it was uploading; start the upload again", job.source.display()),
        ));
    }
    (env.phase)(TransferStatus::Verifying);
    let parts = checkpointer.data().parts.clone();
    let expected = crc64::combine_all(parts.values().map(|part| (part.crc64, part.size)));
    let list: Vec<CompletedPart> =
        parts.iter().map(|(number, part)| CompletedPart { part_number: *number, etag: part.etag.clone() }).collect();
    let completed = env
        .client
        .complete_multipart_upload(&data.bucket, &data.target_key, &data.upload_id, &list, data.forbid_overwrite)
        .await;
    let reported = match completed {
        Ok(result) => result.crc64,
        // An earlier Complete may have taken effect before its answer was lost.
        Err(err) if matches!(err.kind(), ErrorKind::Network | ErrorKind::NotFound | ErrorKind::Conflict) => {
            match ours_already(&env.client, &data.bucket, &data.target_key, expected, stamp.size).await {
                Some(crc) => Some(crc),
                None => {
                    if err.kind() != ErrorKind::Network {
                        abort_quietly(&env.client, &data.bucket, &data.target_key, &data.upload_id).await;
                        checkpointer.discard();
                    }
                    return Err(err);
                }
            }
        }
        Err(err) => return Err(err),
    };
    checkpointer.discard();
    verify_object(&env.client, &data.bucket, &data.target_key, reported, expected, &job.source).await?;
    Ok(Outcome::moved(destination, Verification::Crc64))
}

/// The object's CRC-64 when it is there with `size` bytes and the `expected` CRC-64.
async fn ours_already(client: &Client, bucket: &str, key: &str, expected: u64, size: u64) -> Option<u64> {
    let meta = client.head_object(bucket, key).await.ok()?;
    (meta.crc64 == Some(expected) && meta.content_length == Some(size)).then_some(expected)
}

/// Compares the finished object's CRC-64 (from the answer, else from HeadObject) with the file's.
async fn verify_object(
    client: &Client,
    bucket: &str,
    key: &str,
    reported: Option<u64>,
    expected: u64,
    source: &Path,
) -> Result<()> {
    let reported = match reported {
        Some(crc) => Some(crc),
        None => client.head_object(bucket, key).await?.crc64,
    };
    match reported {
        Some(crc) if crc == expected => Ok(()),
        Some(crc) => Err(Error::integrity(format!(
            "CRC-64 mismatch: oss://{bucket}/{key} has CRC-64 {crc} but '{}' has {expected}; the object \
             exists on OSS with the wrong content: delete it or upload the file again",
            source.display()
        ))),
        None => Err(Error::new(
            ErrorKind::InvalidResponse,
            format!("OSS reported no x-oss-hash-crc64ecma for oss://{bucket}/{key}, so the upload cannot be verified"),
        )),
    }
}

async fn put_whole(env: &Env, job: &UploadJob, key: &str, forbid_overwrite: bool, stamp: FileStamp) -> Result<Outcome> {
    let shared = Arc::new(Parts {
        client: env.client.clone(),
        path: job.source.clone(),
        bucket: job.bucket.clone(),
        key: key.to_owned(),
        upload_id: String::new(),
        forbid_overwrite,
        presigned: false,
        retry: env.options.part_retry,
        stall_timeout: env.options.stall_timeout,
        counters: env.counters.clone(),
    });
    env.counters.set_done(0);
    let piece = Piece { number: 1, offset: 0, len: stamp.size };
    let attempt = Arc::new(Attempt::default());
    let _stop = StopOnDrop(attempt.clone());
    let what = format!("'{}'", job.source.display());
    let mut rounds = Rounds::new(&shared.retry, shared.client.jitter());
    let (reported, expected) = loop {
        let sent = guard_stall(shared.put_once(piece, &attempt), &attempt.activity, shared.stall_timeout, &what).await;
        let err = match sent {
            Ok(result) => break result,
            // A lost answer to a PUT that took effect makes the retry meet our own object.
            Err(err) if err.kind() == ErrorKind::Conflict && rounds.number() > 1 => {
                let expected = attempt.finished().map(|(crc, _)| crc);
                match expected {
                    Some(crc) if ours_already(&shared.client, &job.bucket, key, crc, stamp.size).await.is_some() => {
                        break (Some(crc), crc)
                    }
                    _ => err,
                }
            }
            Err(err) => {
                attempt.take_back(&shared.counters);
                err
            }
        };
        rounds.retry_after(err, false).await.map_err(|err| err.context(format!("uploading {what}")))?;
    };
    if stamp_of(&job.source).await? != stamp {
        return Err(Error::new(
            ErrorKind::Conflict,
            format!("'{}' changed while it was uploading; upload it again", job.source.display()),
        ));
    }
    (env.phase)(TransferStatus::Verifying);
    verify_object(&env.client, &job.bucket, key, reported, expected, &job.source).await?;
    Ok(Outcome::moved(format!("oss://{}/{key}", job.bucket), Verification::Crc64))
}

/// One part with its rounds of retries.
async fn send_piece(shared: Arc<Parts>, piece: Piece) -> Result<(u32, PartRecord)> {
    let what = format!("part {} of '{}'", piece.number, shared.path.display());
    let attempt = Arc::new(Attempt::default());
    let _stop = StopOnDrop(attempt.clone());
    let mut rounds = Rounds::new(&shared.retry, shared.client.jitter());
    loop {
        let sent = guard_stall(shared.part_once(piece, &attempt), &attempt.activity, shared.stall_timeout, &what).await;
        match sent {
            Ok(record) => return Ok((piece.number, record)),
            Err(err) => {
                attempt.take_back(&shared.counters);
                rounds.retry_after(err, false).await.map_err(|err| err.context(format!("uploading {what}")))?;
            }
        }
    }
}

impl Parts {
    async fn part_once(&self, piece: Piece, attempt: &Arc<Attempt>) -> Result<PartRecord> {
        let body = crc_body(self, piece, attempt).with_md5(self.md5_of(piece).await?);
        let uploaded = if self.presigned {
            let url = self.client.presign_upload_part(
                &self.bucket,
                &self.key,
                &self.upload_id,
                piece.number,
                body.content_md5(),
                PRESIGN_SECS,
            )?;
            self.client.upload_part_presigned(&url, piece.number, body).await?
        } else {
            self.client.upload_part(&self.bucket, &self.key, &self.upload_id, piece.number, body).await?
        };
        let crc = self.read_through(piece, attempt)?;
        if let Some(reported) = uploaded.crc64.filter(|reported| *reported != crc) {
            return Err(Error::integrity(format!(
                "CRC-64 mismatch: OSS computed {reported} for part {} but the file's bytes have {crc}; the part \
                 arrived damaged",
                piece.number
            )));
        }
        Ok(PartRecord { etag: uploaded.etag, crc64: crc, size: piece.len })
    }

    /// PutObject; returns the CRC-64 OSS reported and the file's.
    async fn put_once(&self, piece: Piece, attempt: &Arc<Attempt>) -> Result<(Option<u64>, u64)> {
        let body = crc_body(self, piece, attempt).with_md5(self.md5_of(piece).await?);
        let options = PutObjectOptions { forbid_overwrite: self.forbid_overwrite, ..Default::default() };
        let result = self.client.put_object(&self.bucket, &self.key, body, &options).await?;
        Ok((result.crc64, self.read_through(piece, attempt)?))
    }

    /// The piece's MD5, sent as `Content-MD5` so OSS refuses the body if it arrives damaged. It
    /// takes a read of its own: the header goes before the body. Should the file change before
    /// the body is read, OSS refuses it too (and the size and time check catches the change).
    async fn md5_of(&self, piece: Piece) -> Result<[u8; 16]> {
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || md5_of_range(&path, piece.offset, piece.len)).await.map_err(task_failed)?
    }

    /// The CRC-64 of the bytes the last attempt read, once it read the whole piece.
    fn read_through(&self, piece: Piece, attempt: &Attempt) -> Result<u64> {
        match attempt.finished() {
            Some((crc, len)) if len == piece.len => Ok(crc),
            _ => Err(Error::new(
                ErrorKind::Io,
                format!("'{}' became shorter while it was uploading", self.path.display()),
            )),
        }
    }
}

/// The bookkeeping of one part's attempts: bytes counted into the progress, a heartbeat for the
/// stall watchdog, the CRC-64 of the last attempt that read the whole piece, and whether the
/// part was given up (paused, cancelled, failed elsewhere).
#[derive(Default)]
struct Attempt {
    counted: AtomicU64,
    activity: AtomicU64,
    result: Mutex<Option<(u64, u64)>>,
    stopped: AtomicBool,
}

/// Stops the part's body when the part's future is dropped. The body is polled by the HTTP
/// connection's own task, which would otherwise go on sending a paused or cancelled part.
struct StopOnDrop(Arc<Attempt>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.stopped.store(true, Ordering::Relaxed);
    }
}

impl Attempt {
    /// A new attempt starts: the previous one's bytes no longer count.
    fn restart(&self, counters: &Counters) {
        counters.sub(self.counted.swap(0, Ordering::Relaxed));
        *self.result.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }

    fn count(&self, bytes: u64, counters: &Counters) {
        self.counted.fetch_add(bytes, Ordering::Relaxed);
        self.activity.fetch_add(1, Ordering::Relaxed);
        counters.add(bytes);
    }

    fn take_back(&self, counters: &Counters) {
        counters.sub(self.counted.swap(0, Ordering::Relaxed));
    }

    fn finish(&self, crc: u64, len: u64) {
        *self.result.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some((crc, len));
    }

    fn finished(&self) -> Option<(u64, u64)> {
        *self.result.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A replayable body that streams `piece` from the file, hashing and counting as it goes.
fn crc_body(shared: &Parts, piece: Piece, attempt: &Arc<Attempt>) -> Body {
    let path = Arc::new(shared.path.clone());
    let counters = shared.counters.clone();
    let attempt = attempt.clone();
    Body::from_factory(piece.len, move || {
        let (path, counters, attempt) = (path.clone(), counters.clone(), attempt.clone());
        async move {
            attempt.restart(&counters);
            let fail =
                |err: std::io::Error| Error::new(ErrorKind::Io, format!("cannot read '{}': {err}", path.display()));
            let mut file = tokio::fs::File::open(path.as_path()).await.map_err(fail)?;
            file.seek(SeekFrom::Start(piece.offset)).await.map_err(fail)?;
            if piece.len == 0 {
                attempt.finish(crc64::checksum(&[]), 0);
            }
            let state = (file, piece.len, Crc64::new());
            let stream = futures_util::stream::try_unfold(state, move |(mut file, remaining, mut crc)| {
                let (attempt, counters) = (attempt.clone(), counters.clone());
                async move {
                    if remaining == 0 {
                        return Ok(None);
                    }
                    let stopped = || std::io::Error::new(std::io::ErrorKind::Interrupted, "the transfer stopped");
                    if attempt.stopped.load(Ordering::Relaxed) {
                        return Err(stopped());
                    }
                    let want = remaining.min(CHUNK as u64) as usize;
                    let mut buffer = vec![0u8; want];
                    let mut filled = 0;
                    while filled < want {
                        let read = file.read(&mut buffer[filled..]).await?;
                        if read == 0 {
                            return Err(std::io::Error::new(
                                std::io::ErrorKind::UnexpectedEof,
                                "the file became shorter while it was read",
                            ));
                        }
                        filled += read;
                    }
                    if attempt.stopped.load(Ordering::Relaxed) {
                        return Err(stopped());
                    }
                    let chunk = Bytes::from(buffer);
                    crc.update(&chunk);
                    attempt.count(chunk.len() as u64, &counters);
                    let remaining = remaining - chunk.len() as u64;
                    if remaining == 0 {
                        attempt.finish(crc.value(), crc.len());
                    }
                    Ok(Some((chunk, (file, remaining, crc))))
                }
            });
            Ok(Box::pin(stream) as ByteStream)
        }
    })
}
