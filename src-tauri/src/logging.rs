//! The app's log: one file a day in the OS log folder, kept 7 days, and the last warnings and
//! errors in memory for Settings' "Copy diagnostics".
//!
//! What is logged never holds a secret: spans name commands, profiles, buckets and keys; the
//! client logs a presigned URL's path, never its query (see `osslite_core::client`).

use std::collections::VecDeque;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use osslite_core::{Error, ErrorKind, Result};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_appender::rolling::{RollingFileAppender, RollingWriter, Rotation};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Our crates at info, everything else at warn. `RUST_LOG` replaces it.
pub const DEFAULT_FILTER: &str = "warn,osslite=info,osslite_app=info,osslite_core=info,osslite_sandbox=info";
/// Daily files kept; older ones are deleted when a new day's file starts.
const KEPT_FILES: usize = 7;
/// Warnings and errors kept for the diagnostics.
const RECENT_PROBLEMS: usize = 20;
const FILE_PREFIX: &str = "osslite";
const FILE_SUFFIX: &str = "log";

/// Where the app logs, and its latest problems. Cheap to clone.
#[derive(Clone, Default)]
pub struct Logs {
    /// None when logging could not start (the app runs on without a file).
    dir: Option<PathBuf>,
    recent: RecentProblems,
}

impl Logs {
    /// No file and no memory: the app before logging starts, and tests that do not log.
    pub fn off() -> Self {
        Self::default()
    }

    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The last warnings and errors, oldest first.
    pub fn recent_problems(&self) -> Vec<String> {
        self.recent.lines()
    }
}

/// The filter: `RUST_LOG` when set, else [`DEFAULT_FILTER`].
pub fn filter_from_env() -> String {
    std::env::var("RUST_LOG").ok().filter(|value| !value.trim().is_empty()).unwrap_or_else(|| DEFAULT_FILTER.to_owned())
}

/// The OS log folder, as Tauri's `app_log_dir()` names it: `~/.local/share/IDENTIFIER/logs` on
/// Linux (`$XDG_DATA_HOME`), `~/Library/Logs/IDENTIFIER` on macOS, `%LOCALAPPDATA%\IDENTIFIER\logs`
/// on Windows. Computed without the app so that logging starts before anything else.
pub fn os_log_dir(identifier: &str) -> Result<PathBuf> {
    let base = directories::BaseDirs::new().ok_or_else(|| {
        Error::new(ErrorKind::Io, "the home directory is unknown, so there is no log folder: set HOME")
    })?;
    Ok(if cfg!(target_os = "macos") {
        base.home_dir().join("Library/Logs").join(identifier)
    } else {
        base.data_local_dir().join(identifier).join("logs")
    })
}

/// Sends every event that passes `filter` (`EnvFilter` directives such as `info` or
/// `osslite_core=trace`) to a daily file in `dir`, and keeps the recent problems. Once per process.
pub fn start(dir: &Path, filter: &str) -> Result<Logs> {
    create_private_dir(dir)?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix(FILE_SUFFIX)
        .max_log_files(KEPT_FILES)
        .build(dir)
        .map_err(|err| Error::new(ErrorKind::Io, format!("cannot write logs in {}: {err}", dir.display())))?;
    let appender = OwnerOnly::new(appender, dir);
    let recent = RecentProblems::default();
    // Written as each event happens (not through a background thread): a log is small, and
    // nothing is lost when the app exits with `process::exit`.
    let file = tracing_subscriber::fmt::layer().with_writer(appender).with_ansi(false);
    tracing_subscriber::registry()
        .with(EnvFilter::new(filter))
        .with(file)
        .with(recent.clone())
        .try_init()
        .map_err(|err| Error::new(ErrorKind::Io, format!("logging was already started: {err}")))?;
    Ok(Logs { dir: Some(dir.to_owned()), recent })
}

/// The folder, readable by its owner only on Unix.
fn create_private_dir(dir: &Path) -> Result<()> {
    let failed = |err: std::io::Error| Error::new(ErrorKind::Io, format!("cannot create {}: {err}", dir.display()));
    std::fs::create_dir_all(dir).map_err(failed)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(failed)?;
    }
    Ok(())
}

/// The daily appender, narrowing each day's new file to its owner before the first line is
/// written to it: the appender creates it with the umask's mode when the UTC day changes.
struct OwnerOnly {
    appender: RollingFileAppender,
    dir: PathBuf,
    /// The UTC day whose file was last narrowed.
    day: AtomicU64,
}

