//! The app's transfer commands through Tauri's real IPC layer (`tauri::test`), called from a thread
//! without a Tokio runtime, as the main thread is in the app: resuming and cancelling re-queue or
//! clean up on engine tasks, which must run on Tauri's runtime (as sync commands they panicked).
//! Uploads and downloads only touch paths the user chose in a dialog or dropped on the window.

use std::path::Path;
use std::time::Duration;

use osslite_app::{builder, remember_dropped, AppState, ChosenPaths, TransferState};
use osslite_core::client::{Client, ClientConfig, ProxyConfig, RetryPolicy};
use osslite_core::profiles::{ProfileStore, Session};
use osslite_core::transfer::{no_events, TransferOptions, TransferStatus, UploadRequest, UploadSource};
use osslite_core::{Addressing, Credentials, Endpoint, ErrorKind, Secret};
use osslite_sandbox::{AccessKey, Sandbox, SandboxConfig};
use osslite_test_support::ipc;
use serde_json::{json, Value};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::{DragDropEvent, Manager, PhysicalPosition, WebviewWindow, WebviewWindowBuilder};

/// Waits (on Tauri's runtime) until transfer `id` has stopped moving; returns its state.
fn settle(webview: &WebviewWindow<MockRuntime>, id: u64) -> TransferStatus {
    let transfers = webview.state::<TransferState>();
    let wait = transfers.manager().wait_idle(id);
    let snapshot = tauri::async_runtime::block_on(async { tokio::time::timeout(Duration::from_secs(20), wait).await });
    snapshot.expect("the transfer settles within 20 s").expect("the transfer is known").state
}

#[test]
fn resume_and_cancel_work_when_called_from_a_thread_without_a_runtime() {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::new(ProfileStore::in_dir(&dir.path().join("config")), dir.path().join("data"));
    let app = builder(mock_builder(), state).build(mock_context(noop_assets())).expect("the app builds");
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a webview");

    // Nothing listens on port 1: every attempt fails at once, and the transfer fails, resumable.
    let endpoint = Endpoint::parse("http://127.0.0.1:1", Addressing::Path).unwrap();
    let credentials = Credentials::new("LTAI5tIpcTransfers", Secret::new("not-a-secret")).unwrap();
    let config =
        ClientConfig::builder(endpoint, "cn-hangzhou", credentials).with_retry(RetryPolicy::none()).build().unwrap();
    let client = Client::new(config).unwrap();
    let file = dir.path().join("small.txt");
    std::fs::write(&file, b"hello").unwrap();
    let request = UploadRequest {
        bucket: "bucket".into(),
        sources: vec![UploadSource::File { path: file, key: "small.txt".into() }],
    };
    let options = TransferOptions { part_retry: RetryPolicy::none(), ..TransferOptions::default() };
    let transfers = webview.state::<TransferState>();
    let ids =
        tauri::async_runtime::block_on(transfers.manager().upload(&client, request, options, no_events())).unwrap();
    let id = ids[0];
    assert_eq!(settle(&webview, id), TransferStatus::Failed);

    // This thread has no runtime (block_on above has returned), as Tauri's main thread has none.
    assert!(tokio::runtime::Handle::try_current().is_err());
    ipc::invoke(&webview, "transfer_resume", json!({"id": id})).expect("a failed transfer is tried again");
    assert_eq!(settle(&webview, id), TransferStatus::Failed, "tried again, and failed again");
    ipc::invoke(&webview, "transfer_cancel", json!({"id": id})).expect("a failed transfer is cancelled");
    assert_eq!(settle(&webview, id), TransferStatus::Cancelled);
    ipc::invoke(&webview, "transfer_set_jobs", json!({"jobs": 1})).expect("fewer files at once");
    assert_eq!(ipc::invoke(&webview, "transfer_set_jobs", json!({"jobs": 0})).unwrap_err()["kind"], "invalidInput");
}

