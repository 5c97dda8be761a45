//! The address bar's `resolve_address` through Tauri's real IPC layer: which saved profile a pasted
//! URL belongs to (by endpoint or custom domain), what stays in the open profile, and the message
//! when no profile matches. Needs no keyring and no network: it reads the saved profiles only.

use osslite_app::{builder, AppState};
use osslite_core::profiles::{Profile, ProfileStore};
use osslite_core::Addressing;
use osslite_test_support::ipc;
use serde_json::{json, Value};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::{WebviewWindow, WebviewWindowBuilder};

struct App {
    webview: WebviewWindow<MockRuntime>,
    _dir: tempfile::TempDir,
}

/// "Hangzhou" on the region's public endpoint, "Local" on a sandbox-like endpoint, and "Site" on
/// the custom domain files.example.com bound to bucket `site-assets`.
fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = ProfileStore::in_dir(&dir.path().join("config"));
    store.upsert(Profile::new("Hangzhou", "cn-hangzhou").unwrap()).unwrap();
    let mut local = Profile::new("Local", "cn-hangzhou").unwrap();
    local.endpoint = Some("http://127.0.0.1:9000".into());
    store.upsert(local).unwrap();
    let mut site = Profile::new("Site", "cn-hangzhou").unwrap();
    site.endpoint = Some("https://files.example.com".into());
    site.addressing = Addressing::Cname;
    site.preset_path = Some("oss://site-assets/".into());
    store.upsert(site).unwrap();
    let state = AppState::new(store, dir.path().join("data"));
    let app = builder(mock_builder(), state).build(mock_context(noop_assets())).expect("the app builds");
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a webview");
    App { webview, _dir: dir }
}

fn resolve(app: &App, text: &str) -> Result<Value, Value> {
    ipc::invoke(&app.webview, "resolve_address", json!({ "text": text }))
}

#[test]
fn urls_pick_the_profile_whose_endpoint_or_custom_domain_they_name() {
    let app = app();
    let hosted = resolve(&app, "https://photos.oss-cn-hangzhou.aliyuncs.com/2026/cat%20one.jpg").unwrap();
    assert_eq!(
        hosted,
        json!({"profile": "Hangzhou", "bucket": "photos", "path": "2026/cat one.jpg", "versionId": null})
    );
    let path_style = resolve(&app, "http://127.0.0.1:9000/demo/dir/").unwrap();
    assert_eq!(path_style, json!({"profile": "Local", "bucket": "demo", "path": "dir/", "versionId": null}));
    let domain = resolve(&app, "https://files.example.com/css/site.css").unwrap();
    assert_eq!(domain, json!({"profile": "Site", "bucket": "site-assets", "path": "css/site.css", "versionId": null}));
}

#[test]
fn oss_and_bucket_addresses_stay_in_the_open_profile() {
    let app = app();
    assert_eq!(
        resolve(&app, "oss://photos/2026/").unwrap(),
        json!({"profile": null, "bucket": "photos", "path": "2026/", "versionId": null})
    );
    assert_eq!(resolve(&app, "photos/a.txt").unwrap()["profile"], Value::Null);
}

#[test]
fn a_presigned_url_gives_its_place_and_version_without_its_signature() {
    let app = app();
    let url = "https://photos.oss-cn-hangzhou.aliyuncs.com/a.txt?versionId=v1&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=LTAI%2F&x-oss-signature=c0ffee42";
    let location = resolve(&app, url).unwrap();
    assert_eq!(location, json!({"profile": "Hangzhou", "bucket": "photos", "path": "a.txt", "versionId": "v1"}));
    assert!(!location.to_string().contains("c0ffee42"));
}

#[test]
fn an_unknown_host_names_itself_and_what_to_do() {
    let app = app();
    let err = resolve(&app, "https://b.oss-cn-beijing.aliyuncs.com/k?x-oss-signature=c0ffee42").unwrap_err();
    assert_eq!(err["kind"], "invalidInput", "{err}");
    let message = err["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(
            "No saved profile uses b.oss-cn-beijing.aliyuncs.com: add one with that endpoint or custom domain"
        ),
        "{message}"
    );
    assert!(!message.contains("c0ffee42"), "{message}");
}
