//! Between object keys and local paths: which keys may be written under a folder, the key of a
//! file in an uploaded folder (`/` separators on every OS), and `name (1).ext` for renames.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

/// Which names a download may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NameRules {
    /// What can escape the target folder is refused everywhere (`..`, absolute paths, drive
    /// letters, `\`); the names Windows forbids are refused on Windows.
    #[default]
    Native,
    /// Also refuse, on every OS, what Windows forbids (`CON`, `aux.txt`, `a:b`, `what?`, a
    /// trailing dot or space), so that a folder can be copied to Windows later.
    Portable,
}

const WINDOWS_RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2",
    "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// The longest file or folder name most file systems hold (ext4, APFS, NTFS), in bytes.
pub const MAX_NAME_BYTES: usize = 255;

fn refuse(key: &str, why: &str) -> Error {
    Error::new(ErrorKind::InvalidInput, format!("refusing to download '{}': {why}", escape_controls(key)))
}

/// `text` with control characters written as escapes (`\n`, `\t`, `\r`, `\x1b`), so that a key
/// printed to a terminal cannot move the cursor, recolour it or hide what follows.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// The path under `folder` that `relative` (a key, or the part of a key under the downloaded
/// prefix) maps to, or an error when that would leave `folder` or use a name the OS cannot hold.
/// A trailing `/` (a "directory" object) gives the directory itself.
pub fn local_path_for(folder: &Path, relative: &str, key: &str, rules: NameRules) -> Result<PathBuf> {
    let portable = rules == NameRules::Portable || cfg!(windows);
    if relative.is_empty() || relative == "/" {
        return Err(refuse(key, "it names the target folder itself"));
    }
    if relative.starts_with('/') {
        return Err(refuse(key, "it is an absolute path"));
    }
    if relative.contains('\\') {
        return Err(refuse(key, "'\\' is a path separator on Windows and could lead outside the target folder"));
    }
    if relative.contains('\0') {
        return Err(refuse(key, "it holds a NUL character"));
    }
    if let Some(bad) = relative.chars().find(|c| matches!(c, '\u{1}'..='\u{1f}' | '\u{7f}')) {
        return Err(refuse(key, &format!("it holds the control character {}", escape_controls(&bad.to_string()))));
    }
    let bytes = relative.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Err(refuse(key, "it starts with a drive letter"));
    }
    let mut path = folder.to_path_buf();
    let trimmed = relative.strip_suffix('/').unwrap_or(relative);
    for segment in trimmed.split('/') {
        match segment {
            "" => return Err(refuse(key, "it holds an empty path segment ('//')")),
            "." | ".." => return Err(refuse(key, &format!("'{segment}' would lead outside the target folder"))),
            _ => {}
        }
        if segment.len() > MAX_NAME_BYTES {
            return Err(refuse(
                key,
                &format!("a name in it has {} bytes; file systems hold at most {MAX_NAME_BYTES}", segment.len()),
            ));
        }
        if portable {
            check_windows_name(segment).map_err(|why| refuse(key, &why))?;
        }
        path.push(segment);
    }
    // Belt and braces: whatever was pushed must be plain names under `folder`.
    let below = path.strip_prefix(folder).map_err(|_| refuse(key, "it leads outside the target folder"))?;
    if below.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(refuse(key, "it leads outside the target folder"));
    }
    Ok(path)
}

fn check_windows_name(segment: &str) -> std::result::Result<(), String> {
    if let Some(bad) = segment.chars().find(|c| matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') || c.is_control())
    {
        return Err(format!("'{}' is not allowed in a Windows file name", bad.escape_default()));
    }
    if segment.ends_with('.') || segment.ends_with(' ') {
        return Err(format!("Windows drops the trailing dot or space of '{segment}'"));
    }
    let stem = segment.split('.').next().unwrap_or(segment).trim_end();
    if WINDOWS_RESERVED.iter().any(|reserved| stem.eq_ignore_ascii_case(reserved)) {
        return Err(format!("'{segment}' is a device name on Windows"));
    }
    Ok(())
}

/// The key of `relative` (a path under an uploaded folder) under `prefix`, with `/` separators.
pub fn key_for(prefix: &str, relative: &Path) -> Result<String> {
    let mut key = prefix.to_owned();
    for (i, component) in relative.components().enumerate() {
        let Component::Normal(name) = component else {
            return Err(Error::invalid_input(format!("'{}' is not a path inside the folder", relative.display())));
        };
        let name = name.to_str().ok_or_else(|| {
            Error::invalid_input(format!(
                "'{}' is not valid Unicode, so it cannot be an object key; rename it",
                relative.display()
            ))
        })?;
        if i > 0 {
            key.push('/');
        }
        key.push_str(name);
    }
    crate::ops::check_object_key(&key)?;
    Ok(key)
}

/// `prefix` as a folder: empty stays empty, otherwise it ends with exactly one `/`.
pub fn as_folder_prefix(prefix: &str) -> String {
    let trimmed = prefix.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        trimmed.to_owned()
    } else {
        format!("{trimmed}/")
    }
}

