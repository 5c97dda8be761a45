//! The management commands through Tauri's real IPC layer (`tauri::test`) against a sandbox: jobs
//! queued in the transfer engine (rename of a folder, headers of two objects, restore), the
//! metadata preview, object headers and archive state, sizes, and buckets.

mod sandbox_app;

use std::time::Duration;

use osslite_app::TransferState;
use osslite_core::ops::PutObjectOptions;
use osslite_core::transfer::TransferStatus;
use osslite_test_support::ipc;
use serde_json::{json, Value};
use tauri::Manager;

use sandbox_app::SandboxApp as App;

const KEY_ID: &str = "LTAI5tIpcManage";
const SECRET: &str = "ipc-manage-secret";
const BUCKET: &str = "ipc-manage";

fn app() -> App {
    sandbox_app::start(BUCKET, KEY_ID, SECRET, |config| config.with_restore_delay(Duration::from_millis(300)))
}

/// Writes `key` with itself as its content.
fn put(app: &App, key: &str, options: PutObjectOptions) {
    app.put_with(BUCKET, key, key, &options);
}

/// Queues a job through IPC and waits until it has stopped; its state.
fn run_job(app: &App, request: Value) -> TransferStatus {
    let id = ipc::invoke(
        &app.webview,
        "manage_start",
        json!({"request": request, "options": {}, "onEvent": "__CHANNEL__:1"}),
    )
    .expect("the job is queued");
    let id = id.as_u64().expect("a transfer id");
    let transfers = app.webview.state::<TransferState>();
    let wait = transfers.manager().wait_idle(id);
    let snapshot = tauri::async_runtime::block_on(async { tokio::time::timeout(Duration::from_secs(20), wait).await });
    snapshot.expect("the job settles within 20 s").expect("the job is known").state
}

