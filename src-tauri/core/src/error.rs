//! The core's error: a stable kind for the UI and the CLI's exit code, a message for people, and
//! the error that caused it for logs. [`ErrorPayload`] is how it crosses to the UI.

use std::fmt;
use std::sync::Arc;

/// What went wrong, in categories a caller can act on without reading the message.
///
/// The names are serde's camelCase renames; the TypeScript union is generated from the same
/// attribute, and `as_str` is checked against them for every variant (the app's bindings test).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The caller's input is wrong (a bad key, an expiry out of range, a malformed endpoint),
    /// or OSS refused the request as malformed (400-class codes such as InvalidArgument).
    InvalidInput,
    /// The bucket, object or upload does not exist (404, NoSuchKey, NoSuchBucket, NoSuchUpload).
    NotFound,
    /// The credentials are valid but not allowed to do this (403 AccessDenied).
    PermissionDenied,
    /// OSS does not accept the credentials (InvalidAccessKeyId, SignatureDoesNotMatch).
    Unauthenticated,
    /// A presigned URL or an STS token has expired.
    Expired,
    /// The request conflicts with the resource's state (409, FileAlreadyExists, 412 preconditions).
    Conflict,
    /// OSS asks to slow down (429); retried automatically first.
    Throttled,
    /// OSS failed on its side (5xx); retried automatically first.
    Service,
    /// The server could not be reached or stopped answering (connect, timeout, reset, proxy).
    Network,
    /// OSS answered something the client cannot read (malformed XML, a missing header).
    InvalidResponse,
    /// Data arrived damaged: a part, range or object whose CRC-64 (or MD5) differs from the
    /// bytes sent or expected. A part or range is sent again first.
    Integrity,
    /// A local file could not be read or written.
    Io,
    /// The OS keyring is missing, locked or holds a damaged entry.
    Keyring,
    /// The user cancelled the operation.
    Cancelled,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalidInput",
            ErrorKind::NotFound => "notFound",
            ErrorKind::PermissionDenied => "permissionDenied",
            ErrorKind::Unauthenticated => "unauthenticated",
            ErrorKind::Expired => "expired",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Throttled => "throttled",
            ErrorKind::Service => "service",
            ErrorKind::Network => "network",
            ErrorKind::InvalidResponse => "invalidResponse",
            ErrorKind::Integrity => "integrity",
            ErrorKind::Io => "io",
            ErrorKind::Keyring => "keyring",
            ErrorKind::Cancelled => "cancelled",
        }
    }

    /// Whether the same request may succeed if sent again later (throttling, 5xx, network).
    pub fn is_transient(self) -> bool {
        matches!(self, ErrorKind::Throttled | ErrorKind::Service | ErrorKind::Network)
    }
}

/// What OSS said about a failed request: the HTTP status and the fields of its `<Error>` body
/// (or, when the body is not XML, whatever the headers carried).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ServiceError {
    pub status: u16,
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub host_id: Option<String>,
    /// OSS's detailed error code (`EC`), e.g. `0026-00000001`, to look up in Alibaba's docs.
    pub ec: Option<String>,
}

