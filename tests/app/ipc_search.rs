//! Search through Tauri's real IPC layer (`tauri::test`) against a sandbox: a nested match found
//! from the bucket root, the cap that stops a search, cancelling, and the errors a bad request gets.

use osslite_app::{builder, AppState};
use osslite_core::client::{Body, ProxyConfig};
use osslite_core::ops::PutObjectOptions;
use osslite_core::profiles::{ProfileStore, Session};
use osslite_core::{Addressing, Credentials, Endpoint, Secret};
use osslite_sandbox::{AccessKey, Sandbox, SandboxConfig};
use osslite_test_support::ipc;
use serde_json::{json, Value};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::{Manager, WebviewWindow, WebviewWindowBuilder};

const KEY_ID: &str = "LTAI5tIpcSearch";
const SECRET: &str = "ipc-search-secret";
const BUCKET: &str = "ipc-search";
const KEYS: [&str; 6] =
    ["a/b/c/report-2026.csv", "a/b/notes.txt", "a/readme.md", "data.csv", "photos/cat.jpg", "z.txt"];

struct App {
    webview: WebviewWindow<MockRuntime>,
    _sandbox: Sandbox,
    _dir: tempfile::TempDir,
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::new(ProfileStore::in_dir(&dir.path().join("config")), dir.path().join("data"));
    let app = builder(mock_builder(), state).build(mock_context(noop_assets())).expect("the app builds");
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a webview");
    let config =
        SandboxConfig::new(dir.path().join("sandbox")).with_bucket(BUCKET).with_key(AccessKey::new(KEY_ID, SECRET));
    let sandbox = tauri::async_runtime::block_on(Sandbox::start(config)).expect("the sandbox starts");
    let endpoint = Endpoint::parse(sandbox.endpoint(), Addressing::Path).unwrap();
    let credentials = Credentials::new(KEY_ID, Secret::new(SECRET)).unwrap();
    let session = Session::connect(endpoint, "cn-hangzhou", credentials, ProxyConfig::Direct).unwrap();
    for key in KEYS {
        tauri::async_runtime::block_on(session.client.put_object(
            BUCKET,
            key,
            Body::from_bytes(key.as_bytes().to_vec()),
            &PutObjectOptions::default(),
        ))
        .expect("the object is written");
    }
    webview.state::<AppState>().set_session(Some(session));
    App { webview, _sandbox: sandbox, _dir: dir }
}

fn run(app: &App, request: Value) -> Result<Value, Value> {
    ipc::invoke(&app.webview, "search_run", json!({"request": request, "onBatch": "__CHANNEL__:1"}))
}

fn criteria(names: &[&str]) -> Value {
    json!({"names": names, "contains": null, "minSize": null, "maxSize": null, "newer": null, "older": null, "storageClass": null})
}

#[test]
fn a_search_from_the_bucket_root_finds_the_nested_match_and_counts_every_key() {
    let app = app();
    let done = run(&app, json!({"bucket": BUCKET, "prefix": "", "criteria": criteria(&["report*"]), "maxScan": 1000}))
        .expect("the search runs");
    assert_eq!(done, json!({"end": "complete", "scanned": KEYS.len(), "matched": 1}));

    let below =
        run(&app, json!({"bucket": BUCKET, "prefix": "a/", "criteria": criteria(&["*.csv", "*.md"]), "maxScan": 1000}))
            .expect("the search runs");
    assert_eq!(below, json!({"end": "complete", "scanned": 3, "matched": 2}), "data.csv is outside a/");
}

#[test]
fn a_search_stops_at_its_cap_and_says_so() {
    let app = app();
    let done =
        run(&app, json!({"bucket": BUCKET, "prefix": "", "criteria": criteria(&[]), "maxScan": 4, "pageSize": 2}))
            .expect("the search runs");
    assert_eq!(done, json!({"end": "capped", "scanned": 4, "matched": 4}));
}

#[test]
fn cancel_without_a_search_is_harmless_and_bad_requests_say_what_is_wrong() {
    let app = app();
    ipc::invoke(&app.webview, "search_cancel", json!({})).expect("nothing to cancel is fine");
    let zero = run(&app, json!({"bucket": BUCKET, "prefix": "", "criteria": criteria(&[]), "maxScan": 0}))
        .expect_err("a zero cap is refused");
    assert_eq!(zero["kind"], "invalidInput", "{zero}");
    assert!(zero["message"].as_str().unwrap_or_default().contains("cap"), "{zero}");
    let missing =
        run(&app, json!({"bucket": "no-such-bucket", "prefix": "", "criteria": criteria(&[]), "maxScan": 10}))
            .expect_err("a missing bucket is an error");
    assert_eq!(missing["kind"], "notFound", "{missing}");
}
