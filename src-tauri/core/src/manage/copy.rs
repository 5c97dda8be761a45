//! Copying one object on the server: CopyObject up to the threshold, above it a multipart
//! upload whose parts are UploadPartCopy calls in parallel. Metadata, Content-Type, ACL and
//! storage class are kept (or replaced, for an update onto itself); conflicts are decided as
//! transfers decide them.

use std::collections::BTreeMap;

use futures_util::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};

use super::meta::{kept_headers, replaced_headers, MetaEdit};
use super::ManageOptions;
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::ops::{ByteRange, CopyObjectOptions, PutObjectOptions};
use crate::transfer::paths::numbered_name;
use crate::transfer::ConflictPolicy;
use crate::xml::{CompletedPart, ObjectAcl};

/// How a copy ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum CopyOutcome {
    /// Copied to `key` (another name than asked when both were kept).
    Copied { key: String },
    /// The target existed and the policy was to skip.
    Skipped,
}

/// A multipart copy in progress, as the job's checkpoint keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PartCopyState {
    pub upload_id: String,
    pub part_size: u64,
    /// Part number → ETag.
    pub parts: BTreeMap<u32, String>,
}

/// Where a copy records its parts and progress (the job and its checkpoint).
pub(crate) trait CopyLog: Send + Sync {
    fn resume_parts(&self, target_key: &str) -> Option<PartCopyState>;
    fn save_parts(&self, target_key: &str, state: Option<&PartCopyState>);
    fn progress(&self, bytes: u64);
}

struct NoLog;

impl CopyLog for NoLog {
    fn resume_parts(&self, _: &str) -> Option<PartCopyState> {
        None
    }
    fn save_parts(&self, _: &str, _: Option<&PartCopyState>) {}
    fn progress(&self, _: u64) {}
}

/// One copy to make.
pub(crate) struct CopySpec<'a> {
    pub source_bucket: &'a str,
    pub source_key: &'a str,
    pub target_bucket: &'a str,
    pub target_key: &'a str,
    pub size: u64,
    pub storage_class: Option<&'a str>,
}

/// What the target gets besides the bytes.
pub(crate) enum Headers {
    /// Everything the source has (`x-oss-metadata-directive: COPY`).
    Kept,
    /// The source's headers with this edit and, if set, this storage class (an update onto itself).
    Edited { edit: Box<MetaEdit>, storage_class: Option<String> },
}

fn is_exists_conflict(err: &Error) -> bool {
    err.kind() == ErrorKind::Conflict
        && err.service().and_then(|s| s.code.as_deref()).is_none_or(|code| code == "FileAlreadyExists")
}

/// Copies with the conflict `policy`: a target that exists is overwritten, skipped, kept beside
/// as `name (1).ext`, or a `Conflict` error.
pub(crate) async fn copy_with_policy(
    client: &Client,
    spec: &CopySpec<'_>,
    options: &ManageOptions,
    log: &dyn CopyLog,
) -> Result<CopyOutcome> {
    let policy = options.on_conflict;
    let forbid = policy != ConflictPolicy::Overwrite;
    match copy_once(client, spec, spec.target_key, forbid, &Headers::Kept, options, log).await {
        Ok(()) => return Ok(CopyOutcome::Copied { key: spec.target_key.to_owned() }),
        Err(err) if !is_exists_conflict(&err) => return Err(err),
        Err(err) => match policy {
            ConflictPolicy::Skip => return Ok(CopyOutcome::Skipped),
            ConflictPolicy::Rename => {}
            _ => {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!(
                        "oss://{}/{} exists already; choose to overwrite, skip or keep both ({})",
                        spec.target_bucket,
                        spec.target_key,
                        err.message()
                    ),
                ));
            }
        },
    }
    for n in 1..=9999 {
        let candidate = numbered_name(spec.target_key, n);
        match copy_once(client, spec, &candidate, true, &Headers::Kept, options, log).await {
            Ok(()) => return Ok(CopyOutcome::Copied { key: candidate }),
            Err(err) if is_exists_conflict(&err) => continue,
            Err(err) => return Err(err),
        }
    }
    Err(Error::new(
        ErrorKind::Conflict,
        format!("oss://{}/{} and 9999 numbered copies exist already", spec.target_bucket, spec.target_key),
    ))
}

