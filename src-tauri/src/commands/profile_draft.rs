//! "Test connection" in the profile form: the typed values, secret included, are tried without
//! being stored. The secret arrives in the request only; the answer and the logs never hold it.

use osslite_core::credentials::run_off_runtime;
use osslite_core::profiles::{connection_changed, load_profile_secrets, AccessReport, Session};
use osslite_core::Error;
use tauri::State;

use super::profiles::ProfileInput;
use crate::error::CommandError;
use crate::state::AppState;

/// Tries the form's values as `profile_test` tries a saved profile. Without typed keys, an edited
/// profile tests with its stored keys, unless the edit sends them to another host or proxy.
#[tauri::command]
#[tracing::instrument(skip_all, fields(profile = %input.name()), err(level = "warn", Debug))]
pub async fn profile_test_unsaved(
    state: State<'_, AppState>,
    input: ProfileInput,
) -> Result<AccessReport, CommandError> {
    let existing = state.profiles.get(input.name()).ok();
    let (profile, keys) = input.into_parts(existing.as_ref())?;
    profile.validate()?;
    let keyring = state.keyring.clone();
    let name = profile.name.clone();
    let secrets = match (keys, existing) {
        (Some(keys), _) => run_off_runtime(move || keys.into_secrets(&keyring, &name)).await?,
        (None, Some(existing)) if !connection_changed(&existing, &profile) => {
            let data_dir = state.data_dir.clone();
            run_off_runtime(move || load_profile_secrets(&keyring, &data_dir, &name)).await?
        }
        (None, _) => {
            return Err(Error::invalid_input(
                "enter the AccessKey ID and secret to test this connection (they are not stored until you save)",
            )
            .into())
        }
    };
    let session = Session::from_profile(&profile, secrets)?;
    Ok(session.check_access().await?)
}
