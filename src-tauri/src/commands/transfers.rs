//! Transfer commands: start uploads (files and folders into bucket + prefix) and downloads (keys
//! or prefixes into a folder), pause, resume, cancel and list. Each start command streams the
//! events of the transfers it created through its `Channel` (tagged, cumulative counts).

use std::path::PathBuf;
use std::sync::Arc;

use osslite_core::client::Client;
use osslite_core::transfer::UnfinishedTransfer;
use osslite_core::transfer::{
    CheckpointStore, ConflictPolicy, DownloadRequest, EventSink, TransferEvent, TransferId, TransferManager,
    TransferOptions, TransferSnapshot, UploadRequest, DEFAULT_JOBS,
};
use osslite_core::Result;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::chosen_paths::ChosenPaths;
use crate::error::CommandError;
use crate::state::AppState;

/// The transfer queue of the app. New transfers use the open session's client; transfers
/// already started keep theirs.
pub struct TransferState {
    manager: TransferManager,
}

impl TransferState {
    /// `jobs` files at once, checkpoints in `checkpoint_dir`.
    pub fn new(checkpoint_dir: PathBuf) -> Self {
        Self { manager: TransferManager::new(DEFAULT_JOBS, CheckpointStore::new(checkpoint_dir)) }
    }

    pub fn manager(&self) -> &TransferManager {
        &self.manager
    }
}

/// The open session's client.
fn client(app: &AppState) -> Result<Client> {
    Ok(app.session()?.client)
}

/// The open session's client, and `options` under its profile (checkpoints record it, so that
/// only this profile resumes them).
fn under_session(app: &AppState, options: TransferOptionsInput) -> Result<(Client, TransferOptions)> {
    let session = app.session()?;
    Ok((session.client, TransferOptions { profile: session.profile, ..options.into() }))
}

/// How the UI asks transfers to behave; unset fields take the engine's defaults.
#[derive(Debug, Default, serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase", default)]
pub struct TransferOptionsInput {
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    on_conflict: ConflictPolicy,
    part_size: Option<u64>,
    parallel: Option<usize>,
    multipart_threshold: Option<u64>,
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    presigned_parts: bool,
}

impl From<TransferOptionsInput> for TransferOptions {
    fn from(input: TransferOptionsInput) -> Self {
        let defaults = TransferOptions::default();
        TransferOptions {
            part_size: input.part_size,
            multipart_threshold: input.multipart_threshold.unwrap_or(defaults.multipart_threshold),
            parallel: input.parallel.unwrap_or(defaults.parallel),
            on_conflict: input.on_conflict,
            presigned_parts: input.presigned_parts,
            ..defaults
        }
    }
}

pub(super) fn sink(channel: Channel<TransferEvent>) -> EventSink {
    Arc::new(move |event| {
        // A closed window drops its channel; the transfers go on and `transfer_list` shows them.
        let _ = channel.send(event);
    })
}

/// Files and folders to put into `prefix` of `bucket`.
#[derive(Debug, serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct UploadInput {
    bucket: String,
    #[serde(default)]
    prefix: String,
    paths: Vec<PathBuf>,
}

/// Keys selected in the listing of `base` (a key ending in `/` is a folder: everything under
/// it), to write into `folder`, each at its key minus `base`.
#[derive(Debug, serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DownloadInput {
    bucket: String,
    #[serde(default)]
    base: String,
    keys: Vec<String>,
    folder: PathBuf,
}

/// Uploads files and folders into a prefix (a folder `photos` becomes `prefix/photos/…`); only
/// those the user chose in the dialog or dropped on the window, or what lies inside them.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %request.bucket), err(level = "warn", Debug))]
pub async fn transfer_upload(
    app: State<'_, AppState>,
    transfers: State<'_, TransferState>,
    chosen: State<'_, ChosenPaths>,
    request: UploadInput,
    options: TransferOptionsInput,
    on_event: Channel<TransferEvent>,
) -> Result<Vec<TransferId>, CommandError> {
    for path in &request.paths {
        chosen.check_upload_source(path)?;
    }
    let (client, options) = under_session(&app, options)?;
    let request = UploadRequest::into_prefix(request.bucket, &request.prefix, &request.paths)?;
    Ok(transfers.manager.upload(&client, request, options, sink(on_event)).await?)
}

