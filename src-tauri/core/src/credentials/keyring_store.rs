//! AccessKeys in the OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows): one entry per profile under the service `osslite`. There is no fallback: without a
//! keyring the caller gets an error that says what is missing.
//!
//! The calls block (D-Bus round trips, an unlock prompt); async code runs them through
//! [`run_off_runtime`] so they never stall the runtime's workers.

use chrono::{DateTime, Utc};
use zeroize::Zeroizing;

use super::{Credentials, Secret};
use crate::error::{Error, ErrorKind, Result};

/// The keyring service name every OSS Lite entry is filed under.
pub const KEYRING_SERVICE: &str = "osslite";

/// What the keyring holds for one profile.
#[derive(Clone, Debug)]
pub struct StoredSecrets {
    pub credentials: Credentials,
    /// When the STS token in `credentials` stops working, if the user said.
    pub security_token_expires_at: Option<DateTime<Utc>>,
    /// The password of the profile's proxy URL, which `profiles.toml` keeps without it.
    pub proxy_password: Option<Secret>,
}

impl StoredSecrets {
    /// Keys without an STS expiry or a proxy password.
    pub fn new(credentials: Credentials) -> Self {
        Self { credentials, security_token_expires_at: None, proxy_password: None }
    }
}

/// The entry's text format. Private, so the secret only ever leaves it as a [`Secret`].
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EntryFormat {
    version: u32,
    access_key_id: String,
    access_key_secret: Zeroizing<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    security_token: Option<Zeroizing<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    security_token_expires_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    proxy_password: Option<Zeroizing<String>>,
}

const ENTRY_VERSION: u32 = 1;

/// The OS keyring, as OSS Lite uses it.
#[derive(Debug, Clone)]
pub struct OsKeyring {
    service: String,
}

impl Default for OsKeyring {
    fn default() -> Self {
        Self { service: KEYRING_SERVICE.to_owned() }
    }
}

impl OsKeyring {
    fn entry(&self, profile: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, profile).map_err(|err| keyring_error(err, profile))
    }

    #[tracing::instrument(name = "keyring", level = "debug", skip_all, fields(profile = profile, op = "save"), err(level = "debug"))]
    pub fn save(&self, profile: &str, secrets: &StoredSecrets) -> Result<()> {
        let format = EntryFormat {
            version: ENTRY_VERSION,
            access_key_id: secrets.credentials.access_key_id().to_owned(),
            access_key_secret: Zeroizing::new(secrets.credentials.access_key_secret().expose().to_owned()),
            security_token: secrets.credentials.security_token().map(|t| Zeroizing::new(t.expose().to_owned())),
            security_token_expires_at: secrets.security_token_expires_at,
            proxy_password: secrets.proxy_password.as_ref().map(|p| Zeroizing::new(p.expose().to_owned())),
        };
        let text = Zeroizing::new(
            serde_json::to_string(&format).map_err(|_| Error::invalid_input("the credentials could not be encoded"))?,
        );
        self.entry(profile)?.set_password(&text).map_err(|err| keyring_error(err, profile))
    }

    /// The profile's secrets; `NotFound` when the keyring has no entry for it.
    #[tracing::instrument(name = "keyring", level = "debug", skip_all, fields(profile = profile, op = "load"), err(level = "debug"))]
    pub fn load(&self, profile: &str) -> Result<StoredSecrets> {
        let text = Zeroizing::new(self.entry(profile)?.get_password().map_err(|err| keyring_error(err, profile))?);
        // serde's messages can quote the input, so none of them is passed on.
        let format: EntryFormat = serde_json::from_str(&text).map_err(|_| damaged_entry(profile))?;
        if format.version != ENTRY_VERSION {
            return Err(damaged_entry(profile));
        }
        let mut credentials = Credentials::new(format.access_key_id, Secret::new(format.access_key_secret.as_str()))
            .map_err(|_| damaged_entry(profile))?;
        if let Some(token) = &format.security_token {
            credentials = credentials.with_security_token(Secret::new(token.as_str()));
        }
        Ok(StoredSecrets {
            credentials,
            security_token_expires_at: format.security_token_expires_at,
            proxy_password: format.proxy_password.as_deref().map(|p| Secret::new(p.as_str())),
        })
    }

    /// Removes the profile's entry; `false` when there was none.
    #[tracing::instrument(name = "keyring", level = "debug", skip_all, fields(profile = profile, op = "delete"), err(level = "debug"))]
    pub fn delete(&self, profile: &str) -> Result<bool> {
        match self.entry(profile)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(err) => Err(keyring_error(err, profile)),
        }
    }
}

/// Runs a blocking keyring call on tokio's blocking pool, inside the caller's log span.
pub async fn run_off_runtime<T: Send + 'static>(call: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(call))
        .await
        .map_err(|_| Error::new(ErrorKind::Keyring, "the keyring call stopped unexpectedly; try again"))?
}

fn damaged_entry(profile: &str) -> Error {
    Error::new(
        ErrorKind::Keyring,
        format!(
            "the keyring entry of profile '{profile}' is damaged or was not written by OSS Lite: store the \
             credentials again with `osslite-cli profile add {profile} --force ...` (or Edit profile in the app)"
        ),
    )
}

const NO_KEYRING_HELP: &str = "OSS Lite keeps AccessKeys only in the OS keyring. On Linux it needs a Secret Service \
    provider (GNOME Keyring or KWallet) running and unlocked in your session; in a terminal without a desktop \
    session, start one with `dbus-run-session` and `gnome-keyring-daemon --unlock`";

fn keyring_error(err: keyring::Error, profile: &str) -> Error {
    match err {
        keyring::Error::NoEntry => Error::new(
            ErrorKind::NotFound,
            format!(
                "the keyring has no credentials for profile '{profile}': add them with \
                 `osslite-cli profile add {profile} --force ...` (or Edit profile in the app)"
            ),
        ),
        keyring::Error::PlatformFailure(cause) => {
            Error::new(ErrorKind::Keyring, format!("the OS keyring is not available ({cause}). {NO_KEYRING_HELP}"))
        }
        keyring::Error::NoStorageAccess(cause) => Error::new(
            ErrorKind::Keyring,
            format!("the OS keyring is locked or refused access ({cause}): unlock it and try again. {NO_KEYRING_HELP}"),
        ),
        keyring::Error::BadEncoding(_) => damaged_entry(profile),
        keyring::Error::Ambiguous(_) => Error::new(
            ErrorKind::Keyring,
            format!("the keyring holds several entries for profile '{profile}': remove the profile and add it again"),
        ),
        other => Error::new(ErrorKind::Keyring, format!("the OS keyring refused the request for '{profile}': {other}")),
    }
}
