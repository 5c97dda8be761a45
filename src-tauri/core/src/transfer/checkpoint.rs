//! Checkpoints: one JSON file per transfer in `<data dir>/osslite/checkpoints/` (or a folder the
//! caller names), named by a hash of where the transfer reads and writes, so the same transfer
//! finds it again after a crash or a restart.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind, Result};
use crate::private_files;

/// Bumped when a checkpoint's meaning changes; older files are then ignored.
pub(crate) const VERSION: u32 = 1;
/// Saves after a finished part are spaced at least this far apart (a crash loses at most this
/// much bookkeeping; an upload also finds its parts again with ListParts).
const SAVE_INTERVAL: Duration = Duration::from_millis(200);

/// The default checkpoint folder: `checkpoints` in OSS Lite's data directory
/// (`$XDG_DATA_HOME/osslite/checkpoints` on Linux).
pub fn default_checkpoint_dir() -> Result<PathBuf> {
    Ok(crate::profiles::default_data_dir()?.join("checkpoints"))
}

/// Where checkpoints are kept.
#[derive(Debug, Clone)]
pub struct CheckpointStore {
    dir: PathBuf,
}

impl CheckpointStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    pub fn open_default() -> Result<Self> {
        Ok(Self::new(default_checkpoint_dir()?))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The checkpoint file of the transfer from `source` to `destination`.
    pub fn path_for(&self, direction: &str, source: &str, destination: &str) -> PathBuf {
        let mut hash = Sha256::new();
        for piece in [direction, source, destination] {
            hash.update((piece.len() as u64).to_le_bytes());
            hash.update(piece.as_bytes());
        }
        let digest = hash.finalize();
        self.dir.join(format!("{direction}-{}.json", hex::encode(&digest[..16])))
    }
}

/// A checkpoint's content, or `None` when there is none or it cannot be read (then it is removed:
/// the transfer starts over rather than trusting it).
pub(crate) fn load<T: DeserializeOwned>(path: &Path) -> Option<T> {
    let text = std::fs::read(path).ok()?;
    match serde_json::from_slice(&text) {
        Ok(value) => Some(value),
        Err(_) => {
            let _ = std::fs::remove_file(path);
            None
        }
    }
}

/// Writes a temporary file and renames it over the checkpoint, so a crash mid-write leaves the
/// previous version.
pub(crate) fn save<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let fail = |err: std::io::Error| {
        Error::new(ErrorKind::Io, format!("cannot write the checkpoint '{}': {err}", path.display()))
    };
    if let Some(dir) = path.parent() {
        private_files::create_private_dir(dir).map_err(fail)?;
    }
    let json = serde_json::to_vec_pretty(value)
        .map_err(|err| Error::new(ErrorKind::Io, format!("cannot encode the checkpoint: {err}")))?;
    let temporary = temporary_path(path);
    private_files::write_private(&temporary, &json).map_err(fail)?;
    std::fs::rename(&temporary, path).map_err(fail)
}

/// Where [`save`] writes before renaming; a process killed mid-save leaves it behind.
fn temporary_path(path: &Path) -> PathBuf {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    PathBuf::from(temporary)
}

/// Removes a checkpoint and what an interrupted save of it left.
pub(crate) fn remove(path: &Path) {
    let _ = std::fs::remove_file(path);
    remove_interrupted_save(path);
}

/// Removes the temporary file a process killed during [`save`] left beside `path`, if any.
pub(crate) fn remove_interrupted_save(path: &Path) {
    let _ = std::fs::remove_file(temporary_path(path));
}

/// A checkpoint being kept up to date: changes are saved at most every 200 ms, and whatever is
/// left unsaved when it is dropped (a pause, a cancelled future) is saved then.
pub(crate) struct Checkpointer<T: Serialize> {
    path: PathBuf,
    data: T,
    dirty: bool,
    last_save: Option<Instant>,
    live: bool,
    interval: Duration,
}

impl<T: Serialize> Checkpointer<T> {
    /// Starts tracking `data`, saving it at once.
    pub fn create(path: PathBuf, data: T) -> Result<Self> {
        let mut checkpointer = Self::resume(path, data);
        checkpointer.save_now()?;
        Ok(checkpointer)
    }

    /// Tracks `data` that came from the file already.
    pub fn resume(path: PathBuf, data: T) -> Self {
        Self { path, data, dirty: false, last_save: None, live: true, interval: SAVE_INTERVAL }
    }

    /// Spaces the saves of [`Checkpointer::save_soon`] this far apart instead of 200 ms.
    pub fn with_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn data(&self) -> &T {
        &self.data
    }

    /// Changes the data; it is saved by the next [`Checkpointer::save_soon`] or drop.
    pub fn update(&mut self, change: impl FnOnce(&mut T)) {
        change(&mut self.data);
        self.dirty = true;
    }

    pub fn save_now(&mut self) -> Result<()> {
        save(&self.path, &self.data)?;
        self.dirty = false;
        self.last_save = Some(Instant::now());
        Ok(())
    }

    /// Saves unless the last save was less than 200 ms ago.
    pub fn save_soon(&mut self) -> Result<()> {
        if self.dirty && self.last_save.is_none_or(|at| at.elapsed() >= self.interval) {
            self.save_now()?;
        }
        Ok(())
    }

    /// Deletes the file; nothing is saved afterwards.
    pub fn discard(mut self) {
        self.live = false;
        remove(&self.path);
    }
}

