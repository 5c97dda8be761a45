//! Transfers under injected faults: connections cut or frozen at random offsets (both ways),
//! 20% 503s, latency, a part that keeps failing, and a CRC-64 the sandbox reports wrong. Every
//! transfer either finishes with equal bytes and CRC-64, or fails with a clear error and leaves
//! nothing under the final name.

mod transfer_support;

use std::time::Duration;

use osslite_core::client::RetryPolicy;
use osslite_core::transfer::{TransferOptions, TransferSnapshot, TransferStatus};
use osslite_core::ErrorKind;
use osslite_sandbox::Faults;
use transfer_support::*;

/// Done with the same CRC-64 as `source`, or failed with a message and no file at `target`.
fn finished_or_clearly_failed(snapshot: &TransferSnapshot, target: Option<&std::path::Path>) -> bool {
    match snapshot.state {
        TransferStatus::Done => true,
        TransferStatus::Failed => {
            let error = snapshot.error.as_ref().expect("a failed transfer says why");
            assert!(!error.message.is_empty());
            if let Some(target) = target {
                assert!(!target.exists(), "a failed download left {target:?}");
            }
            false
        }
        other => panic!("unexpected final state {other:?}: {snapshot:?}"),
    }
}

fn describe(snapshot: &TransferSnapshot) -> String {
    match &snapshot.error {
        Some(error) => format!("{}: {:?} {}", snapshot.source, error.kind, error.message),
        None => format!("{}: {:?}", snapshot.source, snapshot.state),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn connections_cut_or_frozen_at_random_offsets() {
    let fixture = start(Faults::default()).await;
    let upstream = fixture.sandbox.endpoint().trim_start_matches("http://").to_owned();
    // Every connection breaks within 6 MB: cut (80%) or frozen (20%; the first one always).
    let seed = std::env::var("PROXY_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(7);
    let faults = ProxyFaults { cut_ratio: 0.8, freeze_ratio: 0.2, within_bytes: 6_000_000, freeze_first: 1, seed };
    let (proxy, stats) = faulty_proxy(upstream, faults).await;
    let client = client_for(&proxy);
    let options = TransferOptions {
        stall_timeout: Duration::from_secs(1),
        part_retry: RetryPolicy {
            max_attempts: 6,
            base: Duration::from_millis(20),
            max_delay: Duration::from_millis(200),
        },
        ..options()
    };

    let mut done = 0;
    for (i, size) in [6 * MIB + 5, 8 * MIB, 700_000].into_iter().enumerate() {
        let source = fixture.path(&format!("cut-{i}.bin"));
        write_file(&source, size, 40 + i as u64);
        let key = format!("cut/{i}.bin");
        let up = upload_with(&fixture, &client, &source, &key, options.clone()).await;
        eprintln!("{}", describe(&up));
        if finished_or_clearly_failed(&up, None) {
            assert_eq!(fixture.object_crc(&key).await, Some(crc_of_file(&source)));
            let target = fixture.path(&format!("cut-down/{i}.bin"));
            let down = download_with(&fixture, &client, &key, &target, options.clone()).await;
            eprintln!("{}", describe(&down));
            if finished_or_clearly_failed(&down, Some(&target)) {
                assert_eq!(crc_of_file(&target), crc_of_file(&source));
                done += 1;
            }
        }
    }
    let (cut, frozen) =
        (stats.0.load(std::sync::atomic::Ordering::Relaxed), stats.1.load(std::sync::atomic::Ordering::Relaxed));
    eprintln!("the proxy cut {cut} and froze {frozen} connections");
    assert!(cut > 0 && frozen > 0, "the proxy cut {cut} and froze {frozen} connections");
    assert_eq!(done, 3, "with 4 attempts a round and 6 rounds, every transfer gets through");
}

async fn upload_with(
    fixture: &Fixture,
    client: &osslite_core::client::Client,
    source: &std::path::Path,
    key: &str,
    options: TransferOptions,
) -> TransferSnapshot {
    let request = osslite_core::transfer::UploadRequest {
        bucket: BUCKET.into(),
        sources: vec![osslite_core::transfer::UploadSource::File { path: source.to_path_buf(), key: key.into() }],
    };
    let ids = fixture.manager.upload(client, request, options, osslite_core::transfer::no_events()).await.unwrap();
    fixture.manager.wait(ids[0]).await.unwrap()
}

async fn download_with(
    fixture: &Fixture,
    client: &osslite_core::client::Client,
    key: &str,
    target: &std::path::Path,
    options: TransferOptions,
) -> TransferSnapshot {
    let request = osslite_core::transfer::DownloadRequest {
        bucket: BUCKET.into(),
        sources: vec![osslite_core::transfer::DownloadSource::Object { key: key.into(), path: target.to_path_buf() }],
    };
    let ids = fixture.manager.download(client, request, options, osslite_core::transfer::no_events()).await.unwrap();
    fixture.manager.wait(ids[0]).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn downloads_continue_where_the_sandbox_dropped_them() {
    let fixture = start(Faults::default()).await;
    let source = fixture.path("dropped.bin");
    write_file(&source, 5 * MIB + 1, 9);
    assert_done(&fixture.upload(&source, "drop/file.bin", options()).await);

    // Every response body breaks after 300,000 bytes: each range needs several GETs.
    fixture.sandbox.set_faults(Faults { drop_after_bytes: Some(300_000), ..Faults::default() });
    fixture.sandbox.clear_request_log();
    let target = fixture.path("dropped-down.bin");
    let down = fixture.download("drop/file.bin", &target, options()).await;
    assert_done(&down);
    assert_eq!(crc_of_file(&target), crc_of_file(&source));
    let gets = fixture.count("GetObject");
    assert_eq!(gets, 5 * 4 + 1, "{gets} GETs: each 1 MiB range continued from where it broke");
    // Resumed, not restarted: about the object's size went out, not a multiple of it.
    let sent: u64 =
        fixture.sandbox.request_log().iter().filter(|r| r.operation == "GetObject").map(|r| r.bytes_out).sum();
    assert!(sent <= 5 * MIB + 1 + 4 * 300_000, "{sent} bytes sent for a {} byte object", 5 * MIB + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_percent_503s_and_latency() {
    let fixture =
        start(Faults { error_503_ratio: 0.2, latency: Duration::from_millis(20), seed: 11, ..Faults::default() }).await;
    for (i, size) in [12 * MIB + 77, 300_000, 0].into_iter().enumerate() {
        let source = fixture.path(&format!("flaky-{i}.bin"));
        write_file(&source, size, 70 + i as u64);
        let key = format!("flaky/{i}.bin");
        let up = fixture.upload(&source, &key, options()).await;
        assert_done(&up);
        assert_eq!(fixture.object_crc(&key).await, Some(crc_of_file(&source)));
        let target = fixture.path(&format!("flaky-down/{i}.bin"));
        let down = fixture.download(&key, &target, options()).await;
        assert_done(&down);
        assert_eq!(crc_of_file(&target), crc_of_file(&source));
    }
    let refused = fixture.sandbox.request_log().iter().filter(|r| r.status == 503).count();
    assert!(refused >= 5, "only {refused} 503s were injected");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_part_that_keeps_failing_fails_the_transfer_with_the_last_oss_error() {
    let fixture = start(Faults::default()).await;
    let source = fixture.path("doomed.bin");
    write_file(&source, 3 * MIB, 3);
    let (sink, _events) = recorder();
    let request = osslite_core::transfer::UploadRequest {
        bucket: BUCKET.into(),
        sources: vec![osslite_core::transfer::UploadSource::File { path: source.clone(), key: "doomed.bin".into() }],
    };
    // Let InitiateMultipartUpload through, then refuse everything.
    fixture.sandbox.set_faults(Faults::default());
    let ids = fixture.manager.upload(&fixture.client, request, options(), sink).await.unwrap();
    while fixture.count("InitiateMultipartUpload") == 0 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    fixture.sandbox.set_faults(Faults { error_503_ratio: 1.0, ..Faults::default() });
    let snapshot = fixture.manager.wait(ids[0]).await.unwrap();
    assert_eq!(snapshot.state, TransferStatus::Failed);
    let error = snapshot.error.unwrap();
    assert_eq!(error.kind, ErrorKind::Service);
    assert!(error.message.contains("503") && error.message.contains("ServiceUnavailable"), "{}", error.message);
    assert!(error.message.contains("uploading part"), "{}", error.message);
    // Bounded: 3 rounds of 4 attempts for each of at most 3 parts, nothing more.
    let attempts = fixture.count("-") + fixture.count("UploadPart");
    assert!(attempts <= 3 * 3 * 4, "{attempts} attempts");
    // Kept for a later resume, not silently retried forever.
    assert_eq!(std::fs::read_dir(&fixture.checkpoints).unwrap().count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_wrong_crc_from_oss_is_detected_both_ways() {
    let fixture = start(Faults::default()).await;
    for (name, size) in [("small.bin", 200_000), ("parts.bin", 3 * MIB)] {
        let source = fixture.path(name);
        write_file(&source, size, size);
        let key = format!("crc/{name}");
        assert_done(&fixture.upload(&source, &key, options()).await);

        fixture.sandbox.set_faults(Faults { corrupt_crc: true, ..Faults::default() });
        let up = fixture.upload(&source, &format!("crc/again-{name}"), options()).await;
        assert_eq!(up.state, TransferStatus::Failed, "{up:?}");
        let error = up.error.unwrap();
        assert_eq!(error.kind, ErrorKind::Integrity, "{}", error.message);
        assert!(error.message.contains("CRC-64 mismatch"), "{}", error.message);

        let target = fixture.path(&format!("crc-down/{name}"));
        let down = fixture.download(&key, &target, options()).await;
        assert_eq!(down.state, TransferStatus::Failed, "{down:?}");
        let error = down.error.unwrap();
        assert_eq!(error.kind, ErrorKind::Integrity, "{}", error.message);
        assert!(error.message.contains("CRC-64 mismatch"), "{}", error.message);
        assert!(!target.exists(), "nothing under the final name");
        assert!(part_files(fixture.dir.path()).is_empty(), "no part file either");
        fixture.sandbox.set_faults(Faults::default());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_body_damaged_on_the_way_is_refused_by_its_content_md5() {
    let fixture = start(Faults { damage_request_bodies: true, ..Faults::default() }).await;
    let cases = [("small.bin", 200_000, false), ("parts.bin", 3 * MIB, false), ("presigned.bin", 3 * MIB, true)];
    for (name, size, presigned_parts) in cases {
        let source = fixture.path(name);
        write_file(&source, size, size);
        let key = format!("damaged/{name}");
        let up = fixture.upload(&source, &key, TransferOptions { presigned_parts, ..options() }).await;
        assert_eq!(up.state, TransferStatus::Failed, "{up:?}");
        let error = up.error.unwrap();
        assert_eq!(error.kind, ErrorKind::Integrity, "{}", error.message);
        assert!(error.message.contains("InvalidDigest"), "OSS refused the body: {}", error.message);
        let head = fixture.client.head_object(BUCKET, &key).await.unwrap_err();
        assert_eq!(head.kind(), ErrorKind::NotFound, "no object with the damaged bytes: {head}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_whole_object_with_the_wrong_crc_after_complete_fails_and_says_what_is_on_oss() {
    let fixture = start(Faults { corrupt_completed_crc: true, ..Faults::default() }).await;
    let source = fixture.path("parts.bin");
    write_file(&source, 3 * MIB, 3);
    let up = fixture.upload(&source, "complete/parts.bin", options()).await;
    assert_eq!(up.state, TransferStatus::Failed, "{up:?}");
    let error = up.error.unwrap();
    assert_eq!(error.kind, ErrorKind::Integrity, "{}", error.message);
    assert!(error.message.contains("CRC-64 mismatch"), "{}", error.message);
    assert!(
        error.message.contains("exists on OSS with the wrong content")
            && error.message.contains("delete it or upload the file again"),
        "{}",
        error.message
    );
    assert_eq!(fixture.unfinished_uploads().await, 0, "the upload was completed, not left open");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn downloads_without_a_crc64_are_checked_by_md5_or_reported_not_verified() {
    use osslite_core::transfer::Verification;
    let fixture = start(Faults::default()).await;
    // Written in one piece (its ETag is its MD5) and in parts (its ETag is not).
    let cases = [("whole.bin", 200_000, Verification::Md5), ("parts.bin", 3 * MIB, Verification::None)];
    for (name, size, _) in cases {
        let source = fixture.path(name);
        write_file(&source, size, size);
        assert_done(&fixture.upload(&source, &format!("nocrc/{name}"), options()).await);
        let down = fixture.download(&format!("nocrc/{name}"), &fixture.path(&format!("crc/{name}")), options()).await;
        assert_done(&down);
        assert_eq!(down.verification, Some(Verification::Crc64));
    }

    fixture.sandbox.set_faults(Faults { omit_crc64: true, ..Faults::default() });
    for (name, size, expected) in cases {
        let target = fixture.path(&format!("no-crc/{name}"));
        let down = fixture.download(&format!("nocrc/{name}"), &target, options()).await;
        assert_done(&down);
        assert_eq!(down.verification, Some(expected), "{name}");
        assert_eq!(std::fs::metadata(&target).unwrap().len(), size);
        assert_eq!(crc_of_file(&target), crc_of_file(&fixture.path(name)));
    }
}
