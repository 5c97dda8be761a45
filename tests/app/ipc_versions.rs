//! Versions through Tauri's real IPC layer (`tauri::test`) against a sandbox: turning versioning
//! on, an object's versions and delete markers, downloading (a transfer), restoring and deleting one version,
//! and bringing a deleted object back with its last content.

mod sandbox_app;

use std::time::Duration;

use osslite_app::{ChosenPaths, TransferState};
use osslite_core::transfer::{TransferSnapshot, TransferStatus, Verification};
use osslite_test_support::ipc;
use serde_json::{json, Value};
use tauri::Manager;

use sandbox_app::SandboxApp as App;

const KEY_ID: &str = "LTAI5tIpcVersions";
const SECRET: &str = "ipc-versions-secret";
const BUCKET: &str = "ipc-versions";

fn app() -> App {
    sandbox_app::start(BUCKET, KEY_ID, SECRET, |config| config)
}

impl App {
    fn call(&self, command: &str, args: Value) -> Value {
        ipc::invoke(&self.webview, command, args).unwrap_or_else(|err| panic!("{command} failed: {err}"))
    }

    fn latest(&self, key: &str) -> String {
        let body = tauri::async_runtime::block_on(self.session.client.get_object(BUCKET, key, None))
            .expect("the latest version reads");
        let bytes = tauri::async_runtime::block_on(body.bytes()).expect("the body reads");
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    fn versions(&self, key: &str) -> Vec<Value> {
        let list = self.call("versions_list", json!({"bucket": BUCKET, "key": key}));
        list.as_array().cloned().unwrap_or_default()
    }

    fn settle(&self, id: u64) -> TransferSnapshot {
        let transfers = self.webview.state::<TransferState>();
        let wait = transfers.manager().wait_idle(id);
        let snapshot =
            tauri::async_runtime::block_on(async { tokio::time::timeout(Duration::from_secs(20), wait).await });
        snapshot.expect("the download settles within 20 s").expect("the transfer is known")
    }

    fn enable(&self) {
        let status = self.call("versioning_set", json!({"bucket": BUCKET, "status": "enabled"}));
        assert_eq!(status, "enabled");
    }
}

fn ids(versions: &[Value]) -> Vec<String> {
    versions.iter().map(|v| v["versionId"].as_str().unwrap_or_default().to_owned()).collect()
}

#[test]
fn versioning_turns_on_and_suspends_but_never_off() {
    let app = app();
    assert_eq!(app.call("versioning_get", json!({"bucket": BUCKET})), "off");
    app.enable();
    let suspended = app.call("versioning_set", json!({"bucket": BUCKET, "status": "suspended"}));
    assert_eq!(suspended, "suspended");
    let off = ipc::invoke(&app.webview, "versioning_set", json!({"bucket": BUCKET, "status": "off"}))
        .expect_err("versioning cannot be turned off");
    assert!(off.to_string().contains("suspend"), "{off}");
}

#[test]
fn three_versions_are_listed_and_the_first_is_restored_as_latest() {
    let app = app();
    app.enable();
    for body in ["first", "second", "third"] {
        app.put(BUCKET, "doc.txt", body);
    }
    app.put(BUCKET, "doc.txt.bak", "not a version of doc.txt");
    let versions = app.versions("doc.txt");
    assert_eq!(versions.len(), 3, "{versions:?}");
    assert_eq!(versions[0]["isLatest"], true);
    assert_eq!(versions[2]["size"], 5);
    let first = ids(&versions)[2].clone();

    let restored = app.call("version_restore", json!({"bucket": BUCKET, "key": "doc.txt", "versionId": first}));
    assert!(restored.as_str().is_some_and(|id| !id.is_empty() && id != first), "{restored}");
    assert_eq!(app.latest("doc.txt"), "first");
    assert_eq!(app.versions("doc.txt").len(), 4);

    let second = ids(&versions)[1].clone();
    let deleted = app.call("version_delete", json!({"bucket": BUCKET, "key": "doc.txt", "versionId": second}));
    assert_eq!(deleted["deleteMarker"], false);
    assert!(!ids(&app.versions("doc.txt")).contains(&second));
}

#[test]
fn an_old_version_downloads_as_a_transfer_under_its_own_name() {
    let app = app();
    app.enable();
    app.put(BUCKET, "notes.md", "old notes");
    app.put(BUCKET, "notes.md", "new notes");
    let old = ids(&app.versions("notes.md"))[1].clone();
    let folder = app.dir.path().join("downloads");
    let args =
        json!({"bucket": BUCKET, "key": "notes.md", "versionId": old, "folder": folder, "onEvent": "__CHANNEL__:3"});
    let refused =
        ipc::invoke(&app.webview, "version_download", args.clone()).expect_err("an unchosen folder is refused");
    assert!(refused.to_string().contains("not chosen"), "{refused}");

    std::fs::create_dir_all(&folder).unwrap();
    app.webview.state::<ChosenPaths>().remember([&folder]);
    let ids: Vec<u64> = serde_json::from_value(app.call("version_download", args.clone())).unwrap();
    assert_eq!(ids.len(), 1);
    let done = app.settle(ids[0]);
    assert_eq!(done.state, TransferStatus::Done, "{done:?}");
    assert!(done.source.ends_with(&format!("notes.md?versionId={old}")), "{}", done.source);
    let suffix: String = old.chars().filter(char::is_ascii_alphanumeric).collect();
    let expected = folder.join(format!("notes (version {}).md", &suffix[suffix.len() - 8..]));
    assert_eq!(std::fs::read_to_string(&expected).unwrap(), "old notes");
    assert_eq!(done.verification, Some(Verification::Crc64));

    // The same version again: kept beside the first, numbered.
    let again: Vec<u64> = serde_json::from_value(app.call("version_download", args)).unwrap();
    assert_eq!(app.settle(again[0]).state, TransferStatus::Done);
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 2);
}

#[test]
fn a_deleted_object_is_listed_and_comes_back_with_its_last_content() {
    let app = app();
    app.enable();
    app.put(BUCKET, "dir/gone.txt", "v1");
    app.put(BUCKET, "dir/gone.txt", "last words");
    app.put(BUCKET, "dir/kept.txt", "here");
    tauri::async_runtime::block_on(app.session.client.delete_object(BUCKET, "dir/gone.txt")).unwrap();
    tauri::async_runtime::block_on(app.session.client.delete_object(BUCKET, "dir/gone.txt")).unwrap();

    let deleted = app.call("deleted_list", json!({"bucket": BUCKET, "prefix": "dir/"}));
    let keys: Vec<&str> = deleted.as_array().unwrap().iter().filter_map(|v| v["key"].as_str()).collect();
    assert_eq!(keys, ["dir/gone.txt"]);

    app.call("deleted_restore", json!({"bucket": BUCKET, "key": "dir/gone.txt"}));
    assert_eq!(app.latest("dir/gone.txt"), "last words");
    assert_eq!(app.call("deleted_list", json!({"bucket": BUCKET, "prefix": "dir/"})), json!([]));
    assert_eq!(app.versions("dir/gone.txt").len(), 2, "both delete markers are gone");
}