/// The `n`th alternative name: `name (n).ext`, keeping the extension (`a.tar.gz` → `a.tar (1).gz`,
/// `.bashrc` → `.bashrc (1)`). Works on the last `/`-separated segment of keys too.
pub fn numbered_name(name: &str, n: u32) -> String {
    let (dir, file) = match name.rfind('/') {
        Some(slash) => name.split_at(slash + 1),
        None => ("", name),
    };
    match file.rfind('.') {
        Some(dot) if dot > 0 => format!("{dir}{} ({n}){}", &file[..dot], &file[dot..]),
        _ => format!("{dir}{file} ({n})"),
    }
}

/// `path` with its file name numbered as [`numbered_name`] does.
pub fn numbered_path(path: &Path, n: u32) -> PathBuf {
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(numbered_name(&name, n))
}

/// A file found under a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFile {
    pub path: PathBuf,
    /// Relative to the folder walked.
    pub relative: PathBuf,
    pub size: u64,
}

/// Every regular file under `folder` (following symbolic links to files, not to folders, so a
/// link loop cannot trap the walk), sorted by relative path.
pub fn walk_files(folder: &Path) -> Result<Vec<FoundFile>> {
    let mut out = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|err| io_error(&dir, err))?;
        for entry in entries {
            let entry = entry.map_err(|err| io_error(&dir, err))?;
            let path = entry.path();
            let file_type = entry.file_type().map_err(|err| io_error(&path, err))?;
            if file_type.is_dir() {
                stack.push(path);
            } else if file_type.is_file() || (file_type.is_symlink() && path.is_file()) {
                let size = std::fs::metadata(&path).map_err(|err| io_error(&path, err))?.len();
                // `path` was built by joining names onto `folder`, so the prefix is always there.
                let relative = path.strip_prefix(folder).unwrap_or(&path).to_path_buf();
                out.push(FoundFile { path, relative, size });
            }
        }
    }
    out.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(out)
}

