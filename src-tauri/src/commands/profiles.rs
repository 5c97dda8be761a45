//! Profile commands. A secret may come in (the profile form); none ever goes back out: the UI only
//! sees a profile's name, masked AccessKey ID and settings.

use chrono::{DateTime, Utc};
use osslite_core::credentials::{run_off_runtime, StoredSecrets};
use osslite_core::profiles::{save_profile, EndpointWarning, Profile};
use osslite_core::{Addressing, Credentials, Error, ErrorKind, Secret};
use tauri::State;

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
    access_key_id: String,
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
    Ok(state.profiles.list()?.into_iter().map(ProfileView::from).collect())
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
    let mut profile = match &existing {
        Some(existing) => Profile { region: input.region.clone(), ..existing.clone() },
        None => Profile::new(&input.name, &input.region)?,
    };
    profile.endpoint = non_empty(input.endpoint);
    profile.addressing = input.addressing;
    profile.https = input.https;
    profile.preset_path = non_empty(input.preset_path);
    profile.proxy = non_empty(input.proxy);
    let secrets = match input.keys {
        Some(keys) => {
            let mut credentials = Credentials::new(keys.access_key_id, keys.access_key_secret)?;
            if let Some(token) = keys.security_token {
                credentials = credentials.with_security_token(token);
            }
            Some(StoredSecrets { security_token_expires_at: keys.sts_expires_at, ..StoredSecrets::new(credentials) })
        }
        None => None,
    };
    // The core refuses a new endpoint, proxy or HTTPS setting without the secret, and moves a
    // proxy password into the keyring.
    let (store, keyring) = (state.profiles.clone(), state.keyring.clone());
    let saved = run_off_runtime(move || save_profile(&store, &keyring, profile, secrets)).await?;
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
