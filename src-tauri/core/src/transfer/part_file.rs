//! Where a download writes before its final rename, and the checks that keep it inside the folder
//! the user chose: the part file is created new under a unique hidden name (never through a
//! symbolic link, never an existing file), written at offsets through one handle, and every
//! folder between the chosen one and the destination must be a real folder, not a planted link.

use std::fs::{File, OpenOptions};
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

const SUFFIX: &str = ".osslite-part";
/// `.` + name + `.` + 16 hex digits + the suffix must fit in one file name.
const MAX_STEM_BYTES: usize = super::paths::MAX_NAME_BYTES - 1 - 1 - 16 - SUFFIX.len();

fn io_error(path: &Path, action: &str, err: std::io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("cannot {action} '{}': {err}", path.display()))
}

fn link_error(path: &Path) -> Error {
    Error::new(
        ErrorKind::Io,
        format!(
            "'{}' is a symbolic link or not a folder; refusing to write through it outside the chosen folder",
            path.display()
        ),
    )
}

/// Options that never follow a symbolic link at the last component (`O_NOFOLLOW` on Unix).
fn no_follow() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true).read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options
}

/// Whether `name` is one [`create`] could have made (a plain hidden file name, no separators).
pub(crate) fn is_part_name(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(SUFFIX) && !name.contains(['/', '\\']) && name != SUFFIX
}

/// A new, empty part file beside `destination`: `.NAME.<random>.osslite-part`, created with
/// `O_CREAT | O_EXCL` (so neither an existing file nor a link planted there is opened).
pub(crate) fn create(destination: &Path) -> Result<(String, File)> {
    let folder = destination.parent().unwrap_or(Path::new("."));
    let name = destination.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let mut end = name.len().min(MAX_STEM_BYTES);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let stem = &name[..end];
    let mut last_error = None;
    for _ in 0..16 {
        let part_name = format!(".{stem}.{:016x}{SUFFIX}", rand::random::<u64>());
        let path = folder.join(&part_name);
        match no_follow().create_new(true).open(&path) {
            Ok(file) => return Ok((part_name, file)),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => last_error = Some(err),
            Err(err) => return Err(io_error(&path, "create", err)),
        }
    }
    let err = last_error.unwrap_or_else(|| std::io::ErrorKind::AlreadyExists.into());
    Err(io_error(folder, "create a part file in", err))
}

/// The part file `part_name` beside `destination` as a checkpoint recorded it, when it is still
/// a regular file of `size` bytes (a link planted in its place is not opened).
pub(crate) fn reopen(destination: &Path, part_name: &str, size: u64) -> Option<File> {
    if !is_part_name(part_name) {
        return None;
    }
    let path = destination.parent()?.join(part_name);
    let file = no_follow().open(path).ok()?;
    let metadata = file.metadata().ok()?;
    (metadata.is_file() && metadata.len() == size).then_some(file)
}

/// The part file's path, for messages and clean-up.
pub(crate) fn path_of(destination: &Path, part_name: &str) -> PathBuf {
    destination.parent().unwrap_or(Path::new(".")).join(part_name)
}

/// Writes all of `bytes` at `offset`, without moving a shared position (ranges write in parallel
/// through the same handle).
pub(crate) fn write_all_at(file: &File, bytes: &[u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
    }
    #[cfg(windows)]
    {
        let (mut written, mut bytes) = (0u64, bytes);
        while !bytes.is_empty() {
            match std::os::windows::fs::FileExt::seek_write(file, bytes, offset + written) {
                Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
                Ok(n) => {
                    written += n as u64;
                    bytes = &bytes[n..];
                }
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
        Ok(())
    }
}

/// Creates the folders from `root` (the folder the user chose) down to `folder`, refusing any
/// that exists as a symbolic link or a file: a key must not lead the download outside `root`.
pub(crate) fn make_folders(root: &Path, folder: &Path) -> Result<()> {
    std::fs::create_dir_all(root).map_err(|err| io_error(root, "create the folder", err))?;
    walk_below(root, folder, true)
}

/// Checks again, right before the final rename, that no folder below `root` was swapped for a
/// symbolic link since the download started.
pub(crate) fn check_folders(root: &Path, folder: &Path) -> Result<()> {
    walk_below(root, folder, false)
}

fn walk_below(root: &Path, folder: &Path, create: bool) -> Result<()> {
    let below = folder
        .strip_prefix(root)
        .map_err(|_| Error::new(ErrorKind::Io, format!("'{}' is not inside '{}'", folder.display(), root.display())))?;
    let mut path = root.to_path_buf();
    for component in below.components() {
        let Component::Normal(name) = component else { return Err(link_error(folder)) };
        path.push(name);
        match std::fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.is_dir() => {}
            Ok(_) => return Err(link_error(&path)),
            Err(err) if create && err.kind() == std::io::ErrorKind::NotFound => match std::fs::create_dir(&path) {
                Ok(()) => {}
                // Made meanwhile (another transfer into the same folder): check it is a folder.
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                    if !std::fs::symlink_metadata(&path).is_ok_and(|metadata| metadata.is_dir()) {
                        return Err(link_error(&path));
                    }
                }
                Err(err) => return Err(io_error(&path, "create the folder", err)),
            },
            Err(err) => return Err(io_error(&path, "read", err)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_names_are_unique_hidden_and_fit_a_file_name() {
        let dir = tempfile::tempdir().unwrap();
        let destination = dir.path().join("x");
        let (first, _) = create(&destination).unwrap();
        let (second, _) = create(&destination).unwrap();
        assert_ne!(first, second);
        assert!(first.starts_with(".x.") && is_part_name(&first), "{first}");
        let long = dir.path().join("é".repeat(127));
        let (name, _) = create(&long).unwrap();
        assert!(name.len() <= super::super::paths::MAX_NAME_BYTES, "{}", name.len());
        assert!(!is_part_name("../.x.osslite-part") && !is_part_name("x.osslite-part"));
    }

    #[test]
    fn reopening_checks_the_size_and_the_name() {
        let dir = tempfile::tempdir().unwrap();
        let destination = dir.path().join("x");
        let (name, file) = create(&destination).unwrap();
        file.set_len(10).unwrap();
        assert!(reopen(&destination, &name, 10).is_some());
        assert!(reopen(&destination, &name, 11).is_none());
        assert!(reopen(&destination, "x", 10).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn folders_below_the_root_must_not_be_links() {
        let dir = tempfile::tempdir().unwrap();
        let (root, outside) = (dir.path().join("root"), dir.path().join("outside"));
        std::fs::create_dir_all(&outside).unwrap();
        make_folders(&root, &root.join("a/b")).unwrap();
        assert!(root.join("a/b").is_dir());
        std::os::unix::fs::symlink(&outside, root.join("a/link")).unwrap();
        let err = make_folders(&root, &root.join("a/link/c")).unwrap_err();
        assert!(err.message().contains("symbolic link"), "{err}");
        assert!(!outside.join("c").exists());
        assert!(check_folders(&root, &root.join("a/link")).is_err());
        assert!(check_folders(&root, &root.join("a/b")).is_ok());
    }
}
