//! Errors as they cross to the web UI: `{kind, message, service?}`, with a stable camelCase kind and,
//! for OSS error responses, the status, Code, RequestId and EC the user may need to report.

use osslite_core::error::ServiceError;
use osslite_core::Error;

#[derive(Debug, serde::Serialize)]
pub struct CommandError {
    kind: &'static str,
    message: String,
    /// Boxed: it is large, and every command returns `Result<_, CommandError>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<Box<ServiceError>>,
}

impl From<Error> for CommandError {
    fn from(err: Error) -> Self {
        Self {
            kind: err.kind().as_str(),
            message: err.message().to_owned(),
            service: err.service().cloned().map(Box::new),
        }
    }
}
