//! Buckets: PutBucket with a storage class and ACL, GetBucketInfo, Get/PutBucketAcl, and
//! DeleteBucket, which refuses buckets holding objects or unfinished multipart uploads.

mod common;

use common::*;
use osslite_core::{Method, OssRequest};

fn bucket(method: Method, name: &str) -> OssRequest {
    OssRequest::new(method, Some(name), None)
}

#[tokio::test]
async fn put_bucket_with_class_and_acl_shows_in_info_and_acl() {
    let server = start().await;
    let body = "<CreateBucketConfiguration><StorageClass>IA</StorageClass></CreateBucketConfiguration>";
    let create = bucket(Method::Put, "made-here").with_header("x-oss-acl", "public-read");
    server.send(create, body).await.assert_ok();

    let info = server.send(bucket(Method::Get, "made-here").with_query("bucketInfo", ""), Vec::new()).await;
    info.assert_ok();
    assert_eq!(info.tag("StorageClass").as_deref(), Some("IA"));
    assert_eq!(info.tag("Grant").as_deref(), Some("public-read"));
    assert_eq!(info.tag("ExtranetEndpoint").as_deref(), Some(server.addr().to_string().as_str()));
    assert!(info.tag("CreationDate").unwrap().ends_with(".000Z"));

    let acl = || server.send(bucket(Method::Get, "made-here").with_query("acl", ""), Vec::new());
    assert_eq!(acl().await.tag("Grant").as_deref(), Some("public-read"));
    let private = bucket(Method::Put, "made-here").with_query("acl", "").with_header("x-oss-acl", "private");
    server.send(private, Vec::new()).await.assert_ok();
    assert_eq!(acl().await.tag("Grant").as_deref(), Some("private"));
    let bad = bucket(Method::Put, "made-here").with_query("acl", "").with_header("x-oss-acl", "default");
    server.send(bad, Vec::new()).await.assert_error(400, "InvalidArgument");

    server.send(bucket(Method::Put, "made-here"), Vec::new()).await.assert_error(409, "BucketAlreadyExists");
    server.send(bucket(Method::Put, "ab"), Vec::new()).await.assert_error(400, "InvalidBucketName");
}

#[tokio::test]
async fn delete_bucket_only_when_empty() {
    let server = start().await;
    server.send(bucket(Method::Put, "short-lived"), Vec::new()).await.assert_ok();
    let put = OssRequest::object(Method::Put, "short-lived", "k");
    server.send(put, b"x".to_vec()).await.assert_ok();
    server.send(bucket(Method::Delete, "short-lived"), Vec::new()).await.assert_error(409, "BucketNotEmpty");
    server.send(OssRequest::object(Method::Delete, "short-lived", "k"), Vec::new()).await.assert_ok();

    let initiate = OssRequest::object(Method::Post, "short-lived", "pending").with_query("uploads", "");
    let id = server.send(initiate, Vec::new()).await.tag("UploadId").unwrap();
    server.send(bucket(Method::Delete, "short-lived"), Vec::new()).await.assert_error(409, "BucketNotEmpty");
    let abort = OssRequest::object(Method::Delete, "short-lived", "pending").with_query("uploadId", &id);
    server.send(abort, Vec::new()).await.assert_ok();

    let deleted = server.send(bucket(Method::Delete, "short-lived"), Vec::new()).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text());
    let info = bucket(Method::Get, "short-lived").with_query("bucketInfo", "");
    server.send(info, Vec::new()).await.assert_error(404, "NoSuchBucket");
    server.send(bucket(Method::Delete, "short-lived"), Vec::new()).await.assert_error(404, "NoSuchBucket");
}