#[test]
fn unfinished_transfers_are_listed_and_discarded_through_ipc_without_a_session() {
    use osslite_core::transfer::{CheckpointStore, TransferManager};
    use osslite_sandbox::{AccessKey, Faults, Sandbox, SandboxConfig};

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let state = AppState::new(ProfileStore::in_dir(&dir.path().join("config")), data.clone());
    let app = builder(mock_builder(), state).build(mock_context(noop_assets())).expect("the app builds");
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a webview");
    assert_eq!(ipc::invoke(&webview, "transfer_unfinished", json!({})).unwrap(), json!([]));

    // An earlier run (another manager on the app's checkpoint folder) left a multipart upload.
    let file = dir.path().join("big.bin");
    std::fs::write(&file, vec![7u8; 3 << 20]).unwrap();
    let sandbox = tauri::async_runtime::block_on(async {
        let config = SandboxConfig::new(dir.path().join("oss"))
            .with_bucket("bucket")
            .with_key(AccessKey::new("LTAI5tIpcTransfers", "not-a-secret"))
            .with_faults(Faults { bandwidth_bytes_per_sec: Some(1_000_000), ..Faults::default() });
        Sandbox::start(config).await.unwrap()
    });
    let endpoint = Endpoint::parse(sandbox.endpoint(), Addressing::Path).unwrap();
    let credentials = Credentials::new("LTAI5tIpcTransfers", Secret::new("not-a-secret")).unwrap();
    let client = Client::new(ClientConfig::builder(endpoint, "cn-hangzhou", credentials).build().unwrap()).unwrap();
    let earlier = TransferManager::new(1, CheckpointStore::new(data.join("checkpoints")));
    let request = UploadRequest {
        bucket: "bucket".into(),
        sources: vec![UploadSource::File { path: file.clone(), key: "big.bin".into() }],
    };
    let options = TransferOptions { part_size: Some(1 << 20), multipart_threshold: 1 << 20, ..Default::default() };
    tauri::async_runtime::block_on(async {
        let id = earlier.upload(&client, request, options, no_events()).await.unwrap()[0];
        while earlier.get(id).unwrap().done < 1 << 20 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        earlier.pause(id).unwrap();
        earlier.wait_idle(id).await.unwrap();
    });

    let listed = ipc::invoke(&webview, "transfer_unfinished", json!({})).unwrap();
    let listed = listed.as_array().expect("a list");
    assert_eq!(listed.len(), 1, "{listed:?}");
    let item = &listed[0];
    let mut keys: Vec<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        ["belongsTo", "checkpoint", "destination", "direction", "done", "endpoint", "profile", "source", "total"]
    );
    assert_eq!(item["belongsTo"], "", "with no profile open, none may be resumed");
    assert_eq!(item["direction"], "upload");
    assert_eq!(item["destination"], "oss://bucket/big.bin");
    assert_eq!(item["total"], 3 << 20);

    // No session: the checkpoint goes; the upload on the server is left (no client to abort it).
    let discarded = ipc::invoke(&webview, "transfer_discard", json!({"checkpoints": [item["checkpoint"]]})).unwrap();
    assert_eq!(discarded, 1);
    assert_eq!(ipc::invoke(&webview, "transfer_unfinished", json!({})).unwrap(), json!([]));
    let restore = ipc::invoke(
        &webview,
        "transfer_restore",
        json!({"checkpoints": [], "options": {}, "onEvent": "__CHANNEL__:1"}),
    );
    assert_eq!(restore.unwrap_err()["kind"], "invalidInput", "restoring needs an open profile");
}

