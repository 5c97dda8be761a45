//! The profiles file: `profiles.toml` in the OS config directory (`$XDG_CONFIG_HOME/osslite` on Linux).

use std::fs;
use std::path::{Path, PathBuf};

use super::{check_profile_name, Profile};
use crate::error::{Error, ErrorKind, Result};
use crate::private_files;

const FILE_NAME: &str = "profiles.toml";

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct ProfilesFile {
    #[serde(default, rename = "profile")]
    profiles: Vec<Profile>,
}

/// OSS Lite's config directory: `$XDG_CONFIG_HOME/osslite`, `~/Library/Application Support/dev.osslite.osslite`
/// or `%APPDATA%\osslite\osslite\config`.
pub fn default_config_dir() -> Result<PathBuf> {
    directories::ProjectDirs::from("dev", "osslite", "osslite").map(|dirs| dirs.config_dir().to_path_buf()).ok_or_else(
        || Error::new(ErrorKind::Io, "the home directory is unknown, so there is no config directory: set HOME"),
    )
}

/// OSS Lite's data directory (checkpoints, the demo sandbox): `$XDG_DATA_HOME/osslite` on Linux.
pub fn default_data_dir() -> Result<PathBuf> {
    directories::ProjectDirs::from("dev", "osslite", "osslite").map(|dirs| dirs.data_dir().to_path_buf()).ok_or_else(
        || Error::new(ErrorKind::Io, "the home directory is unknown, so there is no data directory: set HOME"),
    )
}

#[derive(Debug, Clone)]
pub struct ProfileStore {
    path: PathBuf,
}

impl ProfileStore {
    pub fn in_dir(dir: &Path) -> Self {
        Self { path: dir.join(FILE_NAME) }
    }

    pub fn open_default() -> Result<Self> {
        Ok(Self::in_dir(&default_config_dir()?))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn list(&self) -> Result<Vec<Profile>> {
        Ok(self.read()?.profiles)
    }

    pub fn get(&self, name: &str) -> Result<Profile> {
        self.read()?.profiles.into_iter().find(|p| p.name == name).ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!("there is no profile '{name}': `osslite-cli profile list` shows the profiles, `profile add` creates one"),
            )
        })
    }

    /// Adds the profile, or replaces the one with the same name.
    pub fn upsert(&self, profile: Profile) -> Result<()> {
        profile.validate()?;
        let mut file = self.read()?;
        match file.profiles.iter_mut().find(|p| p.name == profile.name) {
            Some(existing) => *existing = profile,
            None => file.profiles.push(profile),
        }
        self.write(&file)
    }

    /// Removes the profile; `false` when there was none.
    pub fn remove(&self, name: &str) -> Result<bool> {
        check_profile_name(name)?;
        let mut file = self.read()?;
        let before = file.profiles.len();
        file.profiles.retain(|p| p.name != name);
        if file.profiles.len() == before {
            return Ok(false);
        }
        self.write(&file)?;
        Ok(true)
    }

    fn read(&self) -> Result<ProfilesFile> {
        let text = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(ProfilesFile::default()),
            Err(err) => return Err(io_error("read", &self.path, err)),
        };
        toml::from_str(&text).map_err(|err| {
            Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "the profiles file {} is not valid ({}): fix it in an editor, or move it away to start afresh",
                    self.path.display(),
                    err.message()
                ),
            )
        })
    }

    fn write(&self, file: &ProfilesFile) -> Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        private_files::create_private_dir(dir).map_err(|err| io_error("create", dir, err))?;
        let text = toml::to_string_pretty(file)
            .map_err(|err| Error::invalid_input(format!("the profiles could not be written as TOML: {err}")))?;
        let temp_path = self.path.with_extension("toml.tmp");
        private_files::write_private(&temp_path, text.as_bytes()).map_err(|err| io_error("write", &temp_path, err))?;
        fs::rename(&temp_path, &self.path).map_err(|err| io_error("replace", &self.path, err))
    }
}

fn io_error(action: &str, path: &Path, err: std::io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("could not {action} {}: {err}", path.display())).with_source(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_round_trip_and_replace_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::in_dir(&dir.path().join("nested"));
        assert!(store.list().unwrap().is_empty());
        let mut work = Profile::new("work", "cn-hangzhou").unwrap();
        work.preset_path = Some("oss://bucket/team/".into());
        store.upsert(work.clone()).unwrap();
        store.upsert(Profile::new("home", "cn-beijing").unwrap()).unwrap();
        work.region = "cn-shanghai".into();
        store.upsert(work.clone()).unwrap();
        let names: Vec<String> = store.list().unwrap().into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["work", "home"]);
        assert_eq!(store.get("work").unwrap(), work);
        assert!(store.remove("home").unwrap());
        assert!(!store.remove("home").unwrap());
        assert_eq!(store.get("home").unwrap_err().kind(), ErrorKind::NotFound);
    }

    #[test]
    fn a_broken_file_is_reported_with_its_path_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::in_dir(dir.path());
        fs::write(store.path(), "[[profile]\nname = ").unwrap();
        let err = store.upsert(Profile::new("x", "cn-hangzhou").unwrap()).unwrap_err();
        assert!(err.message().contains("profiles.toml"), "{err}");
        assert_eq!(fs::read_to_string(store.path()).unwrap(), "[[profile]\nname = ");
    }

    #[cfg(unix)]
    #[test]
    fn the_profiles_file_is_owner_only_in_an_owner_only_folder() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("osslite");
        fs::create_dir(&folder).unwrap();
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
        let store = ProfileStore::in_dir(&folder);
        store.upsert(Profile::new("work", "cn-hangzhou").unwrap()).unwrap();
        assert_eq!(mode(&folder), 0o700);
        assert_eq!(mode(store.path()), 0o600);
    }
}
