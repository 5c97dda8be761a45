//! Uploads and downloads against the sandbox on loopback: sizes around the part size, a 300 MiB
//! file, a folder of 500 files with unicode and spaces, presigned parts, and the CRC-64 check.

mod transfer_support;

use std::time::Instant;

use osslite_core::transfer::{
    DownloadRequest, DownloadSource, TransferEvent, TransferOptions, TransferStatus, UploadRequest, UploadSource,
};
use osslite_sandbox::Faults;
use transfer_support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sizes_around_the_part_size_round_trip_with_equal_crc() {
    let fixture = start(Faults::default()).await;
    let part = MIB;
    for (i, size) in [0, 1, part - 1, part, part + 1, 3 * part + 17].into_iter().enumerate() {
        for threshold in [0, 4 * part] {
            let name = format!("size-{size}-{threshold}.bin");
            let source = fixture.path(&format!("up/{name}"));
            write_file(&source, size, i as u64);
            let options = TransferOptions { multipart_threshold: threshold, ..options() };
            let up = fixture.upload(&source, &format!("sizes/{name}"), options.clone()).await;
            assert_done(&up);
            assert_eq!((up.done, up.total), (size, size), "{up:?}");
            let local_crc = crc_of_file(&source);
            assert_eq!(fixture.object_crc(&format!("sizes/{name}")).await, Some(local_crc), "{name}");

            let target = fixture.path(&format!("down/{name}"));
            let down = fixture.download(&format!("sizes/{name}"), &target, options).await;
            assert_done(&down);
            assert_eq!(std::fs::metadata(&target).unwrap().len(), size);
            assert_eq!(crc_of_file(&target), local_crc, "{name}");
        }
    }
    assert!(part_files(fixture.dir.path()).is_empty());
    assert_eq!(fixture.unfinished_uploads().await, 0);
    // Above the threshold, parts; below it, one PutObject.
    assert!(fixture.count("UploadPart") >= 1 + 1 + 1 + 2 + 4);
    assert!(fixture.count("PutObject") >= 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_300_mib_file_goes_up_and_down_in_1_mib_parts() {
    let fixture = start(Faults::default()).await;
    let source = fixture.path("big.bin");
    let size = 300 * MIB;
    write_file(&source, size, 300);
    let expected = crc_of_file(&source);

    let (sink, events) = recorder();
    let started = Instant::now();
    let request = UploadRequest {
        bucket: BUCKET.into(),
        sources: vec![UploadSource::File { path: source.clone(), key: "big/300.bin".into() }],
    };
    let ids = fixture.manager.upload(&fixture.client, request, options(), sink).await.unwrap();
    let up = fixture.manager.wait(ids[0]).await.unwrap();
    assert_done(&up);
    let upload_time = started.elapsed();
    assert_eq!(fixture.object_crc("big/300.bin").await, Some(expected));
    assert_eq!(fixture.count("UploadPart"), 300);

    // Progress: cumulative, never past the total, at most about 10 a second, ending with Finished.
    let events = events.lock().unwrap().clone();
    let progress: Vec<(u64, u64)> = events
        .iter()
        .filter_map(|event| match event {
            TransferEvent::Progress { state: TransferStatus::Running, done, total, .. } => Some((*done, *total)),
            _ => None,
        })
        .collect();
    assert!(progress.iter().all(|(done, total)| *total == size && done <= total));
    let allowed = 12 + (upload_time.as_millis() as usize) / 100;
    assert!(events.len() <= allowed, "{} events in {upload_time:?}", events.len());
    assert!(matches!(events.first(), Some(TransferEvent::Queued { .. })));
    assert!(
        matches!(events.last(), Some(TransferEvent::Finished { done, total, .. }) if *done == size && *total == size)
    );
    assert!(
        events.iter().any(|e| matches!(e, TransferEvent::Progress { state: TransferStatus::Verifying, .. })),
        "{events:?}"
    );

    let target = fixture.path("down/big.bin");
    let down = fixture.download("big/300.bin", &target, options()).await;
    assert_done(&down);
    assert_eq!(crc_of_file(&target), expected);
    let ranged = fixture.sandbox.request_log().iter().filter(|r| r.operation == "GetObject").count();
    assert_eq!(ranged, 300, "one ranged GET per MiB");
    assert!(part_files(fixture.dir.path()).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_folder_of_500_files_with_unicode_and_spaces_round_trips() {
    let fixture = start(Faults::default()).await;
    let folder = fixture.path("album");
    let mut names = Vec::new();
    for i in 0..500u64 {
        let name = match i % 5 {
            0 => format!("plain/file-{i}.txt"),
            1 => format!("with space/photo {i}.jpg"),
            2 => format!("ünïcödé/文件 {i}.dat"),
            3 => format!("deep/a/b/c/{i} ✓.bin"),
            _ => format!("emoji 🎉 {i}"),
        };
        write_file(&folder.join(&name), i * 37 % 4000, i);
        names.push(name);
    }
    let request = UploadRequest {
        bucket: BUCKET.into(),
        sources: vec![UploadSource::Folder { path: folder.clone(), prefix: "backup/album".into() }],
    };
    let ids =
        fixture.manager.upload(&fixture.client, request, options(), osslite_core::transfer::no_events()).await.unwrap();
    assert_eq!(ids.len(), 500);
    for snapshot in fixture.manager.wait_all(&ids).await {
        assert_done(&snapshot);
    }
    let crc = fixture.object_crc("backup/album/ünïcödé/文件 2.dat").await;
    assert_eq!(crc, Some(crc_of_file(&folder.join("ünïcödé/文件 2.dat"))));

    let target = fixture.path("restored");
    let request = DownloadRequest {
        bucket: BUCKET.into(),
        sources: vec![DownloadSource::Prefix {
            prefix: "backup/album/".into(),
            strip: "backup/album/".into(),
            folder: target.clone(),
        }],
    };
    let ids = fixture
        .manager
        .download(&fixture.client, request, options(), osslite_core::transfer::no_events())
        .await
        .unwrap();
    assert_eq!(ids.len(), 500);
    for snapshot in fixture.manager.wait_all(&ids).await {
        assert_done(&snapshot);
    }
    for name in &names {
        assert_eq!(crc_of_file(&target.join(name)), crc_of_file(&folder.join(name)), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn presigned_parts_upload_each_part_through_its_own_url() {
    let fixture = start(Faults::default()).await;
    let source = fixture.path("presigned.bin");
    write_file(&source, 5 * MIB + 3, 5);
    let options = TransferOptions { presigned_parts: true, ..options() };
    let up = fixture.upload(&source, "presigned/file.bin", options).await;
    assert_done(&up);
    assert_eq!(fixture.object_crc("presigned/file.bin").await, Some(crc_of_file(&source)));
    let parts: Vec<_> =
        fixture.sandbox.request_log().into_iter().filter(|record| record.operation == "UploadPart").collect();
    assert_eq!(parts.len(), 6);
    assert!(parts.iter().all(|record| record.query.contains("x-oss-signature=")), "{parts:?}");
}
