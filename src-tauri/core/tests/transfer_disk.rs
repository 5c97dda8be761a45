//! Files on disk: a download's part file is new, unique and never reached through a symbolic
//! link; links planted at the destination or at a folder below the chosen one are refused; keys
//! a file system cannot hold as names are refused before the transfer starts.

#![cfg(unix)]

mod transfer_support;

use std::os::unix::fs::symlink;
use std::path::Path;

use osslite_core::transfer::{
    no_events, ConflictPolicy, DownloadRequest, DownloadSource, TransferOptions, TransferSnapshot, TransferStatus,
};
use osslite_core::ErrorKind;
use osslite_sandbox::Faults;
use transfer_support::*;

async fn put(fixture: &Fixture, key: &str, size: u64, seed: u64) -> u64 {
    let local = fixture.path(&format!("sources/{seed}"));
    write_file(&local, size, seed);
    assert_done(&fixture.upload(&local, key, options()).await);
    crc_of_file(&local)
}

async fn download_prefix(
    fixture: &Fixture,
    prefix: &str,
    folder: &Path,
    options: TransferOptions,
) -> Vec<TransferSnapshot> {
    let request = DownloadRequest {
        bucket: BUCKET.into(),
        sources: vec![DownloadSource::Prefix {
            prefix: prefix.into(),
            strip: prefix.into(),
            folder: folder.to_path_buf(),
        }],
    };
    let ids = fixture.manager.download(&fixture.client, request, options, no_events()).await.unwrap();
    fixture.manager.wait_all(&ids).await
}

fn failed_with(snapshot: &TransferSnapshot, words: &str) {
    assert_eq!(snapshot.state, TransferStatus::Failed, "{snapshot:?}");
    let message = &snapshot.error.as_ref().unwrap().message;
    assert!(message.contains(words), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn keys_x_and_x_part_download_side_by_side_from_unique_part_files() {
    let fixture = start(Faults::default()).await;
    let big = put(&fixture, "pair/x", 3 * MIB + 5, 1).await;
    let small = put(&fixture, "pair/x.osslite-part", 1000, 2).await;
    let folder = fixture.path("out");
    let results = download_prefix(&fixture, "pair/", &folder, options()).await;
    assert_eq!(results.len(), 2);
    results.iter().for_each(assert_done);
    assert_eq!(crc_of_file(&folder.join("x")), big);
    assert_eq!(crc_of_file(&folder.join("x.osslite-part")), small);
    let names: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "no part file left: {names:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn links_planted_at_part_paths_are_never_followed() {
    let fixture = start(Faults::default()).await;
    let crc = put(&fixture, "data.bin", 2 * MIB + 7, 3).await;
    let (folder, outside) = (fixture.path("target"), fixture.path("outside"));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("victim"), b"precious").unwrap();
    // The old fixed name, and a dangling link a create-through-link would fill.
    symlink(outside.join("victim"), folder.join("data.bin.osslite-part")).unwrap();
    symlink(outside.join("new"), folder.join(".data.bin.osslite-part")).unwrap();

    let snapshot = fixture.download("data.bin", &folder.join("data.bin"), options()).await;
    assert_done(&snapshot);
    assert_eq!(crc_of_file(&folder.join("data.bin")), crc);
    assert_eq!(std::fs::read(outside.join("victim")).unwrap(), b"precious");
    assert!(!outside.join("new").exists());
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_link_at_the_destination_is_not_overwritten() {
    let fixture = start(Faults::default()).await;
    put(&fixture, "data.bin", 1000, 4).await;
    let (folder, outside) = (fixture.path("target"), fixture.path("outside"));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("victim"), b"precious").unwrap();
    symlink(outside.join("victim"), folder.join("data.bin")).unwrap();

    let options = TransferOptions { on_conflict: ConflictPolicy::Overwrite, ..options() };
    let snapshot = fixture.download("data.bin", &folder.join("data.bin"), options).await;
    failed_with(&snapshot, "is a symbolic link; refusing to overwrite it");
    assert_eq!(snapshot.error.as_ref().unwrap().kind, ErrorKind::Conflict);
    assert!(std::fs::symlink_metadata(folder.join("data.bin")).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read(outside.join("victim")).unwrap(), b"precious");
    assert!(part_files(&folder).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_link_planted_at_a_folder_below_the_chosen_one_is_refused() {
    let fixture = start(Faults::default()).await;
    put(&fixture, "p/sub/file.bin", 1000, 5).await;
    fixture.client.put_object(BUCKET, "p/sub/deeper/", String::new().into(), &Default::default()).await.unwrap();
    put(&fixture, "p/ok.bin", 10, 7).await;
    let (folder, outside) = (fixture.path("target"), fixture.path("outside"));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    symlink(&outside, folder.join("sub")).unwrap();

    let results = download_prefix(&fixture, "p/", &folder, options()).await;
    assert_eq!(results.len(), 3);
    for snapshot in &results {
        if snapshot.source.ends_with("p/ok.bin") {
            assert_done(snapshot);
        } else {
            failed_with(snapshot, "is a symbolic link or not a folder");
        }
    }
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0, "nothing written through the link");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn keys_with_control_characters_or_overlong_names_are_refused_before_downloading() {
    let fixture = start(Faults::default()).await;
    let long = "n".repeat(256);
    for key in ["k/bell\u{7}.txt", "k/esc\u{1b}[31m.txt", &format!("k/{long}")] {
        fixture.client.put_object(BUCKET, key, "x".to_owned().into(), &Default::default()).await.unwrap();
    }
    let folder = fixture.path("target");
    let results = download_prefix(&fixture, "k/", &folder, options()).await;
    assert_eq!(results.len(), 3);
    for snapshot in &results {
        assert_eq!(snapshot.error.as_ref().map(|e| e.kind), Some(ErrorKind::InvalidInput), "{snapshot:?}");
    }
    let messages: Vec<&str> = results.iter().map(|s| s.error.as_ref().unwrap().message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains(r"'k/bell\x07.txt'")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains(r"'k/esc\x1b[31m.txt'")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("256 bytes")), "{messages:?}");
    assert_eq!(fixture.count("GetObject"), 0);
    assert!(!folder.exists() || std::fs::read_dir(&folder).unwrap().count() == 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_folder_swapped_for_a_link_during_the_download_is_caught_before_the_rename() {
    let fixture = start(Faults::default()).await;
    put(&fixture, "sub/slow.bin", 3 * MIB, 8).await;
    fixture.sandbox.set_faults(Faults { bandwidth_bytes_per_sec: Some(1_500_000), ..Faults::default() });
    let (folder, outside) = (fixture.path("target"), fixture.path("outside"));
    std::fs::create_dir_all(&outside).unwrap();
    let request = DownloadRequest {
        bucket: BUCKET.into(),
        sources: vec![DownloadSource::Key { key: "sub/slow.bin".into(), strip: String::new(), folder: folder.clone() }],
    };
    let id = fixture.manager.download(&fixture.client, request, options(), no_events()).await.unwrap()[0];
    while part_files(&folder).is_empty() {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    std::fs::rename(folder.join("sub"), folder.join("sub.real")).unwrap();
    symlink(&outside, folder.join("sub")).unwrap();

    let snapshot = fixture.manager.wait(id).await.unwrap();
    failed_with(&snapshot, "is a symbolic link or not a folder");
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0, "nothing renamed through the link");
}
