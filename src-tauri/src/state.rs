//! What the commands share: where profiles live, the keyring, the open session, the demo sandbox
//! the clipboard and the logs.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use osslite_core::credentials::OsKeyring;
use osslite_core::profiles::{ProfileStore, Session};
use osslite_core::{Error, Result};

use crate::logging::Logs;

pub struct AppState {
    pub profiles: ProfileStore,
    pub keyring: OsKeyring,
    /// The app's data directory (the demo sandbox's objects live below it).
    pub data_dir: PathBuf,
    session: Mutex<Option<Session>>,
    pub demo: tokio::sync::Mutex<Option<osslite_sandbox::Sandbox>>,
    pub export_cancel: Arc<AtomicBool>,
    /// Kept open: on X11 the clipboard's contents are served by the process that set them.
    pub clipboard: Mutex<Option<arboard::Clipboard>>,
    /// The log folder and recent problems, for Settings' diagnostics.
    pub logs: Logs,
}

impl AppState {
    pub fn new(profiles: ProfileStore, data_dir: PathBuf) -> Self {
        Self {
            profiles,
            keyring: OsKeyring::default(),
            data_dir,
            session: Mutex::new(None),
            demo: tokio::sync::Mutex::new(None),
            export_cancel: Arc::new(AtomicBool::new(false)),
            clipboard: Mutex::new(None),
            logs: Logs::off(),
        }
    }

    /// The same state, with the logging that `logging::start` began.
    pub fn with_logs(self, logs: Logs) -> Self {
        Self { logs, ..self }
    }

    /// The open profile's session (cheap to clone).
    pub fn session(&self) -> Result<Session> {
        self.session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
            .ok_or_else(|| Error::invalid_input("no profile is open: choose a profile first"))
    }

    pub fn set_session(&self, session: Option<Session>) {
        *self.session.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = session;
    }
}
