//! Buckets against the sandbox: created with a class and an ACL, names checked, deleted only
//! when empty and confirmed by name, and their details.

mod manage_support;

use manage_support::{start, BUCKET};
use osslite_core::manage::{bucket_details, create_bucket, delete_bucket, NewBucket};
use osslite_core::ops::PutObjectOptions;
use osslite_core::xml::ObjectAcl;
use osslite_core::ErrorKind;

#[tokio::test]
async fn buckets_are_created_with_class_and_acl_and_deleted_only_when_empty() {
    let fixture = start().await;
    let new = NewBucket {
        name: "fresh-bucket".into(),
        storage_class: Some("IA".into()),
        acl: Some(ObjectAcl::PublicRead),
        region: None,
    };
    create_bucket(&fixture.client, &new).await.unwrap();
    let details = bucket_details(&fixture.client, "fresh-bucket").await.unwrap();
    assert_eq!(details.name, "fresh-bucket");
    assert_eq!(details.region, "cn-hangzhou");
    assert_eq!(details.storage_class.as_deref(), Some("IA"));
    assert_eq!(details.acl.as_deref(), Some("public-read"));
    assert!(details.creation_date.is_some());
    assert_eq!(fixture.client.get_bucket_acl("fresh-bucket").await.unwrap(), ObjectAcl::PublicRead);

    let bad_name = NewBucket { name: "Bad_Name".into(), ..NewBucket::default() };
    assert_eq!(create_bucket(&fixture.client, &bad_name).await.unwrap_err().kind(), ErrorKind::InvalidInput);

    fixture.put(BUCKET, "keep.txt", "x", &PutObjectOptions::default()).await;
    let not_empty = delete_bucket(&fixture.client, BUCKET, BUCKET).await.unwrap_err();
    assert_eq!(not_empty.kind(), ErrorKind::Conflict);
    assert!(not_empty.to_string().contains("still holds objects"), "{not_empty}");

    let unconfirmed = delete_bucket(&fixture.client, "fresh-bucket", "fresh").await.unwrap_err();
    assert_eq!(unconfirmed.kind(), ErrorKind::InvalidInput);
    delete_bucket(&fixture.client, "fresh-bucket", "fresh-bucket").await.unwrap();
    let gone = fixture.client.get_bucket_info("fresh-bucket").await.unwrap_err();
    assert_eq!(gone.kind(), ErrorKind::NotFound);
}