#[test]
fn an_unfinished_transfer_of_another_profile_is_listed_as_its_own_and_never_restored() {
    use osslite_core::transfer::{CheckpointStore, TransferManager};
    use osslite_sandbox::Faults;

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let sandbox = tauri::async_runtime::block_on(async {
        let config = SandboxConfig::new(dir.path().join("oss"))
            .with_bucket("bucket")
            .with_key(AccessKey::new("LTAI5tIpcTransfers", "not-a-secret"))
            .with_faults(Faults { bandwidth_bytes_per_sec: Some(1_000_000), ..Faults::default() });
        Sandbox::start(config).await.unwrap()
    });
    let endpoint = Endpoint::parse(sandbox.endpoint(), Addressing::Path).unwrap();
    let credentials = Credentials::new("LTAI5tIpcTransfers", Secret::new("not-a-secret")).unwrap();
    // The open profile "work" and an earlier run's "home" use the same endpoint and bucket name.
    let mut session = Session::connect(endpoint, "cn-hangzhou", credentials, ProxyConfig::Direct).unwrap();
    session.profile = Some("work".into());
    let client = session.client.clone();
    let state = AppState::new(ProfileStore::in_dir(&dir.path().join("config")), data.clone());
    state.set_session(Some(session));
    let app = builder(mock_builder(), state).build(mock_context(noop_assets())).expect("the app builds");
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a webview");

    let file = dir.path().join("big.bin");
    std::fs::write(&file, vec![7u8; 3 << 20]).unwrap();
    let earlier = TransferManager::new(1, CheckpointStore::new(data.join("checkpoints")));
    let request = UploadRequest {
        bucket: "bucket".into(),
        sources: vec![UploadSource::File { path: file.clone(), key: "big.bin".into() }],
    };
    let options = TransferOptions {
        part_size: Some(1 << 20),
        multipart_threshold: 1 << 20,
        profile: Some("home".into()),
        ..Default::default()
    };
    tauri::async_runtime::block_on(async {
        let id = earlier.upload(&client, request, options, no_events()).await.unwrap()[0];
        while earlier.get(id).unwrap().done < 1 << 20 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        earlier.pause(id).unwrap();
        earlier.wait_idle(id).await.unwrap();
    });

    let listed = ipc::invoke(&webview, "transfer_unfinished", json!({})).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed:?}");
    assert_eq!(listed[0]["profile"], "home");
    assert_eq!(listed[0]["belongsTo"], "home");
    let restore = ipc::invoke(
        &webview,
        "transfer_restore",
        json!({"checkpoints": [listed[0]["checkpoint"]], "options": {}, "onEvent": "__CHANNEL__:1"}),
    );
    let err = restore.unwrap_err();
    assert_eq!(err["kind"], "invalidInput");
    assert!(err["message"].as_str().unwrap().contains("profile 'home'"), "{err}");
    assert!(webview.state::<TransferState>().manager().list().is_empty(), "nothing was restarted");
}

const KEY_ID: &str = "LTAI5tIpcChosenPaths";
const SECRET: &str = "ipc-chosen-paths-secret";
const BUCKET: &str = "chosen-bucket";

/// The app on the mock runtime with a session open on a sandbox (running on Tauri's runtime).
struct SandboxApp {
    webview: WebviewWindow<MockRuntime>,
    client: Client,
    _sandbox: Sandbox,
}

impl SandboxApp {
    fn start(dir: &Path) -> Self {
        let config =
            SandboxConfig::new(dir.join("sandbox")).with_bucket(BUCKET).with_key(AccessKey::new(KEY_ID, SECRET));
        let sandbox = tauri::async_runtime::block_on(Sandbox::start(config)).expect("the sandbox starts");
        let endpoint = Endpoint::parse(sandbox.endpoint(), Addressing::Path).unwrap();
        let credentials = Credentials::new(KEY_ID, Secret::new(SECRET)).unwrap();
        let session = Session::connect(endpoint, "cn-hangzhou", credentials, ProxyConfig::Direct).unwrap();
        let client = session.client.clone();
        let state = AppState::new(ProfileStore::in_dir(&dir.join("config")), dir.join("data"));
        state.set_session(Some(session));
        let app = builder(mock_builder(), state).build(mock_context(noop_assets())).expect("the app builds");
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a webview");
        Self { webview, client, _sandbox: sandbox }
    }