impl<T: Serialize> Drop for Checkpointer<T> {
    fn drop(&mut self) {
        if self.live && self.dirty {
            let _ = save(&self.path, &self.data);
        }
    }
}

/// A file's size and modification time, to tell whether it changed since a checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FileStamp {
    pub size: u64,
    /// Nanoseconds since the Unix epoch; 0 when the OS does not say.
    pub modified_ns: u64,
}

impl FileStamp {
    pub fn of(metadata: &std::fs::Metadata) -> Self {
        let modified_ns = metadata
            .modified()
            .ok()
            .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |since| u64::try_from(since.as_nanos()).unwrap_or(u64::MAX));
        Self { size: metadata.len(), modified_ns }
    }

    pub fn read(path: &Path) -> Result<Self> {
        let metadata = std::fs::metadata(path).map_err(|err| {
            let kind = if err.kind() == std::io::ErrorKind::NotFound { ErrorKind::InvalidInput } else { ErrorKind::Io };
            Error::new(kind, format!("cannot read '{}': {err}", path.display()))
        })?;
        if !metadata.is_file() {
            return Err(Error::invalid_input(format!("'{}' is not a file", path.display())));
        }
        Ok(Self::of(&metadata))
    }
}

/// One uploaded part as a checkpoint records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PartRecord {
    pub etag: String,
    pub crc64: u64,
    pub size: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UploadCheckpoint {
    pub version: u32,
    pub source: PathBuf,
    /// The profile that started it (see [`super::TransferOptions::profile`]).
    #[serde(default)]
    pub profile: Option<String>,
    pub endpoint: String,
    pub bucket: String,
    /// The key asked for; `target_key` is where it goes (another one after a rename).
    pub key: String,
    pub target_key: String,
    pub file: FileStamp,
    pub part_size: u64,
    pub upload_id: String,
    pub forbid_overwrite: bool,
    pub presigned: bool,
    pub parts: BTreeMap<u32, PartRecord>,
    pub created_at: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DownloadCheckpoint {
    pub version: u32,
    /// The profile that started it (see [`super::TransferOptions::profile`]).
    #[serde(default)]
    pub profile: Option<String>,
    pub endpoint: String,
    pub bucket: String,
    pub key: String,
    /// An old version of the object (`?versionId=`); none for the latest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    pub destination: PathBuf,
    /// The part file's name beside `destination` (unique per download, so a restart finds it).
    #[serde(default)]
    pub part_name: Option<String>,
    pub size: u64,
    pub etag: Option<String>,
    pub crc64: Option<u64>,
    pub range_size: u64,
    /// Finished ranges: index from 0 → the CRC-64 of its bytes.
    pub ranges: BTreeMap<u32, u64>,
    pub created_at: u64,
}

pub(crate) fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_depend_on_direction_source_and_destination() {
        let store = CheckpointStore::new("/cp");
        let a = store.path_for("upload", "/a", "oss://b/k");
        assert_eq!(a, store.path_for("upload", "/a", "oss://b/k"));
        assert_ne!(a, store.path_for("upload", "/a", "oss://b/k2"));
        assert_ne!(a, store.path_for("download", "/a", "oss://b/k"));
        assert_ne!(store.path_for("upload", "ab", "c"), store.path_for("upload", "a", "bc"));
        assert!(a.starts_with("/cp") && a.extension().is_some_and(|e| e == "json"));
    }

    #[test]
    fn removing_a_checkpoint_also_removes_what_a_killed_save_left() {
        let dir = tempfile::tempdir().unwrap();
        let store = CheckpointStore::new(dir.path());
        for (name, remove_it) in [
            ("download-a.json", Box::new(|path: &Path| remove(path)) as Box<dyn Fn(&Path)>),
            ("download-b.json", Box::new(|_: &Path| store.remove_named("download-b.json").unwrap())),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, b"{}").unwrap();
            std::fs::write(temporary_path(&path), b"{").unwrap();
            remove_it(&path);
            assert!(!path.exists() && !temporary_path(&path).exists(), "{name}");
        }
    }

    #[test]
    fn saves_are_atomic_spaced_and_flushed_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/cp.json");
        let mut checkpointer = Checkpointer::create(path.clone(), vec![1u32]).unwrap();
        assert_eq!(load::<Vec<u32>>(&path), Some(vec![1]));
        checkpointer.update(|data| data.push(2));
        checkpointer.save_soon().unwrap();
        assert_eq!(load::<Vec<u32>>(&path), Some(vec![1]), "too soon after the first save");
        drop(checkpointer);
        assert_eq!(load::<Vec<u32>>(&path), Some(vec![1, 2]), "flushed on drop");

        let checkpointer = Checkpointer::resume(path.clone(), vec![9u32]);
        checkpointer.discard();
        assert!(!path.exists());

        std::fs::write(&path, b"{not json").unwrap();
        assert_eq!(load::<Vec<u32>>(&path), None);
        assert!(!path.exists(), "a damaged checkpoint is removed");
    }

    #[cfg(unix)]
    #[test]
    fn checkpoints_are_owner_only_in_an_owner_only_folder() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("checkpoints");
        std::fs::create_dir(&folder).unwrap();
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = folder.join("cp.json");
        save(&path, &vec![1u32]).unwrap();
        assert_eq!(mode(&folder), 0o700);
        assert_eq!(mode(&path), 0o600);
    }
}
