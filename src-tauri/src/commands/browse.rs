//! Buckets, folders and objects of the open profile.

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use osslite_core::client::Body;
use osslite_core::delete::delete_all;
use osslite_core::manage::{state_of, ObjectState};
use osslite_core::ops::{ListObjectsV2Params, PutObjectOptions};
use osslite_core::xml::ObjectAcl;
use osslite_core::Error;
use tauri::ipc::Channel;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BucketView {
    name: String,
    region: String,
    creation_date: Option<DateTime<Utc>>,
    storage_class: Option<String>,
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub async fn bucket_list(state: State<'_, AppState>) -> Result<Vec<BucketView>, CommandError> {
    let session = state.session()?;
    let buckets: Vec<_> = session.client.list_all_buckets(None).try_collect().await?;
    Ok(buckets
        .into_iter()
        .map(|b| BucketView {
            region: b.region.unwrap_or_else(|| b.location.trim_start_matches("oss-").to_owned()),
            name: b.name,
            creation_date: b.creation_date,
            storage_class: b.storage_class,
        })
        .collect())
}

#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ObjectRow {
    key: String,
    size: u64,
    last_modified: Option<DateTime<Utc>>,
    etag: String,
    storage_class: Option<String>,
    /// Archived, restoring or restored (from the listing's `RestoreInfo`), shown beside the class.
    state: ObjectState,
}

#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ObjectPage {
    folders: Vec<String>,
    objects: Vec<ObjectRow>,
    next_continuation_token: Option<String>,
}

/// One page of a folder: its subfolders and objects, and the token for the next page.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, prefix = %prefix), err(level = "warn", Debug))]
pub async fn object_list_page(
    state: State<'_, AppState>,
    bucket: String,
    prefix: String,
    delimiter: Option<String>,
    continuation_token: Option<String>,
    max_keys: Option<u32>,
) -> Result<ObjectPage, CommandError> {
    let session = state.session()?;
    let mut params = ListObjectsV2Params::new(bucket).with_max_keys(max_keys.unwrap_or(1000).clamp(1, 1000));
    params.prefix = (!prefix.is_empty()).then_some(prefix.clone());
    params.delimiter = delimiter.filter(|d| !d.is_empty());
    params.continuation_token = continuation_token;
    let page = session.client.list_objects_v2(&params).await?;
    let next_continuation_token = page.next_token().map(str::to_owned);
    Ok(ObjectPage {
        folders: page.common_prefixes,
        objects: page
            .contents
            .into_iter()
            // A folder's own marker object ("folder/") is the folder itself, not a file in it.
            .filter(|o| o.key != prefix)
            .map(|o| ObjectRow {
                etag: o.etag.trim_matches('"').to_owned(),
                key: o.key,
                size: o.size,
                last_modified: o.last_modified,
                state: state_of(o.storage_class.as_deref(), o.restore_info.as_deref()),
                storage_class: o.storage_class,
            })
            .collect(),
        next_continuation_token,
    })
}

#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ObjectDetails {
    key: String,
    size: Option<u64>,
    etag: Option<String>,
    crc64: Option<String>,
    content_type: Option<String>,
    last_modified: Option<DateTime<Utc>>,
    storage_class: Option<String>,
    metadata: std::collections::BTreeMap<String, String>,
    /// None when the ACL could not be read (GetObjectAcl needs its own permission).
    acl: Option<ObjectAcl>,
    version_id: Option<String>,
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, key = %key), err(level = "warn", Debug))]
pub async fn object_details(
    state: State<'_, AppState>,
    bucket: String,
    key: String,
) -> Result<ObjectDetails, CommandError> {
    let session = state.session()?;
    let (meta, acl) =
        tokio::join!(session.client.head_object(&bucket, &key), session.client.get_object_acl(&bucket, &key));
    let meta = meta?;
    Ok(ObjectDetails {
        key,
        size: meta.content_length,
        etag: meta.etag.map(|e| e.trim_matches('"').to_owned()),
        crc64: meta.crc64.map(|c| c.to_string()),
        content_type: meta.content_type,
        last_modified: meta.last_modified,
        storage_class: meta.storage_class,
        metadata: meta.metadata.into_iter().collect(),
        // Reading the ACL needs its own permission; without it the panel still shows the rest.
        acl: acl.ok().map(|policy| policy.acl),
        version_id: meta.version_id,
    })
}

/// Creates an empty `prefix/` object, which OSS consoles show as a folder.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, prefix = %prefix), err(level = "warn", Debug))]
pub async fn folder_create(state: State<'_, AppState>, bucket: String, prefix: String) -> Result<(), CommandError> {
    let name = prefix.trim_end_matches('/');
    if name.is_empty() || name.rsplit('/').next().is_some_and(|last| last.is_empty() || last == "." || last == "..") {
        return Err(Error::invalid_input(format!("'{prefix}' is not a folder name")).into());
    }
    let session = state.session()?;
    let marker = format!("{name}/");
    session.client.put_object(&bucket, &marker, Body::empty(), &PutObjectOptions::default()).await?;
    Ok(())
}

#[derive(Clone, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "event", content = "data", rename_all = "camelCase")]
pub enum DeleteProgress {
    Progress { deleted: usize, total: usize },
    Finished { deleted: usize },
}

#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DeleteResult {
    deleted: usize,
}

/// Deletes objects and whole folders (every object under each prefix), 1000 keys a request. When a
/// request fails, the error says how many objects were and were not deleted.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, keys = keys.len()), err(level = "warn", Debug))]
pub async fn objects_delete(
    state: State<'_, AppState>,
    bucket: String,
    keys: Vec<String>,
    prefixes: Vec<String>,
    on_progress: Channel<DeleteProgress>,
) -> Result<DeleteResult, CommandError> {
    let session = state.session()?;
    let outcome = delete_all(&session.client, &bucket, keys, &prefixes, |progress| {
        // A closed channel only means the dialog went away; the deletion goes on.
        let _ = on_progress.send(DeleteProgress::Progress { deleted: progress.deleted, total: progress.total });
    })
    .await?;
    let deleted = outcome.into_result()?;
    let _ = on_progress.send(DeleteProgress::Finished { deleted });
    Ok(DeleteResult { deleted })
}