/// Downloads keys and folders into a local folder the user chose (or one inside it).
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %request.bucket), err(level = "warn", Debug))]
pub async fn transfer_download(
    app: State<'_, AppState>,
    transfers: State<'_, TransferState>,
    chosen: State<'_, ChosenPaths>,
    request: DownloadInput,
    options: TransferOptionsInput,
    on_event: Channel<TransferEvent>,
) -> Result<Vec<TransferId>, CommandError> {
    chosen.check_download_folder(&request.folder)?;
    let (client, options) = under_session(&app, options)?;
    let request = DownloadRequest::selection(request.bucket, &request.base, &request.keys, &request.folder);
    Ok(transfers.manager.download(&client, request, options, sink(on_event)).await?)
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(id = id), err(level = "warn", Debug))]
pub fn transfer_pause(transfers: State<'_, TransferState>, id: TransferId) -> Result<(), CommandError> {
    Ok(transfers.manager.pause(id)?)
}

// Resume, cancel and set_jobs may spawn engine tasks, which needs a Tokio runtime: Tauri runs
// async commands on its runtime, sync ones on the main thread, which has none (and would panic).

/// Continues a paused transfer, or tries a failed one again from its checkpoint.
#[tauri::command]
#[tracing::instrument(skip_all, fields(id = id), err(level = "warn", Debug))]
pub async fn transfer_resume(transfers: State<'_, TransferState>, id: TransferId) -> Result<(), CommandError> {
    Ok(transfers.manager.resume(id)?)
}

/// Stops for good: aborts the multipart upload on OSS, or deletes the partial download.
#[tauri::command]
#[tracing::instrument(skip_all, fields(id = id), err(level = "warn", Debug))]
pub async fn transfer_cancel(transfers: State<'_, TransferState>, id: TransferId) -> Result<(), CommandError> {
    Ok(transfers.manager.cancel(id)?)
}

#[tauri::command]
#[tracing::instrument(level = "debug", skip_all)]
pub fn transfer_list(transfers: State<'_, TransferState>) -> Vec<TransferSnapshot> {
    transfers.manager.list()
}

/// Forgets the transfers that are done or cancelled; returns how many.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn transfer_clear_finished(transfers: State<'_, TransferState>) -> usize {
    transfers.manager.clear_finished()
}

/// The OS file dialog, opening in the home folder: GTK would open in "Recent", where a folder
/// chooser can choose nothing.
fn file_dialog<R: Runtime>(app: &AppHandle<R>, title: &str) -> rfd::AsyncFileDialog {
    let dialog = rfd::AsyncFileDialog::new().set_title(title);
    match app.path().home_dir() {
        Ok(home) => dialog.set_directory(home),
        Err(_) => dialog,
    }
}

/// Files to upload, chosen in the OS dialog (and from now on allowed to upload); `None` when cancelled.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn pick_files<R: Runtime>(app: AppHandle<R>) -> Option<Vec<PathBuf>> {
    let files = file_dialog(&app, "Upload files").pick_files().await?;
    let paths: Vec<PathBuf> = files.into_iter().map(|file| file.path().to_path_buf()).collect();
    app.state::<ChosenPaths>().remember(&paths);
    Some(paths)
}

/// A folder (to upload, or to download into), chosen in the OS dialog (and from now on allowed for
/// both); `None` when cancelled.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn pick_folder<R: Runtime>(app: AppHandle<R>) -> Option<PathBuf> {
    let folder = file_dialog(&app, "Choose a folder").pick_folder().await?.path().to_path_buf();
    app.state::<ChosenPaths>().remember([&folder]);
    Some(folder)
}

