//! The address bar: what a pasted address means, given the saved profiles.

use osslite_core::address::{address_profiles, parse_address, Location};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// Where `text` leads: a bucket and prefix or key, and the saved profile whose endpoint or custom
/// domain the URL names (none for `oss://` and `bucket/…`, which stay in the open profile). The
/// address itself is never logged: a presigned URL carries a signature.
#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub async fn resolve_address(state: State<'_, AppState>, text: String) -> Result<Location, CommandError> {
    let profiles = state.profiles.list()?;
    Ok(parse_address(&text, &address_profiles(&profiles))?)
}