    /// `transfer_upload` of `paths` into `prefix`; the ids, each waited for until it is done.
    fn upload(&self, prefix: &str, paths: &[&Path]) -> Result<Vec<u64>, Value> {
        let request = json!({"bucket": BUCKET, "prefix": prefix, "paths": paths});
        self.transfer("transfer_upload", json!({"request": request, "options": {}, "onEvent": "__CHANNEL__:7"}))
    }

    /// `transfer_download` of the keys under `base` into `folder`; the ids, each waited for.
    fn download(&self, base: &str, keys: &[&str], folder: &Path) -> Result<Vec<u64>, Value> {
        let request = json!({"bucket": BUCKET, "base": base, "keys": keys, "folder": folder});
        self.transfer("transfer_download", json!({"request": request, "options": {}, "onEvent": "__CHANNEL__:8"}))
    }

    fn transfer(&self, command: &str, args: Value) -> Result<Vec<u64>, Value> {
        let ids: Vec<u64> = serde_json::from_value(ipc::invoke(&self.webview, command, args)?).unwrap();
        for &id in &ids {
            assert_eq!(settle(&self.webview, id), TransferStatus::Done, "{command} #{id}");
        }
        Ok(ids)
    }

    fn object_exists(&self, key: &str) -> bool {
        match tauri::async_runtime::block_on(self.client.head_object(BUCKET, key)) {
            Ok(_) => true,
            Err(err) if err.kind() == ErrorKind::NotFound => false,
            Err(err) => panic!("HEAD {key}: {err}"),
        }
    }

    fn choose(&self, paths: &[&Path]) {
        self.webview.state::<ChosenPaths>().remember(paths);
    }
}

fn assert_refused(response: Result<Vec<u64>, Value>, path: &Path) {
    let err = response.expect_err("refused");
    assert_eq!(err["kind"], "permissionDenied", "{err}");
    let message = err["message"].as_str().unwrap();
    assert!(message.contains(&path.display().to_string()), "names the path: {message}");
    assert!(message.contains("choose it in the"), "says what to do: {message}");
}

#[test]
fn uploads_come_only_from_paths_the_user_chose_or_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let app = SandboxApp::start(dir.path());
    let chosen = dir.path().join("chosen");
    std::fs::create_dir_all(chosen.join("sub")).unwrap();
    std::fs::write(chosen.join("sub/inside.txt"), b"inside a chosen folder").unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, b"never chosen").unwrap();

    assert_refused(app.upload("in/", &[&secret]), &secret);
    assert!(!app.object_exists("in/secret.txt"), "nothing was uploaded");

    app.choose(&[&chosen]);
    app.upload("in/", &[&chosen.join("sub/inside.txt")]).expect("a file inside a chosen folder uploads");
    assert!(app.object_exists("in/inside.txt"));

    let escape = chosen.join("sub/../../secret.txt");
    assert_refused(app.upload("in/", &[&escape]), &escape);
    // One unchosen path refuses the whole request: the chosen one beside it is not uploaded either.
    assert_refused(app.upload("both/", &[&chosen, &secret]), &secret);
    assert!(!app.object_exists("in/secret.txt") && !app.object_exists("both/chosen/sub/inside.txt"));

    // A drop on the window, as Tauri delivers it to the app's window-event listener.
    let dropped = dir.path().join("dropped.txt");
    std::fs::write(&dropped, b"dropped on the window").unwrap();
    assert_refused(app.upload("drop/", &[&dropped]), &dropped);
    let drop = DragDropEvent::Drop { paths: vec![dropped.clone()], position: PhysicalPosition::new(10.0, 10.0) };
    remember_dropped(app.webview.app_handle(), &drop);
    app.upload("drop/", &[&dropped]).expect("a dropped file uploads");
    assert!(app.object_exists("drop/dropped.txt"));
    assert!(!app.object_exists("drop/secret.txt"));
}

