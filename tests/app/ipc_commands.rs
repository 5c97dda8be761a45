//! Browsing and profile commands through Tauri's real IPC layer (`tauri::test`) against a sandbox,
//! with no keyring: the session is opened directly. Also a guard that commands stay off the main
//! thread: a synchronous command runs on it, so only those that touch no disk, keyring or
//! network may be synchronous.

use std::collections::BTreeSet;
use std::path::Path;

use futures_util::TryStreamExt;
use osslite_app::{builder, AppState};
use osslite_core::client::{Body, ListEntry, ProxyConfig};
use osslite_core::ops::PutObjectOptions;
use osslite_core::profiles::{Profile, ProfileStore, Session};
use osslite_core::{Addressing, Credentials, Endpoint, Secret};
use osslite_sandbox::{AccessKey, Sandbox, SandboxConfig};
use osslite_test_support::ipc;
use serde_json::json;
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::{Manager, WebviewWindow, WebviewWindowBuilder};

const KEY_ID: &str = "LTAI5tIpcCommands";
const SECRET: &str = "ipc-commands-secret";
const BUCKET: &str = "ipc-bucket";

struct App {
    webview: WebviewWindow<MockRuntime>,
    dir: tempfile::TempDir,
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::new(ProfileStore::in_dir(&dir.path().join("config")), dir.path().join("data"));
    let app = builder(mock_builder(), state).build(mock_context(noop_assets())).expect("the app builds");
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a webview");
    App { webview, dir }
}

/// Starts a sandbox on Tauri's runtime (it keeps serving after `block_on` returns) and opens a
/// session on it, as `session_open` would after reading the keyring.
fn open_sandbox_session(app: &App) -> (Sandbox, Session) {
    let config =
        SandboxConfig::new(app.dir.path().join("sandbox")).with_bucket(BUCKET).with_key(AccessKey::new(KEY_ID, SECRET));
    let sandbox = tauri::async_runtime::block_on(Sandbox::start(config)).expect("the sandbox starts");
    let endpoint = Endpoint::parse(sandbox.endpoint(), Addressing::Path).unwrap();
    let credentials = Credentials::new(KEY_ID, Secret::new(SECRET)).unwrap();
    let session = Session::connect(endpoint, "cn-hangzhou", credentials, ProxyConfig::Direct).unwrap();
    app.webview.state::<AppState>().set_session(Some(session.clone()));
    (sandbox, session)
}

fn keys(session: &Session) -> Vec<String> {
    tauri::async_runtime::block_on(
        session.client.list_all(BUCKET, None, None).map_ok(|entry: ListEntry| entry.name().to_owned()).try_collect(),
    )
    .unwrap()
}

#[test]
fn objects_delete_removes_files_and_folders_and_refuses_a_whole_bucket() {
    let app = app();
    let (_sandbox, session) = open_sandbox_session(&app);
    tauri::async_runtime::block_on(async {
        for key in ["a.txt", "docs/1.txt", "docs/2.txt", "docs/sub/3.txt", "docs-not-a-folder.txt", "keep.txt"] {
            session.client.put_object(BUCKET, key, Body::from_bytes(key), &PutObjectOptions::default()).await.unwrap();
        }
    });

    let deleted = ipc::invoke(
        &app.webview,
        "objects_delete",
        json!({"bucket": BUCKET, "keys": ["a.txt", "docs/1.txt"], "prefixes": ["docs/"], "onProgress": "__CHANNEL__:1"}),
    )
    .expect("the deletion succeeds");
    assert_eq!(deleted, json!({"deleted": 4}), "a key named twice is deleted once");
    assert_eq!(keys(&session), ["docs-not-a-folder.txt", "keep.txt"]);

    let refused = ipc::invoke(
        &app.webview,
        "objects_delete",
        json!({"bucket": BUCKET, "keys": [], "prefixes": [""], "onProgress": "__CHANNEL__:2"}),
    )
    .unwrap_err();
    assert_eq!(refused["kind"], "invalidInput", "{refused}");
    assert_eq!(keys(&session).len(), 2, "nothing was deleted");
}

#[test]
fn profile_list_answers_from_a_thread_without_a_runtime() {
    let app = app();
    let mut profile = Profile::new("work", "cn-shanghai").unwrap();
    profile.access_key_hint = "LTAI****4321".into();
    app.webview.state::<AppState>().profiles.upsert(profile).unwrap();

    assert!(tokio::runtime::Handle::try_current().is_err(), "as on Tauri's main thread");
    let listed = ipc::invoke(&app.webview, "profile_list", json!({})).expect("the profiles are listed");
    assert_eq!(listed[0]["name"], "work");
    assert_eq!(listed[0]["region"], "cn-shanghai");
    assert_eq!(listed[0]["accessKeyIdMasked"], "LTAI****4321");
}

/// Synchronous commands, each with why it may run on the main thread.
const SYNC_COMMANDS: [(&str, &str); 8] = [
    ("app_info", "constants"),
    ("share_presign", "signs in memory"),
    ("clipboard_write", "the clipboard, kept open in the app's state"),
    ("export_cancel", "sets a flag"),
    ("transfer_pause", "sets a flag in the transfer queue"),
    ("transfer_list", "reads the queue in memory"),
    ("transfer_clear_finished", "edits the queue in memory"),
    ("transfer_unfinished", "lists the checkpoint folder (small files)"),
];

#[test]
fn commands_that_touch_disk_keyring_or_network_are_async() {
    let commands = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src/commands");
    let mut sync = BTreeSet::new();
    let mut files = vec![commands.with_extension("rs")];
    files.extend(std::fs::read_dir(&commands).unwrap().map(|entry| entry.unwrap().path()));
    for file in files.iter().filter(|path| path.is_file()) {
        let source = std::fs::read_to_string(file).unwrap();
        for (at, _) in source.match_indices("#[tauri::command") {
            let runs_on_the_async_runtime = source[at..].starts_with("#[tauri::command(async)]");
            let signature = source[at..].lines().find(|line| line.contains("fn ")).unwrap_or_default();
            if !signature.contains("async fn") && !runs_on_the_async_runtime {
                let name = signature.split("fn ").nth(1).and_then(|rest| rest.split(['(', '<']).next()).unwrap_or("");
                sync.insert(name.to_owned());
            }
        }
    }
    let allowed: BTreeSet<String> = SYNC_COMMANDS.iter().map(|(name, _)| name.to_string()).collect();
    let unexpected: Vec<&String> = sync.difference(&allowed).collect();
    assert!(
        unexpected.is_empty(),
        "these commands are synchronous, so they run on the main thread and freeze the window while they \
         wait: make them `async fn` (keyring calls through run_off_runtime), or add them to SYNC_COMMANDS \
         with the reason they never wait: {unexpected:?}"
    );
    assert!(sync.contains("app_info"), "the scan found no synchronous command at all: {sync:?}");
}
