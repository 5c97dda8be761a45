//! Previews through Tauri's real IPC layer (`tauri::test`) against a sandbox: which viewer an
//! object gets and its preview-scheme URL (no credentials in it), the first MiB of a text, and the
//! ranged reads the scheme answers a media player with.

mod sandbox_app;

use osslite_core::preview::PreviewKind;
use osslite_core::preview_read::{read_preview, PreviewTarget, MEDIA_CHUNK_BYTES};
use osslite_test_support::ipc;
use serde_json::json;

use sandbox_app::SandboxApp as App;

const KEY_ID: &str = "LTAI5tIpcLook";
const SECRET: &str = "ipc-look-secret";
const BUCKET: &str = "ipc-look";

fn app() -> App {
    sandbox_app::start(BUCKET, KEY_ID, SECRET, |config| config)
}

#[test]
fn preview_open_names_the_viewer_and_a_scheme_url_without_credentials() {
    let app = app();
    let image = ipc::invoke(
        &app.webview,
        "preview_open",
        json!({"bucket": BUCKET, "key": "a/cat.png", "versionId": null, "size": 10, "contentType": "image/png"}),
    )
    .expect("an image opens");
    assert_eq!(image["kind"], "image");
    let url = image["url"].as_str().expect("an image has a URL");
    assert!(
        url.starts_with("osslite-preview://localhost/") || url.starts_with("http://osslite-preview.localhost/"),
        "{url}"
    );
    assert!(!url.contains(KEY_ID) && !url.contains("Signature") && !url.contains(BUCKET), "{url}");

    let text = ipc::invoke(
        &app.webview,
        "preview_open",
        json!({"bucket": BUCKET, "key": "notes.md", "versionId": null, "size": 10, "contentType": "text/markdown"}),
    )
    .expect("a text opens");
    assert_eq!(text, json!({"kind": "text", "url": null}));
    let other = ipc::invoke(
        &app.webview,
        "preview_open",
        json!({"bucket": BUCKET, "key": "x.bin", "versionId": null, "size": 10, "contentType": null}),
    )
    .expect("anything opens");
    assert_eq!(other, json!({"kind": "unsupported", "url": null}));
}

#[test]
fn preview_text_reads_the_first_mib_and_detects_the_encoding() {
    let app = app();
    app.put(BUCKET, "short.txt", "héllo <b>world</b>".as_bytes().to_vec());
    let short = ipc::invoke(
        &app.webview,
        "preview_text",
        json!({"bucket": BUCKET, "key": "short.txt", "versionId": null, "size": 19}),
    )
    .expect("the text reads");
    assert_eq!(
        short,
        json!({"text": "héllo <b>world</b>", "encoding": "UTF-8", "truncated": false, "undecoded": null})
    );

    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("hi".encode_utf16().flat_map(u16::to_le_bytes));
    app.put(BUCKET, "wide.txt", utf16);
    let wide = ipc::invoke(
        &app.webview,
        "preview_text",
        json!({"bucket": BUCKET, "key": "wide.txt", "versionId": null, "size": 6}),
    )
    .expect("the text reads");
    assert_eq!(wide["encoding"], "UTF-16LE");
    assert_eq!(wide["text"], "hi");

    let long = vec![b'a'; (1 << 20) + 10];
    app.put(BUCKET, "long.log", long);
    let read = ipc::invoke(
        &app.webview,
        "preview_text",
        json!({"bucket": BUCKET, "key": "long.log", "versionId": null, "size": (1 << 20) + 10}),
    )
    .expect("the text reads");
    assert_eq!(read["truncated"], true);
    assert_eq!(read["text"].as_str().unwrap().len(), 1 << 20, "only the first MiB is read");
}

#[test]
fn the_scheme_answers_a_player_with_ranges_of_at_most_one_chunk() {
    let app = app();
    let size = MEDIA_CHUNK_BYTES as usize + 1000;
    let body: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
    app.put(BUCKET, "clip.mp4", body.clone());
    let target = PreviewTarget {
        bucket: BUCKET.into(),
        key: "clip.mp4".into(),
        version_id: None,
        size: size as u64,
        kind: PreviewKind::Video,
    };
    let client = &app.session.client;
    let first = tauri::async_runtime::block_on(read_preview(client, &target, Some("bytes=0-"))).expect("a range reads");
    assert_eq!(first.status, 206);
    assert_eq!(first.body.len() as u64, MEDIA_CHUNK_BYTES, "never the whole object at once");
    assert_eq!(first.content_range.as_deref(), Some(format!("bytes 0-{}/{size}", MEDIA_CHUNK_BYTES - 1).as_str()));

    let tail = tauri::async_runtime::block_on(read_preview(client, &target, Some("bytes=-100"))).expect("a seek reads");
    assert_eq!(tail.status, 206);
    assert_eq!(&tail.body[..], &body[size - 100..]);
    assert_eq!(tail.content_range.as_deref(), Some(format!("bytes {}-{}/{size}", size - 100, size - 1).as_str()));

    let pdf = PreviewTarget { key: "clip.mp4".into(), kind: PreviewKind::Pdf, ..target };
    let framed = tauri::async_runtime::block_on(read_preview(client, &pdf, Some("bytes=0-9"))).expect("a range reads");
    assert_eq!(framed.content_type.as_deref(), Some("application/pdf"), "a framed preview is never served as a page");
}
