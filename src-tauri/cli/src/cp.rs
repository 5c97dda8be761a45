//! `osslite-cli cp SRC DST`: local → oss:// and oss:// → local, files or (with -r) folders and
//! prefixes, through the core's transfer engine. Progress bars on a terminal, plain lines
//! otherwise. Ctrl-C pauses everything and keeps the checkpoints: the same command resumes.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use osslite_core::transfer::{
    human_size, parse_size, paths, CheckpointStore, ConflictPolicy, DownloadRequest, DownloadSource, EventSink,
    TransferEvent, TransferManager, TransferOptions, TransferSnapshot, TransferStatus, UploadRequest, UploadSource,
    Verification, DEFAULT_JOBS, DEFAULT_PARALLEL,
};
use osslite_core::{Error, ErrorKind, Result};

use crate::connection::{ClockSkewNote, ConnectionArgs};
use crate::target::OssPath;

#[derive(Args)]
pub struct CpArgs {
    /// A local file or folder, or oss://BUCKET/KEY (oss://BUCKET/PREFIX/ with -r).
    source: String,
    /// oss://BUCKET/KEY-OR-PREFIX/ for uploads, a local file or folder for downloads.
    destination: String,
    /// Copy a folder or a prefix with everything below it.
    #[arg(short, long)]
    recursive: bool,
    /// Files moving at once.
    #[arg(long, default_value_t = DEFAULT_JOBS, value_name = "N")]
    jobs: usize,
    /// Parts (or ranges) of one file in flight.
    #[arg(long, default_value_t = DEFAULT_PARALLEL, value_name = "N")]
    parallel: usize,
    /// Part size such as 8M or 512K (default 8 MiB; raised when a file needs more than 10,000 parts).
    #[arg(long, value_parser = parse_size, value_name = "SIZE")]
    part_size: Option<u64>,
    /// Files larger than this move in parts.
    #[arg(long, value_parser = parse_size, value_name = "SIZE", default_value = "100M")]
    multipart_threshold: u64,
    /// When the destination exists: fail, overwrite it, skip it, or write `name (1).ext`.
    #[arg(long, value_enum, ignore_case = true, default_value_t = ConflictArg::Fail)]
    on_conflict: ConflictArg,
    /// Server-side copies (oss:// to oss://): objects larger than this are copied in parts.
    #[arg(long, value_parser = parse_size, value_name = "SIZE", default_value = "1G")]
    copy_threshold: u64,
    /// Upload each part through its own presigned URL instead of signing each request.
    #[arg(long)]
    presigned_parts: bool,
    /// Download that version of the object (oss://BUCKET/KEY to a local file or folder).
    #[arg(long, value_name = "ID", conflicts_with = "recursive")]
    version_id: Option<String>,
    /// Folder for checkpoints (default: OSS Lite's data directory).
    #[arg(long, value_name = "DIR")]
    checkpoint_dir: Option<PathBuf>,
    #[command(flatten)]
    connection: ConnectionArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ConflictArg {
    Fail,
    Overwrite,
    Skip,
    Rename,
}

impl From<ConflictArg> for ConflictPolicy {
    fn from(arg: ConflictArg) -> Self {
        match arg {
            ConflictArg::Fail => ConflictPolicy::Fail,
            ConflictArg::Overwrite => ConflictPolicy::Overwrite,
            ConflictArg::Skip => ConflictPolicy::Skip,
            ConflictArg::Rename => ConflictPolicy::Rename,
        }
    }
}

/// What the two paths ask for.
#[derive(Debug)]
enum Plan {
    Upload(UploadRequest),
    Download(DownloadRequest),
}

fn plan(source: &str, destination: &str, recursive: bool) -> Result<Plan> {
    match (source.starts_with("oss://"), destination.starts_with("oss://")) {
        (false, true) => plan_upload(Path::new(source), &OssPath::parse(destination)?, recursive),
        (true, false) => plan_download(&OssPath::parse(source)?, destination, recursive),
        _ => Err(Error::invalid_input(
            "cp copies between a local path and oss://BUCKET/...: exactly one side must be an oss:// path",
        )),
    }
}

fn plan_upload(source: &Path, target: &OssPath, recursive: bool) -> Result<Plan> {
    let metadata = std::fs::metadata(source)
        .map_err(|err| Error::invalid_input(format!("cannot upload '{}': {err}", source.display())))?;
    let upload = if metadata.is_dir() {
        if !recursive {
            return Err(Error::invalid_input(format!("'{}' is a folder: add -r to upload it", source.display())));
        }
        UploadSource::Folder { path: source.to_path_buf(), prefix: paths::as_folder_prefix(&target.prefix) }
    } else {
        let key = if target.prefix.is_empty() || target.prefix.ends_with('/') {
            let name = source
                .file_name()
                .and_then(|name| name.to_str())
                .ok_or_else(|| Error::invalid_input(format!("'{}' has no usable file name", source.display())))?;
            format!("{}{name}", target.prefix)
        } else {
            target.prefix.clone()
        };
        UploadSource::File { path: source.to_path_buf(), key }
    };
    Ok(Plan::Upload(UploadRequest { bucket: target.bucket.clone(), sources: vec![upload] }))
}

fn plan_download(source: &OssPath, destination: &str, recursive: bool) -> Result<Plan> {
    let local = PathBuf::from(destination);
    let download = if recursive {
        let prefix = paths::as_folder_prefix(&source.prefix);
        DownloadSource::Prefix { prefix: prefix.clone(), strip: prefix, folder: local }
    } else {
        let key = source.object_key()?.to_owned();
        let into_folder =
            destination.ends_with('/') || destination.ends_with(std::path::MAIN_SEPARATOR) || local.is_dir();
        if into_folder {
            // The object's name, checked like any key written under a folder.
            let strip = key.rfind('/').map_or(String::new(), |slash| key[..=slash].to_owned());
            DownloadSource::Key { key, strip, folder: local }
        } else {
            DownloadSource::Object { key, path: local }
        }
    };
    Ok(Plan::Download(DownloadRequest { bucket: source.bucket.clone(), sources: vec![download] }))
}

pub async fn run(args: CpArgs) -> Result<()> {
    if let Some(version_id) = &args.version_id {
        if !args.source.starts_with("oss://") || args.destination.starts_with("oss://") {
            return Err(Error::invalid_input("--version-id downloads: cp --version-id ID oss://BUCKET/KEY LOCAL_PATH"));
        }
        let overwrite = args.on_conflict == ConflictArg::Overwrite;
        return crate::versions::download(&args.source, &args.destination, version_id, overwrite, &args.connection)
            .await;
    }
    if args.source.starts_with("oss://") && args.destination.starts_with("oss://") {
        let job = crate::manage::JobArgs {
            recursive: args.recursive,
            on_conflict: args.on_conflict,
            copy_threshold: args.copy_threshold,
            part_size: args.part_size,
            checkpoint_dir: args.checkpoint_dir,
            connection: args.connection,
            ..crate::manage::JobArgs::default()
        };
        return crate::manage::copy_or_move(&args.source, &args.destination, false, job).await;
    }
    let plan = plan(&args.source, &args.destination, args.recursive)?;
    let options = TransferOptions {
        part_size: args.part_size,
        multipart_threshold: args.multipart_threshold,
        parallel: args.parallel,
        on_conflict: args.on_conflict.into(),
        presigned_parts: args.presigned_parts,
        profile: args.connection.profile.clone(),
        ..TransferOptions::default()
    };
    if args.jobs == 0 {
        return Err(Error::invalid_input("--jobs must be at least 1"));
    }
    let checkpoints = match &args.checkpoint_dir {
        Some(dir) => CheckpointStore::new(dir),
        None => CheckpointStore::open_default()?,
    };
    let session = args.connection.open().await?;
    let _clock_note = ClockSkewNote::watch(&session.client);
    let manager = TransferManager::new(args.jobs, checkpoints);
    let display = Display::new(std::io::stderr().is_terminal());
    let ids = match plan {
        Plan::Upload(request) => manager.upload(&session.client, request, options, display.sink()).await?,
        Plan::Download(request) => manager.download(&session.client, request, options, display.sink()).await?,
    };
    if ids.is_empty() {
        say("nothing to copy".to_owned());
        return Ok(());
    }
    let results = tokio::select! {
        results = manager.wait_all(&ids) => results,
        () = crate::signals::stop_requested() => {
            manager.pause_all();
            for id in &ids {
                let _ = manager.wait_idle(*id).await;
            }
            display.clear();
            return Err(Error::new(
                ErrorKind::Cancelled,
                "interrupted; the checkpoints are saved: run the same command again to continue",
            ));
        }
    };
    display.clear();
    summarize(&results)
}

/// Ok when everything is done; else an error of kind `invalidInput` (exit code 2) when every
/// failure was refused input, of the first failure's kind otherwise.
fn summarize(results: &[TransferSnapshot]) -> Result<()> {
    let failed: Vec<_> = results.iter().filter(|s| s.state != TransferStatus::Done).collect();
    let skipped = results.iter().filter(|s| s.skipped).count();
    let bytes: u64 = results.iter().filter(|s| s.state == TransferStatus::Done && !s.skipped).map(|s| s.total).sum();
    if results.len() > 1 || skipped > 0 {
        say(format!(
            "{} copied ({}), {skipped} skipped, {} failed",
            results.len() - failed.len() - skipped,
            human_size(bytes),
            failed.len()
        ));
    }
    if failed.is_empty() {
        return Ok(());
    }
    if results.len() > 1 {
        for snapshot in &failed {
            let message = snapshot.error.as_ref().map_or("", |e| e.message.as_str());
            say(format!("failed: {} → {}: {message}", snapshot.source, snapshot.destination));
        }
    }
    let kind = if failed.iter().all(|s| s.error.as_ref().is_some_and(|e| e.kind == ErrorKind::InvalidInput)) {
        ErrorKind::InvalidInput
    } else {
        failed
            .iter()
            .filter_map(|s| s.error.as_ref())
            .map(|e| e.kind)
            .find(|k| *k != ErrorKind::InvalidInput)
            .unwrap_or(ErrorKind::Io)
    };
    if let [only] = results {
        let message = only.error.as_ref().map_or_else(|| format!("{:?}", only.state), |e| e.message.clone());
        return Err(Error::new(kind, message));
    }
    Err(Error::new(kind, format!("{} of {} transfers failed (see above)", failed.len(), results.len())))
}

/// Prints what the transfers report: bars on a terminal, lines otherwise.
pub(crate) struct Display {
    bars: Option<MultiProgress>,
    state: Arc<Mutex<Shown>>,
}

#[derive(Default)]
struct Shown {
    transfers: HashMap<u64, Transfer>,
    overall: Option<ProgressBar>,
    count: u64,
    ended: u64,
}

struct Transfer {
    label: String,
    name: String,
    bar: Option<ProgressBar>,
    last_line: Option<Instant>,
}

/// Plain mode prints a progress line per running transfer at most this often.
const LINE_EVERY: Duration = Duration::from_secs(5);

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{prefix:30!} {bar:28} {bytes:>10}/{total_bytes:<10} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

fn speed(bytes_per_sec: u64, eta_secs: Option<u64>) -> String {
    let eta = eta_secs.map(|s| format!(" ETA {}", eta(s))).unwrap_or_default();
    format!("{}/s{eta}", human_size(bytes_per_sec))
}

fn eta(secs: u64) -> String {
    match secs {
        0..=59 => format!("{secs}s"),
        60..=3599 => format!("{}m{:02}s", secs / 60, secs % 60),
        _ => format!("{}h{:02}m", secs / 3600, secs % 3600 / 60),
    }
}

impl Display {
    pub(crate) fn new(terminal: bool) -> Self {
        let bars = terminal.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr_with_hz(10)));
        Self { bars, state: Arc::default() }
    }

    pub(crate) fn sink(&self) -> EventSink {
        let bars = self.bars.clone();
        let state = self.state.clone();
        Arc::new(move |event| {
            let mut shown = state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            handle(&bars, &mut shown, event);
        })
    }

    pub(crate) fn clear(&self) {
        let shown = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for transfer in shown.transfers.values() {
            if let Some(bar) = &transfer.bar {
                bar.finish_and_clear();
            }
        }
        if let Some(overall) = &shown.overall {
            overall.finish_and_clear();
        }
    }
}

