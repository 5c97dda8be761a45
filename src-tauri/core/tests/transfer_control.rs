//! Choices and controls: conflict policies both ways, keys that would escape the target folder,
//! pause, resume, cancel, a restart that continues from the checkpoint, and a file that changed.

mod transfer_support;

use std::path::Path;
use std::time::Duration;

use osslite_core::transfer::{
    no_events, CheckpointStore, ConflictPolicy, DownloadRequest, DownloadSource, TransferManager, TransferOptions,
    TransferStatus, UploadRequest, UploadSource,
};
use osslite_core::ErrorKind;
use osslite_sandbox::Faults;
use transfer_support::*;

fn with(policy: ConflictPolicy) -> TransferOptions {
    TransferOptions { on_conflict: policy, ..options() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn upload_conflicts_fail_skip_rename_or_overwrite() {
    let fixture = start(Faults::default()).await;
    let (first, second) = (fixture.path("first.txt"), fixture.path("second.txt"));
    write_file(&first, 1000, 1);
    write_file(&second, 2 * MIB + 9, 2);
    let key = "docs/report.final.txt";
    assert_done(&fixture.upload(&first, key, with(ConflictPolicy::Fail)).await);
    let original = Some(crc_of_file(&first));

    let failed = fixture.upload(&second, key, with(ConflictPolicy::Fail)).await;
    assert_eq!(failed.state, TransferStatus::Failed);
    let error = failed.error.unwrap();
    assert_eq!(error.kind, ErrorKind::Conflict);
    assert!(error.message.contains("exists already"), "{}", error.message);

    let skipped = fixture.upload(&second, key, with(ConflictPolicy::Skip)).await;
    assert_done(&skipped);
    assert!(skipped.skipped);
    assert_eq!(fixture.object_crc(key).await, original, "untouched");

    for n in 1..=2 {
        let renamed = fixture.upload(&second, key, with(ConflictPolicy::Rename)).await;
        assert_done(&renamed);
        let new_key = format!("docs/report.final ({n}).txt");
        assert_eq!(renamed.destination, format!("oss://{BUCKET}/{new_key}"));
        assert_eq!(fixture.object_crc(&new_key).await, Some(crc_of_file(&second)));
    }
    assert_eq!(fixture.object_crc(key).await, original, "untouched");

    assert_done(&fixture.upload(&second, key, with(ConflictPolicy::Overwrite)).await);
    assert_eq!(fixture.object_crc(key).await, Some(crc_of_file(&second)));
    assert_eq!(fixture.unfinished_uploads().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn download_conflicts_never_overwrite_silently() {
    let fixture = start(Faults::default()).await;
    let source = fixture.path("remote.bin");
    write_file(&source, 3 * MIB, 3);
    assert_done(&fixture.upload(&source, "remote.bin", options()).await);
    let target = fixture.path("local/photo.jpg");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, b"mine").unwrap();

    let failed = fixture.download("remote.bin", &target, with(ConflictPolicy::Fail)).await;
    assert_eq!(failed.state, TransferStatus::Failed);
    assert_eq!(failed.error.unwrap().kind, ErrorKind::Conflict);
    let skipped = fixture.download("remote.bin", &target, with(ConflictPolicy::Skip)).await;
    assert!(skipped.skipped && skipped.state == TransferStatus::Done);
    assert_eq!(std::fs::read(&target).unwrap(), b"mine");

    let renamed = fixture.download("remote.bin", &target, with(ConflictPolicy::Rename)).await;
    assert_done(&renamed);
    let copy = fixture.path("local/photo (1).jpg");
    assert_eq!(renamed.destination, copy.display().to_string());
    assert_eq!(crc_of_file(&copy), crc_of_file(&source));
    assert_eq!(std::fs::read(&target).unwrap(), b"mine", "the original is untouched");
    let again = fixture.download("remote.bin", &target, with(ConflictPolicy::Rename)).await;
    assert_eq!(again.destination, fixture.path("local/photo (2).jpg").display().to_string());

    assert_done(&fixture.download("remote.bin", &target, with(ConflictPolicy::Overwrite)).await);
    assert_eq!(crc_of_file(&target), crc_of_file(&source));
    assert!(part_files(fixture.dir.path()).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn keys_that_would_escape_the_folder_are_refused_and_nothing_is_written() {
    let fixture = start(Faults::default()).await;
    for key in ["p/../../evil.txt", "p/sub/../../../evil2.txt"] {
        assert!(raw_put(&fixture, key, b"evil").await.contains("200"), "{key}");
    }
    for (key, body) in [("p//abs.txt", "abs"), ("p/C:/drive.txt", "drive"), ("p/ok/good.txt", "good")] {
        fixture.client.put_object(BUCKET, key, body.to_owned().into(), &Default::default()).await.unwrap();
    }
    let target = fixture.path("inside/target");
    let request = DownloadRequest {
        bucket: BUCKET.into(),
        sources: vec![
            DownloadSource::Prefix { prefix: "p/".into(), strip: "p/".into(), folder: target.clone() },
            DownloadSource::Key { key: "../sneaky.txt".into(), strip: String::new(), folder: target.clone() },
            DownloadSource::Key { key: "x\\..\\..\\win.txt".into(), strip: String::new(), folder: target.clone() },
        ],
    };
    let ids = fixture.manager.download(&fixture.client, request, options(), no_events()).await.unwrap();
    let results = fixture.manager.wait_all(&ids).await;
    assert_eq!(results.len(), 7);
    for snapshot in &results {
        if snapshot.source.ends_with("p/ok/good.txt") {
            assert_done(snapshot);
            continue;
        }
        assert_eq!(snapshot.state, TransferStatus::Failed, "{snapshot:?}");
        let error = snapshot.error.as_ref().unwrap();
        assert_eq!(error.kind, ErrorKind::InvalidInput);
        assert!(error.message.starts_with("refusing to download"), "{}", error.message);
        assert!(fixture.manager.resume(snapshot.id).is_err(), "a refused key stays refused");
    }
    assert_eq!(std::fs::read(target.join("ok/good.txt")).unwrap(), b"good");
    let mut written = Vec::new();
    let mut stack = vec![fixture.dir.path().to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                written.push(path);
            }
        }
    }
    let outside: Vec<_> =
        written.iter().filter(|p| !p.starts_with(&target) && !p.starts_with(&fixture.checkpoints)).collect();
    assert!(outside.is_empty(), "written outside the target: {outside:?}");
    assert!(!Path::new("/evil.txt").exists());
}

/// Slow enough to pause halfway: every request and response body at 1 MB/s.
fn slow() -> Faults {
    Faults { bandwidth_bytes_per_sec: Some(1_000_000), ..Faults::default() }
}

fn successful_parts(fixture: &Fixture) -> Vec<String> {
    let mut parts: Vec<String> = fixture
        .sandbox
        .request_log()
        .into_iter()
        .filter(|r| r.operation == "UploadPart" && r.status == 200)
        .filter_map(|r| r.query.split('&').find(|p| p.starts_with("partNumber=")).map(str::to_owned))
        .collect();
    parts.sort();
    parts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pause_keeps_the_checkpoint_and_resume_sends_only_what_is_missing() {
    let fixture = start(slow()).await;
    let source = fixture.path("pausable.bin");
    write_file(&source, 10 * MIB, 10);
    let request = UploadRequest {
        bucket: BUCKET.into(),
        sources: vec![UploadSource::File { path: source.clone(), key: "pausable.bin".into() }],
    };
    let (sink, events) = recorder();
    let id = fixture.manager.upload(&fixture.client, request, options(), sink).await.unwrap()[0];
    until(&fixture, id, |_| successful_parts(&fixture).len() >= 2).await;
    fixture.manager.pause(id).unwrap();
    let paused = fixture.manager.wait_idle(id).await.unwrap();
    assert_eq!(paused.state, TransferStatus::Paused);
    assert_eq!(std::fs::read_dir(&fixture.checkpoints).unwrap().count(), 1, "the checkpoint is kept");
    // Nothing new is sent while paused. The sandbox only finishes reading (at its 1 MB/s) what
    // the socket buffers held of the at most 4 parts the pause dropped (IncompleteBody, or a
    // part complete after all, which the resume then finds with ListParts).
    tokio::time::sleep(Duration::from_millis(200)).await; // the dropped parts' tasks wind down
    let requests = fixture.sandbox.request_log().len();
    let done = fixture.manager.get(id).unwrap().done;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(fixture.manager.get(id).unwrap().done, done, "no byte moves while paused");
    let later = fixture.sandbox.request_log();
    let new = &later[requests.min(later.len())..];
    assert!(new.len() <= 4 && new.iter().all(|r| r.operation == "UploadPart"), "sent while paused: {new:?}");

    fixture.sandbox.set_faults(Faults::default());
    fixture.manager.resume(id).unwrap();
    let done = fixture.manager.wait(id).await.unwrap();
    assert_done(&done);
    assert_eq!(fixture.object_crc("pausable.bin").await, Some(crc_of_file(&source)));
    let parts = successful_parts(&fixture);
    let mut unique = parts.clone();
    unique.dedup();
    assert_eq!(parts, unique, "no finished part was sent twice");
    // A part whose request was dropped by the pause after OSS stored it is found with ListParts
    // (same size and CRC-64 as the file's bytes) and not sent again.
    assert!(parts.len() <= 10);
    assert_eq!(fixture.count("ListParts"), 1);
    assert_eq!(std::fs::read_dir(&fixture.checkpoints).unwrap().count(), 0, "the checkpoint is gone");
    let states: Vec<TransferStatus> = events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            osslite_core::transfer::TransferEvent::Progress { state, .. } => Some(*state),
            _ => None,
        })
        .collect();
    assert!(states.contains(&TransferStatus::Paused) && states.contains(&TransferStatus::Verifying), "{states:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cancel_aborts_the_upload_and_deletes_the_part_file() {
    let fixture = start(Faults::default()).await;
    let source = fixture.path("cancel.bin");
    write_file(&source, 8 * MIB, 8);
    assert_done(&fixture.upload(&source, "cancel-down.bin", options()).await);
    fixture.sandbox.set_faults(slow());

    let request = UploadRequest {
        bucket: BUCKET.into(),
        sources: vec![UploadSource::File { path: source.clone(), key: "cancel-up.bin".into() }],
    };
    let id = fixture.manager.upload(&fixture.client, request, options(), no_events()).await.unwrap()[0];
    until(&fixture, id, |s| s.done >= 2 * MIB).await;
    assert_eq!(fixture.unfinished_uploads().await, 1);
    fixture.manager.cancel(id).unwrap();
    assert_eq!(fixture.manager.wait(id).await.unwrap().state, TransferStatus::Cancelled);
    assert_eq!(fixture.unfinished_uploads().await, 0, "aborted on OSS");
    assert!(fixture.client.head_object(BUCKET, "cancel-up.bin").await.is_err());

    let target = fixture.path("cancelled/file.bin");
    let request = DownloadRequest {
        bucket: BUCKET.into(),
        sources: vec![DownloadSource::Object { key: "cancel-down.bin".into(), path: target.clone() }],
    };
    let id = fixture.manager.download(&fixture.client, request, options(), no_events()).await.unwrap()[0];
    until(&fixture, id, |s| s.done >= MIB).await;
    fixture.manager.pause(id).unwrap();
    fixture.manager.wait_idle(id).await.unwrap();
    assert_eq!(part_files(fixture.dir.path()).len(), 1, "a paused download keeps its part file");
    fixture.manager.cancel(id).unwrap();
    assert_eq!(fixture.manager.wait(id).await.unwrap().state, TransferStatus::Cancelled);
    assert!(!target.exists() && part_files(fixture.dir.path()).is_empty());
    assert_eq!(std::fs::read_dir(&fixture.checkpoints).unwrap().count(), 0);
    assert!(fixture.manager.resume(id).is_err(), "a cancelled transfer stays cancelled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_new_manager_continues_from_the_checkpoint_both_ways() {
    let fixture = start(slow()).await;
    let source = fixture.path("restart.bin");
    write_file(&source, 16 * MIB + 100, 12);
    let upload = || UploadRequest {
        bucket: BUCKET.into(),
        sources: vec![UploadSource::File { path: source.clone(), key: "restart.bin".into() }],
    };
    let id = fixture.manager.upload(&fixture.client, upload(), options(), no_events()).await.unwrap()[0];
    until(&fixture, id, |_| successful_parts(&fixture).len() >= 2).await;
    fixture.manager.pause(id).unwrap();
    fixture.manager.wait_idle(id).await.unwrap();
    let before = successful_parts(&fixture).len();
    assert!((2..17).contains(&before), "{before} parts before the restart");

    // As after a restart: another manager, the same checkpoint folder; the app finds the upload
    // among the unfinished transfers and asks for it again.
    fixture.sandbox.set_faults(Faults::default());
    let restarted = TransferManager::new(3, CheckpointStore::new(&fixture.checkpoints));
    let unfinished = restarted.checkpoints().unfinished();
    assert_eq!(unfinished.len(), 1, "{unfinished:?}");
    assert_eq!(unfinished[0].source, source.to_string_lossy());
    assert_eq!(unfinished[0].destination, format!("oss://{BUCKET}/restart.bin"));
    // A part can finish on the server after the checkpoint was written (ListParts recovers it),
    // so the checkpoint may count fewer parts than the sandbox accepted, never more.
    assert_eq!(unfinished[0].total, 16 * MIB + 100);
    assert!(unfinished[0].done % MIB == 0 && unfinished[0].done <= before as u64 * MIB, "{unfinished:?}");
    assert!(unfinished[0].multipart_upload().is_some());
    let again = unfinished[0].upload_request().expect("an upload");
    let id = restarted.upload(&fixture.client, again, options(), no_events()).await.unwrap()[0];
    assert_done(&restarted.wait(id).await.unwrap());
    let parts = successful_parts(&fixture);
    let mut unique = parts.clone();
    unique.dedup();
    assert_eq!(parts, unique, "no finished part was sent twice");
    assert!(parts.len() <= 17);
    assert_eq!(fixture.object_crc("restart.bin").await, Some(crc_of_file(&source)));

    let target = fixture.path("restart-down.bin");
    let download = || DownloadRequest {
        bucket: BUCKET.into(),
        sources: vec![DownloadSource::Object { key: "restart.bin".into(), path: target.clone() }],
    };
    fixture.sandbox.set_faults(slow());
    fixture.sandbox.clear_request_log();
    let id = fixture.manager.download(&fixture.client, download(), options(), no_events()).await.unwrap()[0];
    until(&fixture, id, |_| finished_ranges(&fixture) >= 1).await;
    fixture.manager.pause(id).unwrap();
    fixture.manager.wait_idle(id).await.unwrap();
    let finished = finished_ranges(&fixture) as u64;
    assert!((1..17).contains(&finished), "{finished} of 17 ranges");

    fixture.sandbox.set_faults(Faults::default());
    tokio::time::sleep(Duration::from_millis(300)).await; // the dropped GETs wind down
    fixture.sandbox.clear_request_log();
    let unfinished = restarted.checkpoints().unfinished();
    assert_eq!(unfinished.len(), 1, "{unfinished:?}");
    assert_eq!(unfinished[0].destination, target.to_string_lossy());
    assert!(unfinished[0].done > 0 && unfinished[0].done <= finished * MIB, "{unfinished:?}");
    let again = unfinished[0].download_request().expect("a download");
    let id = restarted.download(&fixture.client, again, options(), no_events()).await.unwrap()[0];
    assert_done(&restarted.wait(id).await.unwrap());
    assert_eq!(crc_of_file(&target), crc_of_file(&source));
    let sent: u64 =
        fixture.sandbox.request_log().iter().filter(|r| r.operation == "GetObject").map(|r| r.bytes_out).sum();
    assert_eq!(sent, 16 * MIB + 100 - finished * MIB, "only the ranges the checkpoint lacked were fetched");
    assert!(restarted.checkpoints().unfinished().is_empty(), "finished transfers leave no checkpoint");
    assert!(restarted.checkpoints().remove_named("../profiles.toml").is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_manager_lists_restores_and_discards_what_an_earlier_run_left_unfinished() {
    let fixture = start(slow()).await;
    let (kept, dropped) = (fixture.path("kept.bin"), fixture.path("dropped.bin"));
    write_file(&kept, 6 * MIB, 21);
    write_file(&dropped, 6 * MIB, 22);
    for (path, key) in [(&kept, "kept.bin"), (&dropped, "dropped.bin")] {
        let request = UploadRequest {
            bucket: BUCKET.into(),
            sources: vec![UploadSource::File { path: path.clone(), key: key.into() }],
        };
        let id = fixture.manager.upload(&fixture.client, request, options(), no_events()).await.unwrap()[0];
        until(&fixture, id, |s| s.done >= MIB).await;
        fixture.manager.pause(id).unwrap();
        fixture.manager.wait_idle(id).await.unwrap();
    }
    assert!(
        fixture.manager.unfinished(None, Some(&here(&fixture))).is_empty(),
        "the transfers this manager holds are not offered"
    );
    assert_eq!(fixture.unfinished_uploads().await, 2);

    fixture.sandbox.set_faults(Faults::default());
    let restarted = TransferManager::new(3, CheckpointStore::new(&fixture.checkpoints));
    let unfinished = restarted.unfinished(None, Some(&here(&fixture)));
    assert_eq!(unfinished.len(), 2, "{unfinished:?}");
    let name_of = |key: &str| {
        let found = unfinished.iter().find(|t| t.destination == format!("oss://{BUCKET}/{key}"));
        found.expect("listed").checkpoint.clone()
    };
    let (kept_checkpoint, dropped_checkpoint) = (name_of("kept.bin"), name_of("dropped.bin"));

    let ids = restarted
        .restore(&fixture.client, &[kept_checkpoint, "upload-unknown.json".into()], options(), no_events())
        .await
        .unwrap();
    assert_eq!(ids.len(), 1, "unknown names are ignored");
    assert_done(&restarted.wait(ids[0]).await.unwrap());
    assert_eq!(fixture.object_crc("kept.bin").await, Some(crc_of_file(&kept)));
    let left: Vec<_> = restarted.unfinished(None, Some(&here(&fixture))).into_iter().map(|t| t.checkpoint).collect();
    assert_eq!(left, vec![dropped_checkpoint.clone()]);

    // A client for another endpoint leaves the server's upload alone but drops the checkpoint.
    let elsewhere = client_for("http://127.0.0.1:9");
    assert_eq!(restarted.discard(Some(&elsewhere), std::slice::from_ref(&dropped_checkpoint)).await.unwrap(), 1);
    assert_eq!(fixture.unfinished_uploads().await, 1);
    assert!(restarted.unfinished(None, Some(&here(&fixture))).is_empty());
    assert_eq!(restarted.discard(Some(&fixture.client), &[dropped_checkpoint]).await.unwrap(), 0, "already gone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn discarding_aborts_the_multipart_upload_on_the_same_endpoint() {
    let fixture = start(slow()).await;
    let source = fixture.path("abandoned.bin");
    write_file(&source, 6 * MIB, 23);
    let request = UploadRequest {
        bucket: BUCKET.into(),
        sources: vec![UploadSource::File { path: source.clone(), key: "abandoned.bin".into() }],
    };
    let id = fixture.manager.upload(&fixture.client, request, options(), no_events()).await.unwrap()[0];
    until(&fixture, id, |s| s.done >= MIB).await;
    fixture.manager.pause(id).unwrap();
    fixture.manager.wait_idle(id).await.unwrap();

    let restarted = TransferManager::new(3, CheckpointStore::new(&fixture.checkpoints));
    let unfinished = restarted.unfinished(None, Some(&here(&fixture)));
    assert_eq!(unfinished.len(), 1, "{unfinished:?}");
    let (bucket, key, upload_id) = unfinished[0].multipart_upload().unwrap();
    // Already aborted on OSS (NotFound) is fine too: the second discard below finds nothing.
    fixture.client.abort_multipart_upload(bucket, key, upload_id).await.unwrap();
    assert_eq!(restarted.discard(Some(&fixture.client), &[unfinished[0].checkpoint.clone()]).await.unwrap(), 1);
    assert!(restarted.unfinished(None, Some(&here(&fixture))).is_empty());

    let id = fixture
        .manager
        .upload(
            &fixture.client,
            UploadRequest {
                bucket: BUCKET.into(),
                sources: vec![UploadSource::File { path: source.clone(), key: "abandoned-2.bin".into() }],
            },
            options(),
            no_events(),
        )
        .await
        .unwrap()[0];
    until(&fixture, id, |s| s.done >= MIB).await;
    fixture.manager.pause(id).unwrap();
    fixture.manager.wait_idle(id).await.unwrap();
    let unfinished = restarted.unfinished(None, Some(&here(&fixture)));
    assert_eq!(fixture.unfinished_uploads().await, 1);
    assert_eq!(restarted.discard(Some(&fixture.client), &[unfinished[0].checkpoint.clone()]).await.unwrap(), 1);
    assert_eq!(fixture.unfinished_uploads().await, 0, "aborted on OSS");
}

/// The endpoint the fixture's client talks to, as checkpoints record it.
fn here(fixture: &Fixture) -> String {
    fixture.client.endpoint().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn only_the_profile_and_endpoint_that_started_a_transfer_may_resume_it() {
    let fixture = start(slow()).await;
    let source = fixture.path("work.bin");
    write_file(&source, 6 * MIB, 24);
    let under = |profile: &str| TransferOptions { profile: Some(profile.into()), ..options() };
    let request = UploadRequest {
        bucket: BUCKET.into(),
        sources: vec![UploadSource::File { path: source.clone(), key: "work.bin".into() }],
    };
    let id = fixture.manager.upload(&fixture.client, request, under("work"), no_events()).await.unwrap()[0];
    until(&fixture, id, |s| s.done >= MIB).await;
    fixture.manager.pause(id).unwrap();
    fixture.manager.wait_idle(id).await.unwrap();
    fixture.sandbox.set_faults(Faults::default());

    let restarted = TransferManager::new(3, CheckpointStore::new(&fixture.checkpoints));
    let endpoint = here(&fixture);
    let seen = |profile: Option<&str>, endpoint: Option<&str>| {
        let unfinished = restarted.unfinished(profile, endpoint);
        assert_eq!(unfinished.len(), 1, "{unfinished:?}");
        assert_eq!(unfinished[0].profile.as_deref(), Some("work"));
        unfinished[0].belongs_to.clone()
    };
    assert_eq!(seen(Some("work"), Some(&endpoint)), None);
    assert_eq!(seen(Some("home"), Some(&endpoint)), Some("work".into()));
    assert_eq!(seen(None, Some(&endpoint)), Some("work".into()));
    assert_eq!(seen(Some("work"), Some("http://127.0.0.1:9/")), Some("work".into()), "same name, other endpoint");
    assert_eq!(seen(None, None), Some("work".into()), "no profile open");
    let checkpoint = restarted.unfinished(None, None)[0].checkpoint.clone();

    let err = restarted
        .restore(&fixture.client, std::slice::from_ref(&checkpoint), under("home"), no_events())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.message().contains("profile 'work'"), "{err}");
    let elsewhere = client_for("http://127.0.0.1:9");
    assert!(restarted
        .restore(&elsewhere, std::slice::from_ref(&checkpoint), under("work"), no_events())
        .await
        .is_err());
    assert!(restarted.list().is_empty(), "nothing was queued");

    let ids = restarted.restore(&fixture.client, &[checkpoint], under("work"), no_events()).await.unwrap();
    assert_done(&restarted.wait(ids[0]).await.unwrap());
    assert_eq!(fixture.object_crc("work.bin").await, Some(crc_of_file(&source)));
}

/// Ranges the (only) download checkpoint records as finished.
fn finished_ranges(fixture: &Fixture) -> usize {
    std::fs::read_dir(&fixture.checkpoints)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("download-"))
        .filter_map(|entry| std::fs::read(entry.path()).ok())
        .filter_map(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .map(|value| value["ranges"].as_object().map_or(0, |ranges| ranges.len()))
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_file_changed_since_the_checkpoint_starts_over_and_aborts_the_old_upload() {
    let fixture = start(slow()).await;
    let source = fixture.path("changing.bin");
    write_file(&source, 6 * MIB, 6);
    let request = || UploadRequest {
        bucket: BUCKET.into(),
        sources: vec![UploadSource::File { path: source.clone(), key: "changing.bin".into() }],
    };
    let id = fixture.manager.upload(&fixture.client, request(), options(), no_events()).await.unwrap()[0];
    until(&fixture, id, |s| s.done >= 2 * MIB).await;
    fixture.manager.pause(id).unwrap();
    fixture.manager.wait_idle(id).await.unwrap();
    assert_eq!(fixture.unfinished_uploads().await, 1);

    write_file(&source, 5 * MIB + 3, 66);
    fixture.sandbox.set_faults(Faults::default());
    fixture.manager.resume(id).unwrap();
    assert_done(&fixture.manager.wait(id).await.unwrap());
    assert_eq!(fixture.object_crc("changing.bin").await, Some(crc_of_file(&source)));
    assert_eq!(fixture.unfinished_uploads().await, 0, "the old upload was aborted");
    assert_eq!(fixture.count("AbortMultipartUpload"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sink_that_panics_loses_events_but_not_the_transfer() {
    let fixture = start(Faults::default()).await;
    let source = fixture.path("noisy.bin");
    write_file(&source, 2 * MIB + 1, 21);
    let request = UploadRequest {
        bucket: BUCKET.into(),
        sources: vec![UploadSource::File { path: source.clone(), key: "noisy.bin".into() }],
    };
    let sink: osslite_core::transfer::EventSink = std::sync::Arc::new(|_| panic!("stderr is closed"));
    let id = fixture.manager.upload(&fixture.client, request, options(), sink).await.unwrap()[0];
    let done = tokio::time::timeout(Duration::from_secs(20), fixture.manager.wait(id)).await.unwrap().unwrap();
    assert_done(&done);
    assert_eq!(fixture.object_crc("noisy.bin").await, Some(crc_of_file(&source)));
}
