//! Copies in parts and archive restores against the sandbox: above the copy threshold an
//! object is copied with UploadPartCopy (no object byte passes through the client) and keeps its
//! headers; archived objects are restored and their state read from `x-oss-restore`.

mod manage_support;

use std::time::Duration;

use manage_support::{small_parts, start, start_with, BUCKET, OTHER};
use osslite_core::client::Body;
use osslite_core::manage::{object_state, CopyTarget, ManageAction, ManageOptions, ManageRequest, ObjectState};
use osslite_core::ops::{PutObjectOptions, RestoreTier};
use osslite_core::transfer::TransferStatus;
use osslite_core::xml::ObjectAcl;
use osslite_core::ErrorKind;

#[tokio::test]
async fn objects_above_the_threshold_are_copied_in_parts_on_the_server() {
    let fixture = start().await;
    let data: Vec<u8> = (0..650 * 1024u32).map(|i| (i * 7 % 251) as u8).collect();
    let options = PutObjectOptions::default().with_content_type("application/x-big").with_meta("owner", "alice");
    let options = PutObjectOptions { storage_class: Some("IA".into()), ..options };
    fixture.client.put_object(BUCKET, "big.bin", Body::from_bytes(data.clone()), &options).await.unwrap();
    fixture.client.put_object_acl(BUCKET, "big.bin", ObjectAcl::Private).await.unwrap();
    fixture.sandbox.clear_request_log();

    let request = ManageRequest {
        bucket: BUCKET.into(),
        keys: vec!["big.bin".into()],
        action: ManageAction::Move { target: CopyTarget::Exact { bucket: OTHER.into(), key: "moved.bin".into() } },
    };
    let done = fixture.run(request, small_parts()).await;
    assert_eq!(done.state, TransferStatus::Done, "{:?}", done.error);
    assert_eq!((done.done, done.total), (data.len() as u64, data.len() as u64));

    let log = fixture.sandbox.request_log();
    let part_copies = log.iter().filter(|r| r.operation == "UploadPartCopy").count();
    assert_eq!(part_copies, 7, "650 KiB in 100 KiB parts");
    assert!(!log.iter().any(|r| r.operation == "CopyObject" || r.operation == "GetObject"));
    let bytes_through_client: u64 = log.iter().map(|r| r.bytes_in + r.bytes_out).sum();
    assert!(bytes_through_client < 64 * 1024, "{bytes_through_client} bytes went through the client");

    let copy = fixture.client.get_object(OTHER, "moved.bin", None).await.unwrap();
    let meta = copy.meta().clone();
    assert_eq!(copy.bytes().await.unwrap().to_vec(), data);
    assert_eq!(meta.content_type.as_deref(), Some("application/x-big"));
    assert_eq!(meta.meta("owner"), Some("alice"));
    assert_eq!(meta.storage_class.as_deref(), Some("IA"));
    assert_eq!(fixture.client.get_object_acl(OTHER, "moved.bin").await.unwrap().acl, ObjectAcl::Private);
    assert!(!fixture.exists(BUCKET, "big.bin").await);
}

