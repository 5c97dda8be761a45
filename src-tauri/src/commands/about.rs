//! The About dialog: this build (version, commit, date), the licences of what it bundles (listed
//! at build time by src-tauri/build/about.rs) and the project page.

use osslite_core::{Error, ErrorKind};

use crate::error::CommandError;

/// Where the project lives; `homepage` in Cargo.toml.
pub const PROJECT_PAGE: &str = env!("CARGO_PKG_HOMEPAGE");
const LICENSES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/licenses.json"));

#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BundledLicense {
    name: String,
    version: String,
    license: String,
    /// "crate" or "npm".
    kind: String,
}

#[derive(Debug, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AboutInfo {
    version: &'static str,
    commit: &'static str,
    /// YYYY-MM-DD, UTC.
    build_date: &'static str,
    project_page: &'static str,
    licenses: Vec<BundledLicense>,
}

pub fn about_info_now() -> Result<AboutInfo, Error> {
    let licenses = serde_json::from_str(LICENSES_JSON)
        .map_err(|err| Error::new(ErrorKind::Io, format!("the licence list built into the app is damaged: {err}")))?;
    Ok(AboutInfo {
        version: env!("CARGO_PKG_VERSION"),
        commit: env!("OSSLITE_COMMIT"),
        build_date: env!("OSSLITE_BUILD_DATE"),
        project_page: PROJECT_PAGE,
        licenses,
    })
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub async fn about_info() -> Result<AboutInfo, CommandError> {
    Ok(about_info_now()?)
}

/// Opens the project page in the default browser.
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub fn project_page_open() -> Result<(), CommandError> {
    Ok(super::diagnostics::open_with_os(std::ffi::OsStr::new(PROJECT_PAGE))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_lists_the_licences_of_what_it_bundles() {
        let info = about_info_now().unwrap();
        let find = |name: &str| info.licenses.iter().find(|l| l.name == name);
        let tauri = find("tauri").expect("tauri is listed");
        assert_eq!(tauri.kind, "crate");
        assert!(tauri.license.contains("MIT"), "{tauri:?}");
        assert_eq!(find("svelte").map(|l| l.kind.as_str()), Some("npm"));
        assert!(find("criterion").is_none(), "a dev-dependency is listed");
        assert!(find("osslite-core").is_none(), "our own crates are the app, not a dependency");
        assert_eq!(info.build_date.len(), 10);
    }
}
