//! Settings' "Open log folder" and "Copy diagnostics". Neither takes a path or text from the web
//! view, and the diagnostics hold no key: a profile is its name, region, endpoint and addressing.

use std::fmt::Write as _;
use std::path::Path;

use osslite_core::profiles::Profile;
use osslite_core::{Error, ErrorKind, Result};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// Opens the log folder in the OS file manager; returns the folder.
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub fn log_folder_open(state: State<'_, AppState>) -> Result<String, CommandError> {
    let dir = state.logs.dir().ok_or_else(|| Error::new(ErrorKind::NotFound, "logging is off in this run"))?;
    open_in_file_manager(dir)?;
    Ok(dir.display().to_string())
}

/// Copies the diagnostics to the clipboard; returns what was copied.
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub fn diagnostics_copy(state: State<'_, AppState>) -> Result<String, CommandError> {
    let text = diagnostics_text(&state)?;
    super::share::write_clipboard(&state, text.clone())?;
    Ok(text)
}

/// What "Copy diagnostics" copies, for this machine, the saved profiles and the recent problems.
pub fn diagnostics_text(state: &AppState) -> Result<String> {
    Ok(report(&Environment::current(), &state.profiles.list()?, &state.logs.recent_problems()))
}

fn open_in_file_manager(dir: &Path) -> Result<()> {
    open_with_os(dir.as_os_str())
}

/// Opens a folder or a URL with the OS's default handler.
pub(super) fn open_with_os(target: &std::ffi::OsStr) -> Result<()> {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    // Not waited for: the file manager may stay in the foreground as long as the user likes.
    std::process::Command::new(program).arg(target).spawn().map(drop).map_err(|err| {
        Error::new(ErrorKind::Io, format!("could not run {program} to open {}: {err}", target.to_string_lossy()))
    })
}

/// What the report says about the machine.
struct Environment {
    app_version: &'static str,
    os: String,
    webview: String,
}

impl Environment {
    fn current() -> Self {
        Self {
            app_version: env!("CARGO_PKG_VERSION"),
            os: os_description(),
            webview: tauri::webview_version().unwrap_or_else(|_| "unknown".to_owned()),
        }
    }
}

/// `linux x86_64 (Debian GNU/Linux 13 (trixie))`: the distribution where the OS names it.
fn os_description() -> String {
    let base = format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
    let pretty = std::fs::read_to_string("/etc/os-release").ok().and_then(|text| {
        text.lines().find_map(|line| line.strip_prefix("PRETTY_NAME=")).map(|name| name.trim_matches('"').to_owned())
    });
    match pretty {
        Some(name) if cfg!(target_os = "linux") => format!("{base} ({name})"),
        _ => base,
    }
}

/// The text copied: plain lines a user can paste into an issue.
fn report(environment: &Environment, profiles: &[Profile], recent_problems: &[String]) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "OSS Lite {}", environment.app_version);
    let _ = writeln!(text, "OS: {}", environment.os);
    let _ = writeln!(text, "WebView: {}", environment.webview);
    let _ = writeln!(text, "\nProfiles ({}):", profiles.len());
    for profile in profiles {
        let endpoint = profile.endpoint.as_deref().unwrap_or("(the region's)");
        let _ = writeln!(
            text,
            "- {}: region {}, endpoint {endpoint}, addressing {:?}, https {}",
            profile.name, profile.region, profile.addressing, profile.https
        );
    }
    let _ = writeln!(text, "\nRecent warnings and errors ({}):", recent_problems.len());
    for line in recent_problems {
        let _ = writeln!(text, "{line}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_names_versions_and_profile_settings_but_no_keys() {
        let environment =
            Environment { app_version: "9.8.7", os: "linux x86_64".to_owned(), webview: "2.50.1".to_owned() };
        let mut profile = Profile::new("work", "cn-hangzhou").unwrap();
        profile.endpoint = Some("http://127.0.0.1:9000".to_owned());
        profile.access_key_hint = "*************4321".to_owned();
        profile.uses_sts = true;
        let problems = ["2026-12-04T10:00:00Z WARN osslite_core: retrying attempt=1".to_owned()];
        let text = report(&environment, &[profile], &problems);
        assert!(text.starts_with("OSS Lite 9.8.7\nOS: linux x86_64\nWebView: 2.50.1\n"), "{text}");
        assert!(
            text.contains("- work: region cn-hangzhou, endpoint http://127.0.0.1:9000, addressing Virtual, https true")
        );
        assert!(text.ends_with(
            "Recent warnings and errors (1):\n2026-12-04T10:00:00Z WARN osslite_core: retrying attempt=1\n"
        ));
        assert!(!text.contains("4321"), "not even the masked key id: {text}");
    }
}