/// Rewrites an object onto itself with new headers or a new storage class; its ACL is kept.
pub(crate) async fn update_in_place(
    client: &Client,
    spec: &CopySpec<'_>,
    headers: &Headers,
    options: &ManageOptions,
    log: &dyn CopyLog,
) -> Result<()> {
    copy_once(client, spec, spec.source_key, false, headers, options, log).await
}

/// One object copied (keeping everything) with the default options and no checkpoint: the
/// simplest form, for a single copy outside a job.
pub async fn copy_object_whole(
    client: &Client,
    source_bucket: &str,
    source_key: &str,
    target_bucket: &str,
    target_key: &str,
    options: &ManageOptions,
) -> Result<CopyOutcome> {
    options.check()?;
    let meta = client.head_object(source_bucket, source_key).await?;
    let spec = CopySpec {
        source_bucket,
        source_key,
        target_bucket,
        target_key,
        size: meta.content_length.unwrap_or(0),
        storage_class: meta.storage_class.as_deref(),
    };
    copy_with_policy(client, &spec, options, &NoLog).await
}

/// The ACL to give the copy: the source's own (OSS would give the copy the default otherwise).
async fn source_acl(client: &Client, bucket: &str, key: &str) -> Result<ObjectAcl> {
    Ok(client.get_object_acl(bucket, key).await?.acl)
}

async fn copy_once(
    client: &Client,
    spec: &CopySpec<'_>,
    target_key: &str,
    forbid_overwrite: bool,
    headers: &Headers,
    options: &ManageOptions,
    log: &dyn CopyLog,
) -> Result<()> {
    let acl = source_acl(client, spec.source_bucket, spec.source_key).await?;
    // An update rewrites every header, so it needs them all; a plain copy only in parts.
    let replaced = match headers {
        Headers::Kept if spec.size <= options.copy_threshold => None,
        Headers::Kept => Some(kept_headers(&client.head_object(spec.source_bucket, spec.source_key).await?)),
        Headers::Edited { edit, storage_class } => {
            let mut replaced = replaced_headers(&client.head_object(spec.source_bucket, spec.source_key).await?, edit);
            if let Some(class) = storage_class {
                replaced.storage_class = Some(class.clone());
            }
            Some(replaced)
        }
    };
    let storage_class = match &replaced {
        Some(replaced) => replaced.storage_class.clone(),
        None => spec.storage_class.map(str::to_owned),
    };
    if spec.size <= options.copy_threshold {
        let copy = CopyObjectOptions {
            replace_metadata: replaced,
            forbid_overwrite,
            storage_class,
            acl: Some(acl),
            ..CopyObjectOptions::default()
        };
        client.copy_object(spec.source_bucket, spec.source_key, spec.target_bucket, target_key, &copy).await?;
        log.progress(spec.size);
        return Ok(());
    }
    let mut initiate = replaced.unwrap_or_default();
    initiate.storage_class = storage_class;
    initiate.acl = Some(acl);
    if forbid_overwrite && exists(client, spec.target_bucket, target_key).await? {
        return Err(Error::new(
            ErrorKind::Conflict,
            format!("oss://{}/{target_key} exists already", spec.target_bucket),
        ));
    }
    copy_in_parts(client, spec, target_key, forbid_overwrite, &initiate, options, log).await
}

async fn exists(client: &Client, bucket: &str, key: &str) -> Result<bool> {
    match client.head_object(bucket, key).await {
        Ok(_) => Ok(true),
        Err(err) if err.kind() == ErrorKind::NotFound => Ok(false),
        Err(err) => Err(err),
    }
}

/// The byte ranges of the parts of an object of `size` bytes, numbered from 1.
fn part_ranges(size: u64, part_size: u64) -> Vec<(u32, ByteRange)> {
    let count = size.div_ceil(part_size).max(1);
    (0..count)
        .filter_map(|index| {
            let start = index * part_size;
            let len = part_size.min(size - start);
            let number = u32::try_from(index + 1).ok()?;
            ByteRange::with_len(start, len).ok().map(|range| (number, range))
        })
        .collect()
}

