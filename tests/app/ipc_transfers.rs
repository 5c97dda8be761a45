//! The app's transfer commands through Tauri's real IPC layer (`tauri::test`), called from a thread
//! without a Tokio runtime, as the main thread is in the app: resuming and cancelling re-queue or
//! clean up on engine tasks, which must run on Tauri's runtime (as sync commands they panicked).

use std::time::Duration;

use osslite_app::{builder, AppState, TransferState};
use osslite_core::client::{Client, ClientConfig, RetryPolicy};
use osslite_core::profiles::ProfileStore;
use osslite_core::transfer::{no_events, TransferOptions, TransferStatus, UploadRequest, UploadSource};
use osslite_core::{Addressing, Credentials, Endpoint, Secret};
use osslite_test_support::ipc;
use serde_json::json;
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::{Manager, WebviewWindow, WebviewWindowBuilder};

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
    assert_eq!(keys, ["checkpoint", "destination", "direction", "done", "endpoint", "source", "total"]);
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
