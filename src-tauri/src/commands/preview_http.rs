//! A loopback HTTP server for the previews WebKitGTK cannot read well from a custom URI scheme:
//! its media player (GStreamer) fails on `osslite-preview://` (tauri-apps/tauri#3725,
//! MEDIA_ERR_SRC_NOT_SUPPORTED), and its PDF viewer needs the whole length of a large document. On
//! Linux, audio, video and PDF previews get
//! `http://127.0.0.1:PORT/<secret>/<token>` instead: bound to loopback, answering only paths with
//! this run's random secret, with the very bytes (and ranges) the scheme serves. A player that
//! asks without a range (GStreamer does, first) gets a 200 of the whole length, read from OSS
//! one ranged chunk at a time as it consumes them.

use std::convert::Infallible;

use futures_util::{stream, StreamExt};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use osslite_core::Error;
use rand::Rng;
use tauri::http::{header, Request, Response, StatusCode};
use tauri::{AppHandle, Runtime};
use tokio::net::TcpListener;
use tokio::sync::OnceCell;

use super::preview::{answer, SCHEME};

/// The server: its port is bound when the app starts (the CSP names exactly that origin), and it
/// answers from the first preview that needs it.
pub struct MediaServer {
    bound: Result<(u16, std::sync::Mutex<Option<std::net::TcpListener>>), String>,
    base: OnceCell<String>,
}

impl MediaServer {
    /// Binds a loopback port now; a failure is kept and told when a media preview asks.
    pub fn bind() -> Self {
        let bound = std::net::TcpListener::bind(("127.0.0.1", 0))
            .and_then(|listener| Ok((listener.local_addr()?.port(), listener)))
            .map(|(port, listener)| (port, std::sync::Mutex::new(Some(listener))))
            .map_err(|err| format!("the media preview server could not listen on 127.0.0.1: {err}"));
        Self { bound, base: OnceCell::new() }
    }

    /// `http://127.0.0.1:PORT`, the one origin besides the preview scheme that media and frames may use.
    pub fn origin(&self) -> Option<String> {
        self.bound.as_ref().ok().map(|(port, _)| format!("http://127.0.0.1:{port}"))
    }

    /// `http://127.0.0.1:PORT/<secret>`, serving from the first call on.
    pub async fn base<R: Runtime>(&self, app: &AppHandle<R>) -> Result<&str, Error> {
        let base = self.base.get_or_try_init(|| self.start(app.clone())).await?;
        Ok(base.as_str())
    }

