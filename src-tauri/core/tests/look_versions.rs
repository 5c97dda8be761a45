//! Versions against the sandbox: versioning on and suspended, three versions of a key listed
//! newest first with a delete marker, reading, heading and deleting one version, and restoring
//! the first as the latest.

mod manage_support;

use futures_util::TryStreamExt;
use manage_support::{start, BUCKET};
use osslite_core::client::Body;
use osslite_core::ops::{ListObjectVersionsParams, PutObjectOptions, VersioningStatus};
use osslite_core::xml::ObjectVersion;
use osslite_core::ErrorKind;

#[tokio::test]
async fn versions_are_listed_read_deleted_and_restored() {
    let fixture = start().await;
    let client = &fixture.client;
    assert_eq!(client.get_bucket_versioning(BUCKET).await.unwrap(), VersioningStatus::Off);
    client.put_bucket_versioning(BUCKET, VersioningStatus::Enabled).await.unwrap();
    assert_eq!(client.get_bucket_versioning(BUCKET).await.unwrap(), VersioningStatus::Enabled);

    let mut ids = Vec::new();
    for text in ["one", "two", "three"] {
        let put = client.put_object(BUCKET, "doc.txt", Body::from(text.to_owned()), &PutObjectOptions::default()).await;
        ids.push(put.unwrap().version_id.expect("a versioned put names its version"));
    }
    fixture.put(BUCKET, "other.txt", "x", &PutObjectOptions::default()).await;

    let versions: Vec<ObjectVersion> = client.list_all_versions(BUCKET, Some("doc")).try_collect().await.unwrap();
    let listed: Vec<&str> = versions.iter().map(|v| v.version_id.as_str()).collect();
    assert_eq!(listed, [ids[2].as_str(), ids[1].as_str(), ids[0].as_str()], "newest first");
    assert!(versions[0].is_latest && !versions[1].is_latest);
    assert_eq!(versions[2].size, Some(3));

    let first = client.get_object_version(BUCKET, "doc.txt", Some(&ids[0]), None).await.unwrap();
    assert_eq!(first.bytes().await.unwrap().as_ref(), b"one");
    let head = client.head_object_version(BUCKET, "doc.txt", Some(&ids[1])).await.unwrap();
    assert_eq!((head.content_length, head.version_id.as_deref()), (Some(3), Some(ids[1].as_str())));

    // A plain delete leaves a delete marker on top; the versions stay.
    client.delete_object(BUCKET, "doc.txt").await.unwrap();
    assert_eq!(client.head_object(BUCKET, "doc.txt").await.unwrap_err().kind(), ErrorKind::NotFound);
    let after: Vec<ObjectVersion> = client.list_all_versions(BUCKET, Some("doc")).try_collect().await.unwrap();
    assert_eq!(after.len(), 4);
    assert!(after[0].is_delete_marker && after[0].is_latest && after[0].size.is_none());

    let restored = client.restore_version(BUCKET, "doc.txt", &ids[0]).await.unwrap();
    assert!(restored.version_id.is_some_and(|id| !ids.contains(&id)), "the restore is a new version");
    assert_eq!(fixture.read(BUCKET, "doc.txt").await, "one");

    let deleted = client.delete_object_version(BUCKET, "doc.txt", &ids[1]).await.unwrap();
    assert_eq!(deleted.version_id.as_deref(), Some(ids[1].as_str()));
    let gone = client.get_object_version(BUCKET, "doc.txt", Some(&ids[1]), None).await.unwrap_err();
    assert_eq!(gone.kind(), ErrorKind::NotFound);

    client.put_bucket_versioning(BUCKET, VersioningStatus::Suspended).await.unwrap();
    assert_eq!(client.get_bucket_versioning(BUCKET).await.unwrap(), VersioningStatus::Suspended);
}

#[tokio::test]
async fn version_listings_page_with_both_markers() {
    let fixture = start().await;
    let client = &fixture.client;
    client.put_bucket_versioning(BUCKET, VersioningStatus::Enabled).await.unwrap();
    for round in 0..3 {
        for key in ["a", "b"] {
            fixture.put(BUCKET, key, &format!("{key}{round}"), &PutObjectOptions::default()).await;
        }
    }
    let page = client
        .list_object_versions(&ListObjectVersionsParams { max_keys: Some(4), ..ListObjectVersionsParams::new(BUCKET) })
        .await
        .unwrap();
    assert_eq!(page.versions.len(), 4);
    assert!(page.next_markers().is_some(), "six versions do not fit a page of four");
    let all: Vec<ObjectVersion> = client.list_all_versions(BUCKET, None).try_collect().await.unwrap();
    let keys: Vec<&str> = all.iter().map(|v| v.key.as_str()).collect();
    assert_eq!(keys, ["a", "a", "a", "b", "b", "b"]);
    let mut ids: Vec<&str> = all.iter().map(|v| v.version_id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 6, "no version is listed twice across pages");
}

