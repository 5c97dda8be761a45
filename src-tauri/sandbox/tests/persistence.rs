//! Storage: objects, metadata, buckets and uploads survive a restart; a write becomes visible
//! only when complete, so a dropped upload leaves nothing; leftovers of a crash are cleaned.

mod common;

use std::time::Duration;

use common::*;
use osslite_core::{Method, OssRequest};
use osslite_sandbox::Sandbox;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

async fn restart(server: TestServer) -> TestServer {
    let TestServer { sandbox, dir, signer, http } = server;
    sandbox.shutdown().await;
    let sandbox = Sandbox::start(config(&dir)).await.unwrap();
    TestServer { sandbox, dir, signer, http }
}

const OBJECT_HEADERS: [&str; 9] = [
    "etag",
    "x-oss-hash-crc64ecma",
    "last-modified",
    "content-type",
    "content-length",
    "x-oss-meta-colour",
    "x-oss-storage-class",
    "x-oss-object-type",
    "content-disposition",
];

#[tokio::test]
async fn objects_metadata_buckets_and_uploads_survive_a_restart() {
    let server = start().await;
    let put = server
        .object(Method::Put, "keep/me.txt")
        .with_header("Content-Type", "text/plain")
        .with_header("x-oss-meta-colour", "blue")
        .with_header("x-oss-storage-class", "IA")
        .with_header("x-oss-object-acl", "public-read")
        .with_header("Content-Disposition", "inline");
    server.send(put, b"persistent".to_vec()).await.assert_ok();
    server.send(OssRequest::new(Method::Put, Some("made-later"), None), Vec::new()).await.assert_ok();
    server.send(OssRequest::object(Method::Put, "made-later", "x"), b"in the new bucket".to_vec()).await.assert_ok();

    let initiate = server.send(server.object(Method::Post, "pending").with_query("uploads", ""), Vec::new()).await;
    let upload_id = initiate.tag("UploadId").unwrap();
    let part = server
        .send(
            server
                .object(Method::Put, "pending")
                .with_query("partNumber", "1")
                .with_query("uploadId", upload_id.clone()),
            b"part one".to_vec(),
        )
        .await;
    let part_etag = part.header("etag").unwrap().to_owned();

    let before = server.head("keep/me.txt").await;
    let server = restart(server).await;

    let after = server.get("keep/me.txt").await;
    assert_eq!(after.body, b"persistent");
    for name in OBJECT_HEADERS {
        assert_eq!(after.header(name), before.header(name), "{name}");
    }
    let acl = server.send(server.object(Method::Get, "keep/me.txt").with_query("acl", ""), Vec::new()).await;
    assert_eq!(acl.tag("Grant").as_deref(), Some("public-read"));
    assert_eq!(server.send_as_is(&server.object(Method::Get, "keep/me.txt"), Vec::new()).await.status, 200);
    let other = server.send(OssRequest::object(Method::Get, "made-later", "x"), Vec::new()).await;
    assert_eq!(other.body, b"in the new bucket");

    let parts =
        server.send(server.object(Method::Get, "pending").with_query("uploadId", upload_id.clone()), Vec::new()).await;
    assert_eq!(parts.tags("ETag"), std::slice::from_ref(&part_etag));
    let body = format!("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{part_etag}</ETag></Part></CompleteMultipartUpload>");
    server.send(server.object(Method::Post, "pending").with_query("uploadId", upload_id), body).await.assert_ok();
    assert_eq!(server.get("pending").await.body, b"part one");

    let server = restart(server).await;
    assert_eq!(server.get("pending").await.body, b"part one");
    let deleted = server.send(server.object(Method::Delete, "pending"), Vec::new()).await;
    assert_eq!(deleted.status, 204);
    let server = restart(server).await;
    server.head("pending").await.assert_error(404, "NoSuchKey");
}

/// Sends a signed PUT announcing `announced` bytes, writes `sent` of them, and hangs up.
async fn abandoned_put(server: &TestServer, key: &str, announced: usize, sent: usize) {
    let body = vec![b'x'; announced];
    let request = raw_signed_request(server, server.object(Method::Put, key), &body);
    let head_len = request.len() - announced;
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(&request[..head_len + sent]).await.unwrap();
    stream.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop(stream);
}

async fn staging_is_empty(server: &TestServer) -> bool {
    for _ in 0..50 {
        if std::fs::read_dir(server.sandbox.root().join("tmp")).unwrap().next().is_none() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn a_dropped_upload_leaves_nothing_and_keeps_the_old_object() {
    let server = start().await;
    abandoned_put(&server, "never", 4 << 20, 300 << 10).await;
    server.head("never").await.assert_error(404, "NoSuchKey");
    assert!(staging_is_empty(&server).await, "a staging file was left behind");

    server.put("kept", b"old content".to_vec()).await;
    abandoned_put(&server, "kept", 1 << 20, 1000).await;
    assert_eq!(server.get("kept").await.body, b"old content");
    assert!(staging_is_empty(&server).await);

    let id = server
        .send(server.object(Method::Post, "mp").with_query("uploads", ""), Vec::new())
        .await
        .tag("UploadId")
        .unwrap();
    let part = raw_signed_request(
        &server,
        server.object(Method::Put, "mp").with_query("partNumber", "1").with_query("uploadId", id.clone()),
        &vec![b'p'; 1 << 20],
    );
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(&part[..part.len() - 1000]).await.unwrap();
    drop(stream);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let parts = server.send(server.object(Method::Get, "mp").with_query("uploadId", id), Vec::new()).await;
    assert!(parts.tags("Part").is_empty(), "{}", parts.text());
    assert!(staging_is_empty(&server).await);

    let log = server.sandbox.request_log();
    assert!(log.iter().any(|r| r.operation == "PutObject" && r.status == 400), "{log:?}");
}

#[tokio::test]
async fn crash_leftovers_are_cleaned_at_start() {
    let server = start().await;
    server.put("real", b"real".to_vec()).await;
    let root = server.sandbox.root().to_owned();
    let TestServer { sandbox, dir, signer, http } = server;
    sandbox.shutdown().await;

    // A staging file and a data file whose metadata was never written (a crash between renames),
    // and a metadata file that is not JSON.
    std::fs::write(root.join("tmp").join("half.staging"), b"half").unwrap();
    let objects = root.join("buckets").join(BUCKET).join("objects");
    let orphan = objects.join(format!("{}-0000000000000000.data", "ab".repeat(32)));
    std::fs::write(&orphan, b"orphan").unwrap();
    std::fs::write(objects.join(format!("{}.json", "cd".repeat(32))), b"{ not json").unwrap();

    let sandbox = Sandbox::start(config(&dir)).await.unwrap();
    let server = TestServer { sandbox, dir, signer, http };
    assert!(!orphan.exists());
    assert!(std::fs::read_dir(root.join("tmp")).unwrap().next().is_none());
    assert_eq!(server.get("real").await.body, b"real");
    let list = server.send(server.bucket_request(Method::Get).with_query("list-type", "2"), Vec::new()).await;
    assert_eq!(list.tags("Key"), ["real"]);
}
