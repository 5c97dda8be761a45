//! Object versions: the bucket's versioning state, an object's versions (delete markers
//! included), downloading, restoring and deleting one version, and deleted objects to bring back.
//! Share links for a version go through `share_presign` with a `versionId`.

use std::path::PathBuf;

use osslite_core::client::DeletedVersion;
use osslite_core::ops::VersioningStatus;
use osslite_core::transfer::{
    ConflictPolicy, DownloadRequest, DownloadSource, TransferEvent, TransferId, TransferOptions,
};
use osslite_core::xml::ObjectVersion;
use tauri::ipc::Channel;
use tauri::State;

use super::transfers::{sink, TransferState};
use crate::chosen_paths::ChosenPaths;
use crate::error::CommandError;
use crate::state::AppState;

/// Characters kept from the end of a version ID in a downloaded file's name (OSS's IDs share
/// their beginning).
const SHORT_VERSION: usize = 8;

#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket), err(level = "warn", Debug))]
pub async fn versioning_get(state: State<'_, AppState>, bucket: String) -> Result<VersioningStatus, CommandError> {
    Ok(state.session()?.client.get_bucket_versioning(&bucket).await?)
}

/// Enables or suspends versioning; answers the state OSS reports afterwards.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, status = status.as_str()), err(level = "warn", Debug))]
pub async fn versioning_set(
    state: State<'_, AppState>,
    bucket: String,
    status: VersioningStatus,
) -> Result<VersioningStatus, CommandError> {
    let client = state.session()?.client;
    client.put_bucket_versioning(&bucket, status).await?;
    Ok(client.get_bucket_versioning(&bucket).await?)
}

/// Every version and delete marker of one object, newest first.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, key = %key), err(level = "warn", Debug))]
pub async fn versions_list(
    state: State<'_, AppState>,
    bucket: String,
    key: String,
) -> Result<Vec<ObjectVersion>, CommandError> {
    Ok(state.session()?.client.object_versions(&bucket, &key).await?)
}

/// Downloads one version into a chosen folder as `name (version …).ext`, as a transfer of the
/// engine (progress in the transfer panel, resumable, checked with CRC-64); its events arrive on
/// `on_event` like any download's.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, key = %key), err(level = "warn", Debug))]
#[allow(clippy::too_many_arguments)]
pub async fn version_download(
    state: State<'_, AppState>,
    transfers: State<'_, TransferState>,
    chosen: State<'_, ChosenPaths>,
    bucket: String,
    key: String,
    version_id: String,
    folder: PathBuf,
    on_event: Channel<TransferEvent>,
) -> Result<Vec<TransferId>, CommandError> {
    chosen.check_download_folder(&folder)?;
    let session = state.session()?;
    let path = folder.join(version_file_name(&key, &version_id));
    let request = DownloadRequest { bucket, sources: vec![DownloadSource::Version { key, version_id, path }] };
    // The name holds the version, so a clash is the same version downloaded before: keep both.
    let options =
        TransferOptions { profile: session.profile, on_conflict: ConflictPolicy::Rename, ..TransferOptions::default() };
    Ok(transfers.manager().download(&session.client, request, options, sink(on_event)).await?)
}

/// Makes a version the latest again with a server-side copy; answers the new version's ID.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, key = %key), err(level = "warn", Debug))]
pub async fn version_restore(
    state: State<'_, AppState>,
    bucket: String,
    key: String,
    version_id: String,
) -> Result<Option<String>, CommandError> {
    Ok(state.session()?.client.restore_version(&bucket, &key, &version_id).await?.version_id)
}

/// Deletes one version or delete marker for good.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, key = %key), err(level = "warn", Debug))]
pub async fn version_delete(
    state: State<'_, AppState>,
    bucket: String,
    key: String,
    version_id: String,
) -> Result<DeletedVersion, CommandError> {
    Ok(state.session()?.client.delete_object_version(&bucket, &key, &version_id).await?)
}

/// The objects directly in `prefix` whose latest version is a delete marker.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, prefix = %prefix), err(level = "warn", Debug))]
pub async fn deleted_list(
    state: State<'_, AppState>,
    bucket: String,
    prefix: String,
) -> Result<Vec<ObjectVersion>, CommandError> {
    Ok(state.session()?.client.list_deleted_objects(&bucket, &prefix).await?)
}

/// Brings a deleted object back with its last content; answers the version that is latest again.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, key = %key), err(level = "warn", Debug))]
pub async fn deleted_restore(state: State<'_, AppState>, bucket: String, key: String) -> Result<String, CommandError> {
    Ok(state.session()?.client.undelete_object(&bucket, &key).await?)
}

/// `report.txt` at version `CAEQ…12345678` → `report (version 12345678).txt`.
fn version_file_name(key: &str, version_id: &str) -> String {
    let name = key.rsplit('/').next().unwrap_or(key);
    let kept: Vec<char> = version_id.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let short: String = kept[kept.len().saturating_sub(SHORT_VERSION)..].iter().collect();
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem} (version {short}).{ext}"),
        _ => format!("{name} (version {short})"),
    }
}

#[cfg(test)]
mod tests {
    use super::version_file_name;

    #[test]
    fn a_downloaded_version_names_its_version() {
        assert_eq!(version_file_name("a/report.txt", "CAEQ+/12345678"), "report (version 12345678).txt");
        assert_eq!(version_file_name(".env", "v1"), ".env (version v1)");
        assert_eq!(version_file_name("notes", "v2"), "notes (version v2)");
    }
}
