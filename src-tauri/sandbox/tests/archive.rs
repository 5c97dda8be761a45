//! Storage classes and archive semantics: classes on PUT, multipart and listings; reads of
//! unrestored archived objects refused; RestoreObject's states, headers and errors.

mod common;

use std::time::Duration;

use common::*;
use osslite_core::Method;
use osslite_sandbox::Sandbox;

const CLASSES: [&str; 5] = ["Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive"];
const AN_HOUR: Duration = Duration::from_secs(3600);

async fn put_in_class(server: &TestServer, key: &str, class: &str) {
    let request = server.object(Method::Put, key).with_header("x-oss-storage-class", class);
    server.send(request, b"archived bytes".to_vec()).await.assert_ok();
}

fn restore_body(days: u32, tier: &str) -> String {
    format!("<RestoreRequest><Days>{days}</Days><JobParameters><Tier>{tier}</Tier></JobParameters></RestoreRequest>")
}

async fn restore(server: &TestServer, key: &str, body: impl Into<Vec<u8>>) -> Reply {
    server.send(server.object(Method::Post, key).with_query("restore", ""), body.into()).await
}

#[tokio::test]
async fn every_class_shows_in_head_listing_and_multipart() {
    let server = start().await;
    for class in CLASSES {
        put_in_class(&server, &format!("class/{class}"), class).await;
        assert_eq!(server.head(&format!("class/{class}")).await.header("x-oss-storage-class"), Some(class));
    }
    let listing = server.send(server.bucket_request(Method::Get).with_query("prefix", "class/"), Vec::new()).await;
    let mut listed = listing.tags("StorageClass");
    listed.sort();
    let mut expected: Vec<String> = CLASSES.iter().map(|c| (*c).to_owned()).collect();
    expected.sort();
    assert_eq!(listed, expected);

    let initiate = server
        .object(Method::Post, "multi")
        .with_query("uploads", "")
        .with_header("x-oss-storage-class", "ColdArchive");
    let id = server.send(initiate, Vec::new()).await.tag("UploadId").unwrap();
    let part = server.object(Method::Put, "multi").with_query("partNumber", "1").with_query("uploadId", &id);
    server.send(part, b"one part".to_vec()).await.assert_ok();
    let complete =
        server.object(Method::Post, "multi").with_query("uploadId", &id).with_header("x-oss-complete-all", "yes");
    server.send(complete, Vec::new()).await.assert_ok();
    assert_eq!(server.head("multi").await.header("x-oss-storage-class"), Some("ColdArchive"));
}

#[tokio::test]
async fn archived_objects_are_read_only_after_a_restore() {
    let server = start_with(|config| config.with_restore_delay(Duration::ZERO)).await;
    put_in_class(&server, "cold.bin", "Archive").await;
    let head = server.head("cold.bin").await;
    head.assert_ok();
    assert_eq!(head.header("x-oss-restore"), None);
    server.get("cold.bin").await.assert_error(403, "InvalidObjectState");
    let copy = server.object(Method::Put, "copy.bin").with_header("x-oss-copy-source", "/test-bucket/cold.bin");
    server.send(copy.clone(), Vec::new()).await.assert_error(403, "InvalidObjectState");

    let started = restore(&server, "cold.bin", Vec::new()).await;
    assert_eq!(started.status, 202, "{}", started.text());
    let restored = server.head("cold.bin").await.header("x-oss-restore").unwrap_or_default().to_owned();
    assert!(restored.starts_with("ongoing-request=\"false\", expiry-date=\""), "{restored}");
    assert!(restored.ends_with(" GMT\""), "{restored}");
    assert_eq!(server.get("cold.bin").await.body, b"archived bytes");
    server.send(copy, Vec::new()).await.assert_ok();
    let listing = server.send(server.bucket_request(Method::Get).with_query("prefix", "cold"), Vec::new()).await;
    assert_eq!(listing.tag("RestoreInfo"), Some(restored.clone()));

    let extended = restore(&server, "cold.bin", restore_body(5, "Standard")).await;
    assert_eq!(extended.status, 200, "{}", extended.text());
    let later = server.head("cold.bin").await.header("x-oss-restore").unwrap_or_default().to_owned();
    assert!(later.starts_with("ongoing-request=\"false\"") && later != restored, "{later} vs {restored}");
}

#[tokio::test]
async fn a_restore_in_progress_is_ongoing_and_refuses_a_second() {
    let server = start_with(|config| config.with_restore_delay(AN_HOUR)).await;
    put_in_class(&server, "colder.bin", "ColdArchive").await;
    let started = restore(&server, "colder.bin", restore_body(2, "Bulk")).await;
    assert_eq!(started.status, 202, "{}", started.text());
    assert_eq!(server.head("colder.bin").await.header("x-oss-restore"), Some("ongoing-request=\"true\""));
    server.get("colder.bin").await.assert_error(403, "InvalidObjectState");
    restore(&server, "colder.bin", Vec::new()).await.assert_error(409, "RestoreAlreadyInProgress");

    // The restore survives a restart.
    let TestServer { sandbox, dir, signer, http } = server;
    sandbox.shutdown().await;
    let sandbox = Sandbox::start(config(&dir).with_restore_delay(AN_HOUR)).await.unwrap();
    let server = TestServer { sandbox, dir, signer, http };
    assert_eq!(server.head("colder.bin").await.header("x-oss-restore"), Some("ongoing-request=\"true\""));
    restore(&server, "colder.bin", Vec::new()).await.assert_error(409, "RestoreAlreadyInProgress");
}

#[tokio::test]
async fn restore_refuses_standard_objects_bad_days_and_tiers() {
    let server = start().await;
    put_in_class(&server, "warm.bin", "Standard").await;
    put_in_class(&server, "ia.bin", "IA").await;
    put_in_class(&server, "archive.bin", "Archive").await;
    restore(&server, "warm.bin", Vec::new()).await.assert_error(400, "OperationNotSupported");
    restore(&server, "ia.bin", Vec::new()).await.assert_error(400, "OperationNotSupported");
    restore(&server, "archive.bin", restore_body(8, "Standard")).await.assert_error(400, "InvalidArgument");
    restore(&server, "archive.bin", restore_body(1, "Test")).await.assert_error(400, "InvalidArgument");
    restore(&server, "archive.bin", "<Restore/>").await.assert_error(400, "MalformedXML");
    restore(&server, "missing.bin", Vec::new()).await.assert_error(404, "NoSuchKey");
    // A Standard object written over an archived one reads at once.
    put_in_class(&server, "archive.bin", "Standard").await;
    server.get("archive.bin").await.assert_ok();
}