/// How many files move at once.
#[tauri::command]
#[tracing::instrument(skip_all, fields(jobs = jobs), err(level = "warn", Debug))]
pub async fn transfer_set_jobs(transfers: State<'_, TransferState>, jobs: usize) -> Result<(), CommandError> {
    if !(1..=16).contains(&jobs) {
        return Err(osslite_core::Error::invalid_input(format!("files at once must be 1 to 16, not {jobs}")).into());
    }
    transfers.manager.set_jobs(jobs);
    Ok(())
}

/// Transfers an earlier run left unfinished (their checkpoints), except those this run holds;
/// those another profile or endpoint started (or all, with no profile open) carry `belongsTo`.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn transfer_unfinished(app: State<'_, AppState>, transfers: State<'_, TransferState>) -> Vec<UnfinishedTransfer> {
    let session = app.session().ok();
    let endpoint = session.as_ref().map(|session| session.client.endpoint().to_string());
    let profile = session.as_ref().and_then(|session| session.profile.as_deref());
    transfers.manager.unfinished(profile, endpoint.as_deref())
}

/// Queues unfinished transfers again; each continues from its checkpoint with the open profile's
/// client. One another profile or endpoint started is refused.
#[tauri::command]
#[tracing::instrument(skip_all, fields(count = checkpoints.len()), err(level = "warn", Debug))]
pub async fn transfer_restore(
    app: State<'_, AppState>,
    transfers: State<'_, TransferState>,
    checkpoints: Vec<String>,
    options: TransferOptionsInput,
    on_event: Channel<TransferEvent>,
) -> Result<Vec<TransferId>, CommandError> {
    let (client, options) = under_session(&app, options)?;
    Ok(transfers.manager.restore(&client, &checkpoints, options, sink(on_event)).await?)
}

/// Forgets unfinished transfers: their checkpoints go, and an upload's multipart upload is aborted
/// when the open profile talks to its endpoint.
#[tauri::command]
#[tracing::instrument(skip_all, fields(count = checkpoints.len()), err(level = "warn", Debug))]
pub async fn transfer_discard(
    app: State<'_, AppState>,
    transfers: State<'_, TransferState>,
    checkpoints: Vec<String>,
) -> Result<usize, CommandError> {
    let client = client(&app).ok();
    Ok(transfers.manager.discard(client.as_ref(), &checkpoints).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_from_the_ui_fill_in_the_engine_defaults() {
        let input: TransferOptionsInput =
            serde_json::from_value(serde_json::json!({"onConflict": "rename", "parallel": 2})).unwrap();
        let options = TransferOptions::from(input);
        assert_eq!(options.on_conflict, ConflictPolicy::Rename);
        assert_eq!(options.parallel, 2);
        assert_eq!(options.part_size, None);
        assert_eq!(options.multipart_threshold, TransferOptions::default().multipart_threshold);

        let empty: TransferOptionsInput = serde_json::from_value(serde_json::json!({})).unwrap();
        assert_eq!(TransferOptions::from(empty).on_conflict, ConflictPolicy::Fail, "never overwrite unasked");
        assert!(serde_json::from_value::<TransferOptionsInput>(serde_json::json!({"onConflict": "maybe"})).is_err());
    }

    #[test]
    fn without_a_session_the_commands_say_so() {
        let dir = std::env::temp_dir().join(format!("osslite-transfer-state-{}", std::process::id()));
        let app = AppState::new(osslite_core::profiles::ProfileStore::in_dir(&dir), dir.clone());
        let transfers = TransferState::new(dir.join("checkpoints"));
        let err = client(&app).unwrap_err();
        assert_eq!(err.kind(), osslite_core::ErrorKind::InvalidInput);
        assert!(transfers.manager().list().is_empty());
    }
}
