//! Access keys in memory. A secret prints as `<redacted>`, is not `Serialize`, and is zeroed on drop.

mod keyring_store;
mod sts;

pub use keyring_store::{run_off_runtime, OsKeyring, StoredSecrets, KEYRING_SERVICE};
pub use sts::{clip_to_token, TokenBoundValidity};

use std::fmt;

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The environment variables the official OSS SDKs read.
pub const ENV_ACCESS_KEY_ID: &str = "OSS_ACCESS_KEY_ID";
pub const ENV_ACCESS_KEY_SECRET: &str = "OSS_ACCESS_KEY_SECRET";
pub const ENV_SESSION_TOKEN: &str = "OSS_SESSION_TOKEN";

/// A secret string. Deliberately neither `Serialize` nor `Display`; read it with [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The secret's text, for signing and for the keyring. Never log or return it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A secret may arrive (from the UI's profile form) but never leaves: there is no `Serialize`.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// An AccessKey pair, optionally with an STS security token.
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: Secret,
    security_token: Option<Secret>,
}

impl Credentials {
    pub fn new(access_key_id: impl Into<String>, access_key_secret: Secret) -> Result<Self> {
        let access_key_id = access_key_id.into().trim().to_owned();
        if access_key_id.is_empty() {
            return Err(Error::invalid_input("the AccessKey ID is empty"));
        }
        if access_key_secret.is_empty() {
            return Err(Error::invalid_input("the AccessKey secret is empty"));
        }
        Ok(Self { access_key_id, access_key_secret, security_token: None })
    }

    /// Adds an STS security token; an empty token means none, as the SDKs treat it.
    pub fn with_security_token(mut self, token: Secret) -> Self {
        self.security_token = (!token.is_empty()).then_some(token);
        self
    }

    /// Reads `OSS_ACCESS_KEY_ID`, `OSS_ACCESS_KEY_SECRET` and the optional `OSS_SESSION_TOKEN`.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`Credentials::from_env`], reading variables through `lookup` (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let missing = |name: &str| {
            Error::invalid_input(format!(
                "{name} is not set: export {ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET} \
                 (and {ENV_SESSION_TOKEN} for STS credentials)"
            ))
        };
        let id = lookup(ENV_ACCESS_KEY_ID).filter(|v| !v.is_empty()).ok_or_else(|| missing(ENV_ACCESS_KEY_ID))?;
        let secret =
            lookup(ENV_ACCESS_KEY_SECRET).filter(|v| !v.is_empty()).ok_or_else(|| missing(ENV_ACCESS_KEY_SECRET))?;
        let credentials = Self::new(id, Secret::new(secret))?;
        Ok(match lookup(ENV_SESSION_TOKEN) {
            Some(token) => credentials.with_security_token(Secret::new(token)),
            None => credentials,
        })
    }

    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    pub fn access_key_secret(&self) -> &Secret {
        &self.access_key_secret
    }

    pub fn security_token(&self) -> Option<&Secret> {
        self.security_token.as_ref()
    }

    /// The AccessKey ID with all but its last 4 characters masked, for display.
    pub fn masked_access_key_id(&self) -> String {
        mask_access_key_id(&self.access_key_id)
    }
}

/// `LTAI5tAbCdEf1234` → `************1234`.
pub fn mask_access_key_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    let shown = chars.len().min(4);
    let hidden = chars.len() - shown;
    "*".repeat(hidden) + &chars[hidden..].iter().collect::<String>()
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.masked_access_key_id())
            .field("access_key_secret", &self.access_key_secret)
            .field("security_token", &self.security_token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const CANARY_SECRET: &str = "CANARY-secret-7f3a9c1e";
    const CANARY_TOKEN: &str = "CANARY-token-+/=";

    #[test]
    fn debug_output_never_contains_the_secret_or_token() {
        let credentials = Credentials::new("LTAI5tExampleId9876", Secret::new(CANARY_SECRET))
            .unwrap()
            .with_security_token(Secret::new(CANARY_TOKEN));
        for text in
            [format!("{credentials:?}"), format!("{credentials:#?}"), format!("{:?}", credentials.access_key_secret())]
        {
            assert!(!text.contains(CANARY_SECRET), "secret leaked in {text}");
            assert!(!text.contains("CANARY-token"), "token leaked in {text}");
            assert!(text.contains("<redacted>"));
        }
        assert!(format!("{credentials:?}").contains("***************9876"));
    }

    #[test]
    fn masking_keeps_only_the_last_four_characters() {
        assert_eq!(mask_access_key_id("LTAI5tAbCdEf1234"), "************1234");
        assert_eq!(mask_access_key_id("abc"), "abc");
    }

    #[test]
    fn env_lookup_names_the_missing_variable_and_treats_empty_token_as_none() {
        let env: HashMap<&str, &str> = [(ENV_ACCESS_KEY_ID, "id")].into();
        let err = Credentials::from_lookup(|k| env.get(k).map(|v| v.to_string())).unwrap_err();
        assert!(err.to_string().contains(ENV_ACCESS_KEY_SECRET), "{err}");

        let env: HashMap<&str, &str> =
            [(ENV_ACCESS_KEY_ID, "id"), (ENV_ACCESS_KEY_SECRET, "s"), (ENV_SESSION_TOKEN, "")].into();
        let credentials = Credentials::from_lookup(|k| env.get(k).map(|v| v.to_string())).unwrap();
        assert!(credentials.security_token().is_none());
    }
}