    async fn start<R: Runtime>(&self, app: AppHandle<R>) -> Result<String, Error> {
        let (port, listener) = self.bound.as_ref().map_err(|err| Error::invalid_input(err.clone()))?;
        let listener = listener
            .lock()
            .map_err(|_| Error::invalid_input("the media preview server failed before; restart OSS Lite"))?
            .take()
            .ok_or_else(|| Error::invalid_input("the media preview server is starting already"))?;
        let listener =
            listener.set_nonblocking(true).and_then(|()| TcpListener::from_std(listener)).map_err(|err| {
                Error::invalid_input(format!("the media preview server could not listen on 127.0.0.1: {err}"))
            })?;
        let secret = format!("{:032x}", rand::rng().random::<u128>());
        let prefix = format!("/{secret}/");
        tauri::async_runtime::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (app, prefix) = (app.clone(), prefix.clone());
                let service = service_fn(move |request| respond(app.clone(), prefix.clone(), request));
                tauri::async_runtime::spawn(async move {
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        Ok(format!("http://127.0.0.1:{port}/{secret}"))
    }
}

/// The CSP with the media server's wildcard origin narrowed to the port it bound.
pub fn csp_for_origin(csp: &str, origin: &str) -> String {
    csp.replace(MEDIA_ORIGIN_PLACEHOLDER, origin)
}

/// What tauri.conf.json's CSP says before the port is known.
pub const MEDIA_ORIGIN_PLACEHOLDER: &str = "http://127.0.0.1:*";

type Body = UnsyncBoxBody<Bytes, std::io::Error>;

async fn respond<R: Runtime>(
    app: AppHandle<R>,
    prefix: String,
    request: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let Some(token) = request.uri().path().strip_prefix(&prefix).map(str::to_owned) else {
        return Ok(reply(plain(StatusCode::NOT_FOUND, "not found".into())));
    };
    let range = request.headers().get(header::RANGE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let first = scheme_answer(&app, &token, range.as_deref()).await;
    let whole_length = match (&range, first.status(), content_range_total(&first)) {
        (None, StatusCode::PARTIAL_CONTENT, Some(total)) => total,
        _ => return Ok(reply(first)),
    };
    // Asked for everything: a 200 of the whole length, the rest read chunk by chunk.
    let mut builder = Response::builder().status(StatusCode::OK).header(header::CONTENT_LENGTH, whole_length);
    for name in [header::CONTENT_TYPE, header::ACCEPT_RANGES] {
        if let Some(value) = first.headers().get(&name) {
            builder = builder.header(name, value);
        }
    }
    let first_body = Bytes::from(first.into_body());
    let next = first_body.len() as u64;
    let rest = stream::unfold(Some(next), move |offset| {
        let (app, token) = (app.clone(), token.clone());
        async move {
            let offset = offset.filter(|&o| o < whole_length)?;
            let chunk = scheme_answer(&app, &token, Some(&format!("bytes={offset}-"))).await;
            if chunk.status() != StatusCode::PARTIAL_CONTENT || chunk.body().is_empty() {
                let message = String::from_utf8_lossy(chunk.body()).into_owned();
                return Some((Err(std::io::Error::other(message)), None));
            }
            let read = chunk.body().len() as u64;
            Some((Ok(Frame::data(Bytes::from(chunk.into_body()))), Some(offset + read)))
        }
    });
    let frames = stream::once(async move { Ok::<_, std::io::Error>(Frame::data(first_body)) }).chain(rest);
    let body = BodyExt::boxed_unsync(StreamBody::new(frames));
    Ok(builder.body(body).unwrap_or_else(|err| reply(plain(StatusCode::BAD_GATEWAY, err.to_string()))))
}

/// The scheme's own answer for `token`, errors included (as their status and message).
async fn scheme_answer<R: Runtime>(app: &AppHandle<R>, token: &str, range: Option<&str>) -> Response<Vec<u8>> {
    let mut request = Request::builder().uri(format!("{SCHEME}://localhost/{token}"));
    if let Some(range) = range {
        request = request.header(header::RANGE, range);
    }
    match request.body(Vec::new()) {
        Ok(request) => answer(app, &request).await.unwrap_or_else(|err| {
            tracing::warn!(error = %err, "a media preview could not be read");
            plain(StatusCode::BAD_GATEWAY, err.to_string())
        }),
        Err(err) => plain(StatusCode::BAD_REQUEST, format!("bad preview request: {err}")),
    }
}

/// TOTAL of `Content-Range: bytes START-END/TOTAL`.
fn content_range_total(response: &Response<Vec<u8>>) -> Option<u64> {
    let value = response.headers().get(header::CONTENT_RANGE)?.to_str().ok()?;
    value.rsplit_once('/')?.1.parse().ok()
}

fn plain(status: StatusCode, text: String) -> Response<Vec<u8>> {
    let mut response = Response::new(text.into_bytes());
    *response.status_mut() = status;
    response
}

fn reply(response: Response<Vec<u8>>) -> Response<Body> {
    response.map(|body| Full::new(Bytes::from(body)).map_err(|never| match never {}).boxed_unsync())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csp_names_only_the_bound_port() {
        let server = MediaServer::bind();
        let origin = server.origin().expect("loopback can be bound");
        let csp = "media-src osslite-preview: http://127.0.0.1:*; frame-src osslite-preview: http://127.0.0.1:*";
        let narrowed = csp_for_origin(csp, &origin);
        assert!(!narrowed.contains(":*"), "{narrowed}");
        assert_eq!(narrowed.matches(origin.as_str()).count(), 2, "{narrowed}");
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../../../tauri.conf.json")).expect("tauri.conf.json parses");
        let shipped = config["app"]["security"]["csp"].as_str().expect("a CSP string");
        assert_eq!(
            shipped.matches(MEDIA_ORIGIN_PLACEHOLDER).count(),
            2,
            "media-src and frame-src name the media server"
        );
    }
}
