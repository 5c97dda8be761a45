//! Updates in place against the sandbox: metadata edits keep what they do not name, ACLs and
//! storage classes change for a whole folder, and folder sizes count per storage class.

mod manage_support;

use manage_support::{start, BUCKET};
use osslite_core::manage::{
    disk_usage, preview_meta_of, selection_usage, CancellationToken, ManageAction, ManageOptions, ManageRequest,
    MetaEdit,
};
use osslite_core::ops::PutObjectOptions;
use osslite_core::transfer::{Direction, TransferStatus};
use osslite_core::xml::ObjectAcl;
use osslite_core::ErrorKind;

fn request(keys: &[&str], action: ManageAction) -> ManageRequest {
    ManageRequest { bucket: BUCKET.into(), keys: keys.iter().map(|k| k.to_string()).collect(), action }
}

#[tokio::test]
async fn a_metadata_edit_changes_what_it_names_and_keeps_the_rest() {
    let fixture = start().await;
    let original = PutObjectOptions {
        content_type: Some("text/plain".into()),
        cache_control: Some("no-cache".into()),
        meta: vec![("owner".into(), "alice".into()), ("team".into(), "ops".into())],
        storage_class: Some("IA".into()),
        ..PutObjectOptions::default()
    };
    fixture.put(BUCKET, "pages/a.html", "<p>a</p>", &original).await;
    fixture.put(BUCKET, "pages/b.html", "<p>b</p>", &original).await;
    fixture.client.put_object_acl(BUCKET, "pages/b.html", ObjectAcl::PublicRead).await.unwrap();
    let edit = MetaEdit {
        content_type: Some("text/html; charset=utf-8".into()),
        set_meta: vec![("reviewed".into(), "yes".into())],
        remove_meta: vec!["team".into()],
        ..MetaEdit::default()
    };

    let preview = preview_meta_of(&fixture.client, BUCKET, "pages/a.html", &edit).await.unwrap();
    let names: Vec<&str> = preview.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Content-Type", "x-oss-meta-reviewed", "x-oss-meta-team"]);
    assert_eq!(preview[0].before.as_deref(), Some("text/plain"));

    let done = fixture.run(request(&["pages/"], ManageAction::SetMeta { edit }), ManageOptions::default()).await;
    assert_eq!((done.state, done.direction), (TransferStatus::Done, Direction::Update), "{:?}", done.error);
    for key in ["pages/a.html", "pages/b.html"] {
        let meta = fixture.client.head_object(BUCKET, key).await.unwrap();
        assert_eq!(meta.content_type.as_deref(), Some("text/html; charset=utf-8"), "{key}");
        assert_eq!(meta.cache_control.as_deref(), Some("no-cache"), "{key}");
        assert_eq!((meta.meta("owner"), meta.meta("reviewed"), meta.meta("team")), (Some("alice"), Some("yes"), None));
        assert_eq!(meta.storage_class.as_deref(), Some("IA"), "{key}");
    }
    assert_eq!(fixture.client.get_object_acl(BUCKET, "pages/b.html").await.unwrap().acl, ObjectAcl::PublicRead);
    assert_eq!(fixture.read(BUCKET, "pages/a.html").await, "<p>a</p>");
}

#[tokio::test]
async fn acl_and_storage_class_change_for_a_folder() {
    let fixture = start().await;
    for key in ["f/1.txt", "f/2.txt", "f/deep/3.txt"] {
        fixture.put(BUCKET, key, "x", &PutObjectOptions::default().with_meta("k", "v")).await;
    }
    let set_acl = request(&["f/"], ManageAction::SetAcl { acl: ObjectAcl::Private });
    assert_eq!(fixture.run(set_acl, ManageOptions::default()).await.state, TransferStatus::Done);
    let set_class = request(&["f/deep/"], ManageAction::SetClass { storage_class: "coldarchive".into() });
    assert_eq!(fixture.run(set_class, ManageOptions::default()).await.state, TransferStatus::Done);
    for key in ["f/1.txt", "f/2.txt", "f/deep/3.txt"] {
        assert_eq!(fixture.client.get_object_acl(BUCKET, key).await.unwrap().acl, ObjectAcl::Private, "{key}");
    }
    let cold = fixture.client.head_object(BUCKET, "f/deep/3.txt").await.unwrap();
    assert_eq!((cold.storage_class.as_deref(), cold.meta("k")), (Some("ColdArchive"), Some("v")));
    let standard = fixture.client.head_object(BUCKET, "f/1.txt").await.unwrap();
    assert_eq!(standard.storage_class.as_deref(), Some("Standard"));

    let bad = request(&["f/"], ManageAction::SetClass { storage_class: "Gold".into() });
    let err =
        fixture.manager.manage(&fixture.client, bad, ManageOptions::default(), osslite_core::transfer::no_events());
    assert_eq!(err.await.unwrap_err().kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn folder_sizes_count_objects_and_bytes_per_storage_class() {
    let fixture = start().await;
    fixture.put(BUCKET, "d/a", "12345", &PutObjectOptions::default()).await;
    fixture.put(BUCKET, "d/b", "123", &PutObjectOptions::default().with_storage_class("IA")).await;
    fixture.put(BUCKET, "d/sub/c", "1234567", &PutObjectOptions::default().with_storage_class("IA")).await;
    fixture.put(BUCKET, "elsewhere", "1", &PutObjectOptions::default()).await;
    let cancel = CancellationToken::new();
    let mut seen = 0;
    let usage = disk_usage(&fixture.client, BUCKET, Some("d/"), &cancel, |_| seen += 1).await.unwrap();
    assert_eq!((usage.objects, usage.bytes, seen), (3, 15, 3));
    assert_eq!((usage.by_class["Standard"].objects, usage.by_class["Standard"].bytes), (1, 5));
    assert_eq!((usage.by_class["IA"].objects, usage.by_class["IA"].bytes), (2, 10));

    let keys = ["d/sub/".to_owned(), "elsewhere".to_owned()];
    let selection = selection_usage(&fixture.client, BUCKET, &keys, &cancel, |_| {}).await.unwrap();
    assert_eq!((selection.objects, selection.bytes), (2, 8));

    cancel.cancel();
    let err = disk_usage(&fixture.client, BUCKET, None, &cancel, |_| {}).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Cancelled);
}
