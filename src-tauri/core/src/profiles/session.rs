//! A profile opened for work: its keys from the keyring turned into a ready [`Client`].

use chrono::{DateTime, Utc};

use super::proxy::join_proxy_password;
use super::{PresetPath, Profile};
use crate::client::{Client, ClientConfig, ProxyConfig};
use crate::credentials::{clip_to_token, Credentials, StoredSecrets, TokenBoundValidity};
use crate::endpoint::Endpoint;
use crate::error::{ErrorKind, Result};
use crate::ops::{ListBucketsParams, ListObjectsV2Params};

/// What commands work with: the client (which signs with the profile's keys), and what limits the
/// links it makes.
#[derive(Clone)]
pub struct Session {
    pub client: Client,
    /// When the profile's STS token stops working, if known.
    pub token_expires_at: Option<DateTime<Utc>>,
    pub preset: Option<PresetPath>,
    /// The saved profile it was opened from (`None`: keys given another way).
    pub profile: Option<String>,
}

impl Session {
    pub fn from_profile(profile: &Profile, secrets: StoredSecrets) -> Result<Self> {
        let proxy = proxy_config(profile, &secrets);
        let mut session = Self::connect(profile.endpoint()?, &profile.region, secrets.credentials, proxy)?;
        session.token_expires_at = secrets.security_token_expires_at;
        session.preset = profile.preset()?;
        session.profile = Some(profile.name.clone());
        Ok(session)
    }

    pub fn connect(endpoint: Endpoint, region: &str, credentials: Credentials, proxy: ProxyConfig) -> Result<Self> {
        let config = ClientConfig::builder(endpoint, region, credentials).with_proxy(proxy).build()?;
        Ok(Self { client: Client::new(config)?, token_expires_at: None, preset: None, profile: None })
    }

    /// `requested_secs`, shortened to end with the STS token if it would outlive it.
    pub fn link_validity(&self, requested_secs: u64, now: DateTime<Utc>) -> Result<TokenBoundValidity> {
        clip_to_token(requested_secs, now, self.token_expires_at)
    }
}

/// The profile's proxy with its password from the keyring put back.
fn proxy_config(profile: &Profile, secrets: &StoredSecrets) -> ProxyConfig {
    match &profile.proxy {
        Some(url) => ProxyConfig::Url(join_proxy_password(url, secrets.proxy_password.as_ref())),
        None => ProxyConfig::System,
    }
}

/// What a profile's keys may do, as `profile test` reports it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AccessReport {
    /// Buckets ListBuckets shows (first page), or None when ListBuckets is denied.
    pub bucket_count: Option<usize>,
    /// Whether the preset path lists.
    pub preset_listed: bool,
    pub message: String,
}

impl Session {
    /// Tries ListBuckets, then the preset path's listing: keys that may not list buckets (as
    /// ossbrowser allows) still pass when their preset path lists. Fails with the OSS error otherwise.
    pub async fn check_access(&self) -> Result<AccessReport> {
        let buckets = self.client.list_buckets(&ListBucketsParams { max_keys: Some(1000), ..Default::default() }).await;
        let bucket_count = match buckets {
            Ok(page) => Some(page.buckets.len()),
            Err(err) if err.kind() == ErrorKind::PermissionDenied && self.preset.is_some() => None,
            Err(err) => return Err(err),
        };
        let preset_listed = match &self.preset {
            Some(preset) => {
                let params = ListObjectsV2Params::new(&preset.bucket).with_prefix(&preset.prefix).with_max_keys(1);
                self.client.list_objects_v2(&params).await?;
                true
            }
            None => false,
        };
        let preset_text = self.preset.as_ref().map(|p| format!("oss://{}/{}", p.bucket, p.prefix)).unwrap_or_default();
        let message = match (bucket_count, preset_listed) {
            (Some(count), false) => format!("Connected: ListBuckets works and shows {count} buckets."),
            (Some(count), true) => format!("Connected: ListBuckets shows {count} buckets, and {preset_text} lists."),
            (None, _) => format!("Connected: ListBuckets is denied for these keys, but {preset_text} lists."),
        };
        Ok(AccessReport { bucket_count, preset_listed, message })
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("endpoint", &self.client.endpoint().to_string())
            .field("token_expires_at", &self.token_expires_at)
            .field("preset", &self.preset)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Secret;

    #[test]
    fn the_session_gets_the_proxy_password_from_the_keyring_entry() {
        let mut profile = Profile::new("work", "cn-hangzhou").unwrap();
        let credentials = Credentials::new("LTAI5tExample", Secret::new("secret")).unwrap();
        let secrets =
            StoredSecrets { proxy_password: Some(Secret::new("CANARY-proxy")), ..StoredSecrets::new(credentials) };
        assert_eq!(proxy_config(&profile, &secrets), ProxyConfig::System);
        profile.proxy = Some("http://alice@proxy.local:3128".into());
        assert_eq!(
            proxy_config(&profile, &secrets),
            ProxyConfig::Url("http://alice:CANARY-proxy@proxy.local:3128".into())
        );
        let session = Session::from_profile(&profile, secrets).unwrap();
        assert!(!format!("{session:?}").contains("CANARY-proxy"));
    }
}
