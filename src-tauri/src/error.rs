//! Errors as they cross to the web UI: the core's [`ErrorPayload`] (`{kind, message, service?}`),
//! the same shape a failed transfer's events carry.

use osslite_core::error::ErrorPayload;
use osslite_core::Error;

/// What every command rejects with; serialized exactly as its payload.
#[derive(Debug, serde::Serialize)]
#[serde(transparent)]
pub struct CommandError(ErrorPayload);

impl From<Error> for CommandError {
    fn from(err: Error) -> Self {
        Self(err.into())
    }
}