impl OwnerOnly {
    fn new(appender: RollingFileAppender, dir: &Path) -> Self {
        restrict_files(dir);
        Self { appender, dir: dir.to_owned(), day: AtomicU64::new(utc_day()) }
    }
}

impl<'a> MakeWriter<'a> for OwnerOnly {
    type Writer = RollingWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        // Rolls over to the new day's file first, if it is due.
        let writer = self.appender.make_writer();
        let today = utc_day();
        if self.day.swap(today, Ordering::Relaxed) != today {
            restrict_files(&self.dir);
        }
        writer
    }
}

fn utc_day() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs() / 86_400)
}

/// The log files there: owner only.
fn restrict_files(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(FILE_PREFIX) {
                // Best effort: the folder is already private.
                let _ = std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o600));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// A tracing layer that keeps the last [`RECENT_PROBLEMS`] warnings and errors as one line each.
#[derive(Clone, Default)]
struct RecentProblems(Arc<Mutex<VecDeque<String>>>);

impl RecentProblems {
    fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).iter().cloned().collect()
    }

    fn push(&self, line: String) {
        let mut lines = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if lines.len() == RECENT_PROBLEMS {
            lines.pop_front();
        }
        lines.push_back(line);
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for RecentProblems {
    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let metadata = event.metadata();
        // ERROR < WARN < INFO: anything more verbose than a warning is not a problem.
        if *metadata.level() > Level::WARN {
            return;
        }
        let mut line = format!(
            "{} {} {}",
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            metadata.level(),
            metadata.target()
        );
        if let Some(scope) = ctx.event_scope(event) {
            let names: Vec<&str> = scope.from_root().map(|span| span.name()).collect();
            let _ = write!(line, " [{}]", names.join(":"));
        }
        let mut fields = FieldsInLine::default();
        event.record(&mut fields);
        line.push(':');
        if !fields.message.is_empty() {
            line.push(' ');
            line.push_str(&fields.message);
        }
        line.push_str(&fields.rest);
        self.push(line);
    }
}

/// An event as `message key=value …`.
#[derive(Default)]
struct FieldsInLine {
    message: String,
    /// ` key=value` for each other field.
    rest: String,
}

impl Visit for FieldsInLine {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.rest, " {}={value}", field.name());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.rest, " {}={value:?}", field.name());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_last_warnings_and_errors_are_kept_with_their_spans() {
        let recent = RecentProblems::default();
        let subscriber = tracing_subscriber::registry().with(recent.clone());
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!("an ordinary event");
            let span = tracing::info_span!("profile_save", profile = "work");
            let _entered = span.enter();
            for n in 0..RECENT_PROBLEMS + 3 {
                tracing::warn!(n, "slow answer");
            }
            tracing::error!(error = %"refused", "the save failed");
            tracing::warn!(status = 503);
        });
        let lines = recent.lines();
        assert_eq!(lines.len(), RECENT_PROBLEMS);
        assert!(lines[0].contains("WARN") && lines[0].ends_with("[profile_save]: slow answer n=5"), "{}", lines[0]);
        assert!(lines.iter().all(|line| !line.contains("ordinary")));
        let error = &lines[RECENT_PROBLEMS - 2];
        assert!(error.contains("ERROR") && error.ends_with(": the save failed error=refused"), "{error}");
        assert!(lines[RECENT_PROBLEMS - 1].ends_with("[profile_save]: status=503"), "{}", lines[RECENT_PROBLEMS - 1]);
    }

    #[test]
    fn the_log_folder_is_named_after_the_identifier() {
        let dir = os_log_dir("dev.osslite.desktop").unwrap();
        assert!(dir.ends_with(if cfg!(target_os = "macos") {
            "Logs/dev.osslite.desktop"
        } else {
            "dev.osslite.desktop/logs"
        }));
    }

    #[cfg(unix)]
    #[test]
    fn a_new_days_log_file_is_owner_only_before_its_first_line() {
        use std::io::Write as _;
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let appender = RollingFileAppender::builder()
            .rotation(Rotation::DAILY)
            .filename_prefix(FILE_PREFIX)
            .filename_suffix(FILE_SUFFIX)
            .build(dir.path())
            .unwrap();
        let owner_only = OwnerOnly::new(appender, dir.path());
        let file = std::fs::read_dir(dir.path()).unwrap().next().unwrap().unwrap().path();
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        // As if the appender had just begun a new day's file with the umask's mode.
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        owner_only.day.store(0, Ordering::Relaxed);
        owner_only.make_writer().write_all(b"a line\n").unwrap();
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