impl ServiceError {
    /// The kind a caller can act on, from the status and the OSS code (and, for expiry, the message).
    pub fn kind(&self) -> ErrorKind {
        let code = self.code.as_deref().unwrap_or("");
        let message = self.message.as_deref().unwrap_or("");
        let expired = message.contains("expired") || message.contains("Expired");
        match code {
            "NoSuchKey" | "NoSuchBucket" | "NoSuchUpload" | "NoSuchVersion" => return ErrorKind::NotFound,
            "SecurityTokenExpired" | "ExpiredToken" => return ErrorKind::Expired,
            "InvalidAccessKeyId" | "SignatureDoesNotMatch" | "InvalidSecurityToken" | "RequestTimeTooSkewed" => {
                return ErrorKind::Unauthenticated
            }
            "AccessDenied" if expired => return ErrorKind::Expired,
            "FileAlreadyExists" | "PositionNotEqualToLength" => return ErrorKind::Conflict,
            // The body that arrived does not have the Content-MD5 (or CRC) sent with it.
            "InvalidDigest" | "BadDigest" => return ErrorKind::Integrity,
            _ => {}
        }
        match self.status {
            401 => ErrorKind::Unauthenticated,
            403 if expired => ErrorKind::Expired,
            403 => ErrorKind::PermissionDenied,
            404 => ErrorKind::NotFound,
            409 | 412 => ErrorKind::Conflict,
            429 => ErrorKind::Throttled,
            500..=599 => ErrorKind::Service,
            _ => ErrorKind::InvalidInput,
        }
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OSS answered {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = self.message.as_deref().filter(|m| !m.is_empty()) {
            write!(f, ": {message}")?;
        }
        match (&self.request_id, &self.ec) {
            (Some(id), Some(ec)) => write!(f, " (request id {id}, EC {ec})"),
            (Some(id), None) => write!(f, " (request id {id})"),
            (None, Some(ec)) => write!(f, " (EC {ec})"),
            (None, None) => Ok(()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    service: Option<Box<ServiceError>>,
    /// The raw technical text behind a readable message (a network error's chain), shown only on
    /// request ("Details").
    detail: Option<String>,
    /// The error that caused this one (an I/O or HTTP error), for logs; not part of equality.
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.message == other.message && self.service == other.service
    }
}

impl Eq for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), service: None, detail: None, source: None }
    }

    /// The same error, remembering what caused it (`std::error::Error::source` gives it back).
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// The same error, with the raw technical text behind its message for a "Details" view.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The raw technical text behind the message, if it was made readable.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// An error response from OSS, with its kind derived from status and code.
    pub fn from_service(service: ServiceError) -> Self {
        Self {
            kind: service.kind(),
            message: service.to_string(),
            service: Some(Box::new(service)),
            detail: None,
            source: None,
        }
    }

    /// The OSS error response behind this error, if it came from one.
    pub fn service(&self) -> Option<&ServiceError> {
        self.service.as_deref()
    }

    /// The HTTP status of the OSS error response, if any.
    pub fn status(&self) -> Option<u16> {
        self.service.as_ref().map(|s| s.status)
    }

    /// The OSS error code (`NoSuchKey`, `AccessDenied` …), if any.
    pub fn code(&self) -> Option<&str> {
        self.service.as_ref().and_then(|s| s.code.as_deref())
    }

    /// The same error with `context` put before its message (`uploading a.txt: …`).
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidInput, message)
    }

    /// Bytes that arrived damaged (a checksum mismatch).
    pub fn integrity(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Integrity, message)
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|source| source as &(dyn std::error::Error + 'static))
    }
}

impl Error {
    /// The message followed by each underlying cause not already in it
    /// (`reading 'a.txt': Permission denied (os error 13)`), for logs.
    pub fn with_causes(&self) -> String {
        let mut text = self.message.clone();
        let mut cause = std::error::Error::source(self);
        while let Some(err) = cause {
            let piece = err.to_string();
            if !piece.is_empty() && !text.contains(&piece) {
                text.push_str(": ");
                text.push_str(&piece);
            }
            cause = err.source();
        }
        text
    }
}

/// An error as it crosses to the UI, the same for a command's rejection and a failed transfer:
/// `{kind, message, service?}`, a stable camelCase kind to branch on, a message to show and, for
/// an OSS error response, the status, Code, RequestId and EC the user may need to report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ErrorPayload {
    pub kind: ErrorKind,
    pub message: String,
    // Boxed: it is large, and every command's `Result` carries a payload.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub service: Option<Box<ServiceError>>,
    /// The raw text behind a readable message (a network error's cause chain, never a URL), for
    /// a "Details" disclosure.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub detail: Option<String>,
}

impl From<&Error> for ErrorPayload {
    fn from(err: &Error) -> Self {
        Self { kind: err.kind, message: err.message.clone(), service: err.service.clone(), detail: err.detail.clone() }
    }
}

