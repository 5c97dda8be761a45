//! Managing objects and buckets: copy, move, rename, headers, ACL, storage class and restore run
//! as jobs of the transfer engine (the transfer panel shows them); previews, sizes, object state
//! and buckets answer directly.

use osslite_core::manage::{
    bucket_details as read_bucket_details, create_bucket, delete_bucket, object_state, plan, preview_meta_of,
    selection_usage, BucketDetails, ItemFailure, ManageAction, ManageOptions, ManageRequest, MetaChange, MetaEdit,
    NewBucket, ObjectState, Usage,
};
use osslite_core::transfer::{ConflictPolicy, TransferEvent, TransferId};
use tauri::ipc::Channel;
use tauri::State;

use super::transfers::{sink, TransferState};
use crate::error::CommandError;
use crate::latest_only::LatestOnly;
use crate::state::AppState;

/// Objects whose changes a metadata preview shows.
const PREVIEW_SAMPLES: usize = 5;

/// The size count running now, to cancel: one at a time, since the details panel shows one
/// folder or selection.
#[derive(Default)]
pub struct ManageState {
    size_count: LatestOnly,
}

/// How the UI asks a job to behave; the rest takes the engine's defaults.
#[derive(Debug, Default, serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase", default)]
pub struct ManageOptionsInput {
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    on_conflict: ConflictPolicy,
}

/// Queues a copy, move, rename, metadata, ACL, storage class or restore job on a selection; its
/// events arrive on `on_event` like a transfer's.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %request.bucket, keys = request.keys.len(), action = request.action.verb()), err(level = "warn", Debug))]
pub async fn manage_start(
    app: State<'_, AppState>,
    transfers: State<'_, TransferState>,
    request: ManageRequest,
    options: ManageOptionsInput,
    on_event: Channel<TransferEvent>,
) -> Result<TransferId, CommandError> {
    let session = app.session()?;
    let options =
        ManageOptions { on_conflict: options.on_conflict, profile: session.profile, ..ManageOptions::default() };
    Ok(transfers.manager().manage(&session.client, request, options, sink(on_event)).await?)
}

/// The objects a job could not handle in its last run, and why.
#[tauri::command]
#[tracing::instrument(skip_all, fields(id = id), err(level = "warn", Debug))]
pub async fn manage_failures(
    transfers: State<'_, TransferState>,
    id: TransferId,
) -> Result<Vec<ItemFailure>, CommandError> {
    Ok(transfers.manager().failures(id)?)
}

#[derive(Debug, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ObjectChanges {
    key: String,
    changes: Vec<MetaChange>,
}

/// What a metadata edit would do: how many objects it touches, and the changes of the first few.
#[derive(Debug, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct MetaPreview {
    objects: usize,
    samples: Vec<ObjectChanges>,
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, keys = keys.len()), err(level = "warn", Debug))]
pub async fn manage_meta_preview(
    app: State<'_, AppState>,
    bucket: String,
    keys: Vec<String>,
    edit: MetaEdit,
) -> Result<MetaPreview, CommandError> {
    let client = app.session()?.client;
    let request = ManageRequest { bucket: bucket.clone(), keys, action: ManageAction::SetMeta { edit: edit.clone() } };
    let planned = plan(&client, &request).await?;
    let mut samples = Vec::new();
    for pair in planned.pairs.iter().take(PREVIEW_SAMPLES) {
        let changes = preview_meta_of(&client, &bucket, &pair.source, &edit).await?;
        samples.push(ObjectChanges { key: pair.source.clone(), changes });
    }
    Ok(MetaPreview { objects: planned.pairs.len(), samples })
}

/// Objects and bytes under the selected keys and folders, by storage class; the running totals
/// arrive on `on_progress` (at most every 1000 objects). A new count stops the one before.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, keys = keys.len()), err(level = "warn", Debug))]
pub async fn manage_size(
    app: State<'_, AppState>,
    manage: State<'_, ManageState>,
    bucket: String,
    keys: Vec<String>,
    on_progress: Channel<Usage>,
) -> Result<Usage, CommandError> {
    let client = app.session()?.client;
    let cancel = manage.size_count.start();
    let usage = selection_usage(&client, &bucket, &keys, &cancel, |usage| {
        if usage.objects % 1000 == 0 {
            // A closed channel only means the panel went away; the count ends with the call.
            let _ = on_progress.send(usage.clone());
        }
    })
    .await?;
    Ok(usage)
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn manage_size_cancel(manage: State<'_, ManageState>) -> Result<(), CommandError> {
    manage.size_count.cancel();
    Ok(())
}

/// An object's editable headers, user metadata, storage class and archive state.
#[derive(Debug, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ObjectHeaders {
    key: String,
    /// The headers as a metadata edit that would set them all.
    headers: MetaEdit,
    storage_class: Option<String>,
    state: ObjectState,
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, key = %key), err(level = "warn", Debug))]
pub async fn object_headers(
    app: State<'_, AppState>,
    bucket: String,
    key: String,
) -> Result<ObjectHeaders, CommandError> {
    let meta = app.session()?.client.head_object(&bucket, &key).await?;
    let state = object_state(&meta);
    Ok(ObjectHeaders {
        key,
        headers: MetaEdit {
            content_type: meta.content_type,
            cache_control: meta.cache_control,
            content_disposition: meta.content_disposition,
            content_encoding: meta.content_encoding,
            content_language: meta.content_language,
            expires: meta.expires,
            set_meta: meta.metadata,
            remove_meta: Vec::new(),
        },
        storage_class: meta.storage_class,
        state,
    })
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket.name), err(level = "warn", Debug))]
pub async fn bucket_create(app: State<'_, AppState>, bucket: NewBucket) -> Result<(), CommandError> {
    Ok(create_bucket(&app.session()?.client, &bucket).await?)
}

/// Deletes an empty bucket; `confirmation` is the name the user typed.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %name), err(level = "warn", Debug))]
pub async fn bucket_delete(app: State<'_, AppState>, name: String, confirmation: String) -> Result<(), CommandError> {
    Ok(delete_bucket(&app.session()?.client, &name, &confirmation).await?)
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %name), err(level = "warn", Debug))]
pub async fn bucket_details(app: State<'_, AppState>, name: String) -> Result<BucketDetails, CommandError> {
    Ok(read_bucket_details(&app.session()?.client, &name).await?)
}
