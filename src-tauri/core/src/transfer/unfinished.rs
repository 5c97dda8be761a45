//! Transfers an earlier run left unfinished, found from their checkpoints, so the app can offer
//! to resume or discard them after a restart.

use std::path::PathBuf;

use super::checkpoint::{self, CheckpointStore, DownloadCheckpoint, UploadCheckpoint};
use super::progress::Direction;
use super::request::{DownloadRequest, DownloadSource, UploadRequest, UploadSource};
use crate::error::{Error, ErrorKind, Result};
use crate::manage::job::{describe_destination, describe_source, remove_checkpoint, ManageCheckpoint};
use crate::manage::{ManageAction, ManageOptions, ManageRequest};

/// What a checkpoint says about its transfer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct UnfinishedTransfer {
    /// The checkpoint's file name: the handle to resume or discard it.
    pub checkpoint: String,
    pub direction: Direction,
    pub source: String,
    pub destination: String,
    pub done: u64,
    pub total: u64,
    /// The endpoint it was talking to; resuming needs a client for the same one.
    pub endpoint: String,
    /// The profile that started it (`None`: keys from elsewhere, or a checkpoint from before
    /// profiles were recorded).
    pub profile: Option<String>,
    /// Set when it was started under another profile or endpoint than the current one: only that
    /// profile may resume it; here it can only be discarded. The profile's name ("" if unknown).
    pub belongs_to: Option<String>,
    #[serde(skip)]
    resume: Resume,
    /// (bucket, key, upload id) of each multipart upload it holds on the server.
    #[serde(skip)]
    uploads: Vec<(String, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Resume {
    Upload { bucket: String, key: String, path: PathBuf },
    Download { bucket: String, key: String, version_id: Option<String>, path: PathBuf },
    Manage { request: Box<ManageRequest>, options: Box<ManageOptions> },
}

impl UnfinishedTransfer {
    /// The request that continues it: the same source and destination find the same checkpoint.
    pub fn upload_request(&self) -> Option<UploadRequest> {
        match &self.resume {
            Resume::Upload { bucket, key, path } => Some(UploadRequest {
                bucket: bucket.clone(),
                sources: vec![UploadSource::File { path: path.clone(), key: key.clone() }],
            }),
            Resume::Download { .. } | Resume::Manage { .. } => None,
        }
    }

    pub fn download_request(&self) -> Option<DownloadRequest> {
        match &self.resume {
            Resume::Download { bucket, key, version_id, path } => {
                let (key, path) = (key.clone(), path.clone());
                let source = match version_id {
                    Some(version_id) => DownloadSource::Version { key, version_id: version_id.clone(), path },
                    None => DownloadSource::Object { key, path },
                };
                Some(DownloadRequest { bucket: bucket.clone(), sources: vec![source] })
            }
            Resume::Upload { .. } | Resume::Manage { .. } => None,
        }
    }

    /// The management job's request and options, which find its checkpoint again.
    pub fn manage_request(&self) -> Option<(ManageRequest, ManageOptions)> {
        match &self.resume {
            Resume::Manage { request, options } => Some((request.as_ref().clone(), options.as_ref().clone())),
            _ => None,
        }
    }

    /// Whether `profile` on `endpoint` started it, so may resume it.
    pub fn started_by(&self, profile: Option<&str>, endpoint: &str) -> bool {
        self.profile.as_deref() == profile && self.endpoint == endpoint
    }

    /// The same, marked as belonging elsewhere unless `profile` on `endpoint` started it.
    pub(crate) fn seen_from(mut self, profile: Option<&str>, endpoint: Option<&str>) -> Self {
        let ours = endpoint.is_some_and(|endpoint| self.started_by(profile, endpoint));
        self.belongs_to = (!ours).then(|| self.profile.clone().unwrap_or_default());
        self
    }

    /// (bucket, key, upload id) of the multipart upload an unfinished upload holds on the server.
    pub fn multipart_upload(&self) -> Option<(&str, &str, &str)> {
        self.uploads.first().map(|(bucket, key, id)| (bucket.as_str(), key.as_str(), id.as_str()))
    }

    /// Every multipart upload it holds: one for an upload, any number for a copy job.
    pub fn multipart_uploads(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.uploads.iter().map(|(bucket, key, id)| (bucket.as_str(), key.as_str(), id.as_str()))
    }
}

impl CheckpointStore {
    /// Every readable checkpoint in the folder, oldest first.
    pub fn unfinished(&self) -> Vec<UnfinishedTransfer> {
        let Ok(entries) = std::fs::read_dir(self.dir()) else { return Vec::new() };
        let mut found: Vec<(u64, UnfinishedTransfer)> = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".json") {
                continue;
            }
            let path = entry.path();
            if name.starts_with("upload-") {
                if let Some(data) = checkpoint::load::<UploadCheckpoint>(&path) {
                    found.push((data.created_at, from_upload(name, data)));
                }
            } else if name.starts_with("download-") {
                if let Some(data) = checkpoint::load::<DownloadCheckpoint>(&path) {
                    found.push((data.created_at, from_download(name, data)));
                }
            } else if name.starts_with("manage-") {
                if let Some(data) = ManageCheckpoint::load(&path) {
                    found.push((data.created_at, from_manage(name, data)));
                }
            }
        }
        found.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.checkpoint.cmp(&b.1.checkpoint)));
        found.into_iter().map(|(_, transfer)| transfer).collect()
    }

    /// Removes one checkpoint by the name [`CheckpointStore::unfinished`] gave.
    pub fn remove_named(&self, checkpoint: &str) -> Result<()> {
        let well_formed = ["upload-", "download-", "manage-"].iter().any(|kind| checkpoint.starts_with(kind))
            && checkpoint.ends_with(".json")
            && !checkpoint.contains(['/', '\\']);
        if !well_formed {
            return Err(Error::invalid_input(format!("'{checkpoint}' is not a checkpoint of OSS Lite")));
        }
        let path = self.dir().join(checkpoint);
        checkpoint::remove_interrupted_save(&path);
        if checkpoint.starts_with("manage-") {
            remove_checkpoint(&path);
        }
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(Error::new(ErrorKind::Io, format!("could not remove the checkpoint {checkpoint}: {err}"))),
        }
    }
}

