//! Profile commands. A secret may come in (the profile form); none ever goes back out: the UI only
//! sees a profile's name, masked AccessKey ID and settings.

use chrono::{DateTime, Utc};
use osslite_core::credentials::{run_off_runtime, StoredSecrets};
use osslite_core::profiles::{save_profile, EndpointWarning, NewKeys, Profile};
use osslite_core::{Addressing, Credentials, Error, ErrorKind, Secret};
use tauri::State;

use super::session::DEMO_PROFILE;
use crate::error::CommandError;
use crate::state::AppState;

/// A profile as the UI sees it.
#[derive(Debug, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    name: String,
    region: String,
    /// The endpoint as entered; none means the region's public endpoint.
    endpoint: Option<String>,
    /// The URL requests go to, as resolved from the settings.
    resolved_endpoint: String,
    addressing: Addressing,
    https: bool,
    preset_path: Option<String>,
    /// The proxy URL without its password (that stays in the keyring).
    proxy: Option<String>,
    access_key_id_masked: String,
    uses_sts: bool,
    sts_expires_at: Option<DateTime<Utc>>,
    /// Plain HTTP, private, loopback, link-local or metadata endpoints: allowed, shown with a warning.
    warnings: Vec<EndpointWarning>,
    /// The Local sandbox while it is not running: it gets a port when opened, so none is shown.
    starts_on_demand: bool,
}

impl ProfileView {
    /// The Local sandbox as it is now: the running sandbox's endpoint, or none (it starts on
    /// demand, on a port chosen then) instead of the port of its last run.
    fn with_sandbox_state(mut self, running_endpoint: Option<&str>) -> Self {
        if self.name != DEMO_PROFILE {
            return self;
        }
        match running_endpoint {
            Some(endpoint) => {
                self.endpoint = Some(endpoint.to_owned());
                self.resolved_endpoint = endpoint.to_owned();
            }
            None => {
                self.endpoint = None;
                self.resolved_endpoint = String::new();
                self.starts_on_demand = true;
            }
        }
        self
    }
}

impl From<Profile> for ProfileView {
    fn from(profile: Profile) -> Self {
        let resolved_endpoint = profile.endpoint().map(|e| e.to_string()).unwrap_or_default();
        let warnings = profile.endpoint_warnings();
        let proxy = profile.proxy_without_password();
        Self {
            name: profile.name,
            region: profile.region,
            endpoint: profile.endpoint,
            resolved_endpoint,
            addressing: profile.addressing,
            https: profile.https,
            preset_path: profile.preset_path,
            proxy,
            access_key_id_masked: profile.access_key_hint,
            uses_sts: profile.uses_sts,
            sts_expires_at: profile.sts_expires_at,
            warnings,
            starts_on_demand: false,
        }
    }
}

/// The profile form. Keys are optional when editing: without them the stored keys stay, unless the
/// endpoint, proxy or HTTPS setting changed (then the core refuses the save).
#[derive(serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct ProfileInput {
    name: String,
    region: String,
    endpoint: Option<String>,
    #[serde(default)]
    addressing: Addressing,
    #[serde(default = "super::yes")]
    https: bool,
    preset_path: Option<String>,
    proxy: Option<String>,
    /// True when the form edits an existing profile (so a same-named one may be replaced).
    #[serde(default)]
    replace: bool,
    keys: Option<KeysInput>,
}

#[derive(serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct KeysInput {
    /// None or blank when editing: only the secret changes, the stored AccessKey ID stays.
    access_key_id: Option<String>,
    #[cfg_attr(test, ts(as = "String"))]
    access_key_secret: Secret,
    #[cfg_attr(test, ts(as = "Option<String>"))]
    security_token: Option<Secret>,
    sts_expires_at: Option<DateTime<Utc>>,
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Async, as every command that reads the disk: a synchronous command runs on the main thread.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub async fn profile_list(state: State<'_, AppState>) -> Result<Vec<ProfileView>, CommandError> {
    let running = state.demo.lock().await.as_ref().map(|sandbox| sandbox.endpoint().to_owned());
    let views = state.profiles.list()?.into_iter().map(ProfileView::from);
    Ok(views.map(|view| view.with_sandbox_state(running.as_deref())).collect())
}

