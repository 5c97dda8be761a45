//! The set-up the IPC tests against a sandbox share (each includes it with `mod sandbox_app;`): the
//! app on Tauri's mock runtime with its main webview, a local sandbox serving one bucket, and a
//! session on that sandbox, made the app's current one as `session_open` would.

// Each test crate uses its own part of it.
#![allow(dead_code)]

use osslite_app::{builder, AppState};
use osslite_core::client::{Body, ProxyConfig};
use osslite_core::ops::PutObjectOptions;
use osslite_core::profiles::{ProfileStore, Session};
use osslite_core::{Addressing, Credentials, Endpoint, Secret};
use osslite_sandbox::{AccessKey, Sandbox, SandboxConfig};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::{Manager, WebviewWindow, WebviewWindowBuilder};

pub const REGION: &str = "cn-hangzhou";

pub struct SandboxApp {
    pub webview: WebviewWindow<MockRuntime>,
    pub session: Session,
    /// Holds the app's config and data and the sandbox's files (under `sandbox`).
    pub dir: tempfile::TempDir,
    _sandbox: Sandbox,
}

/// The app with a session on a new sandbox serving `bucket` to the key `key_id`/`secret`;
/// `configure` adds to the sandbox's configuration (a restore delay, say).
pub fn start(
    bucket: &str,
    key_id: &str,
    secret: &str,
    configure: impl FnOnce(SandboxConfig) -> SandboxConfig,
) -> SandboxApp {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let state = AppState::new(ProfileStore::in_dir(&dir.path().join("config")), dir.path().join("data"));
    let app = builder(mock_builder(), state).build(mock_context(noop_assets())).expect("the app builds");
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a webview");
    let config =
        SandboxConfig::new(dir.path().join("sandbox")).with_bucket(bucket).with_key(AccessKey::new(key_id, secret));
    let sandbox = tauri::async_runtime::block_on(Sandbox::start(configure(config))).expect("the sandbox starts");
    let endpoint = Endpoint::parse(sandbox.endpoint(), Addressing::Path).expect("the sandbox's endpoint parses");
    let credentials = Credentials::new(key_id, Secret::new(secret)).expect("valid credentials");
    let session = Session::connect(endpoint, REGION, credentials, ProxyConfig::Direct).expect("the session connects");
    webview.state::<AppState>().set_session(Some(session.clone()));
    SandboxApp { webview, session, dir, _sandbox: sandbox }
}

impl SandboxApp {
    /// Writes `key` into `bucket` with `options`, outside the app.
    pub fn put_with(&self, bucket: &str, key: &str, body: impl Into<Vec<u8>>, options: &PutObjectOptions) {
        tauri::async_runtime::block_on(self.session.client.put_object(
            bucket,
            key,
            Body::from_bytes(body.into()),
            options,
        ))
        .expect("the object is written");
    }

    /// Writes `key` into `bucket`, outside the app.
    pub fn put(&self, bucket: &str, key: &str, body: impl Into<Vec<u8>>) {
        self.put_with(bucket, key, body, &PutObjectOptions::default());
    }
}
