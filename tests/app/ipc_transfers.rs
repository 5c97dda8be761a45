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
