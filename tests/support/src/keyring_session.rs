//! Runs a test inside a private D-Bus session with an unlocked GNOME keyring whose files live in a
//! temporary XDG_DATA_HOME: the test binary re-runs itself under `dbus-run-session`.

use std::path::PathBuf;
use std::process::Command;

const INSIDE_SESSION: &str = "OSSLITE_TEST_INSIDE_KEYRING_SESSION";

/// What every keyring test's name starts with: `make check`, the loop without a keyring, leaves
/// them out with `--skip needs_keyring_`.
pub const NEEDS_KEYRING: &str = "needs_keyring_";

/// Re-runs `test_name` inside the session and asserts that it passed; returns false when already
/// inside, where the caller does the work.
pub fn rerun_inside_keyring_session(test_name: &str) -> bool {
    assert!(
        test_name.starts_with(NEEDS_KEYRING),
        "a test that needs a keyring is named {NEEDS_KEYRING}…, so `make check` can leave it out: rename {test_name}"
    );
    if std::env::var_os(INSIDE_SESSION).is_some() {
        return false;
    }
    let home = tempfile::tempdir().expect("a temporary directory");
    let script = "printf '%s' osslite-test-unlock | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
                  && exec \"$0\" \"$@\"";
    let output = Command::new("dbus-run-session")
        .args(["--", "sh", "-c", script])
        .arg(std::env::current_exe().expect("the test binary's path"))
        .args(["--exact", test_name, "--nocapture", "--test-threads=1"])
        .env(INSIDE_SESSION, "1")
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env_remove("DISPLAY")
        .output()
        .expect("dbus-run-session and gnome-keyring-daemon are installed (make test installs them)");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the test inside the keyring session failed:\n{text}");
    assert!(text.contains("1 passed"), "the inner test did not run:\n{text}");
    true
}

pub fn xdg_dir(variable: &str) -> PathBuf {
    PathBuf::from(std::env::var(variable).unwrap_or_else(|_| panic!("{variable} is set inside the session")))
}

/// Files under `dir` whose bytes contain `needle`.
pub fn files_containing(dir: &std::path::Path, needle: &str) -> Vec<PathBuf> {
    let mut hits = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return hits };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            hits.extend(files_containing(&path, needle));
        } else if std::fs::read(&path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes())) {
            hits.push(path);
        }
    }
    hits
}
