//! A computer whose clock is wrong, against a sandbox playing OSS with the right one: the first
//! signed request is refused with RequestTimeTooSkewed, the client learns the offset from the
//! answer's `Date`, signs again once with the server's time, and signs links with it afterwards.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use osslite_core::client::{Body, Client, ClientConfig, FixedJitter, RetryPolicy};
use osslite_core::ops::{ListBucketsParams, PutObjectOptions};
use osslite_core::{Addressing, Credentials, Endpoint, Method, OssRequest, Secret};
use osslite_sandbox::{AccessKey, Sandbox, SandboxConfig};

const KEY_ID: &str = "LTAI5tSkewedClockKey";
const SECRET: &str = "skewed-clock-secret";
const BUCKET: &str = "skew-bucket";

async fn sandbox_ahead_by(secs: i64, root: &tempfile::TempDir) -> Sandbox {
    let config = SandboxConfig::new(root.path())
        .with_bucket(BUCKET)
        .with_key(AccessKey::new(KEY_ID, SECRET))
        .with_clock_offset_secs(secs);
    Sandbox::start(config).await.unwrap()
}

fn client(sandbox: &Sandbox) -> Client {
    let endpoint = Endpoint::parse(sandbox.endpoint(), Addressing::Path).unwrap();
    let credentials = Credentials::new(KEY_ID, Secret::new(SECRET)).unwrap();
    let config = ClientConfig::builder(endpoint, sandbox.region(), credentials)
        .with_retry(RetryPolicy::none())
        .with_jitter(Arc::new(FixedJitter(0.0)))
        .with_read_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

fn statuses(sandbox: &Sandbox, operation: &str) -> Vec<u16> {
    sandbox.request_log().iter().filter(|r| r.operation == operation).map(|r| r.status).collect()
}

async fn fetch(url: &str) -> (u16, String) {
    let response = reqwest::get(url).await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_skewed_clock_is_learned_from_the_refusal_and_signed_around() {
    for offset in [1800i64, -1800] {
        let root = tempfile::tempdir().unwrap();
        let sandbox = sandbox_ahead_by(offset, &root).await;
        let client = client(&sandbox);
        assert_eq!(client.clock_offset_secs(), 0, "nothing known before the first answer");

        // Even with retries off, the one re-sign after RequestTimeTooSkewed goes through.
        client.list_buckets(&ListBucketsParams::default()).await.expect("signed again with the server's time");
        assert_eq!(statuses(&sandbox, "ListBuckets"), [403, 200], "refused once, then accepted");
        let learned = client.clock_offset_secs();
        assert!((offset - 5..=offset + 5).contains(&learned), "offset {offset}, learned {learned}");

        // Later requests are signed with the corrected time from the start.
        client.put_object(BUCKET, "k.txt", Body::from("skew".to_owned()), &PutObjectOptions::default()).await.unwrap();
        assert_eq!(statuses(&sandbox, "PutObject"), [200]);
        sandbox.shutdown().await;
    }
}

#[tokio::test]
async fn links_signed_with_the_learned_offset_work_where_local_time_links_do_not() {
    let root = tempfile::tempdir().unwrap();
    let sandbox = sandbox_ahead_by(3600, &root).await;
    let client = client(&sandbox);
    client
        .put_object(BUCKET, "shared.txt", Body::from("hello".to_owned()), &PutObjectOptions::default())
        .await
        .unwrap();
    let request = OssRequest::object(Method::Get, BUCKET, "shared.txt");

    // By the server's clock, a 10-minute link signed with the local time expired 50 minutes ago.
    let local = client.signer().presign(client.endpoint(), &request, Utc::now(), 600).unwrap();
    let (status, body) = fetch(&local.url).await;
    assert_eq!(status, 403, "{body}");

    let corrected = client.presign(&request, 600).unwrap();
    let ahead = (corrected.signed_at - Utc::now()).num_seconds();
    assert!((3590..=3610).contains(&ahead), "the link is dated with the server's time: {ahead} s ahead");
    assert_eq!(fetch(&corrected.url).await, (200, "hello".to_owned()));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_clock_in_step_records_no_offset() {
    let root = tempfile::tempdir().unwrap();
    let sandbox = sandbox_ahead_by(0, &root).await;
    let client = client(&sandbox);
    client.list_buckets(&ListBucketsParams::default()).await.unwrap();
    assert_eq!(client.clock_offset_secs(), 0);
    assert_eq!(statuses(&sandbox, "ListBuckets"), [200]);
    let link = client.presign(&OssRequest::object(Method::Get, BUCKET, "x"), 60).unwrap();
    assert!((link.signed_at - Utc::now()).num_seconds().abs() <= 2);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn requests_refused_together_are_all_signed_again() {
    let root = tempfile::tempdir().unwrap();
    let sandbox = sandbox_ahead_by(-2400, &root).await;
    let client = client(&sandbox);
    let params = ListBucketsParams::default();
    let lists = (0..8).map(|_| client.list_buckets(&params));
    for result in futures_util::future::join_all(lists).await {
        result.expect("each refused request is signed again, not only the first to learn the offset");
    }
    assert!((-2405..=-2395).contains(&client.clock_offset_secs()));
    sandbox.shutdown().await;
}
