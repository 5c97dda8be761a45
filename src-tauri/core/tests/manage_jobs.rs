//! Copy, move and rename jobs against the sandbox: folders keep metadata, ACL and storage
//! class; a folder cannot move into itself; conflicts follow the transfer choices; partial
//! failures are accounted for; a stopped job resumes from its checkpoint after a restart.

mod manage_support;

use std::time::Duration;

use manage_support::{start, Fixture, BUCKET, OTHER};
use osslite_core::manage::{CopyTarget, ManageAction, ManageOptions, ManageRequest};
use osslite_core::ops::PutObjectOptions;
use osslite_core::transfer::{no_events, CheckpointStore, ConflictPolicy, Direction, TransferManager, TransferStatus};
use osslite_core::xml::ObjectAcl;
use osslite_core::ErrorKind;

fn move_request(keys: &[&str], target: CopyTarget) -> ManageRequest {
    ManageRequest {
        bucket: BUCKET.into(),
        keys: keys.iter().map(|k| k.to_string()).collect(),
        action: ManageAction::Move { target },
    }
}

fn into(bucket: &str, prefix: &str) -> CopyTarget {
    CopyTarget::IntoFolder { bucket: bucket.into(), prefix: prefix.into() }
}

async fn fill_folder(fixture: &Fixture, prefix: &str, count: usize) {
    for i in 0..count {
        fixture.put(BUCKET, &format!("{prefix}f{i:03}.txt"), &format!("body {i}"), &PutObjectOptions::default()).await;
    }
}

#[tokio::test]
async fn renaming_a_folder_keeps_metadata_acl_and_storage_class() {
    let fixture = start().await;
    let rich = PutObjectOptions {
        content_type: Some("text/markdown".into()),
        cache_control: Some("max-age=60".into()),
        content_language: Some("fr".into()),
        meta: vec![("owner".into(), "alice".into())],
        storage_class: Some("IA".into()),
        ..PutObjectOptions::default()
    };
    fixture.put(BUCKET, "old/a.md", "alpha", &rich).await;
    fixture.put(BUCKET, "old/sub/b.txt", "beta", &PutObjectOptions::default()).await;
    fixture.put(BUCKET, "old/c.txt", "gamma", &PutObjectOptions::default()).await;
    fixture.client.put_object_acl(BUCKET, "old/a.md", ObjectAcl::PublicRead).await.unwrap();

    let rename = move_request(&["old/"], CopyTarget::Exact { bucket: BUCKET.into(), key: "new/".into() });
    let done = fixture.run(rename, ManageOptions::default()).await;
    assert_eq!((done.state, done.direction), (TransferStatus::Done, Direction::Move), "{:?}", done.error);
    assert_eq!(done.total, 14);
    assert!(fixture.keys(BUCKET, "old/").await.is_empty(), "the sources are deleted");
    assert_eq!(fixture.keys(BUCKET, "new/").await, ["new/a.md", "new/c.txt", "new/sub/b.txt"]);

    let meta = fixture.client.head_object(BUCKET, "new/a.md").await.unwrap();
    assert_eq!(meta.content_type.as_deref(), Some("text/markdown"));
    assert_eq!(meta.cache_control.as_deref(), Some("max-age=60"));
    assert_eq!(meta.content_language.as_deref(), Some("fr"));
    assert_eq!(meta.meta("owner"), Some("alice"));
    assert_eq!(meta.storage_class.as_deref(), Some("IA"));
    assert_eq!(fixture.client.get_object_acl(BUCKET, "new/a.md").await.unwrap().acl, ObjectAcl::PublicRead);
    assert_eq!(fixture.read(BUCKET, "new/sub/b.txt").await, "beta");
    assert!(std::fs::read_dir(&fixture.checkpoints).map_or(true, |mut dir| dir.next().is_none()), "no checkpoint left");
}

#[tokio::test]
async fn copies_go_into_folders_of_other_buckets_and_keep_the_sources() {
    let fixture = start().await;
    fill_folder(&fixture, "docs/", 3).await;
    fixture.put(BUCKET, "top.txt", "top", &PutObjectOptions::default()).await;
    let request = ManageRequest {
        bucket: BUCKET.into(),
        keys: vec!["docs/".into(), "top.txt".into()],
        action: ManageAction::Copy { target: into(OTHER, "backup") },
    };
    let done = fixture.run(request, ManageOptions::default()).await;
    assert_eq!(done.state, TransferStatus::Done, "{:?}", done.error);
    assert_eq!(
        fixture.keys(OTHER, "").await,
        ["backup/docs/f000.txt", "backup/docs/f001.txt", "backup/docs/f002.txt", "backup/top.txt"]
    );
    assert_eq!(fixture.keys(BUCKET, "docs/").await.len(), 3, "a copy keeps its sources");
}

#[tokio::test]
async fn moving_a_folder_into_itself_is_refused_before_anything_runs() {
    let fixture = start().await;
    fill_folder(&fixture, "a/", 2).await;
    let request = move_request(&["a/"], into(BUCKET, "a/inner/"));
    let err =
        fixture.manager.manage(&fixture.client, request, ManageOptions::default(), no_events()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("cannot go into itself"), "{err}");
    assert!(fixture.manager.list().is_empty());
    assert_eq!(fixture.keys(BUCKET, "").await, ["a/f000.txt", "a/f001.txt"]);
}