impl From<Error> for ErrorPayload {
    fn from(err: Error) -> Self {
        Self { kind: err.kind, message: err.message, service: err.service, detail: err.detail }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(status: u16, code: &str, message: &str) -> ServiceError {
        ServiceError {
            status,
            code: (!code.is_empty()).then(|| code.to_owned()),
            message: (!message.is_empty()).then(|| message.to_owned()),
            ..Default::default()
        }
    }

    #[test]
    fn service_errors_map_to_kinds_the_ui_can_act_on() {
        let cases = [
            (404, "NoSuchKey", "The specified key does not exist.", ErrorKind::NotFound),
            (404, "NoSuchBucket", "The specified bucket does not exist.", ErrorKind::NotFound),
            (404, "", "", ErrorKind::NotFound),
            (403, "AccessDenied", "You have no right to access this object.", ErrorKind::PermissionDenied),
            (
                403,
                "InvalidAccessKeyId",
                "The OSS Access Key Id you provided does not exist.",
                ErrorKind::Unauthenticated,
            ),
            (
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match",
                ErrorKind::Unauthenticated,
            ),
            (403, "AccessDenied", "Request has expired.", ErrorKind::Expired),
            (403, "SecurityTokenExpired", "The security token you provided has expired.", ErrorKind::Expired),
            (403, "InvalidSecurityToken", "The security token you provided is invalid.", ErrorKind::Unauthenticated),
            (409, "FileAlreadyExists", "The object you specified already exists.", ErrorKind::Conflict),
            (409, "BucketNotEmpty", "", ErrorKind::Conflict),
            (412, "PreconditionFailed", "", ErrorKind::Conflict),
            (429, "", "", ErrorKind::Throttled),
            (500, "InternalError", "", ErrorKind::Service),
            (503, "ServiceUnavailable", "", ErrorKind::Service),
            (400, "InvalidArgument", "", ErrorKind::InvalidInput),
            (416, "InvalidRange", "", ErrorKind::InvalidInput),
            (
                400,
                "InvalidDigest",
                "The Content-MD5 you specified did not match what we received.",
                ErrorKind::Integrity,
            ),
        ];
        for (status, code, message, kind) in cases {
            assert_eq!(service(status, code, message).kind(), kind, "{status} {code} {message}");
        }
    }

    #[test]
    fn an_error_from_a_service_response_keeps_every_field_and_names_them() {
        let payload = ServiceError {
            status: 404,
            code: Some("NoSuchKey".into()),
            message: Some("The specified key does not exist.".into()),
            request_id: Some("5C3D9175B6FC201293AD****".into()),
            host_id: Some("bucket.oss-cn-hangzhou.aliyuncs.com".into()),
            ec: Some("0026-00000001".into()),
        };
        let err = Error::from_service(payload.clone());
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert_eq!(err.status(), Some(404));
        assert_eq!(err.code(), Some("NoSuchKey"));
        assert_eq!(err.service(), Some(&payload));
        let text = err.to_string();
        for part in ["404", "NoSuchKey", "does not exist", "5C3D9175B6FC201293AD****", "0026-00000001"] {
            assert!(text.contains(part), "{part} missing from {text}");
        }
        assert!(err.context("reading k").to_string().starts_with("reading k: OSS answered 404"));
    }

    #[test]
    fn kind_names_are_camel_case_and_transient_kinds_are_marked() {
        assert_eq!(ErrorKind::PermissionDenied.as_str(), "permissionDenied");
        assert_eq!(ErrorKind::InvalidResponse.as_str(), "invalidResponse");
        assert_eq!(ErrorKind::Integrity.as_str(), "integrity");
        assert_eq!(serde_json::to_string(&ErrorKind::Integrity).unwrap(), "\"integrity\"");
        assert!(!ErrorKind::Integrity.is_transient());
        assert_eq!(serde_json::to_string(&ErrorKind::NotFound).unwrap(), "\"notFound\"");
        assert!(ErrorKind::Throttled.is_transient() && ErrorKind::Service.is_transient());
        assert!(ErrorKind::Network.is_transient());
        assert!(!ErrorKind::NotFound.is_transient() && !ErrorKind::InvalidInput.is_transient());
    }

    #[test]
    fn the_payload_is_kind_message_and_service_only_when_oss_answered() {
        let plain = ErrorPayload::from(Error::new(ErrorKind::Io, "disk full"));
        assert_eq!(serde_json::to_value(&plain).unwrap(), serde_json::json!({"kind": "io", "message": "disk full"}));
        let from_oss = ErrorPayload::from(&Error::from_service(service(404, "NoSuchKey", "")));
        let json = serde_json::to_value(&from_oss).unwrap();
        assert_eq!(json["kind"], "notFound");
        assert_eq!(json["service"]["status"], 404);
        assert_eq!(json["service"]["code"], "NoSuchKey");
        assert_eq!(json["service"]["requestId"], serde_json::Value::Null);
    }

    #[test]
    fn the_cause_is_kept_for_logs_but_not_compared_or_shown() {
        use std::error::Error as _;
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "EACCES on /data/a.bin");
        let err = Error::new(ErrorKind::Io, "could not read a.bin").with_source(io);
        assert_eq!(err.source().map(|source| source.to_string()).as_deref(), Some("EACCES on /data/a.bin"));
        assert_eq!(err.clone().source().map(|source| source.to_string()).as_deref(), Some("EACCES on /data/a.bin"));
        assert_eq!(err, Error::new(ErrorKind::Io, "could not read a.bin"));
        assert!(Error::new(ErrorKind::Io, "x").source().is_none());
        assert!(!serde_json::to_string(&ErrorPayload::from(err)).unwrap().contains("EACCES"));
    }
}
