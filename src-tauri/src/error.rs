//! Errors as they cross to the web UI: `{kind, message}`, with a stable camelCase kind.

use osslite_core::Error;

#[derive(Debug, serde::Serialize)]
pub struct CommandError {
    kind: &'static str,
    message: String,
}

impl From<Error> for CommandError {
    fn from(err: Error) -> Self {
        Self { kind: err.kind().as_str(), message: err.message().to_owned() }
    }
}
