//! Previews: a token per object the user opened, and the `osslite-preview` URI scheme that serves
//! its bytes (ranges for players) to the web view, which never sees a URL with credentials.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use osslite_core::preview::{preview_kind_sized, text_preview, PreviewKind, TextPreview};
use osslite_core::preview_read::{read_preview, PreviewTarget};
use osslite_core::Error;
use tauri::http::{header, Request, Response, StatusCode};
use tauri::{AppHandle, Manager, Runtime, State, UriSchemeContext, UriSchemeResponder};

use super::preview_http::MediaServer;
use crate::error::CommandError;
use crate::state::AppState;

pub const SCHEME: &str = "osslite-preview";
/// Tokens kept: older previews stop answering.
const TOKENS_KEPT: usize = 64;

#[derive(Default)]
pub struct PreviewTokens {
    next: AtomicU64,
    targets: Mutex<VecDeque<(String, PreviewTarget)>>,
}

impl PreviewTokens {
    fn add(&self, target: PreviewTarget) -> String {
        let token = format!("p{}", self.next.fetch_add(1, Ordering::Relaxed));
        let mut targets = self.targets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if targets.len() >= TOKENS_KEPT {
            targets.pop_front();
        }
        targets.push_back((token.clone(), target));
        token
    }

    fn get(&self, token: &str) -> Option<PreviewTarget> {
        let targets = self.targets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        targets.iter().find(|(t, _)| t == token).map(|(_, target)| target.clone())
    }
}

/// How the UI shows an object: its viewer, and the scheme URL of its bytes (none for text and
/// unsupported types).
#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PreviewOpened {
    kind: PreviewKind,
    url: Option<String>,
}

fn scheme_url(token: &str) -> String {
    if cfg!(windows) {
        format!("http://{SCHEME}.localhost/{token}")
    } else {
        format!("{SCHEME}://localhost/{token}")
    }
}

/// Whether the web view plays this kind only over loopback HTTP (see preview_http.rs).
fn needs_http(kind: PreviewKind) -> bool {
    cfg!(target_os = "linux") && matches!(kind, PreviewKind::Audio | PreviewKind::Video | PreviewKind::Pdf)
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, key = %key), err(level = "warn", Debug))]
#[allow(clippy::too_many_arguments)]
pub async fn preview_open<R: Runtime>(
    app: AppHandle<R>,
    tokens: State<'_, PreviewTokens>,
    media: State<'_, MediaServer>,
    bucket: String,
    key: String,
    version_id: Option<String>,
    size: u64,
    content_type: Option<String>,
) -> Result<PreviewOpened, CommandError> {
    let kind = preview_kind_sized(content_type.as_deref(), &key, size);
    let url = match kind {
        PreviewKind::Text | PreviewKind::Unsupported => None,
        _ => {
            let token = tokens.add(PreviewTarget { bucket, key, version_id, size, kind });
            if needs_http(kind) {
                Some(format!("{}/{token}", media.base(&app).await?))
            } else {
                Some(scheme_url(&token))
            }
        }
    };
    Ok(PreviewOpened { kind, url })
}

/// The first MiB of a text object, its encoding detected.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bucket = %bucket, key = %key), err(level = "warn", Debug))]
pub async fn preview_text(
    state: State<'_, AppState>,
    bucket: String,
    key: String,
    version_id: Option<String>,
    size: u64,
) -> Result<TextPreview, CommandError> {
    let session = state.session()?;
    Ok(text_preview(&session.client, &bucket, &key, version_id.as_deref(), size).await?)
}

/// Answers one request of the web view for `osslite-preview://localhost/<token>`.
pub fn serve<R: Runtime>(ctx: UriSchemeContext<'_, R>, request: Request<Vec<u8>>, responder: UriSchemeResponder) {
    let app = ctx.app_handle().clone();
    tauri::async_runtime::spawn(async move {
        let response = match answer(&app, &request).await {
            Ok(response) => response,
            Err(err) => {
                tracing::warn!(error = %err, "a preview could not be read");
                plain(StatusCode::BAD_GATEWAY, err.to_string())
            }
        };
        responder.respond(response);
    });
}

/// The answer to one request of the web view (public for the IPC tests' real range requests).
pub async fn answer<R: Runtime>(
    app: &tauri::AppHandle<R>,
    request: &Request<Vec<u8>>,
) -> Result<Response<Vec<u8>>, Error> {
    let token = request.uri().path().trim_start_matches('/');
    let Some(target) = app.state::<PreviewTokens>().get(token) else {
        return Ok(plain(StatusCode::NOT_FOUND, "this preview has expired: select the object again".into()));
    };
    let range = request.headers().get(header::RANGE).and_then(|v| v.to_str().ok());
    let session = app.state::<AppState>().session()?;
    let bytes = read_preview(&session.client, &target, range).await?;
    let mut builder = Response::builder()
        .status(bytes.status)
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::CONTENT_TYPE, bytes.content_type.as_deref().unwrap_or("application/octet-stream"));
    if let Some(content_range) = &bytes.content_range {
        builder = builder.header(header::CONTENT_RANGE, content_range);
    }
    builder
        .body(bytes.body.to_vec())
        .map_err(|err| Error::invalid_input(format!("the preview response could not be built: {err}")))
}

fn plain(status: StatusCode, text: String) -> Response<Vec<u8>> {
    let mut response = Response::new(text.into_bytes());
    *response.status_mut() = status;
    response
}