#[tokio::test]
async fn archived_objects_restore_and_report_their_state() {
    let fixture = start_with(|config| config.with_restore_delay(Duration::from_millis(300))).await;
    let archive = PutObjectOptions::default().with_storage_class("Archive");
    fixture.put(BUCKET, "cold/a.txt", "frozen a", &archive).await;
    fixture.put(BUCKET, "cold/b.txt", "frozen b", &PutObjectOptions::default().with_storage_class("ColdArchive")).await;
    fixture.put(BUCKET, "cold/warm.txt", "warm", &PutObjectOptions::default()).await;
    let head = fixture.client.head_object(BUCKET, "cold/a.txt").await.unwrap();
    assert_eq!(object_state(&head), ObjectState::Archived);
    let unreadable = fixture.client.get_object(BUCKET, "cold/a.txt", None).await.unwrap_err();
    assert_eq!(unreadable.service().and_then(|s| s.code.as_deref()), Some("InvalidObjectState"));
    assert!(unreadable.to_string().contains("archived and not restored"), "{unreadable}");

    let restore = ManageRequest {
        bucket: BUCKET.into(),
        keys: vec!["cold/".into()],
        action: ManageAction::Restore { days: Some(2), tier: Some(RestoreTier::Expedited) },
    };
    let done = fixture.run(restore.clone(), ManageOptions::default()).await;
    assert_eq!(done.state, TransferStatus::Done, "{:?}", done.error);
    let head = fixture.client.head_object(BUCKET, "cold/a.txt").await.unwrap();
    assert_eq!(object_state(&head), ObjectState::Restoring);
    // A second restore while the first runs is no failure.
    assert_eq!(fixture.run(restore, ManageOptions::default()).await.state, TransferStatus::Done);

    let mut state = ObjectState::Restoring;
    for _ in 0..100 {
        state = object_state(&fixture.client.head_object(BUCKET, "cold/b.txt").await.unwrap());
        if state != ObjectState::Restoring {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(matches!(state, ObjectState::Restored { until: Some(_) }), "{state:?}");
    assert_eq!(fixture.read(BUCKET, "cold/b.txt").await, "frozen b");

    let standard = ManageRequest {
        bucket: BUCKET.into(),
        keys: vec!["cold/warm.txt".into()],
        action: ManageAction::Restore { days: None, tier: None },
    };
    let refused = fixture.run(standard, ManageOptions::default()).await;
    assert_eq!(refused.error.map(|e| e.kind), Some(ErrorKind::InvalidInput));
}

#[tokio::test]
async fn a_stopped_copy_in_parts_resumes_with_its_upload_and_parts_after_a_restart() {
    use osslite_core::transfer::{no_events, CheckpointStore, TransferManager};
    let fixture = start().await;
    let data: Vec<u8> = (0..650 * 1024u32).map(|i| (i % 253) as u8).collect();
    fixture
        .client
        .put_object(BUCKET, "big.bin", Body::from_bytes(data.clone()), &PutObjectOptions::default())
        .await
        .unwrap();
    fixture.sandbox.clear_request_log();
    let mut faults = fixture.sandbox.faults();
    faults.latency = Duration::from_millis(40);
    fixture.sandbox.set_faults(faults.clone());
    let request = ManageRequest {
        bucket: BUCKET.into(),
        keys: vec!["big.bin".into()],
        action: ManageAction::Copy { target: CopyTarget::Exact { bucket: OTHER.into(), key: "copy.bin".into() } },
    };
    let options = ManageOptions { parallel: 1, ..small_parts() };
    let id = fixture.manager.manage(&fixture.client, request, options, no_events()).await.unwrap();
    while fixture.manager.get(id).unwrap().done < 200 * 1024 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    fixture.manager.pause(id).unwrap();
    assert_eq!(fixture.manager.wait_idle(id).await.unwrap().state, TransferStatus::Paused);
    assert!(!fixture.exists(OTHER, "copy.bin").await);

    faults.latency = Duration::ZERO;
    fixture.sandbox.set_faults(faults);
    let restarted = TransferManager::new(1, CheckpointStore::new(&fixture.checkpoints));
    let unfinished = restarted.unfinished(None, Some(&fixture.client.endpoint().to_string()));
    assert_eq!(unfinished.len(), 1);
    assert!(unfinished[0].done >= 200 * 1024, "{}", unfinished[0].done);
    assert_eq!(unfinished[0].multipart_uploads().count(), 1, "the upload id is in the checkpoint");
    let names = [unfinished[0].checkpoint.clone()];
    let ids = restarted.restore(&fixture.client, &names, Default::default(), no_events()).await.unwrap();
    let done = restarted.wait(ids[0]).await.unwrap();
    assert_eq!(done.state, TransferStatus::Done, "{:?}", done.error);

    let log = fixture.sandbox.request_log();
    assert_eq!(log.iter().filter(|r| r.operation == "InitiateMultipartUpload").count(), 1, "the upload was reused");
    let part_copies = log.iter().filter(|r| r.operation == "UploadPartCopy" && r.status == 200).count();
    assert!((7..=8).contains(&part_copies), "{part_copies} parts copied (one may have been in flight at the pause)");
    let copy = fixture.client.get_object(OTHER, "copy.bin", None).await.unwrap().bytes().await.unwrap();
    assert_eq!(copy.to_vec(), data);
}
