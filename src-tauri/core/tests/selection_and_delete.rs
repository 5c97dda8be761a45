//! Work on many objects against a real sandbox on loopback: an export selection (files and
//! folders mixed) and deleting everything under prefixes, including a call failing half way.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{stream, StreamExt, TryStreamExt};
use osslite_core::client::{Body, Client, ClientConfig, FixedJitter, ListEntry, RetryPolicy};
use osslite_core::delete::{delete_all, DeleteProgress};
use osslite_core::ops::PutObjectOptions;
use osslite_core::share::export::Selection;
use osslite_core::{Addressing, Credentials, Endpoint, ErrorKind, Secret};
use osslite_sandbox::{AccessKey, Faults, Sandbox, SandboxConfig};

const KEY_ID: &str = "LTAI5tSelectionKeyId";
const SECRET: &str = "selection-secret-value";
const REGION: &str = "cn-hangzhou";
const BUCKET: &str = "many-bucket";

struct Fixture {
    sandbox: Sandbox,
    client: Client,
    _root: tempfile::TempDir,
}

async fn start() -> Fixture {
    let root = tempfile::tempdir().unwrap();
    let config = SandboxConfig::new(root.path())
        .with_bucket(BUCKET)
        .with_key(AccessKey::new(KEY_ID, SECRET))
        .with_region(REGION);
    let sandbox = Sandbox::start(config).await.unwrap();
    let endpoint = Endpoint::parse(sandbox.endpoint(), Addressing::Path).unwrap();
    let credentials = Credentials::new(KEY_ID, Secret::new(SECRET)).unwrap();
    let retry = RetryPolicy { max_attempts: 2, base: Duration::from_millis(5), max_delay: Duration::from_millis(10) };
    let config = ClientConfig::builder(endpoint, REGION, credentials)
        .with_retry(retry)
        .with_jitter(Arc::new(FixedJitter(0.5)))
        .build()
        .unwrap();
    Fixture { sandbox, client: Client::new(config).unwrap(), _root: root }
}

async fn put_all(client: &Client, keys: impl IntoIterator<Item = String>) {
    stream::iter(keys)
        .map(|key| async move {
            let body = Body::from_bytes(key.clone().into_bytes());
            client.put_object(BUCKET, &key, body, &PutObjectOptions::default()).await
        })
        .buffer_unordered(32)
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
}

async fn all_keys(client: &Client) -> Vec<String> {
    client.list_all(BUCKET, None, None).map_ok(|entry: ListEntry| entry.name().to_owned()).try_collect().await.unwrap()
}

#[tokio::test]
async fn a_selection_yields_its_files_in_order_then_everything_under_its_folders() {
    let f = start().await;
    let keys = ["b.txt", "a.txt", "docs/1.txt", "docs/sub/2.txt", "docs-not-in-the-folder.txt", "other/3.txt"];
    put_all(&f.client, keys.map(str::to_owned)).await;

    let selection =
        Selection { bucket: BUCKET.into(), keys: vec!["b.txt".into(), "a.txt".into()], folders: vec!["docs/".into()] };
    let objects: Vec<_> = selection.objects(&f.client).try_collect().await.unwrap();
    let names: Vec<&str> = objects.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(names, ["b.txt", "a.txt", "docs/1.txt", "docs/sub/2.txt"]);
    for object in &objects {
        assert_eq!(object.size, object.key.len() as u64, "{}", object.key);
        assert!(object.last_modified.is_some() && !object.etag.is_empty(), "{object:?}");
    }
    let heads = f.sandbox.request_log().iter().filter(|r| r.operation == "HeadObject").count();
    assert_eq!(heads, 2, "files are looked up, folders listed");

    let gone = Selection { bucket: BUCKET.into(), keys: vec!["missing.txt".into()], folders: Vec::new() };
    let err = gone.objects(&f.client).try_collect::<Vec<_>>().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
}

#[tokio::test]
async fn delete_all_deletes_keys_and_prefixes_1000_a_call_with_progress() {
    let f = start().await;
    let mut keys: Vec<String> = (0..2_300).map(|i| format!("big/{i:05}")).collect();
    keys.extend(["a.txt", "big-sibling.txt", "keep/x.txt"].map(str::to_owned));
    put_all(&f.client, keys).await;

    let mut seen = Vec::new();
    let outcome =
        delete_all(&f.client, BUCKET, vec!["a.txt".into(), "big/00001".into()], &["big/".into()], |p| seen.push(p))
            .await
            .unwrap();
    assert_eq!(outcome.deleted, 2_301, "a key named twice is deleted once");
    assert!(outcome.failed.is_empty() && outcome.error.is_none());
    let progress = |deleted| DeleteProgress { deleted, total: 2_301 };
    assert_eq!(seen, [progress(1000), progress(2000), progress(2_301)]);
    assert_eq!(all_keys(&f.client).await, ["big-sibling.txt", "keep/x.txt"]);
    let calls = f.sandbox.request_log().iter().filter(|r| r.operation == "DeleteMultipleObjects").count();
    assert_eq!(calls, 3);

    let err = delete_all(&f.client, BUCKET, Vec::new(), &["keep/".into(), String::new()], |_| {}).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    assert_eq!(all_keys(&f.client).await.len(), 2, "an empty prefix deletes nothing");
}

#[tokio::test]
async fn a_failed_call_stops_the_deletion_and_names_the_keys_left() {
    let f = start().await;
    let keys: Vec<String> = (0..2_500).map(|i| format!("logs/{i:05}")).collect();
    put_all(&f.client, keys.clone()).await;

    // After the first call, OSS answers every request 503, so the second call fails (retries included).
    let outcome = delete_all(&f.client, BUCKET, Vec::new(), &["logs/".into()], |_| {
        f.sandbox.set_faults(Faults { error_503_ratio: 1.0, ..Faults::default() })
    })
    .await
    .unwrap();
    f.sandbox.set_faults(Faults::default());
    assert_eq!(outcome.deleted, 1000);
    assert_eq!(outcome.failed, keys[1000..], "the failed call's keys and every later one's");
    assert_eq!(outcome.total(), 2_500);
    assert_eq!(all_keys(&f.client).await, keys[1000..]);
    let log = f.sandbox.request_log();
    assert_eq!(log.iter().filter(|r| r.operation == "DeleteMultipleObjects").count(), 1);
    assert_eq!(log.iter().filter(|r| r.status == 503).count(), 2, "the failing call, tried twice, and no third call");

    let err = outcome.into_result().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Service, "{err}");
    assert!(err.message().starts_with("1500 of 2500 objects were not deleted (1000 were): "), "{err}");
}