fn keys_under(app: &App, prefix: &str) -> Vec<String> {
    let page = ipc::invoke(
        &app.webview,
        "object_list_page",
        json!({"bucket": BUCKET, "prefix": prefix, "continuationToken": null, "maxKeys": 1000}),
    )
    .expect("the folder lists");
    page["objects"].as_array().unwrap().iter().map(|o| o["key"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn renaming_a_folder_moves_its_objects_and_keeps_their_headers() {
    let app = app();
    for key in ["old/a.txt", "old/b.txt", "old/c.txt"] {
        put(&app, key, PutObjectOptions { content_type: Some("text/markdown".into()), ..Default::default() });
    }
    let request = json!({"bucket": BUCKET, "keys": ["old/"], "action": {"type": "move", "target": {"type": "exact", "bucket": BUCKET, "key": "new/"}}});
    assert_eq!(run_job(&app, request), TransferStatus::Done);
    assert_eq!(keys_under(&app, "old/"), Vec::<String>::new());
    assert_eq!(keys_under(&app, "new/"), ["new/a.txt", "new/b.txt", "new/c.txt"]);
    let headers = ipc::invoke(&app.webview, "object_headers", json!({"bucket": BUCKET, "key": "new/b.txt"})).unwrap();
    assert_eq!(headers["headers"]["contentType"], "text/markdown", "the copy keeps the Content-Type");
    assert_eq!(headers["state"], json!({"state": "readable"}));

    // A folder into itself is refused before anything is queued.
    let into_itself = json!({"bucket": BUCKET, "keys": ["new/"], "action": {"type": "move", "target": {"type": "intoFolder", "bucket": BUCKET, "prefix": "new/sub/"}}});
    let refused = ipc::invoke(
        &app.webview,
        "manage_start",
        json!({"request": into_itself, "options": {}, "onEvent": "__CHANNEL__:2"}),
    );
    assert_eq!(refused.unwrap_err()["kind"], "invalidInput");
}

#[test]
fn the_content_type_of_two_objects_is_previewed_then_changed() {
    let app = app();
    put(&app, "docs/one.bin", PutObjectOptions::default());
    put(&app, "docs/two.bin", PutObjectOptions::default());
    let edit = json!({"contentType": "text/plain", "setMeta": [["reviewed", "yes"]]});
    let keys = json!(["docs/one.bin", "docs/two.bin"]);

    let preview =
        ipc::invoke(&app.webview, "manage_meta_preview", json!({"bucket": BUCKET, "keys": keys, "edit": edit}))
            .expect("a preview");
    assert_eq!(preview["objects"], 2);
    let changes = &preview["samples"][0]["changes"];
    assert!(
        changes.as_array().unwrap().iter().any(|c| c["name"] == "Content-Type" && c["after"] == "text/plain"),
        "{changes}"
    );
    assert!(changes.as_array().unwrap().iter().any(|c| c["name"] == "x-oss-meta-reviewed" && c["before"].is_null()));

    let request = json!({"bucket": BUCKET, "keys": keys, "action": {"type": "setMeta", "edit": edit}});
    assert_eq!(run_job(&app, request), TransferStatus::Done);
    for key in ["docs/one.bin", "docs/two.bin"] {
        let headers = ipc::invoke(&app.webview, "object_headers", json!({"bucket": BUCKET, "key": key})).unwrap();
        assert_eq!(headers["headers"]["contentType"], "text/plain");
        assert_eq!(headers["headers"]["setMeta"], json!([["reviewed", "yes"]]));
    }
}

#[test]
fn an_archived_object_is_restored_and_sizes_count_by_class() {
    let app = app();
    put(&app, "cold/frozen.bin", PutObjectOptions { storage_class: Some("Archive".into()), ..Default::default() });
    put(&app, "cold/warm.bin", PutObjectOptions::default());
    let state = |app: &App| {
        ipc::invoke(&app.webview, "object_headers", json!({"bucket": BUCKET, "key": "cold/frozen.bin"})).unwrap()
            ["state"]["state"]
            .clone()
    };
    assert_eq!(state(&app), "archived");
    assert_eq!(listed_state(&app, "cold/frozen.bin"), "archived", "the list shows the state too");

    let size = ipc::invoke(
        &app.webview,
        "manage_size",
        json!({"bucket": BUCKET, "keys": ["cold/"], "onProgress": "__CHANNEL__:3"}),
    )
    .expect("the folder is counted");
    assert_eq!(size["objects"], 2);
    assert_eq!(size["byClass"]["Archive"]["objects"], 1);
    assert_eq!(size["byClass"]["Standard"]["objects"], 1);

    let request =
        json!({"bucket": BUCKET, "keys": ["cold/frozen.bin"], "action": {"type": "restore", "days": 1, "tier": null}});
    assert_eq!(run_job(&app, request), TransferStatus::Done);
    let mut seen = state(&app);
    for _ in 0..100 {
        if seen == "restored" {
            break;
        }
        assert_eq!(seen, "restoring");
        std::thread::sleep(Duration::from_millis(50));
        seen = state(&app);
    }
    assert_eq!(seen, "restored", "the sandbox completes the restore after its delay");
    assert_eq!(listed_state(&app, "cold/frozen.bin"), "restored", "from the listing's RestoreInfo");
}

/// The archive state a folder listing gives a row.
fn listed_state(app: &App, key: &str) -> Value {
    let parent = &key[..=key.rfind('/').unwrap_or(0)];
    let page = ipc::invoke(
        &app.webview,
        "object_list_page",
        json!({"bucket": BUCKET, "prefix": parent, "delimiter": "/", "continuationToken": null, "maxKeys": 1000}),
    )
    .expect("the folder lists");
    let row = page["objects"].as_array().into_iter().flatten().find(|row| row["key"] == key);
    row.map(|row| row["state"]["state"].clone()).unwrap_or(Value::Null)
}

#[test]
fn buckets_are_created_described_and_deleted_only_when_empty_and_confirmed() {
    let app = app();
    ipc::invoke(
        &app.webview,
        "bucket_create",
        json!({"bucket": {"name": "made-by-ipc", "storageClass": "IA", "acl": null}}),
    )
    .expect("the bucket is created");
    let details = ipc::invoke(&app.webview, "bucket_details", json!({"name": "made-by-ipc"})).unwrap();
    assert_eq!(details["name"], "made-by-ipc");
    assert_eq!(details["storageClass"], "IA");
    let bad = ipc::invoke(
        &app.webview,
        "bucket_create",
        json!({"bucket": {"name": "Bad_Name", "storageClass": null, "acl": null}}),
    );
    assert_eq!(bad.unwrap_err()["kind"], "invalidInput");

    let unconfirmed =
        ipc::invoke(&app.webview, "bucket_delete", json!({"name": "made-by-ipc", "confirmation": "made"}));
    assert_eq!(unconfirmed.unwrap_err()["kind"], "invalidInput");
    put(&app, "x.txt", PutObjectOptions::default());
    let not_empty = ipc::invoke(&app.webview, "bucket_delete", json!({"name": BUCKET, "confirmation": BUCKET}));
    assert_eq!(not_empty.unwrap_err()["kind"], "conflict", "OSS answers 409 BucketNotEmpty");
    ipc::invoke(&app.webview, "bucket_delete", json!({"name": "made-by-ipc", "confirmation": "made-by-ipc"}))
        .expect("an empty bucket is deleted");
    assert_eq!(
        ipc::invoke(&app.webview, "bucket_details", json!({"name": "made-by-ipc"})).unwrap_err()["kind"],
        "notFound"
    );
}
