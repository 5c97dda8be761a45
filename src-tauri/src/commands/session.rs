//! Opening a profile (switching without a restart), testing one, and the "Local sandbox" demo.

use osslite_core::credentials::{run_off_runtime, StoredSecrets};
use osslite_core::profiles::{load_profile_secrets, sandbox_key_load_or_create, AccessReport, Profile, Session};
use osslite_core::{Addressing, ErrorKind};
use osslite_sandbox::{AccessKey, Sandbox, SandboxConfig};
use tauri::State;

use super::profiles::ProfileView;
use crate::error::CommandError;
use crate::state::AppState;

/// The demo profile's name; opening it starts the embedded sandbox.
pub const DEMO_PROFILE: &str = osslite_core::profiles::SANDBOX_PROFILE;
const DEMO_BUCKET: &str = "osslite-demo";

#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OpenedSession {
    profile: ProfileView,
    preset: Option<PresetView>,
}

#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PresetView {
    bucket: String,
    prefix: String,
}

/// A profile's keys: the Local sandbox's from its file in the data directory, others from the keyring.
async fn load_secrets(state: &AppState, name: &str) -> Result<StoredSecrets, osslite_core::Error> {
    let keyring = state.keyring.clone();
    let data_dir = state.data_dir.clone();
    let name = name.to_owned();
    run_off_runtime(move || load_profile_secrets(&keyring, &data_dir, &name)).await
}

/// Makes `name` the open profile; the previous one is closed.
#[tauri::command]
#[tracing::instrument(skip_all, fields(profile = %name), err(level = "warn", Debug))]
pub async fn session_open(state: State<'_, AppState>, name: String) -> Result<OpenedSession, CommandError> {
    if name == DEMO_PROFILE {
        start_demo(&state).await?;
    }
    let profile = state.profiles.get(&name)?;
    let session = Session::from_profile(&profile, load_secrets(&state, &name).await?)?;
    let preset = session.preset.clone().map(|p| PresetView { bucket: p.bucket, prefix: p.prefix });
    state.set_session(Some(session));
    Ok(OpenedSession { profile: profile.into(), preset })
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(profile = %name), err(level = "warn", Debug))]
pub async fn profile_test(state: State<'_, AppState>, name: String) -> Result<AccessReport, CommandError> {
    if name == DEMO_PROFILE {
        start_demo(&state).await?;
    }
    let profile = state.profiles.get(&name)?;
    let session = Session::from_profile(&profile, load_secrets(&state, &name).await?)?;
    Ok(session.check_access().await?)
}

/// Starts the embedded sandbox (with sample objects on first use) and saves its profile.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub async fn demo_profile_start(state: State<'_, AppState>) -> Result<ProfileView, CommandError> {
    Ok(start_demo(&state).await?.into())
}

async fn start_demo(state: &AppState) -> Result<Profile, osslite_core::Error> {
    let mut running = state.demo.lock().await;
    // Its key never touches the keyring, so the sandbox works where none runs (a bare Xvfb, a locked one).
    let data_dir = state.data_dir.clone();
    let secrets = run_off_runtime(move || sandbox_key_load_or_create(&data_dir)).await?;
    if running.is_none() {
        let root = state.data_dir.join("sandbox");
        let key = AccessKey::new(secrets.credentials.access_key_id(), secrets.credentials.access_key_secret().expose());
        let config = SandboxConfig::new(&root).with_bucket(DEMO_BUCKET).with_key(key);
        let sandbox = Sandbox::start(config).await.map_err(|err| {
            osslite_core::Error::new(ErrorKind::Io, format!("the local sandbox could not start: {err}"))
        })?;
        *running = Some(sandbox);
    }
    let endpoint = running.as_ref().map(|s| s.endpoint().to_owned()).unwrap_or_default();
    let mut profile = Profile::new(DEMO_PROFILE, "cn-hangzhou")?;
    profile.endpoint = Some(endpoint);
    profile.addressing = Addressing::Path;
    profile.https = false;
    profile.access_key_hint = secrets.credentials.masked_access_key_id();
    state.profiles.upsert(profile.clone())?;
    let session = Session::from_profile(&profile, secrets)?;
    super::demo_content::seed_if_empty(&session, DEMO_BUCKET).await?;
    Ok(profile)
}
