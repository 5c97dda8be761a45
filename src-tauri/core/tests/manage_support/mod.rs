//! Shared plumbing of the management tests: a sandbox with two buckets, a client and a
//! transfer manager for it, and helpers to fill and read buckets.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use osslite_core::client::{Body, Client, ClientConfig, FixedJitter, RetryPolicy};
use osslite_core::manage::{ManageOptions, ManageRequest};
use osslite_core::ops::PutObjectOptions;
use osslite_core::transfer::{no_events, CheckpointStore, TransferManager, TransferSnapshot};
use osslite_core::{Addressing, Credentials, Endpoint, Secret};
use osslite_sandbox::{AccessKey, Faults, Sandbox, SandboxConfig};

pub const KEY_ID: &str = "LTAI5tManageTests";
pub const SECRET: &str = "manage-tests-secret";
pub const REGION: &str = "cn-hangzhou";
pub const BUCKET: &str = "manage-bucket";
pub const OTHER: &str = "manage-other";

pub struct Fixture {
    pub sandbox: Sandbox,
    pub client: Client,
    pub manager: TransferManager,
    pub checkpoints: PathBuf,
    _dir: tempfile::TempDir,
    _root: tempfile::TempDir,
}

pub async fn start() -> Fixture {
    start_with(|config| config).await
}

pub async fn start_with(configure: impl FnOnce(SandboxConfig) -> SandboxConfig) -> Fixture {
    let root = tempfile::tempdir().unwrap();
    let config = SandboxConfig::new(root.path())
        .with_bucket(BUCKET)
        .with_bucket(OTHER)
        .with_key(AccessKey::new(KEY_ID, SECRET))
        .with_region(REGION)
        .with_faults(Faults::default());
    let sandbox = Sandbox::start(configure(config)).await.unwrap();
    let client = client_for(sandbox.endpoint());
    let dir = tempfile::tempdir().unwrap();
    let checkpoints = dir.path().join("checkpoints");
    let manager = TransferManager::new(2, CheckpointStore::new(&checkpoints));
    Fixture { sandbox, client, manager, checkpoints, _dir: dir, _root: root }
}

pub fn client_for(endpoint: &str) -> Client {
    let credentials = Credentials::new(KEY_ID, Secret::new(SECRET)).unwrap();
    let endpoint = Endpoint::parse(endpoint, Addressing::Path).unwrap();
    let config = ClientConfig::builder(endpoint, REGION, credentials)
        .with_retry(RetryPolicy {
            max_attempts: 3,
            base: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
        })
        .with_jitter(Arc::new(FixedJitter(0.5)))
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

impl Fixture {
    pub async fn put(&self, bucket: &str, key: &str, body: &str, options: &PutObjectOptions) {
        self.client.put_object(bucket, key, Body::from(body.to_owned()), options).await.unwrap();
    }

    pub async fn read(&self, bucket: &str, key: &str) -> String {
        let bytes = self.client.get_object(bucket, key, None).await.unwrap().bytes().await.unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    pub async fn exists(&self, bucket: &str, key: &str) -> bool {
        self.client.head_object(bucket, key).await.is_ok()
    }

    /// Every key under `prefix`, sorted.
    pub async fn keys(&self, bucket: &str, prefix: &str) -> Vec<String> {
        use futures_util::TryStreamExt;
        let entries: Vec<_> = self.client.list_all(bucket, Some(prefix), None).try_collect().await.unwrap();
        entries.iter().map(|entry| entry.name().to_owned()).collect()
    }

    /// Runs a job to its end.
    pub async fn run(&self, request: ManageRequest, options: ManageOptions) -> TransferSnapshot {
        let id = self.manager.manage(&self.client, request, options, no_events()).await.unwrap();
        self.manager.wait(id).await.unwrap()
    }
}

pub fn small_parts() -> ManageOptions {
    ManageOptions { copy_threshold: 256 * 1024, part_size: 100 * 1024, parallel: 4, ..ManageOptions::default() }
}
