//! Previews answering real requests of the web view: a token from `preview_open` through Tauri's
//! IPC layer, then requests with and without `Range`, as a media player sends them to seek (206,
//! Content-Range, Accept-Ranges), to the `osslite-preview` scheme and (on Linux, where WebKitGTK's
//! player cannot read custom schemes) over TCP to the loopback media server; an expired token.

mod sandbox_app;

use std::io::{Read, Write};
use std::net::TcpStream;

use osslite_app::preview_response;
use osslite_core::preview_read::MEDIA_CHUNK_BYTES;
use osslite_test_support::ipc;
use serde_json::json;
use tauri::http::{header, Request, Response};
use tauri::Manager;

use sandbox_app::SandboxApp as App;

const KEY_ID: &str = "LTAI5tIpcPreview";
const SECRET: &str = "ipc-preview-secret";
const BUCKET: &str = "ipc-preview";

fn app() -> App {
    sandbox_app::start(BUCKET, KEY_ID, SECRET, |config| config)
}

fn open(app: &App, key: &str, size: usize, content_type: &str) -> String {
    let opened = ipc::invoke(
        &app.webview,
        "preview_open",
        json!({"bucket": BUCKET, "key": key, "versionId": null, "size": size, "contentType": content_type}),
    )
    .expect("the preview opens");
    opened["url"].as_str().expect("a media preview has a URL").to_owned()
}

/// A GET of the scheme (the token of `url`, whichever server `preview_open` chose).
fn get(app: &App, url: &str, range: Option<&str>) -> Response<Vec<u8>> {
    let token = url.rsplit('/').next().expect("a token");
    let mut request = Request::builder().uri(format!("osslite-preview://localhost/{token}"));
    if let Some(range) = range {
        request = request.header(header::RANGE, range);
    }
    let request = request.body(Vec::new()).expect("a request");
    tauri::async_runtime::block_on(preview_response(app.webview.app_handle(), &request)).expect("the scheme answers")
}

/// A real HTTP/1.1 GET over TCP to the loopback media server.
fn http_get(url: &str, range: Option<&str>) -> Response<Vec<u8>> {
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (authority, path) = rest.split_once('/').expect("a path");
    let mut stream = TcpStream::connect(authority).expect("the media server answers");
    let range = range.map(|r| format!("Range: {r}\r\n")).unwrap_or_default();
    write!(stream, "GET /{path} HTTP/1.1\r\nHost: {authority}\r\n{range}Connection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("the whole answer");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a head") + 4;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("a status");
    let mut response = Response::builder().status(status);
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').expect("a header");
        response = response.header(name.trim(), value.trim());
    }
    response.body(raw[split..].to_vec()).unwrap()
}

fn header_of(response: &Response<Vec<u8>>, name: header::HeaderName) -> Option<&str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

#[test]
fn a_player_seeks_with_range_requests_answered_206_with_content_range() {
    let app = app();
    let size = MEDIA_CHUNK_BYTES as usize * 2 + 777;
    let body: Vec<u8> = (0..size).map(|i| (i % 253) as u8).collect();
    app.put(BUCKET, "media/song.mp3", body.clone());
    let url = open(&app, "media/song.mp3", size, "audio/mpeg");

    let seek = get(&app, &url, Some("bytes=1000-1999"));
    assert_eq!(seek.status(), 206);
    assert_eq!(header_of(&seek, header::CONTENT_RANGE), Some(format!("bytes 1000-1999/{size}").as_str()));
    assert_eq!(header_of(&seek, header::ACCEPT_RANGES), Some("bytes"));
    assert_eq!(header_of(&seek, header::CONTENT_TYPE), Some("audio/mpeg"));
    assert_eq!(seek.body(), &body[1000..2000]);

    let open_ended = get(&app, &url, Some(&format!("bytes={}-", size - 10)));
    assert_eq!(open_ended.status(), 206);
    assert_eq!(open_ended.body(), &body[size - 10..]);
    assert_eq!(
        header_of(&open_ended, header::CONTENT_RANGE),
        Some(format!("bytes {}-{}/{size}", size - 10, size - 1).as_str())
    );

    let first = get(&app, &url, None);
    assert_eq!(first.status(), 206, "a large object is never sent whole");
    assert_eq!(first.body().len() as u64, MEDIA_CHUNK_BYTES);
}

#[test]
fn a_small_object_without_range_is_sent_whole_and_an_expired_token_is_404() {
    let app = app();
    app.put(BUCKET, "clip.mp4", b"tiny".to_vec());
    let url = open(&app, "clip.mp4", 4, "video/mp4");
    let whole = get(&app, &url, None);
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.body(), b"tiny");
    assert_eq!(header_of(&whole, header::CONTENT_RANGE), None);

    let gone = get(&app, "osslite-preview://localhost/p999999", None);
    assert_eq!(gone.status(), 404);
    assert!(String::from_utf8_lossy(gone.body()).contains("select the object again"));
}

#[cfg(target_os = "linux")]
#[test]
fn on_linux_players_get_a_loopback_url_that_answers_ranges_and_streams_the_whole_length() {
    let app = app();
    let size = MEDIA_CHUNK_BYTES as usize + 5000;
    let body: Vec<u8> = (0..size).map(|i| (i % 241) as u8).collect();
    app.put(BUCKET, "media/clip.webm", body.clone());
    let url = open(&app, "media/clip.webm", size, "video/webm");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(!url.contains(KEY_ID) && !url.contains(BUCKET), "{url}");

    let seek = http_get(&url, Some("bytes=100-199"));
    assert_eq!(seek.status(), 206);
    assert_eq!(header_of(&seek, header::CONTENT_RANGE), Some(format!("bytes 100-199/{size}").as_str()));
    assert_eq!(seek.body(), &body[100..200]);

    // GStreamer asks first without a range: the whole length, read from OSS chunk by chunk.
    let whole = http_get(&url, None);
    assert_eq!(whole.status(), 200);
    assert_eq!(header_of(&whole, header::CONTENT_LENGTH), Some(size.to_string().as_str()));
    assert!(whole.body() == &body[..], "the streamed body is the object");

    let wrong_secret = url.rsplit_once('/').map(|(base, token)| {
        let (origin, _secret) = base.rsplit_once('/').expect("a secret");
        format!("{origin}/not-the-secret/{token}")
    });
    assert_eq!(http_get(&wrong_secret.expect("a URL"), None).status(), 404, "only this run's secret opens it");
}