#[tokio::test]
async fn deleted_objects_of_a_folder_and_a_text_preview_of_a_version() {
    let fixture = start().await;
    let client = &fixture.client;
    client.put_bucket_versioning(BUCKET, VersioningStatus::Enabled).await.unwrap();
    fixture.put(BUCKET, "dir/kept.txt", "kept", &PutObjectOptions::default()).await;
    let first = client.put_object(BUCKET, "dir/gone.txt", Body::from("héllo".to_owned()), &Default::default()).await;
    let first = first.unwrap().version_id.unwrap();
    fixture.put(BUCKET, "dir/sub/deep.txt", "x", &PutObjectOptions::default()).await;
    client.delete_object(BUCKET, "dir/gone.txt").await.unwrap();
    client.delete_object(BUCKET, "dir/sub/deep.txt").await.unwrap();

    let deleted = client.list_deleted_objects(BUCKET, "dir/").await.unwrap();
    let keys: Vec<&str> = deleted.iter().map(|v| v.key.as_str()).collect();
    assert_eq!(keys, ["dir/gone.txt"], "only the folder's own keys whose latest version is a delete marker");

    let text = osslite_core::preview::text_preview(client, BUCKET, "dir/gone.txt", Some(&first), 6).await.unwrap();
    assert_eq!((text.text.as_str(), text.encoding.as_str(), text.truncated), ("héllo", "UTF-8", false));
}

#[tokio::test]
async fn an_old_version_downloads_through_the_transfer_engine_in_ranges() {
    use osslite_core::transfer::{
        no_events, CheckpointStore, DownloadRequest, DownloadSource, TransferManager, TransferOptions, TransferStatus,
        Verification, MIN_PART_SIZE,
    };

    let fixture = start().await;
    let client = &fixture.client;
    client.put_bucket_versioning(BUCKET, VersioningStatus::Enabled).await.unwrap();
    let old: Vec<u8> = (0..3 * MIN_PART_SIZE + 17).map(|i| (i % 251) as u8).collect();
    let put = client.put_object(BUCKET, "big.bin", Body::from_bytes(old.clone()), &PutObjectOptions::default()).await;
    let first = put.unwrap().version_id.expect("a versioned put names its version");
    fixture.put(BUCKET, "big.bin", "the latest is short", &PutObjectOptions::default()).await;

    let dir = tempfile::tempdir().unwrap();
    let manager = TransferManager::new(2, CheckpointStore::new(dir.path().join("checkpoints")));
    let path = dir.path().join("big (old).bin");
    let source = DownloadSource::Version { key: "big.bin".into(), version_id: first.clone(), path: path.clone() };
    let request = DownloadRequest { bucket: BUCKET.into(), sources: vec![source] };
    let options =
        TransferOptions { multipart_threshold: MIN_PART_SIZE, part_size: Some(MIN_PART_SIZE), ..Default::default() };
    let ids = manager.download(client, request, options, no_events()).await.unwrap();
    let done = manager.wait(ids[0]).await.unwrap();
    assert_eq!(done.state, TransferStatus::Done, "{done:?}");
    assert_eq!(done.source, format!("oss://{BUCKET}/big.bin?versionId={first}"));
    assert_eq!(done.verification, Some(Verification::Crc64));
    assert_eq!(std::fs::read(&path).unwrap(), old, "the old version's bytes, in four ranges");
}

#[tokio::test]
async fn an_undeleted_object_is_back_with_its_last_content() {
    let fixture = start().await;
    let client = &fixture.client;
    client.put_bucket_versioning(BUCKET, VersioningStatus::Enabled).await.unwrap();
    for text in ["first", "last"] {
        fixture.put(BUCKET, "dir/gone.txt", text, &PutObjectOptions::default()).await;
    }
    client.delete_object(BUCKET, "dir/gone.txt").await.unwrap();
    client.delete_object(BUCKET, "dir/gone.txt").await.unwrap();
    let versions = client.object_versions(BUCKET, "dir/gone.txt").await.unwrap();
    assert_eq!(versions.iter().filter(|v| v.is_delete_marker).count(), 2);

    let latest = client.undelete_object(BUCKET, "dir/gone.txt").await.unwrap();
    assert_eq!(latest, versions[2].version_id);
    assert_eq!(fixture.read(BUCKET, "dir/gone.txt").await, "last");
    assert_eq!(client.object_versions(BUCKET, "dir/gone.txt").await.unwrap().len(), 2, "only the markers went");

    client.delete_object_version(BUCKET, "dir/gone.txt", &versions[2].version_id).await.unwrap();
    client.delete_object_version(BUCKET, "dir/gone.txt", &versions[3].version_id).await.unwrap();
    let none = client.undelete_object(BUCKET, "dir/gone.txt").await.unwrap_err();
    assert_eq!(none.kind(), ErrorKind::NotFound, "nothing left to bring back: {none}");
}
