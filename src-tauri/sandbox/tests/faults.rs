//! Fault injection is off by default and observable when asked for: 503s from a seeded RNG,
//! latency, bandwidth caps, dropped connections, wrong or missing CRCs, bodies damaged on the way.

mod common;

use std::time::{Duration, Instant};

use common::*;
use osslite_core::ops::content_md5;
use osslite_core::Method;
use osslite_sandbox::{crc64, Faults};

async fn statuses(server: &TestServer, count: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..count {
        out.push(server.send(server.bucket_request(Method::Get).with_query("list-type", "2"), Vec::new()).await.status);
    }
    out
}

#[tokio::test]
async fn error_503_ratio_is_random_but_replayable_by_seed() {
    let faults = Faults { error_503_ratio: 0.5, seed: 42, ..Faults::default() };
    let a = start_with(|c| c.with_faults(faults.clone())).await;
    let b = start_with(|c| c.with_faults(faults.clone())).await;
    let (first, second) = (statuses(&a, 40).await, statuses(&b, 40).await);
    assert_eq!(first, second);
    assert!(first.contains(&503) && first.contains(&200), "{first:?}");

    let always = start_with(|c| c.with_faults(Faults { error_503_ratio: 1.0, ..Faults::default() })).await;
    let reply = always.get("anything").await;
    reply.assert_error(503, "ServiceUnavailable");
    assert!(reply.header("x-oss-request-id").is_some());

    always.sandbox.set_faults(Faults::default());
    assert_eq!(statuses(&always, 5).await, [200; 5]);
    assert_eq!(always.sandbox.faults(), Faults::default());
}

#[tokio::test]
async fn latency_and_bandwidth_slow_requests_down() {
    let server = start().await;
    server.put("blob", vec![7u8; 100_000]).await;

    server.sandbox.set_faults(Faults { latency: Duration::from_millis(300), ..Faults::default() });
    let started = Instant::now();
    assert_eq!(server.head("blob").await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());

    server.sandbox.set_faults(Faults { bandwidth_bytes_per_sec: Some(200_000), ..Faults::default() });
    let started = Instant::now();
    let reply = server.get("blob").await;
    assert_eq!(reply.body.len(), 100_000);
    assert!(started.elapsed() >= Duration::from_millis(450), "download took {:?}", started.elapsed());

    let started = Instant::now();
    server.put("upload", vec![1u8; 100_000]).await;
    assert!(started.elapsed() >= Duration::from_millis(450), "upload took {:?}", started.elapsed());

    server.sandbox.set_faults(Faults::default());
    let started = Instant::now();
    server.get("blob").await;
    assert!(started.elapsed() < Duration::from_millis(450), "unthrottled took {:?}", started.elapsed());
}

#[tokio::test]
async fn dropped_connections_cut_response_bodies() {
    let server = start().await;
    server.put("blob", vec![9u8; 50_000]).await;
    server.sandbox.set_faults(Faults { drop_after_bytes: Some(1000), ..Faults::default() });
    server.sandbox.clear_request_log();

    let response = server.http.get(server.endpoint().url(Some(BUCKET), Some("blob"))).send().await;
    // Anonymous: refused with a short XML body, which is under the limit and arrives whole.
    assert_eq!(response.unwrap().status(), 403);

    let mut request = server.object(Method::Get, "blob");
    server.signer.sign_headers(&mut request, chrono::Utc::now()).unwrap();
    let mut builder = server.http.get(server.endpoint().url(Some(BUCKET), Some("blob")));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let mut response = builder.send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.content_length(), Some(50_000));
    let mut received = 0;
    let cut = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => received += chunk.len(),
            Ok(None) => break false,
            Err(_) => break true,
        }
    };
    assert!(cut, "the body should have been cut");
    assert_eq!(received, 1000, "exactly the bytes before the cut arrive");

    tokio::time::sleep(Duration::from_millis(100)).await;
    let log = server.sandbox.request_log();
    let get = log.iter().find(|r| r.operation == "GetObject" && r.status == 200).unwrap();
    assert_eq!((get.status, get.bytes_out), (200, 1000));

    // Small responses under the limit are untouched.
    let head = server.head("blob").await;
    assert_eq!(head.status, 200);
}

#[tokio::test]
async fn corrupt_crc_reports_a_wrong_checksum() {
    let server = start().await;
    let data = b"checksummed".to_vec();
    let honest = server.put("c", data.clone()).await;
    assert_eq!(honest.header("x-oss-hash-crc64ecma"), Some(crc64(&data).to_string().as_str()));
    server.sandbox.set_faults(Faults { corrupt_crc: true, ..Faults::default() });
    for reply in [server.put("c", data.clone()).await, server.get("c").await, server.head("c").await] {
        let reported = reply.header("x-oss-hash-crc64ecma").unwrap();
        assert_ne!(reported, crc64(&data).to_string());
    }
    assert_eq!(server.get("c").await.body, data);
}

#[tokio::test]
async fn omit_crc64_drops_the_checksum_header_everywhere() {
    let server = start().await;
    server.sandbox.set_faults(Faults { omit_crc64: true, ..Faults::default() });
    let data = b"no checksum".to_vec();
    for reply in [server.put("n", data.clone()).await, server.get("n").await, server.head("n").await] {
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("x-oss-hash-crc64ecma"), None);
    }
}

#[tokio::test]
async fn a_damaged_body_fails_its_content_md5_and_is_stored_damaged_without_one() {
    let server = start().await;
    server.sandbox.set_faults(Faults { damage_request_bodies: true, ..Faults::default() });
    let data = b"fragile".to_vec();
    let checked = server.object(Method::Put, "checked").with_header("Content-MD5", content_md5(&data));
    server.send(checked, data.clone()).await.assert_error(400, "InvalidDigest");
    assert_eq!(server.head("checked").await.status, 404);
    assert_eq!(server.put("unchecked", data.clone()).await.status, 200);
    server.sandbox.set_faults(Faults::default());
    let stored = server.get("unchecked").await.body;
    assert_eq!(stored.len(), data.len());
    assert_ne!(stored, data, "the first byte arrived flipped");
}

#[tokio::test]
async fn faults_are_off_by_default() {
    let server = start().await;
    assert_eq!(server.sandbox.faults(), Faults::default());
    assert!(Faults::default().is_none());
    assert_eq!(statuses(&server, 20).await, [200; 20]);
}