fn from_upload(checkpoint: String, data: UploadCheckpoint) -> UnfinishedTransfer {
    let done = data.parts.values().map(|part| part.size).sum();
    UnfinishedTransfer {
        checkpoint,
        direction: Direction::Upload,
        source: data.source.to_string_lossy().into_owned(),
        destination: format!("oss://{}/{}", data.bucket, data.target_key),
        done,
        total: data.file.size,
        endpoint: data.endpoint,
        profile: data.profile,
        belongs_to: None,
        uploads: if data.upload_id.is_empty() {
            Vec::new()
        } else {
            vec![(data.bucket.clone(), data.target_key, data.upload_id)]
        },
        resume: Resume::Upload { bucket: data.bucket, key: data.key, path: data.source },
    }
}

fn from_download(checkpoint: String, data: DownloadCheckpoint) -> UnfinishedTransfer {
    // The last range is shorter than the others.
    let range_len = |index: u64| data.range_size.min(data.size.saturating_sub(index.saturating_mul(data.range_size)));
    let done = data.ranges.keys().map(|&index| range_len(u64::from(index))).sum();
    UnfinishedTransfer {
        checkpoint,
        direction: Direction::Download,
        source: match &data.version_id {
            Some(version_id) => format!("oss://{}/{}?versionId={version_id}", data.bucket, data.key),
            None => format!("oss://{}/{}", data.bucket, data.key),
        },
        destination: data.destination.to_string_lossy().into_owned(),
        done,
        total: data.size,
        endpoint: data.endpoint,
        profile: data.profile,
        belongs_to: None,
        uploads: Vec::new(),
        resume: Resume::Download {
            bucket: data.bucket,
            key: data.key,
            version_id: data.version_id,
            path: data.destination,
        },
    }
}

fn from_manage(checkpoint: String, data: ManageCheckpoint) -> UnfinishedTransfer {
    let target_bucket =
        data.plan.as_ref().map_or_else(|| data.request.bucket.clone(), |plan| plan.target_bucket.clone());
    UnfinishedTransfer {
        checkpoint,
        direction: direction_of(&data.request),
        source: describe_source(&data.request),
        destination: describe_destination(&data.request),
        done: data.progress_bytes(),
        total: data.plan.as_ref().map_or(0, |plan| plan.total_bytes()),
        endpoint: data.endpoint,
        profile: data.profile,
        belongs_to: None,
        uploads: data.parts.into_iter().map(|(key, state)| (target_bucket.clone(), key, state.upload_id)).collect(),
        resume: Resume::Manage { request: Box::new(data.request), options: Box::new(data.options) },
    }
}

/// The transfer panel's kind of a management job.
pub(crate) fn direction_of(request: &ManageRequest) -> Direction {
    match request.action {
        ManageAction::Copy { .. } => Direction::Copy,
        ManageAction::Move { .. } => Direction::Move,
        _ => Direction::Update,
    }
}
