//! What to transfer, and its expansion into one planned transfer per file or object: folders
//! are walked, prefixes listed, keys and local names checked.

use std::path::{Path, PathBuf};

use futures_util::StreamExt;

use super::download::DownloadJob;
use super::env::{task_failed, Work};
use super::paths::{as_folder_prefix, key_for, local_path_for, walk_files, NameRules};
use super::progress::Direction;
use super::upload::UploadJob;
use crate::client::{Client, ListEntry};
use crate::error::{Error, Result};
use crate::ops::check_object_key;

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
    /// One old version of an object to exactly this file.
    Version { key: String, version_id: String, path: PathBuf },
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

/// One transfer to queue, or the reason it cannot run (it becomes a failed transfer).
pub(crate) struct Planned {
    pub work: Result<Box<dyn Work>>,
    pub direction: Direction,
    pub source: String,
    pub destination: String,
    /// Known before it starts (from the listing or the file), else 0.
    pub size: u64,
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path)
        .map_err(|err| Error::invalid_input(format!("'{}' is not a usable path: {err}", path.display())))
}

/// One transfer per file; folders are walked. Fails when a source is missing or a file name
/// cannot be a key.
pub(crate) async fn plan_upload(request: UploadRequest) -> Result<Vec<Planned>> {
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
                let files = tokio::task::spawn_blocking(move || walk_files(&walked)).await.map_err(task_failed)??;
                for file in files {
                    let key = key_for(&prefix, &file.relative)?;
                    jobs.push((UploadJob { source: file.path, bucket: request.bucket.clone(), key }, file.size));
                }
            }
        }
    }
    Ok(jobs
        .into_iter()
        .map(|(job, size)| Planned {
            direction: Direction::Upload,
            source: job.source.display().to_string(),
            destination: job.destination(),
            size,
            work: Ok(Box::new(job)),
        })
        .collect())
}

/// The folder the user chose, and the file under it.
type Placement = (PathBuf, PathBuf);

/// One transfer per object; prefixes are listed. A key that would be written outside its
/// folder becomes a planned failure with the reason; the others go ahead.
pub(crate) async fn plan_download(
    client: &Client,
    request: DownloadRequest,
    name_rules: NameRules,
) -> Result<Vec<Planned>> {
    let bucket = request.bucket;
    let mut planned: Vec<(String, Option<String>, u64, Result<Placement>)> = Vec::new();
    for source in request.sources {
        match source {
            DownloadSource::Object { key, path } => {
                check_object_key(&key)?;
                let path = absolute(&path);
                let root = path.as_ref().ok().and_then(|path| path.parent()).map(Path::to_path_buf);
                planned.push((key, None, 0, path.map(|path| (root.unwrap_or_default(), path))));
            }
            DownloadSource::Version { key, version_id, path } => {
                check_object_key(&key)?;
                if version_id.is_empty() {
                    return Err(Error::invalid_input("a version ID cannot be empty"));
                }
                let path = absolute(&path);
                let root = path.as_ref().ok().and_then(|path| path.parent()).map(Path::to_path_buf);
                planned.push((key, Some(version_id), 0, path.map(|path| (root.unwrap_or_default(), path))));
            }
            DownloadSource::Key { key, strip, folder } => {
                check_object_key(&key)?;
                let folder = absolute(&folder)?;
                let relative = key.strip_prefix(&strip).unwrap_or(&key).to_owned();
                let path = local_path_for(&folder, &relative, &key, name_rules);
                planned.push((key, None, 0, path.map(|path| (folder, path))));
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
                    let path = local_path_for(&folder, &relative, &object.key, name_rules);
                    planned.push((object.key, None, object.size, path.map(|path| (folder.clone(), path))));
                }
            }
        }
    }
    Ok(planned
        .into_iter()
        .map(|(key, version_id, size, path)| {
            let source = match &version_id {
                Some(version_id) => format!("oss://{bucket}/{key}?versionId={version_id}"),
                None => format!("oss://{bucket}/{key}"),
            };
            match path {
                Ok((root, destination)) => Planned {
                    direction: Direction::Download,
                    source,
                    destination: destination.display().to_string(),
                    size,
                    work: Ok(Box::new(DownloadJob { bucket: bucket.clone(), key, version_id, root, destination })),
                },
                Err(err) => {
                    Planned { direction: Direction::Download, source, destination: String::new(), size, work: Err(err) }
                }
            }
        })
        .collect())
}
