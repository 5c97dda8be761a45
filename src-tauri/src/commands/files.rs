//! Local files around downloads: the default download folder, and opening a downloaded file or
//! its folder. The web view is untrusted, so only files this run downloaded can be opened.

use std::path::{Path, PathBuf};
use std::process::Command;

use osslite_core::download_folder::DownloadFolderSetting;
use osslite_core::transfer::{Direction, TransferStatus};
use osslite_core::{Error, ErrorKind, Result};
use tauri::{AppHandle, Manager, Runtime, State};

use super::transfers::TransferState;
use crate::chosen_paths::ChosenPaths;
use crate::error::CommandError;
use crate::state::AppState;

/// The folder downloads go to without a dialog; from now on allowed as a download folder.
#[derive(Debug, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DownloadFolder {
    path: PathBuf,
    /// The OS Downloads folder (nothing else was chosen).
    is_os_default: bool,
}

fn current_folder(state: &AppState, chosen: &ChosenPaths) -> Result<DownloadFolder> {
    let setting = DownloadFolderSetting::in_dir(&state.data_dir);
    let is_os_default = setting.chosen().is_none();
    let path = setting.current()?;
    chosen.remember([&path]);
    Ok(DownloadFolder { path, is_os_default })
}

/// The default download folder: the one chosen in Settings, else the OS Downloads folder.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub async fn download_folder(
    state: State<'_, AppState>,
    chosen: State<'_, ChosenPaths>,
) -> Result<DownloadFolder, CommandError> {
    Ok(current_folder(&state, &chosen)?)
}

/// Asks for a new default download folder in the OS dialog; `None` when cancelled.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub async fn download_folder_choose<R: Runtime>(app: AppHandle<R>) -> Result<Option<DownloadFolder>, CommandError> {
    let state = app.state::<AppState>();
    let setting = DownloadFolderSetting::in_dir(&state.data_dir);
    let start = setting.current().ok();
    let mut dialog = rfd::AsyncFileDialog::new().set_title("Default download folder");
    if let Some(start) = start {
        dialog = dialog.set_directory(start);
    }
    let Some(folder) = dialog.pick_folder().await else { return Ok(None) };
    setting.choose(folder.path())?;
    Ok(Some(current_folder(&state, &app.state::<ChosenPaths>())?))
}

/// Back to the OS Downloads folder.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub async fn download_folder_reset(
    state: State<'_, AppState>,
    chosen: State<'_, ChosenPaths>,
) -> Result<DownloadFolder, CommandError> {
    DownloadFolderSetting::in_dir(&state.data_dir).reset()?;
    Ok(current_folder(&state, &chosen)?)
}

/// Which of `names` (relative paths; a folder ends in '/') exist already in `folder`, a folder
/// chosen for downloads: asked before a download starts, as uploads ask about existing keys.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub async fn local_existing(
    chosen: State<'_, ChosenPaths>,
    folder: PathBuf,
    names: Vec<String>,
) -> Result<Vec<String>, CommandError> {
    chosen.check_download_folder(&folder)?;
    Ok(existing_names(&folder, names)?)
}

/// The names that exist under `folder`; a name that climbs out of it (`..`, absolute) is refused.
pub fn existing_names(folder: &Path, names: Vec<String>) -> Result<Vec<String>> {
    let mut existing = Vec::new();
    for name in names {
        let relative = Path::new(name.trim_end_matches('/'));
        let inside = relative.components().all(|part| matches!(part, std::path::Component::Normal(_)));
        if !inside || relative.as_os_str().is_empty() {
            return Err(Error::invalid_input(format!("'{name}' is not a name inside the download folder")));
        }
        if folder.join(relative).symlink_metadata().is_ok() {
            existing.push(name);
        }
    }
    Ok(existing)
}

/// Opens a downloaded file with the OS's default application.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub async fn path_open(transfers: State<'_, TransferState>, path: PathBuf) -> Result<(), CommandError> {
    let file = downloaded_file(&transfers, &path)?;
    Ok(launch(open_command(&file))?)
}

/// Shows a downloaded file in the OS file manager (its folder, with the file selected where the
/// OS can).
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub async fn path_reveal(transfers: State<'_, TransferState>, path: PathBuf) -> Result<(), CommandError> {
    let file = downloaded_file(&transfers, &path)?;
    Ok(launch(reveal_command(&file))?)
}

/// `path` if it is a file a download of this run wrote (finished, not skipped), resolved.
pub fn downloaded_file(transfers: &TransferState, path: &Path) -> Result<PathBuf> {
    let refused = || {
        Error::new(
            ErrorKind::PermissionDenied,
            format!("'{}' is not a file OSS Lite downloaded in this session, so it will not open it", path.display()),
        )
    };
    let real = path.canonicalize().map_err(|_| refused())?;
    let written = transfers.manager().list().into_iter().any(|t| {
        t.direction == Direction::Download
            && t.state == TransferStatus::Done
            && !t.skipped
            && Path::new(&t.destination).canonicalize().is_ok_and(|dest| dest == real)
    });
    if written && real.is_file() {
        Ok(real)
    } else {
        Err(refused())
    }
}

fn open_command(file: &Path) -> Command {
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        Command::new("explorer")
    } else {
        Command::new("xdg-open")
    };
    command.arg(file);
    command
}

fn reveal_command(file: &Path) -> Command {
    if cfg!(target_os = "macos") {
        let mut command = Command::new("open");
        command.arg("-R").arg(file);
        command
    } else if cfg!(windows) {
        let mut command = Command::new("explorer");
        command.arg(format!("/select,{}", file.display()));
        command
    } else {
        // xdg-open cannot select a file: it opens the folder that holds it.
        let mut command = Command::new("xdg-open");
        command.arg(file.parent().unwrap_or(file));
        command
    }
}

/// Starts the opener and does not wait for it (it may stay up as long as the opened app).
fn launch(mut command: Command) -> Result<()> {
    let program = command.get_program().to_string_lossy().into_owned();
    let child = command.spawn().map_err(|err| {
        Error::new(ErrorKind::Io, format!("could not start '{program}' to open the file: {err}")).with_source(err)
    })?;
    // Reaped off the command's thread, so no zombie is left behind.
    std::thread::spawn(move || {
        let mut child = child;
        let _ = child.wait();
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn existing_names_finds_files_and_folders_and_refuses_escapes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "a").unwrap();
        std::fs::create_dir(dir.path().join("docs")).unwrap();
        let names = vec!["a.txt".to_owned(), "b.txt".to_owned(), "docs/".to_owned()];
        assert_eq!(existing_names(dir.path(), names).unwrap(), ["a.txt", "docs/"]);
        assert!(existing_names(dir.path(), vec!["../a.txt".into()]).is_err());
        assert!(existing_names(dir.path(), vec!["/etc/passwd".into()]).is_err());
    }
}
