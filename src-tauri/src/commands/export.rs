//! URL-list export for a selection or a folder: a preview count, then a CSV file (chosen in the
//! OS save dialog) or the clipboard, with progress and cancel.

use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use chrono::Utc;
use futures_util::{Stream, TryStreamExt};
use osslite_core::download_folder::DownloadFolderSetting;
use osslite_core::profiles::Session;
use osslite_core::share::export::{objects_under, presign_each, BatchOptions, CsvFile, Selection};
use osslite_core::share::{check_desktop_expires, KeyFilter, ShareOptions};
use osslite_core::xml::ObjectSummary;
use osslite_core::{Method, Result};
use tauri::ipc::Channel;
use tauri::State;

use super::share::{link_endpoint, LinkDomain};
use crate::error::CommandError;
use crate::state::AppState;

/// Which objects: a selection (files by key, folders with everything under them), or a folder.
#[derive(serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct ExportSpec {
    bucket: String,
    keys: Option<Vec<String>>,
    /// Selected folders (prefixes ending in '/'), exported with all they hold; only with `keys`.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    folders: Vec<String>,
    prefix: Option<String>,
    #[serde(default)]
    recursive: bool,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
}

#[derive(serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ExportOptions {
    expires_secs: u64,
    #[serde(default = "super::yes")]
    https: bool,
    #[serde(default)]
    excel_bom: bool,
    /// Keep fields a spreadsheet would run as formulas as they are; by default they get a leading '.
    #[serde(default)]
    raw_values: bool,
    #[serde(default)]
    domain: LinkDomain,
}

impl ExportSpec {
    fn filter(&self) -> Result<KeyFilter> {
        KeyFilter::new(self.prefix.as_deref().unwrap_or(""), &self.include, &self.exclude)
    }

    /// The objects, with their size, date and ETag: the selection's, or the folder's.
    fn objects(&self, session: &Session) -> Pin<Box<dyn Stream<Item = Result<ObjectSummary>> + Send>> {
        match &self.keys {
            Some(keys) => Box::pin(
                Selection { bucket: self.bucket.clone(), keys: keys.clone(), folders: self.folders.clone() }
                    .objects(&session.client),
            ),
            None => Box::pin(objects_under(
                &session.client,
                &self.bucket,
                self.prefix.as_deref().unwrap_or(""),
                self.recursive,
            )),
        }
    }
}

#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ExportPreview {
    count: u64,
    total_bytes: u64,
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub async fn export_preview(state: State<'_, AppState>, spec: ExportSpec) -> Result<ExportPreview, CommandError> {
    let session = state.session()?;
    let filter = spec.filter()?;
    let (count, total_bytes) = spec
        .objects(&session)
        .try_filter(|object| std::future::ready(filter.matches(&object.key)))
        .try_fold((0u64, 0u64), |(count, bytes), object| async move { Ok((count + 1, bytes + object.size)) })
        .await?;
    Ok(ExportPreview { count, total_bytes })
}

#[derive(Clone, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "event", content = "data", rename_all = "camelCase")]
pub enum ExportProgress {
    Progress { done: u64, total: Option<u64> },
    Finished { rows: u64, path: PathBuf },
}

#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExportResult {
    rows: u64,
    path: PathBuf,
}

/// Sends progress at most ten times a second.
struct Throttled<'c> {
    channel: &'c Channel<ExportProgress>,
    last: Instant,
}

impl Throttled<'_> {
    fn tick(&mut self, done: u64) {
        if self.last.elapsed() >= Duration::from_millis(100) {
            self.last = Instant::now();
            let _ = self.channel.send(ExportProgress::Progress { done, total: None });
        }
    }
}

fn batch_options(state: &AppState, session: &Session, options: &ExportOptions) -> Result<BatchOptions> {
    check_desktop_expires(options.expires_secs)?;
    let at = Utc::now();
    let validity = session.link_validity(options.expires_secs, at)?;
    let endpoint = link_endpoint(session.client.endpoint(), &options.domain, options.https)?;
    state.export_cancel.store(false, Ordering::Relaxed);
    Ok(BatchOptions {
        method: Method::Get,
        expires_secs: validity.seconds,
        at,
        share: ShareOptions::default(),
        endpoint,
    })
}

/// Asks where to save, then writes the CSV; `None` when the user cancels the save dialog. A first
/// progress event (0 rows) says the file was chosen and writing starts.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub async fn export_csv(
    state: State<'_, AppState>,
    spec: ExportSpec,
    options: ExportOptions,
    on_progress: Channel<ExportProgress>,
) -> Result<Option<ExportResult>, CommandError> {
    let session = state.session()?;
    // Refused before the dialog opens, and signed from when it closes (the user may take a while).
    batch_options(&state, &session, &options)?;
    let filter = spec.filter()?;
    let suggested = format!("{}-urls.csv", spec.bucket);
    let start = DownloadFolderSetting::in_dir(&state.data_dir).current().ok();
    let Some(path) = ask_save_path(suggested, start).await else { return Ok(None) };
    let batch = batch_options(&state, &session, &options)?;

    let mut csv = CsvFile::create(&path, options.excel_bom)?.with_raw_values(options.raw_values);
    let _ = on_progress.send(ExportProgress::Progress { done: 0, total: None });
    let mut progress = Throttled { channel: &on_progress, last: Instant::now() };
    let mut done = 0u64;
    let rows = presign_each(
        &session.client,
        &spec.bucket,
        spec.objects(&session),
        &filter,
        &batch,
        &state.export_cancel,
        |row| {
            csv.write(&row)?;
            done += 1;
            progress.tick(done);
            Ok(())
        },
    )
    .await?;
    let path = csv.finish()?;
    let _ = on_progress.send(ExportProgress::Finished { rows, path: path.clone() });
    Ok(Some(ExportResult { rows, path }))
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub fn export_cancel(state: State<'_, AppState>) {
    state.export_cancel.store(true, Ordering::Relaxed);
}

#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CopiedUrls {
    count: u64,
}

/// Every URL of the export, one per line, onto the clipboard.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub async fn export_copy_urls(
    state: State<'_, AppState>,
    spec: ExportSpec,
    options: ExportOptions,
) -> Result<CopiedUrls, CommandError> {
    let session = state.session()?;
    let batch = batch_options(&state, &session, &options)?;
    let filter = spec.filter()?;
    let mut lines = String::new();
    let count = presign_each(
        &session.client,
        &spec.bucket,
        spec.objects(&session),
        &filter,
        &batch,
        &state.export_cancel,
        |row| {
            lines.push_str(&row.url);
            lines.push('\n');
            Ok(())
        },
    )
    .await?;
    super::share::write_clipboard(&state, lines)?;
    Ok(CopiedUrls { count })
}

/// The OS save dialog; `None` when the user cancels it.
///
/// The async dialog: GTK builds and shows it from an idle callback of the main loop the app
/// already runs. The blocking `rfd::FileDialog` must not be used here: on GTK it waits for its own
/// GTK thread, which needs the main context that the blocked main thread holds (a deadlock that
/// froze the whole window).
async fn ask_save_path(suggested: String, start: Option<PathBuf>) -> Option<PathBuf> {
    let dialog = rfd::AsyncFileDialog::new();
    // Opens in the download folder, where the user looks for what the app saved.
    let dialog = match start {
        Some(folder) => dialog.set_directory(folder),
        None => dialog,
    };
    dialog
        .set_title("Export URL list")
        .set_file_name(suggested)
        .add_filter("CSV", &["csv"])
        .save_file()
        .await
        .map(|file| file.path().to_path_buf())
}