/// The part size for `size` bytes: `wanted`, raised so that 10,000 parts hold the object.
fn part_size_for(size: u64, wanted: u64) -> u64 {
    wanted.max(size.div_ceil(u64::from(crate::ops::MAX_PART_NUMBER)))
}

async fn copy_in_parts(
    client: &Client,
    spec: &CopySpec<'_>,
    target_key: &str,
    forbid_overwrite: bool,
    initiate: &PutObjectOptions,
    options: &ManageOptions,
    log: &dyn CopyLog,
) -> Result<()> {
    let mut state = match log.resume_parts(target_key) {
        Some(state) if !state.upload_id.is_empty() => state,
        _ => {
            let part_size = part_size_for(spec.size, options.part_size);
            let upload = client.initiate_multipart_upload(spec.target_bucket, target_key, initiate).await?;
            let state = PartCopyState { upload_id: upload.upload_id, part_size, parts: BTreeMap::new() };
            log.save_parts(target_key, Some(&state));
            state
        }
    };
    let ranges = part_ranges(spec.size, state.part_size);
    let done_bytes: u64 = ranges
        .iter()
        .filter(|(number, _)| state.parts.contains_key(number))
        .map(|(_, range)| range.end.map_or(0, |end| end - range.start + 1))
        .sum();
    log.progress(done_bytes);
    let missing: Vec<(u32, ByteRange)> =
        ranges.iter().copied().filter(|(number, _)| !state.parts.contains_key(number)).collect();
    let upload_id = state.upload_id.clone();
    let mut copies = futures_util::stream::iter(missing)
        .map(|(number, range)| {
            let upload_id = upload_id.clone();
            async move {
                let part = client
                    .upload_part_copy(
                        spec.source_bucket,
                        spec.source_key,
                        spec.target_bucket,
                        target_key,
                        &upload_id,
                        number,
                        range,
                    )
                    .await?;
                Ok::<_, Error>((part, range))
            }
        })
        .buffer_unordered(options.parallel.max(1));
    let copied = loop {
        match copies.try_next().await {
            Ok(Some((part, range))) => {
                state.parts.insert(part.part_number, part.etag);
                log.save_parts(target_key, Some(&state));
                log.progress(range.end.map_or(0, |end| end - range.start + 1));
            }
            Ok(None) => break Ok(()),
            Err(err) => break Err(err),
        }
    };
    drop(copies);
    if let Err(err) = copied {
        if err.kind() == ErrorKind::NotFound && err.service().and_then(|s| s.code.as_deref()) == Some("NoSuchUpload") {
            // The upload is gone (aborted, or expired by a lifecycle rule): the next try starts over.
            log.save_parts(target_key, None);
        }
        return Err(err);
    }
    let parts: Vec<CompletedPart> =
        state.parts.iter().map(|(&part_number, etag)| CompletedPart { part_number, etag: etag.clone() }).collect();
    client
        .complete_multipart_upload(spec.target_bucket, target_key, &state.upload_id, &parts, forbid_overwrite)
        .await?;
    log.save_parts(target_key, None);
    Ok(())
}

/// Aborts a multipart copy a cancelled job left (already gone is fine).
pub(crate) async fn abort_part_copy(client: &Client, bucket: &str, key: &str, state: &PartCopyState) {
    let _ = client.abort_multipart_upload(bucket, key, &state.upload_id).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_cover_the_object_exactly() {
        let ranges = part_ranges(250, 100);
        let shown: Vec<(u32, String)> = ranges.iter().map(|(n, r)| (*n, r.to_string())).collect();
        assert_eq!(
            shown,
            [(1, "bytes=0-99".to_owned()), (2, "bytes=100-199".to_owned()), (3, "bytes=200-249".to_owned())]
        );
        assert_eq!(part_ranges(100, 100).len(), 1);
        assert_eq!(part_size_for(5 << 30, 64 << 20), 64 << 20);
        assert_eq!(part_size_for(10_000 * 100 + 1, 100), 101);
    }
}
