//! Transfer commands: start uploads (files and folders into bucket + prefix) and downloads (keys
//! or prefixes into a folder), pause, resume, cancel and list. Each start command streams the
//! events of the transfers it created through its `Channel` (tagged, cumulative counts).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use osslite_core::client::Client;
use osslite_core::transfer::UnfinishedTransfer;
use osslite_core::transfer::{
    CheckpointStore, ConflictPolicy, DownloadRequest, EventSink, TransferEvent, TransferId, TransferManager,
    TransferOptions, TransferSnapshot, UploadRequest, DEFAULT_JOBS,
};
use osslite_core::{ErrorKind, Result};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::chosen_paths::ChosenPaths;
use crate::error::CommandError;
use crate::state::AppState;

/// The transfer queue of the app, and the client new transfers use.
pub struct TransferState {
    manager: TransferManager,
    client: Mutex<Option<Client>>,
}

impl TransferState {
    /// `jobs` files at once, checkpoints in `checkpoint_dir`.
    pub fn new(checkpoint_dir: PathBuf) -> Self {
        Self {
            manager: TransferManager::new(DEFAULT_JOBS, CheckpointStore::new(checkpoint_dir)),
            client: Mutex::new(None),
        }
    }

    /// The client new transfers use (the session code sets it when a profile opens; `None` falls
    /// back to the open session's). Transfers already started keep theirs.
    pub fn set_client(&self, client: Option<Client>) {
        *self.client.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = client;
    }

    pub fn manager(&self) -> &TransferManager {
        &self.manager
    }

    fn client(&self, app: &AppState) -> Result<Client> {
        let own = self.client.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        match own {
            Some(client) => Ok(client),
            None => Ok(app.session()?.client),
        }
    }
}

/// How the UI asks transfers to behave; unset fields take the engine's defaults.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TransferOptionsInput {
    on_conflict: ConflictPolicy,
    part_size: Option<u64>,
    parallel: Option<usize>,
    multipart_threshold: Option<u64>,
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

fn sink(channel: Channel<TransferEvent>) -> EventSink {
    Arc::new(move |event| {
        // A closed window drops its channel; the transfers go on and `transfer_list` shows them.
        let _ = channel.send(event);
    })
}

/// Files and folders to put into `prefix` of `bucket`.
#[derive(Debug, serde::Deserialize)]
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
    let client = transfers.client(&app)?;
    let request = UploadRequest::into_prefix(request.bucket, &request.prefix, &request.paths)?;
    Ok(transfers.manager.upload(&client, request, options.into(), sink(on_event)).await?)
}

/// Downloads keys and folders into a local folder the user chose (or one inside it).
#[tauri::command]
pub async fn transfer_download(
    app: State<'_, AppState>,
    transfers: State<'_, TransferState>,
    chosen: State<'_, ChosenPaths>,
    request: DownloadInput,
    options: TransferOptionsInput,
    on_event: Channel<TransferEvent>,
) -> Result<Vec<TransferId>, CommandError> {
    chosen.check_download_folder(&request.folder)?;
    let client = transfers.client(&app)?;
    let request = DownloadRequest::selection(request.bucket, &request.base, &request.keys, &request.folder);
    Ok(transfers.manager.download(&client, request, options.into(), sink(on_event)).await?)
}

#[tauri::command]
pub fn transfer_pause(transfers: State<'_, TransferState>, id: TransferId) -> Result<(), CommandError> {
    Ok(transfers.manager.pause(id)?)
}

// Resume, cancel and set_jobs may spawn engine tasks, which needs a Tokio runtime: Tauri runs
// async commands on its runtime, sync ones on the main thread, which has none (and would panic).

/// Continues a paused transfer, or tries a failed one again from its checkpoint.
#[tauri::command]
pub async fn transfer_resume(transfers: State<'_, TransferState>, id: TransferId) -> Result<(), CommandError> {
    Ok(transfers.manager.resume(id)?)
}

/// Stops for good: aborts the multipart upload on OSS, or deletes the partial download.
#[tauri::command]
pub async fn transfer_cancel(transfers: State<'_, TransferState>, id: TransferId) -> Result<(), CommandError> {
    Ok(transfers.manager.cancel(id)?)
}

#[tauri::command]
pub fn transfer_list(transfers: State<'_, TransferState>) -> Vec<TransferSnapshot> {
    transfers.manager.list()
}

