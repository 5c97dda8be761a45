//! Helpers shared by OSS Lite's test crates (a dev-dependency only): a test that re-runs itself
//! inside a private D-Bus session with an unlocked GNOME keyring, and, with the `ipc` feature,
//! calling the app's commands through Tauri's real IPC layer.
//!
//! The sandbox's `tests/common` and the core's `tests/transfer_support` stay in their crates: each
//! serves only its own crate's tests, and here they would make this crate depend on the core and
//! the sandbox, which every test crate would then build for the keyring helper alone.

#[cfg(feature = "ipc")]
pub mod ipc;
pub mod keyring_session;
