//! Helpers shared by OSS Lite's test crates (a dev-dependency only): a test that re-runs itself
//! inside a private D-Bus session with an unlocked GNOME keyring, and, with the `ipc` feature,
//! calling the app's commands through Tauri's real IPC layer.

#[cfg(feature = "ipc")]
pub mod ipc;
pub mod keyring_session;
