//! The local files and folders the user chose, in a native dialog or by dropping them on the window:
//! the only paths the web view may upload from or download into. A compromised page can then reach
//! no file the user did not hand it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use osslite_core::{Error, ErrorKind, Result};
use tauri::{DragDropEvent, Manager, Runtime};

/// One chosen path, resolved (symlinks and `..` gone) when it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Chosen {
    path: PathBuf,
    is_folder: bool,
}

/// What the user chose during this run; filled by `pick_files`, `pick_folder` and the drop handler.
#[derive(Debug, Default)]
pub struct ChosenPaths {
    chosen: Mutex<Vec<Chosen>>,
}

impl ChosenPaths {
    /// Records paths the user chose. Paths that do not exist (nothing to resolve) are skipped.
    pub fn remember<P: AsRef<Path>>(&self, paths: impl IntoIterator<Item = P>) {
        let mut chosen = self.chosen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for path in paths {
            let Ok(metadata) = std::fs::metadata(path.as_ref()) else { continue };
            let Ok(path) = path.as_ref().canonicalize() else { continue };
            let entry = Chosen { path, is_folder: metadata.is_dir() };
            if !chosen.contains(&entry) {
                chosen.push(entry);
            }
        }
    }

    /// A file or folder to upload: one the user chose, or anything inside a chosen folder.
    pub fn check_upload_source(&self, path: &Path) -> Result<()> {
        let allowed = resolve(path).is_some_and(|real| {
            self.snapshot().iter().any(|c| real == c.path || (c.is_folder && real.starts_with(&c.path)))
        });
        if allowed {
            Ok(())
        } else {
            Err(not_chosen(format!(
                "'{}' was not chosen for upload: choose it in the Upload dialog or drop it on the window",
                path.display()
            )))
        }
    }

    /// A folder to download into: a chosen folder or one inside it (it may not exist yet).
    pub fn check_download_folder(&self, folder: &Path) -> Result<()> {
        let allowed = resolve(folder)
            .is_some_and(|real| self.snapshot().iter().any(|c| c.is_folder && real.starts_with(&c.path)));
        if allowed {
            Ok(())
        } else {
            Err(not_chosen(format!(
                "the folder '{}' was not chosen for downloads: choose it in the Download dialog",
                folder.display()
            )))
        }
    }

    fn snapshot(&self) -> Vec<Chosen> {
        self.chosen.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }
}

/// Manages the app's `ChosenPaths` and fills it with what is dropped on a window or a webview.
pub fn register<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .manage(ChosenPaths::default())
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(drop) = event {
                remember_dropped(window, drop);
            }
        })
        .on_webview_event(|webview, event| {
            if let tauri::WebviewEvent::DragDrop(drop) = event {
                remember_dropped(webview, drop);
            }
        })
}

/// Records the paths of a drop on the window. Registered as a window and webview event listener,
/// it runs on the main thread right after Tauri queues the event for the page, so before the
/// page's upload request (which reaches Rust through the same main loop) can be handled.
pub fn remember_dropped<R: Runtime>(app: &impl Manager<R>, event: &DragDropEvent) {
    if let DragDropEvent::Drop { paths, .. } = event {
        if let Some(chosen) = app.try_state::<ChosenPaths>() {
            chosen.remember(paths);
        }
    }
}

fn not_chosen(message: String) -> Error {
    Error::new(ErrorKind::PermissionDenied, message)
}

