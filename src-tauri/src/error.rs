//! Errors as they cross to the web UI: the core's [`ErrorPayload`] (`{kind, message, service?}`),
//! the same shape a failed transfer's events carry.

use std::fmt;

use osslite_core::error::ErrorPayload;
use osslite_core::Error;

/// What every command rejects with; serialized exactly as its payload. Its `Debug`, which the
/// commands' spans log, adds the causes the UI never sees (an OS error, an HTTP error).
#[derive(serde::Serialize)]
#[serde(transparent)]
pub struct CommandError {
    payload: ErrorPayload,
    #[serde(skip)]
    with_causes: String,
}

impl From<Error> for CommandError {
    fn from(err: Error) -> Self {
        let with_causes = err.with_causes();
        Self { payload: err.into(), with_causes }
    }
}

impl fmt::Debug for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.payload.kind.as_str(), self.with_causes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use osslite_core::ErrorKind;

    #[test]
    fn the_payload_is_sent_and_the_causes_are_only_logged() {
        let os = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "Permission denied (os error 13)");
        let err: CommandError = Error::new(ErrorKind::Io, "reading 'a.txt'").with_source(os).into();
        let sent = serde_json::to_value(&err).unwrap();
        assert_eq!(sent, serde_json::json!({"kind": "io", "message": "reading 'a.txt'"}));
        assert_eq!(format!("{err:?}"), "io: reading 'a.txt': Permission denied (os error 13)");
    }
}
