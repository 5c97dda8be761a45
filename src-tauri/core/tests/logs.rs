//! The client's log at trace level, every crate included, while it signs with headers, sends a
//! part to a presigned URL and meets a 404: each request has its span with method, bucket, key,
//! status and request id; no secret, signature, Authorization header or presigned query is logged.

use std::io::Write;
use std::sync::{Arc, Mutex};

use osslite_core::client::{Body, Client, ClientConfig};
use osslite_core::{Addressing, Credentials, Endpoint, ErrorKind, Secret};
use osslite_sandbox::{AccessKey, Sandbox, SandboxConfig};

const KEY_ID: &str = "LTAI5tLogKeyId";
const SECRET: &str = "CANARY-log-secret-91fe2b";
const REGION: &str = "cn-hangzhou";
const BUCKET: &str = "log-bucket";

/// Everything logged, in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_logged_by_path_and_status_never_with_a_secret_or_signature() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .init();

    let root = tempfile::tempdir().unwrap();
    let config = SandboxConfig::new(root.path())
        .with_bucket(BUCKET)
        .with_key(AccessKey::new(KEY_ID, SECRET))
        .with_region(REGION);
    let sandbox = Sandbox::start(config).await.unwrap();
    let endpoint = Endpoint::parse(sandbox.endpoint(), Addressing::Path).unwrap();
    let credentials = Credentials::new(KEY_ID, Secret::new(SECRET)).unwrap();
    let client = Client::new(ClientConfig::builder(endpoint, REGION, credentials).build().unwrap()).unwrap();

    client.put_object(BUCKET, "dir/a.txt", Body::from_bytes("hello"), &Default::default()).await.unwrap();
    let missing = client.head_object(BUCKET, "dir/missing.txt").await.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    let upload = client.initiate_multipart_upload(BUCKET, "dir/big.bin", &Default::default()).await.unwrap();
    let presigned = client.presign_upload_part(BUCKET, "dir/big.bin", &upload.upload_id, 1, None, 600).unwrap();
    client.upload_part_presigned(&presigned, 1, Body::from_bytes("part one")).await.unwrap();
    client.abort_multipart_upload(BUCKET, "dir/big.bin", &upload.upload_id).await.unwrap();

    let log = captured.text();
    assert!(log.contains(r#"oss_request{op="PutObject" method=Put bucket="log-bucket" key="dir/a.txt"}"#), "{log}");
    assert!(log.contains(r#"oss_request{op="HeadObject" method=Head bucket="log-bucket" key="dir/missing.txt"}"#));
    assert!(log.contains("status=404"), "{log}");
    assert!(log.contains("request_id="), "{log}");
    assert!(log.contains(r#"oss_request{op="UploadPart" method=Put path="/log-bucket/dir/big.bin"}"#), "{log}");

    let (_, query) = presigned.url.split_once('?').unwrap();
    let signature = query.split('&').find_map(|pair| pair.strip_prefix("x-oss-signature=")).unwrap();
    for forbidden in [SECRET, signature, query, "x-oss-signature", "Signature=", "OSS4-HMAC-SHA256"] {
        assert!(!log.contains(forbidden), "{forbidden} is in the log:\n{log}");
    }
}