/// Forgets the transfers that are done or cancelled; returns how many.
#[tauri::command]
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
pub async fn pick_files<R: Runtime>(app: AppHandle<R>) -> Option<Vec<PathBuf>> {
    let files = file_dialog(&app, "Upload files").pick_files().await?;
    let paths: Vec<PathBuf> = files.into_iter().map(|file| file.path().to_path_buf()).collect();
    app.state::<ChosenPaths>().remember(&paths);
    Some(paths)
}

/// A folder (to upload, or to download into), chosen in the OS dialog (and from now on allowed for
/// both); `None` when cancelled.
#[tauri::command]
pub async fn pick_folder<R: Runtime>(app: AppHandle<R>) -> Option<PathBuf> {
    let folder = file_dialog(&app, "Choose a folder").pick_folder().await?.path().to_path_buf();
    app.state::<ChosenPaths>().remember([&folder]);
    Some(folder)
}

/// How many files move at once.
#[tauri::command]
pub async fn transfer_set_jobs(transfers: State<'_, TransferState>, jobs: usize) -> Result<(), CommandError> {
    if !(1..=16).contains(&jobs) {
        return Err(osslite_core::Error::invalid_input(format!("files at once must be 1 to 16, not {jobs}")).into());
    }
    transfers.manager.set_jobs(jobs);
    Ok(())
}

/// Transfers an earlier run left unfinished (their checkpoints), except those this run holds.
#[tauri::command]
pub fn transfer_unfinished(transfers: State<'_, TransferState>) -> Vec<UnfinishedTransfer> {
    let running: Vec<(String, String)> =
        transfers.manager.list().into_iter().map(|t| (t.source, t.destination)).collect();
    transfers
        .manager
        .checkpoints()
        .unfinished()
        .into_iter()
        .filter(|t| !running.iter().any(|(source, destination)| *source == t.source && *destination == t.destination))
        .collect()
}

fn chosen(transfers: &TransferState, checkpoints: &[String]) -> Vec<UnfinishedTransfer> {
    transfers.manager.checkpoints().unfinished().into_iter().filter(|t| checkpoints.contains(&t.checkpoint)).collect()
}

/// Queues unfinished transfers again; each continues from its checkpoint with the open profile's client.
#[tauri::command]
pub async fn transfer_restore(
    app: State<'_, AppState>,
    transfers: State<'_, TransferState>,
    checkpoints: Vec<String>,
    options: TransferOptionsInput,
    on_event: Channel<TransferEvent>,
) -> Result<Vec<TransferId>, CommandError> {
    let client = transfers.client(&app)?;
    let options: TransferOptions = options.into();
    let events = sink(on_event);
    let mut ids = Vec::new();
    for transfer in chosen(&transfers, &checkpoints) {
        if let Some(request) = transfer.upload_request() {
            ids.extend(transfers.manager.upload(&client, request, options.clone(), events.clone()).await?);
        } else if let Some(request) = transfer.download_request() {
            ids.extend(transfers.manager.download(&client, request, options.clone(), events.clone()).await?);
        }
    }
    Ok(ids)
}

/// Forgets unfinished transfers: their checkpoints go, and an upload's multipart upload is aborted
/// when the open profile talks to its endpoint.
#[tauri::command]
pub async fn transfer_discard(
    app: State<'_, AppState>,
    transfers: State<'_, TransferState>,
    checkpoints: Vec<String>,
) -> Result<usize, CommandError> {
    let client = transfers.client(&app).ok();
    let mut discarded = 0;
    for transfer in chosen(&transfers, &checkpoints) {
        if let (Some(client), Some((bucket, key, upload_id))) = (&client, transfer.multipart_upload()) {
            if client.endpoint().to_string() == transfer.endpoint {
                match client.abort_multipart_upload(bucket, key, upload_id).await {
                    Ok(()) => {}
                    Err(err) if err.kind() == ErrorKind::NotFound => {}
                    Err(err) => return Err(err.into()),
                }
            }
        }
        transfers.manager.checkpoints().remove_named(&transfer.checkpoint)?;
        discarded += 1;
    }
    Ok(discarded)
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
    fn without_a_client_or_a_session_the_commands_say_so() {
        let dir = std::env::temp_dir().join(format!("osslite-transfer-state-{}", std::process::id()));
        let app = AppState::new(osslite_core::profiles::ProfileStore::in_dir(&dir), dir.clone());
        let transfers = TransferState::new(dir.join("checkpoints"));
        let err = transfers.client(&app).unwrap_err();
        assert_eq!(err.kind(), osslite_core::ErrorKind::InvalidInput);
        assert!(transfers.manager().list().is_empty());
    }
}
