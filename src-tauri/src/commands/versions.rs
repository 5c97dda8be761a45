//! Object versions: the bucket's versioning state, an object's versions (delete markers
//! included), downloading, restoring and deleting one version, and deleted objects to bring back.
//! Share links for a version go through `share_presign` with a `versionId`.

use std::path::PathBuf;

use osslite_core::client::DeletedVersion;
use osslite_core::ops::VersioningStatus;
use osslite_core::versions::download_version;
use osslite_core::xml::ObjectVersion;
use tauri::State;

use crate::chosen_paths::ChosenPaths;
use crate::error::CommandError;
use crate::state::AppState;

/// Characters kept from the end of a version ID in a downloaded file's name (OSS's IDs share
/// their beginning).
const SHORT_VERSION: usize = 8;

#[derive(Debug, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VersionDownloaded {
    pub path: PathBuf,
    pub size: u64,
}

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

/// Downloads one version into a chosen folder as `name (version ID…).ext`, checked with CRC-64.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, key = %key), err(level = "warn", Debug))]
pub async fn version_download(
    state: State<'_, AppState>,
    chosen: State<'_, ChosenPaths>,
    bucket: String,
    key: String,
    version_id: String,
    folder: PathBuf,
) -> Result<VersionDownloaded, CommandError> {
    chosen.check_download_folder(&folder)?;
    let client = state.session()?.client;
    tokio::fs::create_dir_all(&folder).await.map_err(|err| {
        osslite_core::Error::new(
            osslite_core::ErrorKind::Io,
            format!("cannot create the download folder {}: {err}", folder.display()),
        )
    })?;
    let destination = folder.join(version_file_name(&key, &version_id));
    let (path, size) = download_version(&client, &bucket, &key, &version_id, &destination, false).await?;
    Ok(VersionDownloaded { path, size })
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