fn io_error(path: &Path, err: std::io::Error) -> Error {
    let kind = if err.kind() == std::io::ErrorKind::NotFound { ErrorKind::InvalidInput } else { ErrorKind::Io };
    Error::new(kind, format!("cannot read '{}': {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(relative: &str, rules: NameRules) -> Result<PathBuf> {
        local_path_for(Path::new("/data/target"), relative, relative, rules)
    }

    #[test]
    fn keys_map_under_the_folder() {
        assert_eq!(local("a/b c/ünï.txt", NameRules::Native).unwrap(), Path::new("/data/target/a/b c/ünï.txt"));
        assert_eq!(local("dir/", NameRules::Native).unwrap(), Path::new("/data/target/dir"));
        assert_eq!(local("..hidden", NameRules::Native).unwrap(), Path::new("/data/target/..hidden"));
    }

    #[test]
    fn keys_that_escape_are_refused_with_a_reason() {
        for (key, reason) in [
            ("../x", "outside"),
            ("a/../../x", "outside"),
            ("a/..", "outside"),
            ("./x", "outside"),
            ("/etc/passwd", "absolute"),
            ("C:/Windows/x", "drive letter"),
            ("c:x", "drive letter"),
            ("a\\..\\..\\x", "separator on Windows"),
            ("a//b", "empty path segment"),
            ("", "target folder itself"),
            ("a\0b", "NUL"),
            ("a\u{1b}[2Jb", "control character \\x1b"),
            ("dir/line\nbreak", "control character \\n"),
            ("del\u{7f}", "control character \\x7f"),
        ] {
            for rules in [NameRules::Native, NameRules::Portable] {
                let err = local(key, rules).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::InvalidInput);
                assert!(err.message().contains(reason), "{key:?}: {err}");
                assert!(err.message().starts_with("refusing to download"), "{err}");
            }
        }
    }

    #[test]
    fn keys_with_control_characters_or_long_names_are_refused_with_the_key_escaped() {
        let err = local("evil\u{1b}]0;title\u{7}.txt", NameRules::Native).unwrap_err();
        assert!(err.message().contains("'evil\\x1b]0;title\\x07.txt'"), "{err}");
        assert!(!err.message().chars().any(|c| c.is_control()), "{err:?}");

        let long = "n".repeat(MAX_NAME_BYTES + 1);
        let err = local(&format!("dir/{long}"), NameRules::Native).unwrap_err();
        assert!(err.message().contains("256 bytes") && err.message().contains(&long), "{err}");
        assert!(local(&"é".repeat(128), NameRules::Native).unwrap_err().message().contains("256 bytes"));
        assert!(local(&format!("{}/{}", "n".repeat(255), "m".repeat(255)), NameRules::Native).is_ok());
        assert_eq!(escape_controls("plain/ключ 1.txt"), "plain/ключ 1.txt");
        assert_eq!(escape_controls("a\tb\rc\u{0}\u{9b}"), "a\\tb\\rc\\x00\\x9b");
    }

    #[test]
    fn names_windows_forbids_are_refused_when_portable() {
        for key in ["CON", "dir/aux.txt", "lpt1", "dir/a:b", "what?.txt", "x*y", "pipe|d", "trailing.", "space "] {
            let err = local(key, NameRules::Portable).unwrap_err();
            assert!(err.message().contains("Windows"), "{key}: {err}");
            assert_eq!(local(key, NameRules::Native).is_ok(), !cfg!(windows), "{key}");
        }
        assert!(local("console.log", NameRules::Portable).is_ok());
        assert!(local("COM10", NameRules::Portable).is_ok());
    }

    #[test]
    fn keys_of_uploaded_files_use_slashes() {
        let relative: PathBuf = ["sub dir", "naïve 文件.txt"].iter().collect();
        assert_eq!(key_for("photos/", &relative).unwrap(), "photos/sub dir/naïve 文件.txt");
        assert_eq!(key_for("", Path::new("a.txt")).unwrap(), "a.txt");
        assert!(key_for("p/", Path::new("../x")).is_err());
        assert_eq!(as_folder_prefix("a/b"), "a/b/");
        assert_eq!(as_folder_prefix("/a/b/"), "a/b/");
        assert_eq!(as_folder_prefix(""), "");
    }

    #[test]
    fn renames_number_the_name_before_the_extension() {
        assert_eq!(numbered_name("report.pdf", 1), "report (1).pdf");
        assert_eq!(numbered_name("a.tar.gz", 2), "a.tar (2).gz");
        assert_eq!(numbered_name(".bashrc", 1), ".bashrc (1)");
        assert_eq!(numbered_name("README", 3), "README (3)");
        assert_eq!(numbered_name("dir.v2/file", 1), "dir.v2/file (1)");
        assert_eq!(numbered_path(Path::new("/t/x.bin"), 1), Path::new("/t/x (1).bin"));
    }

    #[test]
    fn walking_a_folder_finds_nested_files_sorted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b/c")).unwrap();
        std::fs::write(dir.path().join("b/c/z.txt"), b"z").unwrap();
        std::fs::write(dir.path().join("a.txt"), b"a").unwrap();
        std::fs::create_dir_all(dir.path().join("empty")).unwrap();
        let found: Vec<PathBuf> = walk_files(dir.path()).unwrap().into_iter().map(|file| file.relative).collect();
        assert_eq!(found, [PathBuf::from("a.txt"), ["b", "c", "z.txt"].iter().collect::<PathBuf>()]);
        assert_eq!(walk_files(&dir.path().join("missing")).unwrap_err().kind(), ErrorKind::InvalidInput);
    }
}