#[tokio::test]
async fn conflicts_fail_skip_overwrite_or_keep_both() {
    let fixture = start().await;
    fixture.put(BUCKET, "src/x.txt", "new", &PutObjectOptions::default()).await;
    fixture.put(BUCKET, "dst/x.txt", "old", &PutObjectOptions::default()).await;
    let copy = |policy| {
        let request = ManageRequest {
            bucket: BUCKET.into(),
            keys: vec!["src/x.txt".into()],
            action: ManageAction::Copy { target: into(BUCKET, "dst/") },
        };
        (request, ManageOptions { on_conflict: policy, ..ManageOptions::default() })
    };

    let (request, options) = copy(ConflictPolicy::Fail);
    let failed = fixture.run(request, options).await;
    assert_eq!(failed.state, TransferStatus::Failed);
    let error = failed.error.unwrap();
    assert_eq!(error.kind, ErrorKind::Conflict);
    assert!(error.message.contains("exists already"), "{}", error.message);
    assert_eq!(fixture.read(BUCKET, "dst/x.txt").await, "old");
    // The failed job keeps its checkpoint for a retry; this test moves on.
    for id in fixture.manager.list().iter().map(|t| t.id) {
        fixture.manager.cancel(id).unwrap();
        fixture.manager.wait(id).await.unwrap();
    }

    let (request, options) = copy(ConflictPolicy::Skip);
    let skipped = fixture.run(request, options).await;
    assert_eq!((skipped.state, skipped.skipped), (TransferStatus::Done, true));
    assert_eq!(fixture.read(BUCKET, "dst/x.txt").await, "old");

    let (request, options) = copy(ConflictPolicy::Rename);
    assert_eq!(fixture.run(request, options).await.state, TransferStatus::Done);
    assert_eq!(fixture.read(BUCKET, "dst/x (1).txt").await, "new");
    assert_eq!(fixture.read(BUCKET, "dst/x.txt").await, "old");

    let (request, options) = copy(ConflictPolicy::Overwrite);
    assert_eq!(fixture.run(request, options).await.state, TransferStatus::Done);
    assert_eq!(fixture.read(BUCKET, "dst/x.txt").await, "new");
}

#[tokio::test]
async fn partial_failures_name_each_object_and_a_restart_resumes_from_the_checkpoint() {
    let fixture = start().await;
    fill_folder(&fixture, "src/", 5).await;
    fixture.put(BUCKET, "dst/src/f001.txt", "taken", &PutObjectOptions::default()).await;
    fixture.put(BUCKET, "dst/src/f003.txt", "taken", &PutObjectOptions::default()).await;
    let request = move_request(&["src/"], into(BUCKET, "dst/"));
    let id = fixture.manager.manage(&fixture.client, request, ManageOptions::default(), no_events()).await.unwrap();
    let failed = fixture.manager.wait(id).await.unwrap();
    assert_eq!(failed.state, TransferStatus::Failed);
    assert!(failed.error.as_ref().unwrap().message.starts_with("2 of 5 objects failed"), "{:?}", failed.error);
    let failures = fixture.manager.failures(id).unwrap();
    let sources: Vec<&str> = failures.iter().map(|f| f.source.as_str()).collect();
    assert_eq!(sources, ["oss://manage-bucket/src/f001.txt", "oss://manage-bucket/src/f003.txt"]);
    assert!(failures.iter().all(|f| f.kind == ErrorKind::Conflict));
    assert_eq!(fixture.keys(BUCKET, "src/").await, ["src/f001.txt", "src/f003.txt"], "the others moved");

    // A restart: a new manager finds the job in its checkpoint; the conflicts are cleared first.
    fixture.client.delete_objects(BUCKET, &["dst/src/f001.txt", "dst/src/f003.txt"]).await.unwrap();
    let restarted = TransferManager::new(1, CheckpointStore::new(&fixture.checkpoints));
    let unfinished = restarted.unfinished(None, Some(&fixture.client.endpoint().to_string()));
    assert_eq!(unfinished.len(), 1);
    assert_eq!((unfinished[0].direction, unfinished[0].done, unfinished[0].total), (Direction::Move, 18, 30));
    let names = [unfinished[0].checkpoint.clone()];
    let ids = restarted.restore(&fixture.client, &names, Default::default(), no_events()).await.unwrap();
    let done = restarted.wait(ids[0]).await.unwrap();
    assert_eq!(done.state, TransferStatus::Done, "{:?}", done.error);
    assert!(fixture.keys(BUCKET, "src/").await.is_empty());
    assert_eq!(fixture.keys(BUCKET, "dst/src/").await.len(), 5);
    assert_eq!(fixture.read(BUCKET, "dst/src/f003.txt").await, "body 3");
    assert!(restarted.unfinished(None, None).is_empty(), "the checkpoint is gone once done");
}

#[tokio::test]
async fn a_paused_move_resumes_where_it_stopped() {
    let fixture = start().await;
    fill_folder(&fixture, "many/", 30).await;
    let mut faults = fixture.sandbox.faults();
    faults.latency = Duration::from_millis(30);
    fixture.sandbox.set_faults(faults.clone());
    let request = move_request(&["many/"], into(OTHER, ""));
    let options = ManageOptions { parallel: 1, ..ManageOptions::default() };
    let id = fixture.manager.manage(&fixture.client, request, options, no_events()).await.unwrap();
    while fixture.manager.get(id).unwrap().done == 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    fixture.manager.pause(id).unwrap();
    let paused = fixture.manager.wait_idle(id).await.unwrap();
    assert_eq!(paused.state, TransferStatus::Paused);
    let copied_before = fixture.keys(OTHER, "many/").await.len();
    assert!((1..30).contains(&copied_before), "{copied_before} copied before the pause");

    faults.latency = Duration::ZERO;
    fixture.sandbox.set_faults(faults);
    fixture.manager.resume(id).unwrap();
    let done = fixture.manager.wait(id).await.unwrap();
    assert_eq!(done.state, TransferStatus::Done, "{:?}", done.error);
    assert_eq!(fixture.keys(OTHER, "many/").await.len(), 30);
    assert!(fixture.keys(BUCKET, "many/").await.is_empty());
}
