//! Sharing objects: what a presigned link carries (version, image processing, download name,
//! headers an uploader must send), and how it is handed over (URL, curl command).

mod curl;
mod disposition;
pub mod export;
mod filter;

pub use curl::{curl_command, curl_output_name, signs_content_type};
pub use disposition::attachment_disposition;
pub use filter::KeyFilter;

use crate::error::{Error, Result};
use crate::request::{Method, OssRequest};

/// The validity range the desktop app offers, as Alibaba's console and ossbrowser do (1 min to 9 h).
pub const DESKTOP_MIN_EXPIRES_SECS: u64 = 60;
pub const DESKTOP_MAX_EXPIRES_SECS: u64 = 32_400;

/// Refuses a validity outside the desktop's 60..=32400 seconds; never clamps.
pub fn check_desktop_expires(seconds: u64) -> Result<u64> {
    if (DESKTOP_MIN_EXPIRES_SECS..=DESKTOP_MAX_EXPIRES_SECS).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(Error::invalid_input(format!(
            "a shared link must be valid for {DESKTOP_MIN_EXPIRES_SECS} to {DESKTOP_MAX_EXPIRES_SECS} seconds \
             (1 minute to 9 hours); {seconds} is out of range"
        )))
    }
}

/// What a shared link does besides naming the object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShareOptions {
    pub version_id: Option<String>,
    /// An `x-oss-process` style such as `image/resize,w_200`.
    pub process: Option<String>,
    /// Forces a download under this file name (`response-content-disposition`).
    pub download_as: Option<String>,
    /// GET/HEAD: overrides the response's Content-Type; PUT: the Content-Type the uploader must send.
    pub content_type: Option<String>,
    /// PUT only: `x-oss-storage-class` the uploader must send.
    pub storage_class: Option<String>,
    /// PUT only: `x-oss-meta-NAME` headers the uploader must send.
    pub meta: Vec<(String, String)>,
    /// Further query parameters, signed as given.
    pub query: Vec<(String, String)>,
    /// Further headers the recipient must send, signed.
    pub headers: Vec<(String, String)>,
    pub additional_headers: Vec<String>,
}

/// The request a shared link stands for.
pub fn share_request(method: Method, bucket: &str, key: &str, options: &ShareOptions) -> Result<OssRequest> {
    check_bucket_name(bucket)?;
    check_object_key(key)?;
    let uploads = method == Method::Put;
    if !uploads && (options.storage_class.is_some() || !options.meta.is_empty()) {
        return Err(Error::invalid_input("storage class and x-oss-meta-* headers apply to upload links (PUT) only"));
    }
    let mut request = OssRequest::object(method, bucket, key);
    if let Some(version_id) = &options.version_id {
        request.query.push(("versionId".into(), version_id.clone()));
    }
    if let Some(process) = &options.process {
        request.query.push(("x-oss-process".into(), process.clone()));
    }
    if let Some(file_name) = &options.download_as {
        request.query.push(("response-content-disposition".into(), attachment_disposition(file_name)?));
    }
    match (&options.content_type, uploads) {
        (Some(content_type), true) => request.set_header("Content-Type", content_type.clone()),
        (Some(content_type), false) => request.query.push(("response-content-type".into(), content_type.clone())),
        (None, _) => {}
    }
    if let Some(storage_class) = &options.storage_class {
        request.set_header("x-oss-storage-class", check_storage_class(storage_class)?);
    }
    for (name, value) in &options.meta {
        if name.is_empty() || !name.bytes().all(is_header_name_byte) {
            return Err(Error::invalid_input(format!(
                "metadata name '{name}' may hold only letters, digits, '-' and '_'"
            )));
        }
        request.set_header(format!("x-oss-meta-{}", name.to_ascii_lowercase()), value.clone());
    }
    request.query.extend(options.query.iter().cloned());
    for (name, value) in &options.headers {
        if name.is_empty() || !name.bytes().all(is_header_name_byte) {
            return Err(Error::invalid_input(format!("'{name}' is not a valid HTTP header name")));
        }
        request.set_header(name.clone(), value.clone());
    }
    request.additional_headers = options.additional_headers.clone();
    Ok(request)
}

fn is_header_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

const STORAGE_CLASSES: [&str; 5] = ["Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive"];

pub(crate) fn check_storage_class(text: &str) -> Result<String> {
    STORAGE_CLASSES.iter().find(|class| class.eq_ignore_ascii_case(text)).map(|class| class.to_string()).ok_or_else(
        || Error::invalid_input(format!("unknown storage class '{text}': use one of {}", STORAGE_CLASSES.join(", "))),
    )
}

/// OSS bucket names: 3 to 63 characters of lower-case letters, digits and '-', not starting or ending with '-'.
pub fn check_bucket_name(name: &str) -> Result<()> {
    let valid_chars = name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if (3..=63).contains(&name.len()) && valid_chars && !name.starts_with('-') && !name.ends_with('-') {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "'{name}' is not a valid bucket name: 3 to 63 lower-case letters, digits or '-', not starting or ending with '-'"
        )))
    }
}

/// OSS object keys: 1 to 1023 bytes of UTF-8.
pub fn check_object_key(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > 1023 {
        return Err(Error::invalid_input(format!(
            "an object key must be 1 to 1023 bytes long; this one has {} bytes",
            key.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desktop_validity_refuses_59_and_32401_without_clamping() {
        assert_eq!(check_desktop_expires(60).unwrap(), 60);
        assert_eq!(check_desktop_expires(32_400).unwrap(), 32_400);
        for bad in [59, 32_401] {
            let message = check_desktop_expires(bad).unwrap_err().to_string();
            assert!(message.contains("60 to 32400 seconds") && message.contains(&bad.to_string()), "{message}");
        }
    }

    #[test]
    fn download_links_carry_query_overrides_and_upload_links_carry_headers() {
        let options = ShareOptions {
            version_id: Some("v1".into()),
            process: Some("image/resize,w_100".into()),
            download_as: Some("report.pdf".into()),
            content_type: Some("application/pdf".into()),
            ..Default::default()
        };
        let get = share_request(Method::Get, "bucket", "k", &options).unwrap();
        let names: Vec<&str> = get.query.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["versionId", "x-oss-process", "response-content-disposition", "response-content-type"]);
        assert!(get.headers.is_empty());

        let options = ShareOptions {
            content_type: Some("text/plain".into()),
            storage_class: Some("ia".into()),
            meta: vec![("Owner".into(), "alice".into())],
            ..Default::default()
        };
        let put = share_request(Method::Put, "bucket", "k", &options).unwrap();
        assert_eq!(put.header("content-type"), Some("text/plain"));
        assert_eq!(put.header("x-oss-storage-class"), Some("IA"));
        assert_eq!(put.header("x-oss-meta-owner"), Some("alice"));
    }

    #[test]
    fn bad_names_keys_and_upload_only_options_are_refused() {
        assert!(share_request(Method::Get, "Bad_Bucket", "k", &ShareOptions::default()).is_err());
        assert!(share_request(Method::Get, "bucket", "", &ShareOptions::default()).is_err());
        assert!(share_request(Method::Get, "bucket", &"k".repeat(1024), &ShareOptions::default()).is_err());
        let meta = ShareOptions { meta: vec![("a".into(), "b".into())], ..Default::default() };
        assert!(share_request(Method::Get, "bucket", "k", &meta).unwrap_err().to_string().contains("PUT"));
        let class = ShareOptions { storage_class: Some("Gold".into()), ..Default::default() };
        assert!(share_request(Method::Put, "bucket", "k", &class).unwrap_err().to_string().contains("Standard"));
    }
}