/// A line on stderr; a closed stderr (`cp … 2>&1 | head`) is no reason to stop copying.
pub(crate) fn say(line: String) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

fn print(bars: &Option<MultiProgress>, line: String) {
    match bars {
        Some(bars) => {
            let _ = bars.println(line);
        }
        None => say(line),
    }
}

fn short_name(text: &str) -> &str {
    text.trim_end_matches('/').rsplit(['/', std::path::MAIN_SEPARATOR]).next().unwrap_or(text)
}

fn state_name(state: TransferStatus) -> &'static str {
    match state {
        TransferStatus::Queued => "queued",
        TransferStatus::Running => "running",
        TransferStatus::Paused => "paused",
        TransferStatus::Verifying => "verifying",
        TransferStatus::Done => "done",
        TransferStatus::Failed => "failed",
        TransferStatus::Cancelled => "cancelled",
    }
}

fn handle(bars: &Option<MultiProgress>, shown: &mut Shown, event: TransferEvent) {
    match event {
        TransferEvent::Queued { transfer } => {
            shown.count += 1;
            if let (Some(bars), true) = (bars, shown.count == 2) {
                let overall = bars.insert(0, ProgressBar::new(0));
                overall.set_style(
                    ProgressStyle::with_template("{prefix:30!} {pos}/{len} files {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                overall.set_prefix("total");
                shown.overall = Some(overall);
            }
            if let Some(overall) = &shown.overall {
                overall.set_length(shown.count);
            }
            let label = format!("{} → {}", transfer.source, transfer.destination);
            let name = short_name(&transfer.source).to_owned();
            shown.transfers.insert(transfer.id, Transfer { label, name, bar: None, last_line: None });
        }
        TransferEvent::Progress { id, state, done, total, bytes_per_sec, eta_secs } => {
            let Some(transfer) = shown.transfers.get_mut(&id) else { return };
            match bars {
                Some(bars) => {
                    if transfer.bar.is_none() && state == TransferStatus::Running {
                        let bar = bars.add(ProgressBar::new(total));
                        bar.set_style(bar_style());
                        bar.set_prefix(transfer.name.clone());
                        transfer.bar = Some(bar);
                    }
                    if let Some(bar) = &transfer.bar {
                        bar.set_length(total);
                        bar.set_position(done);
                        bar.set_message(match state {
                            TransferStatus::Running => speed(bytes_per_sec, eta_secs),
                            other => state_name(other).to_owned(),
                        });
                    }
                }
                None => {
                    let due = transfer.last_line.is_none_or(|at| at.elapsed() >= LINE_EVERY);
                    if state != TransferStatus::Running || due {
                        transfer.last_line = Some(Instant::now());
                        let percent = (done * 100).checked_div(total).unwrap_or(0);
                        say(format!(
                            "{} {}: {percent}% {}/{} {}",
                            state_name(state),
                            transfer.label,
                            human_size(done),
                            human_size(total),
                            speed(bytes_per_sec, eta_secs)
                        ));
                    }
                }
            }
        }
        TransferEvent::Finished { id, destination, total, skipped, verification, .. } => {
            let Some(transfer) = end(shown, id) else { return };
            let what = if skipped { "skipped (exists)" } else { "done" };
            let shown_size = if skipped { String::new() } else { format!(" ({})", human_size(total)) };
            let unverified = if verification == Some(Verification::None) {
                " (not verified: the server sent no checksum)"
            } else {
                ""
            };
            let source = transfer.label.split(" → ").next().unwrap_or_default().to_owned();
            print(bars, format!("{what}: {source} → {destination}{shown_size}{unverified}"));
        }
        // Failures are listed once everything has ended (or returned as the error).
        TransferEvent::Failed { id, .. } => {
            end(shown, id);
        }
        TransferEvent::Cancelled { id, .. } => {
            if let Some(transfer) = end(shown, id) {
                print(bars, format!("cancelled: {}", transfer.label));
            }
        }
    }
}

fn end(shown: &mut Shown, id: u64) -> Option<Transfer> {
    let transfer = shown.transfers.remove(&id)?;
    if let Some(bar) = &transfer.bar {
        bar.finish_and_clear();
    }
    shown.ended += 1;
    if let Some(overall) = &shown.overall {
        overall.set_position(shown.ended);
    }
    Some(transfer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_decide_the_direction() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a b.txt");
        std::fs::write(&file, b"x").unwrap();
        let folder = dir.path().to_string_lossy().into_owned();

        let Plan::Upload(request) = plan(&file.to_string_lossy(), "oss://bucket/dir/", false).unwrap() else {
            panic!("an upload")
        };
        assert!(matches!(&request.sources[0], UploadSource::File { key, .. } if key == "dir/a b.txt"));
        let Plan::Upload(request) = plan(&file.to_string_lossy(), "oss://bucket/renamed.txt", false).unwrap() else {
            panic!("an upload")
        };
        assert!(matches!(&request.sources[0], UploadSource::File { key, .. } if key == "renamed.txt"));
        let err = plan(&folder, "oss://bucket/x/", false).unwrap_err();
        assert!(err.message().contains("-r"), "{err}");
        let Plan::Upload(request) = plan(&folder, "oss://bucket/x", true).unwrap() else { panic!("an upload") };
        assert!(matches!(&request.sources[0], UploadSource::Folder { prefix, .. } if prefix == "x/"));

        let Plan::Download(request) = plan("oss://bucket/p/k.bin", &folder, false).unwrap() else {
            panic!("a download")
        };
        assert!(matches!(&request.sources[0], DownloadSource::Key { strip, .. } if strip == "p/"));
        let Plan::Download(request) = plan("oss://bucket/p/k.bin", "out.bin", false).unwrap() else {
            panic!("a download")
        };
        assert!(matches!(&request.sources[0], DownloadSource::Object { path, .. } if path == Path::new("out.bin")));
        let Plan::Download(request) = plan("oss://bucket/p", &folder, true).unwrap() else { panic!("a download") };
        assert!(matches!(&request.sources[0], DownloadSource::Prefix { prefix, .. } if prefix == "p/"));

        for (source, destination) in [("a", "b"), ("oss://bucket/a", "oss://bucket/b")] {
            assert_eq!(plan(source, destination, false).unwrap_err().kind(), ErrorKind::InvalidInput);
        }
        assert_eq!(plan("oss://bucket/dir/", "x", false).unwrap_err().kind(), ErrorKind::InvalidInput);
        assert_eq!(plan("/no/such/file", "oss://bucket/", false).unwrap_err().kind(), ErrorKind::InvalidInput);
    }

    #[test]
    fn the_default_threshold_is_the_engines() {
        use clap::Parser;
        #[derive(Parser)]
        struct Wrapper {
            #[command(flatten)]
            args: CpArgs,
        }
        let parsed = Wrapper::try_parse_from(["cp", "a", "oss://b/"]).unwrap();
        assert_eq!(parsed.args.multipart_threshold, osslite_core::transfer::DEFAULT_MULTIPART_THRESHOLD);
        assert_eq!(parsed.args.on_conflict, ConflictArg::Fail);
    }

    #[test]
    fn times_read_like_a_clock() {
        assert_eq!(eta(5), "5s");
        assert_eq!(eta(125), "2m05s");
        assert_eq!(eta(7260), "2h01m");
        assert_eq!(short_name("oss://b/k/photo.jpg"), "photo.jpg");
        assert_eq!(short_name("oss://b/k/dir/"), "dir");
    }
}
