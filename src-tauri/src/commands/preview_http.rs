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

/// The server, started on the first preview that needs it.
#[derive(Default)]
pub struct MediaServer {
    base: OnceCell<String>,
}

impl MediaServer {
    /// `http://127.0.0.1:PORT/<secret>`, starting the server the first time.
    pub async fn base<R: Runtime>(&self, app: &AppHandle<R>) -> Result<&str, Error> {
        let base = self.base.get_or_try_init(|| start(app.clone())).await?;
        Ok(base.as_str())
    }
}

async fn start<R: Runtime>(app: AppHandle<R>) -> Result<String, Error> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(|err| {
        Error::invalid_input(format!("the media preview server could not listen on 127.0.0.1: {err}"))
    })?;
    let port = listener
        .local_addr()
        .map_err(|err| Error::invalid_input(format!("the media preview server has no port: {err}")))?
        .port();
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
