//! Saving a profile from a form or `profile add`, the one path the app and the CLI share. Two
//! rules hold here so that no front end can skip them:
//! - once a profile's keys are stored, they sign requests only for the host and proxy they were
//!   entered for: changing where requests go needs the AccessKey secret entered again;
//! - a proxy password goes into the keyring entry, never into `profiles.toml`.

use super::proxy::split_proxy_password;
use super::{Profile, ProfileStore};
use crate::credentials::{OsKeyring, StoredSecrets};
use crate::endpoint::Addressing;
use crate::error::{Error, ErrorKind, Result};

/// Saves `profile`, with `secrets` when the user entered keys, and returns it as stored (proxy
/// without its password, key hint and STS fields filled in). Without new keys the stored ones
/// stay, which is refused when the endpoint, HTTPS setting or proxy changed.
/// The keyring calls block: async callers run this through `run_off_runtime`.
pub fn save_profile(
    store: &ProfileStore,
    keyring: &OsKeyring,
    mut profile: Profile,
    secrets: Option<StoredSecrets>,
) -> Result<Profile> {
    profile.validate()?;
    if profile.endpoint()?.addressing() == Addressing::Path {
        profile.addressing = Addressing::Path;
    }
    let existing = store.get(&profile.name).ok();
    let (proxy, proxy_password) = match profile.proxy.as_deref() {
        Some(url) => {
            let (url, password) = split_proxy_password(url);
            (Some(url), password)
        }
        None => (None, None),
    };
    let Some(mut secrets) = secrets else {
        let existing = existing.ok_or_else(|| {
            Error::invalid_input(format!("the new profile '{}' needs an AccessKey ID and secret", profile.name))
        })?;
        if connection_changed(&existing, &profile) {
            return Err(secret_needed_again(&profile.name));
        }
        profile.access_key_hint = existing.access_key_hint;
        profile.uses_sts = existing.uses_sts;
        profile.sts_expires_at = existing.sts_expires_at;
        store.upsert(profile.clone())?;
        return Ok(profile);
    };
    profile.proxy = proxy;
    secrets.proxy_password = match proxy_password {
        Some(password) => Some(password),
        // New keys for the same proxy: its password, entered before, stays.
        None if existing.as_ref().is_some_and(|e| e.proxy.is_some() && e.proxy == profile.proxy) => {
            match keyring.load(&profile.name) {
                Ok(old) => old.proxy_password,
                Err(err) if err.kind() == ErrorKind::NotFound => None,
                Err(err) => return Err(err),
            }
        }
        None => None,
    };
    keyring.save(&profile.name, &secrets)?;
    profile.access_key_hint = secrets.credentials.masked_access_key_id();
    profile.uses_sts = secrets.credentials.security_token().is_some();
    profile.sts_expires_at = secrets.security_token_expires_at;
    store.upsert(profile.clone())?;
    Ok(profile)
}

/// Whether requests would go to another endpoint URL (host, port or scheme) or through another
/// proxy. The same URL written another way is no change, and neither is a region change between
/// two profiles on their region's default endpoint: those are all Alibaba's own.
pub fn connection_changed(before: &Profile, after: &Profile) -> bool {
    let url = |profile: &Profile| profile.endpoint().ok().map(|e| e.to_string());
    let endpoint_changed = if before.endpoint.is_none() && after.endpoint.is_none() {
        before.https != after.https
    } else {
        url(before) != url(after)
    };
    endpoint_changed || before.proxy != after.proxy
}

fn secret_needed_again(name: &str) -> Error {
    Error::invalid_input(format!(
        "the endpoint, proxy or HTTPS setting of profile '{name}' changed: enter the AccessKey secret again \
         (the stored keys never sign requests for a new host without it)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(name: &str) -> (tempfile::TempDir, ProfileStore, Profile) {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::in_dir(dir.path());
        let mut profile = Profile::new(name, "cn-hangzhou").unwrap();
        profile.endpoint = Some("oss-cn-hangzhou.aliyuncs.com".into());
        profile.proxy = Some("http://alice@proxy.local:3128".into());
        profile.access_key_hint = "********1234".into();
        store.upsert(profile.clone()).unwrap();
        (dir, store, profile)
    }

    #[test]
    fn other_settings_save_without_the_secret_and_keep_the_key_hint() {
        let (_dir, store, profile) = stored("work");
        let edited = Profile {
            preset_path: Some("oss://bucket/team/".into()),
            access_key_hint: String::new(),
            ..profile.clone()
        };
        // No keyring call happens on this path, so none is needed.
        let saved = save_profile(&store, &OsKeyring::default(), edited, None).unwrap();
        assert_eq!(saved.access_key_hint, "********1234");
        assert_eq!(store.get("work").unwrap().preset_path.as_deref(), Some("oss://bucket/team/"));
    }

    #[test]
    fn a_new_endpoint_proxy_or_https_setting_needs_the_secret_again() {
        let (_dir, store, profile) = stored("work");
        let edits = [
            Profile { endpoint: Some("oss-cn-beijing.aliyuncs.com".into()), ..profile.clone() },
            Profile { https: false, ..profile.clone() },
            Profile { proxy: Some("http://alice@evil.example:3128".into()), ..profile.clone() },
            Profile { proxy: None, ..profile.clone() },
            Profile { proxy: Some("http://alice:new@proxy.local:3128".into()), ..profile.clone() },
            Profile { endpoint: Some("http://oss-cn-hangzhou.aliyuncs.com".into()), ..profile.clone() },
            Profile { endpoint: None, region: "cn-beijing".into(), ..profile.clone() },
        ];
        for edited in edits {
            let err = save_profile(&store, &OsKeyring::default(), edited.clone(), None).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{edited:?}");
            assert!(err.message().contains("enter the AccessKey secret again"), "{err}");
        }
        assert_eq!(store.get("work").unwrap(), profile);
        // The same URL written another way is no change.
        let same_url = Profile { endpoint: None, ..profile.clone() };
        assert!(save_profile(&store, &OsKeyring::default(), same_url, None).is_ok());
        let with_scheme =
            Profile { endpoint: Some("HTTPS://oss-cn-hangzhou.aliyuncs.com/".into()), https: false, ..profile };
        assert!(save_profile(&store, &OsKeyring::default(), with_scheme, None).is_ok());

        // A region change moves between Alibaba's own endpoints: no secret needed.
        let mut default_endpoint = Profile::new("region", "cn-hangzhou").unwrap();
        store.upsert(default_endpoint.clone()).unwrap();
        default_endpoint.region = "cn-beijing".into();
        assert!(save_profile(&store, &OsKeyring::default(), default_endpoint, None).is_ok());
    }

    #[test]
    fn a_new_profile_needs_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::in_dir(dir.path());
        let err =
            save_profile(&store, &OsKeyring::default(), Profile::new("new", "cn-hangzhou").unwrap(), None).unwrap_err();
        assert!(err.message().contains("needs an AccessKey ID and secret"), "{err}");
        assert!(store.list().unwrap().is_empty());
    }
}