impl ProfileInput {
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The profile these fields describe (over `existing`'s other fields when editing) and the
    /// keys typed, if any.
    pub(crate) fn into_parts(self, existing: Option<&Profile>) -> Result<(Profile, Option<NewKeys>), Error> {
        let mut profile = match existing {
            Some(existing) => Profile { region: self.region.clone(), ..existing.clone() },
            None => Profile::new(&self.name, &self.region)?,
        };
        profile.endpoint = non_empty(self.endpoint);
        profile.addressing = self.addressing;
        profile.https = self.https;
        profile.preset_path = non_empty(self.preset_path);
        profile.proxy = non_empty(self.proxy);
        let keys = self.keys.map(|keys| NewKeys {
            access_key_id: keys.access_key_id,
            access_key_secret: keys.access_key_secret,
            security_token: keys.security_token,
            security_token_expires_at: keys.sts_expires_at,
        });
        Ok((profile, keys))
    }
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(profile = %input.name), err(level = "warn", Debug))]
pub async fn profile_save(state: State<'_, AppState>, input: ProfileInput) -> Result<ProfileView, CommandError> {
    let existing = state.profiles.get(&input.name).ok();
    if existing.is_some() && !input.replace {
        return Err(
            Error::invalid_input(format!("a profile named '{}' exists: choose another name", input.name)).into()
        );
    }
    let (profile, keys) = input.into_parts(existing.as_ref())?;
    // The core refuses a new endpoint, proxy or HTTPS setting without the secret, keeps the stored
    // AccessKey ID when only the secret is new, and moves a proxy password into the keyring.
    let (store, keyring) = (state.profiles.clone(), state.keyring.clone());
    let saved = run_off_runtime(move || {
        let secrets = keys.map(|keys| keys.into_secrets(&keyring, &profile.name)).transpose()?;
        save_profile(&store, &keyring, profile, secrets)
    })
    .await?;
    Ok(saved.into())
}

/// Saves a profile from OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET / OSS_SESSION_TOKEN of the app's
/// environment: the keys go from the environment to the keyring without passing the UI.
#[tauri::command]
#[tracing::instrument(skip_all, fields(profile = %name, region = %region), err(level = "warn", Debug))]
pub async fn profile_import_env(
    state: State<'_, AppState>,
    name: String,
    region: String,
) -> Result<ProfileView, CommandError> {
    if state.profiles.get(&name).is_ok() {
        return Err(Error::invalid_input(format!("a profile named '{name}' exists: choose another name")).into());
    }
    let mut profile = Profile::new(&name, &region)?;
    profile.validate()?;
    let credentials = Credentials::from_env()?;
    profile.access_key_hint = credentials.masked_access_key_id();
    profile.uses_sts = credentials.security_token().is_some();
    save_keys(&state, &name, StoredSecrets::new(credentials)).await?;
    state.profiles.upsert(profile.clone())?;
    Ok(profile.into())
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(profile = %name), err(level = "warn", Debug))]
pub async fn profile_remove(state: State<'_, AppState>, name: String) -> Result<(), CommandError> {
    let keyring = state.keyring.clone();
    let entry_name = name.clone();
    let had_entry = run_off_runtime(move || keyring.delete(&entry_name)).await?;
    let had_profile = state.profiles.remove(&name)?;
    if !had_entry && !had_profile {
        return Err(Error::new(ErrorKind::NotFound, format!("there is no profile '{name}'")).into());
    }
    Ok(())
}

async fn save_keys(state: &AppState, name: &str, secrets: StoredSecrets) -> Result<(), Error> {
    let keyring = state.keyring.clone();
    let name = name.to_owned();
    run_off_runtime(move || keyring.save(&name, &secrets)).await
}