/// `path` made absolute with symlinks and `..` resolved. A tail that does not exist yet (a download
/// folder to create) is kept as written, but only as plain names, so it cannot climb out. `None`
/// for relative paths: the dialogs and drops only give absolute ones.
fn resolve(path: &Path) -> Option<PathBuf> {
    if !path.is_absolute() {
        return None;
    }
    let mut missing = Vec::new();
    let mut existing = path;
    loop {
        if let Ok(real) = existing.canonicalize() {
            return Some(missing.iter().rev().fold(real, |real, name| real.join(name)));
        }
        // `file_name` is None for a path ending in `..`: refused rather than guessed.
        missing.push(existing.file_name()?);
        existing = existing.parent()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("chosen");
        std::fs::create_dir_all(folder.join("sub")).unwrap();
        std::fs::write(folder.join("sub/a.txt"), b"a").unwrap();
        let outside = dir.path().join("secret.txt");
        std::fs::write(&outside, b"s").unwrap();
        (dir, folder, outside)
    }

    #[test]
    fn nothing_is_allowed_before_the_user_chooses() {
        let (_dir, folder, outside) = fixture();
        let chosen = ChosenPaths::default();
        let err = chosen.check_upload_source(&outside).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::PermissionDenied);
        assert!(err.message().contains(&outside.display().to_string()), "{}", err.message());
        assert!(err.message().contains("drop it on the window"), "{}", err.message());
        assert_eq!(chosen.check_download_folder(&folder).unwrap_err().kind(), ErrorKind::PermissionDenied);
    }

    #[test]
    fn a_chosen_folder_allows_what_lies_inside_it_and_nothing_beside_it() {
        let (_dir, folder, outside) = fixture();
        let chosen = ChosenPaths::default();
        chosen.remember([&folder]);
        chosen.check_upload_source(&folder).unwrap();
        chosen.check_upload_source(&folder.join("sub/a.txt")).unwrap();
        chosen.check_download_folder(&folder.join("sub")).unwrap();
        chosen.check_download_folder(&folder.join("new/deeper")).expect("a folder to create inside a chosen one");

        assert!(chosen.check_upload_source(&outside).is_err());
        assert!(chosen.check_upload_source(&folder.join("../secret.txt")).is_err(), "`..` climbs out");
        assert!(chosen.check_download_folder(&folder.join("sub/..")).is_ok(), "resolves to the chosen folder");
        assert!(chosen.check_download_folder(&folder.join("..")).is_err());
        assert!(chosen.check_download_folder(&folder.join("missing/..")).is_err(), "a missing name then `..`");
        assert!(chosen.check_upload_source(Path::new("chosen/sub/a.txt")).is_err(), "relative");
        // A sibling whose name merely starts with the chosen folder's.
        let sibling = folder.with_file_name("chosen-not");
        std::fs::create_dir(&sibling).unwrap();
        assert!(chosen.check_download_folder(&sibling).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_inside_a_chosen_folder_cannot_lead_out_of_it() {
        let (dir, folder, outside) = fixture();
        std::os::unix::fs::symlink(&outside, folder.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), folder.join("up")).unwrap();
        let chosen = ChosenPaths::default();
        chosen.remember([&folder]);
        assert!(chosen.check_upload_source(&folder.join("link.txt")).is_err());
        assert!(chosen.check_download_folder(&folder.join("up")).is_err());
        assert!(chosen.check_download_folder(&folder.join("up/new")).is_err());
    }

    #[test]
    fn a_chosen_file_is_no_folder() {
        let (_dir, folder, _outside) = fixture();
        let file = folder.join("sub/a.txt");
        let chosen = ChosenPaths::default();
        chosen.remember([&file]);
        chosen.check_upload_source(&file).unwrap();
        assert!(chosen.check_upload_source(&folder.join("sub")).is_err());
        assert!(chosen.check_download_folder(&file).is_err());
        assert!(chosen.check_download_folder(&file.join("inside")).is_err());
    }

    #[test]
    fn only_a_drop_records_paths() {
        let (_dir, folder, _outside) = fixture();
        let app = tauri::test::mock_builder()
            .manage(ChosenPaths::default())
            .build(tauri::test::mock_context(tauri::test::noop_assets()))
            .unwrap();
        let position = tauri::PhysicalPosition::new(0.0, 0.0);
        remember_dropped(&app, &DragDropEvent::Enter { paths: vec![folder.clone()], position });
        assert!(app.state::<ChosenPaths>().check_upload_source(&folder).is_err(), "dragged over, not dropped");
        remember_dropped(&app, &DragDropEvent::Drop { paths: vec![folder.clone()], position });
        app.state::<ChosenPaths>().check_upload_source(&folder).unwrap();
    }
}