#[test]
fn downloads_go_only_into_folders_the_user_chose() {
    let dir = tempfile::tempdir().unwrap();
    let app = SandboxApp::start(dir.path());
    let source = dir.path().join("notes.txt");
    std::fs::write(&source, b"to download").unwrap();
    app.choose(&[&source]);
    app.upload("in/", &[&source]).expect("a chosen file uploads");

    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    assert_refused(app.download("in/", &["in/notes.txt"], &elsewhere), &elsewhere);
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0, "nothing was written there");
    // A chosen file is no folder to download into.
    assert_refused(app.download("in/", &["in/notes.txt"], &source), &source);

    let downloads = dir.path().join("downloads");
    std::fs::create_dir(&downloads).unwrap();
    app.choose(&[&downloads]);
    let escape = downloads.join("../elsewhere");
    assert_refused(app.download("in/", &["in/notes.txt"], &escape), &escape);
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0, "nothing was written there");

    app.download("in/", &["in/notes.txt"], &downloads).expect("into a chosen folder");
    assert_eq!(std::fs::read(downloads.join("notes.txt")).unwrap(), b"to download");
    app.download("in/", &["in/notes.txt"], &downloads.join("new")).expect("into a new folder inside a chosen one");
    assert_eq!(std::fs::read(downloads.join("new/notes.txt")).unwrap(), b"to download");
}

#[test]
fn only_files_this_session_downloaded_may_be_opened_or_shown() {
    let dir = tempfile::tempdir().unwrap();
    let app = SandboxApp::start(dir.path());
    let source = dir.path().join("notes.txt");
    std::fs::write(&source, b"to download").unwrap();
    app.choose(&[&source]);
    app.upload("in/", &[&source]).expect("a chosen file uploads");
    let downloads = dir.path().join("downloads");
    std::fs::create_dir(&downloads).unwrap();
    std::fs::write(downloads.join("mine.txt"), b"put there by the user").unwrap();
    app.choose(&[&downloads]);
    app.download("in/", &["in/notes.txt"], &downloads).expect("into a chosen folder");

    // Not written by a download of this session: a file beside it, an uploaded one, a missing one.
    for path in
        [downloads.join("mine.txt"), source.clone(), downloads.join("missing.txt"), downloads.join("../notes.txt")]
    {
        for command in ["path_open", "path_reveal"] {
            let err = ipc::invoke(&app.webview, command, json!({"path": path})).expect_err("refused");
            assert_eq!(err["kind"], "permissionDenied", "{command} {}: {err}", path.display());
            assert!(err["message"].as_str().unwrap().contains("not a file OSS Lite downloaded"), "{err}");
        }
    }
}

#[test]
fn local_existing_answers_only_for_a_chosen_download_folder() {
    let dir = tempfile::tempdir().unwrap();
    let app = SandboxApp::start(dir.path());
    let downloads = dir.path().join("downloads");
    std::fs::create_dir_all(downloads.join("docs")).unwrap();
    std::fs::write(downloads.join("a.txt"), b"a").unwrap();
    let ask = |folder: &Path| {
        ipc::invoke(&app.webview, "local_existing", json!({"folder": folder, "names": ["a.txt", "b.txt", "docs/"]}))
    };
    assert_eq!(ask(&downloads).expect_err("not chosen yet")["kind"], "permissionDenied");
    app.choose(&[&downloads]);
    assert_eq!(ask(&downloads).expect("a chosen folder"), json!(["a.txt", "docs/"]));
    let escape = ipc::invoke(&app.webview, "local_existing", json!({"folder": downloads, "names": ["../x"]}));
    assert_eq!(escape.expect_err("climbs out")["kind"], "invalidInput");
}
