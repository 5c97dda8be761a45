//! The share dialog: presigned download and upload links, plain links to public objects, and
//! the clipboard (written from Rust, so no clipboard permission is granted to the web view).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use osslite_core::share::{check_desktop_expires, curl_command, curl_output_name, share_request, ShareOptions};
use osslite_core::xml::ObjectAcl;
use osslite_core::{Addressing, Endpoint, Error, ErrorKind, Method, Scheme};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// Which host a link names.
#[derive(serde::Deserialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum LinkDomain {
    /// The profile's endpoint.
    #[default]
    Default,
    /// A custom domain bound to the bucket.
    Cname { host: String },
    /// The global acceleration endpoint.
    Accelerate,
}

#[derive(serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct ShareInput {
    bucket: String,
    key: String,
    method: Method,
    expires_secs: u64,
    #[serde(default = "super::yes")]
    https: bool,
    #[serde(default)]
    domain: LinkDomain,
    version_id: Option<String>,
    process: Option<String>,
    download_as: Option<String>,
    content_type: Option<String>,
    storage_class: Option<String>,
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    meta: Vec<(String, String)>,
}

fn filled(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SharedLink {
    url: String,
    method: Method,
    /// The time the link is dated with: the server's, when this computer's clock is off.
    signed_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    /// Seconds the server's clock is ahead of this computer's (negative: behind), as OSS's
    /// answers showed; 0 when they agree within a minute.
    clock_offset_secs: i64,
    /// Headers the recipient must send exactly so.
    signed_headers: BTreeMap<String, String>,
    /// Set when the validity was shortened to end with the profile's STS token.
    clipped_to_token_expiry: Option<DateTime<Utc>>,
    curl: String,
}

pub fn link_endpoint(profile_endpoint: &Endpoint, domain: &LinkDomain, https: bool) -> Result<Endpoint, Error> {
    let scheme = if https { Scheme::Https } else { Scheme::Http };
    Ok(match domain {
        LinkDomain::Default => profile_endpoint.clone().with_scheme(scheme),
        LinkDomain::Cname { host } => Endpoint::parse(host.trim(), Addressing::Cname)?.with_scheme(scheme),
        LinkDomain::Accelerate => {
            Endpoint::parse("oss-accelerate.aliyuncs.com", Addressing::Virtual)?.with_scheme(scheme)
        }
    })
}

/// A presigned link for one object. The validity must be 60..=32400 s; it is refused, never clamped.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %request.bucket, key = %request.key), err(level = "warn", Debug))]
pub fn share_presign(state: State<'_, AppState>, request: ShareInput) -> Result<SharedLink, CommandError> {
    check_desktop_expires(request.expires_secs)?;
    if !matches!(request.method, Method::Get | Method::Put) {
        return Err(Error::invalid_input("a shared link is a download (GET) or an upload (PUT) link").into());
    }
    let session = state.session()?;
    // Signed with the server's time, so a wrong local clock does not shorten or void the link.
    let now = session.client.now();
    let validity = session.link_validity(request.expires_secs, now)?;
    let options = ShareOptions {
        version_id: filled(request.version_id),
        process: filled(request.process),
        download_as: filled(request.download_as),
        content_type: filled(request.content_type),
        storage_class: filled(request.storage_class),
        meta: request.meta.into_iter().filter(|(name, _)| !name.trim().is_empty()).collect(),
        ..Default::default()
    };
    let oss_request = share_request(request.method, &request.bucket, &request.key, &options)?;
    let endpoint = link_endpoint(session.client.endpoint(), &request.domain, request.https)?;
    let presigned = session.client.presign_on(&endpoint, &oss_request, now, validity.seconds)?;
    let file_name = curl_output_name(&request.key, options.download_as.as_deref());
    Ok(SharedLink {
        curl: curl_command(&presigned, &file_name, &file_name),
        signed_headers: presigned.signed_headers.iter().cloned().collect(),
        clipped_to_token_expiry: validity.clipped_to,
        url: presigned.url,
        method: presigned.method,
        signed_at: presigned.signed_at,
        expires_at: presigned.expires_at,
        clock_offset_secs: session.client.clock_offset_secs(),
    })
}

/// The Content-Type an upload of `key` is given by its extension, as the core's uploads do.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn content_type_guess(key: String) -> String {
    osslite_core::ops::guess_content_type(&key)
}

#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PublicLink {
    url: String,
}

/// The plain, unsigned (permanent) URL of a public-read object.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, key = %key), err(level = "warn", Debug))]
pub async fn share_public_url(
    state: State<'_, AppState>,
    bucket: String,
    key: String,
    https: bool,
) -> Result<PublicLink, CommandError> {
    let session = state.session()?;
    let policy = session.client.get_object_acl(&bucket, &key).await?;
    if !matches!(policy.acl, ObjectAcl::PublicRead | ObjectAcl::PublicReadWrite) {
        return Err(Error::new(
            ErrorKind::PermissionDenied,
            format!(
                "the object's ACL is {}: only public-read objects have a permanent link; share it with a presigned link",
                policy.acl.as_str()
            ),
        )
        .into());
    }
    let scheme = if https { Scheme::Https } else { Scheme::Http };
    Ok(PublicLink {
        url: session.client.endpoint_for_bucket(&bucket)?.with_scheme(scheme).url(Some(&bucket), Some(&key)),
    })
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "warn", Debug))]
pub fn clipboard_write(state: State<'_, AppState>, text: String) -> Result<(), CommandError> {
    write_clipboard(&state, text)?;
    Ok(())
}

pub fn write_clipboard(state: &AppState, text: String) -> Result<(), Error> {
    let mut slot = state.clipboard.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if slot.is_none() {
        let clipboard = arboard::Clipboard::new()
            .map_err(|err| Error::new(ErrorKind::Io, format!("the system clipboard is not available: {err}")))?;
        *slot = Some(clipboard);
    }
    let clipboard = slot.as_mut().ok_or_else(|| Error::new(ErrorKind::Io, "the system clipboard is not available"))?;
    clipboard.set_text(text).map_err(|err| Error::new(ErrorKind::Io, format!("could not copy to the clipboard: {err}")))
}
