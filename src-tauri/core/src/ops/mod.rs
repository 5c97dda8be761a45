//! Pure request builders, one function per OSS operation: they validate their input and return
//! the [`OssRequest`] (and, for the two POSTs with an XML body, the body) that the client then
//! signs and sends. Nothing here does I/O or reads the clock, so every builder is tested alone,
//! and a presigned URL for any operation is `signer.presign(&builder(..)?, ..)`.

pub mod buckets;
pub mod manage;
pub mod multipart;
pub mod objects;
pub mod versions;

use base64::Engine as _;
use md5::{Digest, Md5};

use crate::error::{Error, Result};
use crate::request::OssRequest;
use crate::share::check_storage_class;

pub use crate::share::{check_bucket_name, check_object_key};
pub use buckets::*;
pub use manage::*;
pub use multipart::*;
pub use objects::*;
pub use versions::*;

/// A request body held in memory, for the builders of POSTs whose body is XML.
pub type XmlBody = bytes::Bytes;

/// Headers every upload can carry: PutObject, InitiateMultipartUpload, and CopyObject with
/// replaced metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutObjectOptions {
    /// `None`: guessed from the file name or the key with `mime_guess`, else `application/octet-stream`.
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
    pub content_disposition: Option<String>,
    pub content_encoding: Option<String>,
    pub content_language: Option<String>,
    pub expires: Option<String>,
    /// `x-oss-meta-NAME: value`; names are lower-cased as OSS stores them.
    pub meta: Vec<(String, String)>,
    /// `Standard`, `IA`, `Archive`, `ColdArchive` or `DeepColdArchive` (any letter case).
    pub storage_class: Option<String>,
    /// `x-oss-forbid-overwrite: true`: fail with 409 FileAlreadyExists instead of replacing.
    pub forbid_overwrite: bool,
    pub acl: Option<crate::xml::ObjectAcl>,
}

impl PutObjectOptions {
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    pub fn with_meta(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.meta.push((name.into(), value.into()));
        self
    }

    pub fn with_storage_class(mut self, class: impl Into<String>) -> Self {
        self.storage_class = Some(class.into());
        self
    }

    pub fn with_forbid_overwrite(mut self, forbid: bool) -> Self {
        self.forbid_overwrite = forbid;
        self
    }

    /// Writes the headers into `request`; `name_for_type` is the name the Content-Type is guessed from.
    fn apply(&self, request: &mut OssRequest, name_for_type: &str) -> Result<()> {
        let content_type = match &self.content_type {
            Some(content_type) => content_type.clone(),
            None => guess_content_type(name_for_type),
        };
        request.set_header("Content-Type", content_type);
        if let Some(value) = &self.cache_control {
            request.set_header("Cache-Control", value.clone());
        }
        if let Some(value) = &self.content_disposition {
            request.set_header("Content-Disposition", value.clone());
        }
        if let Some(value) = &self.content_encoding {
            request.set_header("Content-Encoding", value.clone());
        }
        if let Some(value) = &self.content_language {
            request.set_header("Content-Language", value.clone());
        }
        if let Some(value) = &self.expires {
            request.set_header("Expires", value.clone());
        }
        for (name, value) in &self.meta {
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                return Err(Error::invalid_input(format!(
                    "metadata name '{name}' may hold only letters, digits, '-' and '_'"
                )));
            }
            request.set_header(format!("x-oss-meta-{}", name.to_ascii_lowercase()), value.clone());
        }
        if let Some(class) = &self.storage_class {
            request.set_header("x-oss-storage-class", check_storage_class(class)?);
        }
        if self.forbid_overwrite {
            request.set_header("x-oss-forbid-overwrite", "true");
        }
        if let Some(acl) = self.acl {
            request.set_header("x-oss-object-acl", acl.as_str());
        }
        Ok(())
    }
}

/// The Content-Type for a file or key name, by its extension (`report.pdf` → `application/pdf`).
pub fn guess_content_type(name: &str) -> String {
    mime_guess::from_path(name).first_or_octet_stream().essence_str().to_owned()
}

/// `Content-MD5`: base64 of the body's MD5, which OSS requires on DeleteMultipleObjects.
pub fn content_md5(body: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Md5::digest(body))
}

fn check_object(bucket: &str, key: &str) -> Result<()> {
    check_bucket_name(bucket)?;
    check_object_key(key)
}

/// `1..=1000`, the page size OSS accepts for its listings.
fn check_page_size(name: &str, value: Option<u32>) -> Result<()> {
    match value {
        Some(n) if !(1..=1000).contains(&n) => {
            Err(Error::invalid_input(format!("{name} must be 1 to 1000; {n} is out of range")))
        }
        _ => Ok(()),
    }
}

fn push_opt(request: &mut OssRequest, name: &str, value: Option<&str>) {
    if let Some(value) = value.filter(|v| !v.is_empty()) {
        request.query.push((name.to_owned(), value.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_is_guessed_from_the_extension() {
        assert_eq!(guess_content_type("photos/cat.PNG"), "image/png");
        assert_eq!(guess_content_type("report.pdf"), "application/pdf");
        assert_eq!(guess_content_type("no-extension"), "application/octet-stream");
    }

    #[test]
    fn content_md5_is_base64_of_the_digest() {
        // RFC 1321 test vector: MD5("abc") = 900150983cd24fb0d6963f7d28e17f72.
        assert_eq!(content_md5(b"abc"), "kAFQmDzST7DWlj99KOF/cg==");
    }
}
