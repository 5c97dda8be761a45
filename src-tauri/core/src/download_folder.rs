//! Where downloads go when the user does not pick a folder each time: the OS Downloads folder, or
//! a folder chosen once and kept in a one-line file of the app's data directory.

use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

const FILE_NAME: &str = "download-folder.txt";

/// The OS Downloads folder (`XDG_DOWNLOAD_DIR` on Linux), else `~/Downloads`.
pub fn os_download_dir() -> Result<PathBuf> {
    let dirs = directories::UserDirs::new().ok_or_else(|| {
        Error::new(ErrorKind::Io, "the home directory is unknown, so there is no Downloads folder: set HOME")
    })?;
    Ok(dirs.download_dir().map(Path::to_path_buf).unwrap_or_else(|| dirs.home_dir().join("Downloads")))
}

/// The download folder setting, stored in `data_dir`.
#[derive(Debug, Clone)]
pub struct DownloadFolderSetting {
    file: PathBuf,
}

impl DownloadFolderSetting {
    pub fn in_dir(data_dir: &Path) -> Self {
        Self { file: data_dir.join(FILE_NAME) }
    }

    /// The folder chosen earlier, if one was (and is still named in the file).
    pub fn chosen(&self) -> Option<PathBuf> {
        let text = std::fs::read_to_string(&self.file).ok()?;
        let line = text.lines().next()?.trim();
        (!line.is_empty()).then(|| PathBuf::from(line))
    }

    /// The chosen folder, or the OS Downloads folder; created if missing, so downloads can land.
    pub fn current(&self) -> Result<PathBuf> {
        let folder = match self.chosen() {
            Some(folder) => folder,
            None => os_download_dir()?,
        };
        std::fs::create_dir_all(&folder).map_err(|err| {
            Error::new(ErrorKind::Io, format!("cannot create the download folder '{}': {err}", folder.display()))
                .with_source(err)
        })?;
        Ok(folder)
    }

    /// Keeps `folder` for the next downloads and the next start.
    pub fn choose(&self, folder: &Path) -> Result<()> {
        let text = folder.to_str().ok_or_else(|| {
            Error::invalid_input(format!(
                "the folder '{}' has a name that is not UTF-8: choose another",
                folder.display()
            ))
        })?;
        if text.contains('\n') {
            return Err(Error::invalid_input("a download folder's name cannot hold a line break: choose another"));
        }
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir).map_err(|err| self.write_error(err))?;
        }
        std::fs::write(&self.file, format!("{text}\n")).map_err(|err| self.write_error(err))
    }

    /// Back to the OS Downloads folder.
    pub fn reset(&self) -> Result<()> {
        match std::fs::remove_file(&self.file) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(self.write_error(err)),
            _ => Ok(()),
        }
    }

    fn write_error(&self, err: std::io::Error) -> Error {
        Error::new(ErrorKind::Io, format!("cannot save the download folder in '{}': {err}", self.file.display()))
            .with_source(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chosen_folder_is_kept_until_reset() {
        let dir = tempfile::tempdir().unwrap();
        let setting = DownloadFolderSetting::in_dir(&dir.path().join("data"));
        assert_eq!(setting.chosen(), None);
        let folder = dir.path().join("my downloads");
        setting.choose(&folder).unwrap();
        assert_eq!(setting.chosen(), Some(folder.clone()));
        assert_eq!(setting.current().unwrap(), folder);
        assert!(folder.is_dir(), "the folder is created when used");
        setting.reset().unwrap();
        assert_eq!(setting.chosen(), None);
        setting.reset().unwrap();
    }

    #[test]
    fn a_folder_name_with_a_line_break_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let setting = DownloadFolderSetting::in_dir(dir.path());
        assert!(setting.choose(Path::new("/tmp/a\nb")).is_err());
        assert_eq!(setting.chosen(), None);
    }
}
