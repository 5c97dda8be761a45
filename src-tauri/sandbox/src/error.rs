//! Errors: [`SandboxError`] for starting a sandbox, [`OssError`] for answering a request the way
//! OSS does (status, `Code`, `Message`, `EC`, and any extra fields such as `StringToSign`).

use std::io;
use std::path::PathBuf;

use hyper::StatusCode;

/// Why a sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("invalid sandbox configuration: {0}")]
    InvalidConfig(String),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: std::net::SocketAddr, source: io::Error },
    #[error("cannot use the storage directory {path}: {source}")]
    Storage { path: PathBuf, source: io::Error },
}

/// An error answered to the client as OSS's XML `<Error>` document.
#[derive(Debug, Clone)]
pub struct OssError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub ec: &'static str,
    /// Further `<Name>value</Name>` elements after `HostId`, e.g. `StringToSign` or `Key`.
    pub details: Vec<(&'static str, String)>,
    /// Response headers the error carries, e.g. `x-oss-delete-marker`.
    pub headers: Vec<(&'static str, String)>,
}

pub type OssResult<T> = Result<T, OssError>;

impl OssError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), ec: "", details: Vec::new(), headers: Vec::new() }
    }

    pub fn with_ec(mut self, ec: &'static str) -> Self {
        self.ec = ec;
        self
    }

    pub fn with_detail(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.details.push((name, value.into()));
        self
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn access_denied(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "AccessDenied", message)
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "InvalidArgument", message)
    }

    pub fn malformed_xml(why: impl AsRef<str>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "MalformedXML",
            format!(
                "The XML you provided was not well-formed or did not validate against our published schema: {}",
                why.as_ref()
            ),
        )
    }

    pub fn no_such_bucket(bucket: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NoSuchBucket", "The specified bucket does not exist.")
            .with_ec("0015-00000101")
            .with_detail("BucketName", bucket)
    }

    pub fn no_such_key(key: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NoSuchKey", "The specified key does not exist.")
            .with_ec("0026-00000001")
            .with_detail("Key", key)
    }

    pub fn no_such_version(key: &str, version_id: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NoSuchVersion", "The specified version does not exist.")
            .with_detail("Key", key)
            .with_detail("VersionId", version_id)
    }

    pub fn no_such_upload(upload_id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NoSuchUpload",
            "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
        )
        .with_detail("UploadId", upload_id)
    }

    pub fn invalid_object_name() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "InvalidObjectName", "The specified object is not valid.")
    }

    pub fn invalid_bucket_name(bucket: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "InvalidBucketName", "The specified bucket is not valid.")
            .with_detail("BucketName", bucket)
    }

    pub fn invalid_digest(message: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "InvalidDigest", message)
    }

    pub fn not_implemented(what: &str) -> Self {
        Self::new(StatusCode::NOT_IMPLEMENTED, "NotImplemented", format!("The sandbox does not implement {what}."))
    }

    pub fn internal(why: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            format!("We encountered an internal error: {why}"),
        )
    }

    /// Reading an archived object that is not restored.
    pub fn invalid_object_state(key: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "InvalidObjectState",
            "The operation is not valid for the object's state: restore the archived object (RestoreObject) and read it when the restore has finished.",
        )
        .with_detail("Key", key)
    }

    pub fn precondition_failed() -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold.",
        )
    }
}

impl From<io::Error> for OssError {
    fn from(err: io::Error) -> Self {
        OssError::internal(err)
    }
}
