//! Tauri commands: parse, call the core, map the error. Nothing here that the CLI could need.

pub mod about;
pub mod address;
pub mod browse;
mod demo_content;
pub mod diagnostics;
pub mod export;
pub mod files;
pub mod manage;
pub mod preview;
pub mod preview_http;
pub mod profile_draft;
pub mod profiles;
pub mod search;
pub mod session;
pub mod share;
pub mod transfers;
pub mod versions;

use osslite_core::share::{DESKTOP_MAX_EXPIRES_SECS, DESKTOP_MIN_EXPIRES_SECS};
use osslite_core::sign::{MAX_EXPIRES_SECS, MIN_EXPIRES_SECS};

use crate::error::CommandError;

/// `#[serde(default = "super::yes")]`: a flag the UI may leave out, on by default (HTTPS).
fn yes() -> bool {
    true
}

#[derive(Debug, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    name: &'static str,
    version: &'static str,
    validity: ValidityLimits,
    /// A debug build keeps the web inspector (Shift+right-click); a release build has none.
    debug_build: bool,
}

#[derive(Debug, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ValidityLimits {
    core_min: u64,
    core_max: u64,
    desktop_min: u64,
    desktop_max: u64,
}

/// What the UI shows about the app itself and the limits it must respect.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub fn app_info() -> Result<AppInfo, CommandError> {
    Ok(AppInfo {
        name: "OSS Lite",
        version: env!("CARGO_PKG_VERSION"),
        validity: ValidityLimits {
            core_min: MIN_EXPIRES_SECS,
            core_max: MAX_EXPIRES_SECS,
            desktop_min: DESKTOP_MIN_EXPIRES_SECS,
            desktop_max: DESKTOP_MAX_EXPIRES_SECS,
        },
        debug_build: cfg!(debug_assertions),
    })
}
