//! Search below a folder: the core's search streamed to the UI one batch (a listed page's matches
//! and the running counts) at a time. One search per app: a new one stops the one before.

use futures_util::TryStreamExt;
use osslite_core::search::{search, SearchBatch, SearchEnd, SearchRequest};
use tauri::ipc::Channel;
use tauri::State;

use crate::error::CommandError;
use crate::latest_only::LatestOnly;
use crate::state::AppState;

/// The search running now, to cancel.
#[derive(Default)]
pub struct SearchState {
    running: LatestOnly,
}

/// How a search ended, with its final counts.
#[derive(Debug, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SearchDone {
    end: SearchEnd,
    scanned: u64,
    matched: u64,
}

/// Runs a search: every batch arrives on `on_batch` (the last one with `end` set), and the call
/// returns how it ended once the last batch is sent.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %request.bucket, max_scan = request.max_scan), err(level = "warn", Debug))]
pub async fn search_run(
    app: State<'_, AppState>,
    searches: State<'_, SearchState>,
    request: SearchRequest,
    on_batch: Channel<SearchBatch>,
) -> Result<SearchDone, CommandError> {
    let client = app.session()?.client;
    let cancel = searches.running.start();
    let mut batches = Box::pin(search(&client, request, cancel)?);
    let mut done = SearchDone { end: SearchEnd::Complete, scanned: 0, matched: 0 };
    while let Some(batch) = batches.try_next().await? {
        done.scanned = batch.scanned;
        done.matched = batch.matched;
        let end = batch.end;
        // A closed channel means the search panel went away: stop listing.
        if on_batch.send(batch).is_err() {
            done.end = SearchEnd::Cancelled;
            break;
        }
        if let Some(end) = end {
            done.end = end;
            break;
        }
    }
    Ok(done)
}

/// Stops the running search before its next page; its last batch says `cancelled`.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn search_cancel(searches: State<'_, SearchState>) -> Result<(), CommandError> {
    searches.running.cancel();
    Ok(())
}
