//! Keys typed into a profile form: a new AccessKey ID with its secret, or only a new secret for
//! the ID already stored (rotating a secret does not mean typing the ID again).

use chrono::{DateTime, Utc};

use crate::credentials::{Credentials, OsKeyring, Secret, StoredSecrets};
use crate::error::{Error, ErrorKind, Result};

/// Keys from a form. Holds a secret: its `Debug` never shows it.
pub struct NewKeys {
    /// None (or blank): keep the AccessKey ID stored for the profile.
    pub access_key_id: Option<String>,
    pub access_key_secret: Secret,
    pub security_token: Option<Secret>,
    pub security_token_expires_at: Option<DateTime<Utc>>,
}

impl NewKeys {
    /// The keys to sign with for profile `name`, its stored AccessKey ID filled in when none was
    /// typed. Reads the keyring only then; the call blocks (async callers use `run_off_runtime`).
    pub fn into_secrets(self, keyring: &OsKeyring, name: &str) -> Result<StoredSecrets> {
        let typed_id = self.access_key_id.map(|id| id.trim().to_owned()).filter(|id| !id.is_empty());
        let access_key_id = match typed_id {
            Some(id) => id,
            None => stored_access_key_id(keyring, name)?,
        };
        let mut credentials = Credentials::new(access_key_id, self.access_key_secret)?;
        if let Some(token) = self.security_token.filter(|token| !token.is_empty()) {
            credentials = credentials.with_security_token(token);
        }
        Ok(StoredSecrets {
            security_token_expires_at: self.security_token_expires_at,
            ..StoredSecrets::new(credentials)
        })
    }
}

fn stored_access_key_id(keyring: &OsKeyring, name: &str) -> Result<String> {
    match keyring.load(name) {
        Ok(stored) => Ok(stored.credentials.access_key_id().to_owned()),
        Err(err) if err.kind() == ErrorKind::NotFound => Err(Error::invalid_input(format!(
            "profile '{name}' has no stored AccessKey ID to keep: enter the AccessKey ID with the secret"
        ))),
        Err(err) => Err(err),
    }
}

impl std::fmt::Debug for NewKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewKeys")
            .field("access_key_id", &self.access_key_id)
            .field("security_token", &self.security_token.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_id_needs_no_keyring_and_debug_hides_the_secret() {
        let keys = NewKeys {
            access_key_id: Some(" LTAI5tTypedId ".into()),
            access_key_secret: Secret::new("CANARY-new-keys"),
            security_token: Some(Secret::new("")),
            security_token_expires_at: None,
        };
        assert!(!format!("{keys:?}").contains("CANARY"));
        // A keyring service no entry exists under: reaching it would fail the test.
        let secrets = keys.into_secrets(&OsKeyring::default(), "no-such-profile-for-keys-test").unwrap();
        assert_eq!(secrets.credentials.access_key_id(), "LTAI5tTypedId");
        assert_eq!(secrets.credentials.access_key_secret().expose(), "CANARY-new-keys");
        assert!(secrets.credentials.security_token().is_none());
    }
}
