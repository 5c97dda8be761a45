//! The client against a real sandbox on loopback: every operation, in both addressing styles,
//! paging over 2,500 objects, typed errors, and retries through injected 503s.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use chrono::Utc;
use futures_util::{stream, StreamExt, TryStreamExt};
use osslite_core::client::{
    Body, Client, ClientConfig, ClientConfigBuilder, FixedJitter, ListEntry, ProxyConfig, RetryPolicy,
};
use osslite_core::ops::{ByteRange, CopyObjectOptions, ListBucketsParams, ListMultipartUploadsParams};
use osslite_core::ops::{ListObjectsV2Params, ListPartsParams, PutObjectOptions};
use osslite_core::xml::{CompletedPart, ObjectAcl};
use osslite_core::{Addressing, Credentials, Endpoint, ErrorKind, Secret};
use osslite_sandbox::{AccessKey, Faults, Sandbox, SandboxConfig};

const KEY_ID: &str = "LTAI5tSandboxKeyId";
const SECRET: &str = "sandbox-secret-value";
const REGION: &str = "cn-hangzhou";
const BUCKET: &str = "alpha-bucket";
const OTHER_BUCKET: &str = "beta-bucket";

struct Fixture {
    sandbox: Sandbox,
    _root: tempfile::TempDir,
}

async fn start(faults: Faults) -> Fixture {
    let root = tempfile::tempdir().unwrap();
    let config = SandboxConfig::new(root.path())
        .with_bucket(BUCKET)
        .with_bucket(OTHER_BUCKET)
        .with_key(AccessKey::new(KEY_ID, SECRET))
        .with_region(REGION)
        .with_faults(faults);
    let sandbox = Sandbox::start(config).await.unwrap();
    Fixture { sandbox, _root: root }
}

/// `http://127.0.0.1:PORT` path-style, or `http://localhost:PORT` virtual-hosted
/// (`BUCKET.localhost:PORT`, resolved by the client itself).
fn endpoint(fixture: &Fixture, addressing: Addressing) -> Endpoint {
    let url = fixture.sandbox.endpoint().to_string();
    let url = match addressing {
        Addressing::Virtual => url.replace("127.0.0.1", "localhost"),
        _ => url,
    };
    let endpoint = Endpoint::parse(&url, addressing).unwrap();
    assert_eq!(endpoint.addressing(), addressing);
    endpoint
}

fn client_with(endpoint: Endpoint, secret: &str, retry: RetryPolicy) -> Client {
    let credentials = Credentials::new(KEY_ID, Secret::new(secret)).unwrap();
    let config = ClientConfig::builder(endpoint, REGION, credentials)
        .with_retry(retry)
        .with_jitter(Arc::new(FixedJitter(0.5)))
        .with_connect_timeout(Duration::from_secs(5))
        .with_read_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy { max_attempts, base: Duration::from_millis(5), max_delay: Duration::from_millis(40) }
}

fn client(fixture: &Fixture, addressing: Addressing) -> Client {
    client_with(endpoint(fixture, addressing), SECRET, fast_retries(4))
}

fn count(fixture: &Fixture, operation: &str, status: u16) -> usize {
    fixture.sandbox.request_log().iter().filter(|r| r.operation == operation && r.status == status).count()
}

#[tokio::test]
async fn buckets_list_page_by_page_and_describe_themselves() {
    let fixture = start(Faults::default()).await;
    let client = client(&fixture, Addressing::Path);

    let first = client.list_buckets(&ListBucketsParams { max_keys: Some(1), ..Default::default() }).await.unwrap();
    assert_eq!(first.buckets.len(), 1);
    assert_eq!(first.buckets[0].name, BUCKET);
    let marker = first.next_marker().expect("a second page").to_owned();
    let second = client
        .list_buckets(&ListBucketsParams { max_keys: Some(1), marker: Some(marker), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(second.buckets[0].name, OTHER_BUCKET);

    let all: Vec<String> = client.list_all_buckets(None).map_ok(|b| b.name).try_collect().await.unwrap();
    assert_eq!(all, [BUCKET, OTHER_BUCKET]);
    let filtered: Vec<String> = client.list_all_buckets(Some("beta")).map_ok(|b| b.name).try_collect().await.unwrap();
    assert_eq!(filtered, [OTHER_BUCKET]);

    let info = client.get_bucket_info(BUCKET).await.unwrap();
    assert_eq!(info.name, BUCKET);
    assert_eq!(info.location, "oss-cn-hangzhou");
    assert!(info.creation_date.is_some());
    assert_eq!(client.get_bucket_location(BUCKET).await.unwrap(), "oss-cn-hangzhou");

    let missing = client.get_bucket_info("no-such-bucket").await.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    assert_eq!(missing.code(), Some("NoSuchBucket"));
    fixture.sandbox.shutdown().await;
}

/// Every object operation, run for one addressing style.
async fn object_operations(fixture: &Fixture, addressing: Addressing) {
    let client = client(fixture, addressing);
    let prefix = format!("{addressing:?}/");
    let key = format!("{prefix}docs/report 1+1=2.txt");
    let content = Bytes::from_static(b"0123456789abcdefghij");

    // PutObject from bytes, with metadata, storage class and an explicit type.
    let options = PutObjectOptions::default()
        .with_content_type("text/plain")
        .with_meta("Author", "alice")
        .with_storage_class("IA");
    let put = client.put_object(BUCKET, &key, Body::from_bytes(content.clone()), &options).await.unwrap();
    assert!(!put.etag.is_empty());
    assert!(put.crc64.is_some());

    // HeadObject and GetObjectMeta.
    let head = client.head_object(BUCKET, &key).await.unwrap();
    assert_eq!(head.content_length, Some(20));
    assert_eq!(head.content_type.as_deref(), Some("text/plain"));
    assert_eq!(head.meta("author"), Some("alice"));
    assert_eq!(head.storage_class.as_deref(), Some("IA"));
    assert_eq!(head.etag.as_deref(), Some(put.etag.as_str()));
    assert_eq!(head.crc64, put.crc64);
    let meta = client.get_object_meta(BUCKET, &key).await.unwrap();
    assert_eq!(meta.content_length, Some(20));
    assert_eq!(meta.etag, head.etag);

    // GetObject, whole and ranged, streamed.
    let whole = client.get_object(BUCKET, &key, None).await.unwrap();
    assert_eq!(whole.meta().content_length, Some(20));
    assert_eq!(whole.bytes().await.unwrap(), content);
    let ranged = client.get_object(BUCKET, &key, Some(ByteRange::new(5, 9).unwrap())).await.unwrap();
    assert_eq!(ranged.meta().content_range.as_deref(), Some("bytes 5-9/20"));
    let chunks: Vec<Bytes> = ranged.try_collect().await.unwrap();
    assert_eq!(chunks.concat(), b"56789");
    let tail = client.get_object(BUCKET, &key, Some(ByteRange::from_offset(15))).await.unwrap();
    assert_eq!(tail.bytes().await.unwrap(), "fghij");
    let past_end = client.get_object(BUCKET, &key, Some(ByteRange::from_offset(20))).await.unwrap_err();
    assert_eq!(past_end.status(), Some(416), "{past_end}");

    // PutObject from a file: the Content-Type comes from the file name.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("picture.png");
    tokio::fs::write(&file, vec![7u8; 70_000]).await.unwrap();
    let file_key = format!("{prefix}uploads/picture-without-extension");
    client.put_object(BUCKET, &file_key, Body::from_file(&file).await.unwrap(), &Default::default()).await.unwrap();
    let head = client.head_object(BUCKET, &file_key).await.unwrap();
    assert_eq!((head.content_type.as_deref(), head.content_length), (Some("image/png"), Some(70_000)));
    let mut downloaded = Vec::new();
    let written = client.get_object(BUCKET, &file_key, None).await.unwrap().write_to(&mut downloaded).await.unwrap();
    assert_eq!((written, downloaded), (70_000, vec![7u8; 70_000]));

    // x-oss-forbid-overwrite: a second put is a Conflict.
    let guarded = PutObjectOptions::default().with_forbid_overwrite(true);
    let err = client.put_object(BUCKET, &key, Body::from_bytes("again"), &guarded).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert_eq!((err.status(), err.code()), (Some(409), Some("FileAlreadyExists")));
    assert_eq!(client.get_object(BUCKET, &key, None).await.unwrap().bytes().await.unwrap(), content);

    // CopyObject, metadata copied, then replaced, across buckets.
    let copy_key = format!("{prefix}copies/copy.txt");
    let copied =
        client.copy_object(BUCKET, &key, OTHER_BUCKET, &copy_key, &CopyObjectOptions::default()).await.unwrap();
    assert_eq!(copied.etag, put.etag);
    let head = client.head_object(OTHER_BUCKET, &copy_key).await.unwrap();
    assert_eq!(head.meta("author"), Some("alice"));
    let replace = CopyObjectOptions {
        replace_metadata: Some(PutObjectOptions::default().with_meta("author", "bob")),
        ..Default::default()
    };
    client.copy_object(BUCKET, &key, OTHER_BUCKET, &copy_key, &replace).await.unwrap();
    assert_eq!(client.head_object(OTHER_BUCKET, &copy_key).await.unwrap().meta("author"), Some("bob"));

    // ACLs.
    assert_eq!(client.get_object_acl(BUCKET, &key).await.unwrap().acl, ObjectAcl::Default);
    client.put_object_acl(BUCKET, &key, ObjectAcl::PublicRead).await.unwrap();
    let policy = client.get_object_acl(BUCKET, &key).await.unwrap();
    assert_eq!(policy.acl, ObjectAcl::PublicRead);
    assert!(policy.owner.is_some());

    // Missing objects are NotFound with the OSS fields, for GET (XML body) and HEAD (no body).
    let missing_key = format!("{prefix}missing");
    let err = client.get_object(BUCKET, &missing_key, None).await.unwrap_err();
    assert_eq!((err.kind(), err.status(), err.code()), (ErrorKind::NotFound, Some(404), Some("NoSuchKey")));
    let service = err.service().unwrap();
    assert!(service.request_id.is_some() && service.message.is_some(), "{service:?}");
    let err = client.head_object(BUCKET, &missing_key).await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::NotFound, Some(404)));
    assert!(err.service().unwrap().request_id.is_some());

    // DeleteObject, and DeleteMultipleObjects with and without quiet mode.
    client.delete_object(BUCKET, &key).await.unwrap();
    assert_eq!(client.head_object(BUCKET, &key).await.unwrap_err().kind(), ErrorKind::NotFound);
    client.delete_object(BUCKET, &key).await.unwrap();
    let listed = client.delete_multiple_objects(OTHER_BUCKET, &[copy_key.as_str()]).await.unwrap();
    assert_eq!(listed.deleted.iter().map(|d| d.key.as_str()).collect::<Vec<_>>(), [copy_key.as_str()]);
    assert_eq!(client.delete_objects(BUCKET, &[file_key]).await.unwrap(), 1);
    let left: Vec<ListEntry> = client.list_all(BUCKET, Some(&prefix), None).try_collect().await.unwrap();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn every_object_operation_works_path_style() {
    let fixture = start(Faults::default()).await;
    object_operations(&fixture, Addressing::Path).await;
    let log = fixture.sandbox.request_log();
    assert!(log
        .iter()
        .all(|r| r.path.starts_with(&format!("/{BUCKET}/")) || r.path.starts_with(&format!("/{OTHER_BUCKET}"))));
    fixture.sandbox.shutdown().await;
}

#[tokio::test]
async fn every_object_operation_works_virtual_hosted_on_bucket_dot_localhost() {
    let fixture = start(Faults::default()).await;
    object_operations(&fixture, Addressing::Virtual).await;
    let log = fixture.sandbox.request_log();
    assert!(!log.is_empty());
    assert!(log.iter().all(|r| !r.path.starts_with(&format!("/{BUCKET}/"))), "virtual-hosted paths hold no bucket");
    fixture.sandbox.shutdown().await;
}

#[tokio::test]
async fn paging_over_2500_objects_with_and_without_delimiters() {
    let fixture = start(Faults::default()).await;
    let client = client(&fixture, Addressing::Path);

    // 2,500 keys: 5 "directories" of 480 and 100 at the top level, put 32 at a time.
    let keys: Vec<String> = (0..2500)
        .map(|i| if i < 2400 { format!("data/dir-{}/file-{i:05}.txt", i % 5) } else { format!("data/top-{i:05}.txt") })
        .collect();
    stream::iter(keys.iter().cloned())
        .map(|key| {
            let client = client.clone();
            async move { client.put_object(BUCKET, &key, Body::from_bytes(key.clone()), &Default::default()).await }
        })
        .buffer_unordered(32)
        .try_collect::<Vec<_>>()
        .await
        .unwrap();

    // One page at a time by hand.
    let params = ListObjectsV2Params::new(BUCKET).with_prefix("data/").with_max_keys(1000);
    let first = client.list_objects_v2(&params).await.unwrap();
    assert_eq!(first.contents.len(), 1000);
    assert!(first.is_truncated);
    let token = first.next_token().unwrap().to_owned();
    let second = client.list_objects_v2(&params.clone().with_continuation_token(token)).await.unwrap();
    assert_eq!(second.contents.len(), 1000);
    assert!(first.contents.last().unwrap().key < second.contents[0].key);
    let after = client
        .list_objects_v2(&ListObjectsV2Params::new(BUCKET).with_start_after("data/top-02450.txt").with_max_keys(100))
        .await
        .unwrap();
    assert_eq!(after.contents.len(), 49);
    assert!(!after.is_truncated);

    // Every page as one stream.
    let mut all: Vec<String> =
        client.list_all(BUCKET, Some("data/"), None).map_ok(|e| e.name().to_owned()).try_collect().await.unwrap();
    assert_eq!(all.len(), 2500);
    let mut expected = keys.clone();
    expected.sort();
    all.sort();
    assert_eq!(all, expected);
    assert_eq!(count(&fixture, "ListObjectsV2", 200), 2 + 1 + 3);

    // With a delimiter: 5 directories and 100 objects; small pages so the prefixes span pages.
    let params = ListObjectsV2Params::new(BUCKET).with_prefix("data/").with_delimiter("/").with_max_keys(30);
    let entries: Vec<ListEntry> = client.list_all_with(params).try_collect().await.unwrap();
    let prefixes: Vec<&str> =
        entries.iter().filter(|e| matches!(e, ListEntry::Prefix { .. })).map(ListEntry::name).collect();
    assert_eq!(prefixes, ["data/dir-0/", "data/dir-1/", "data/dir-2/", "data/dir-3/", "data/dir-4/"]);
    assert_eq!(entries.len(), 105);
    let one_dir: Vec<ListEntry> = client.list_all(BUCKET, Some("data/dir-3/"), Some("/")).try_collect().await.unwrap();
    assert_eq!(one_dir.len(), 480);
    assert!(one_dir
        .iter()
        .all(|e| matches!(e, ListEntry::Object(o) if o.key.starts_with("data/dir-3/") && o.size > 0)));

    // DeleteMultipleObjects splits 2,500 keys into calls of 1,000.
    assert_eq!(client.delete_objects(BUCKET, &keys).await.unwrap(), 2500);
    assert_eq!(count(&fixture, "DeleteMultipleObjects", 200), 3);
    let left: Vec<ListEntry> = client.list_all(BUCKET, Some("data/"), None).try_collect().await.unwrap();
    assert!(left.is_empty());
    fixture.sandbox.shutdown().await;
}

#[tokio::test]
async fn multipart_upload_with_signed_and_presigned_parts() {
    let fixture = start(Faults::default()).await;
    let client = client(&fixture, Addressing::Virtual);
    let key = "big/archive.bin";

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.bin");
    let data: Vec<u8> = (0..(300 * 1024 + 123)).map(|i| (i * 31 % 251) as u8).collect();
    tokio::fs::write(&path, &data).await.unwrap();
    let part_size = 150 * 1024u64;

    let init = client
        .initiate_multipart_upload(BUCKET, key, &PutObjectOptions::default().with_meta("kind", "backup"))
        .await
        .unwrap();
    assert_eq!((init.bucket.as_str(), init.key.as_str()), (BUCKET, key));
    let upload_id = init.upload_id.clone();

    // Part 1 header-signed; parts 2 and 3 through presigned URLs and a plain PUT (seed 003).
    let part1 = client.upload_part(BUCKET, key, &upload_id, 1, Body::file_range(&path, 0, part_size)).await.unwrap();
    let mut parts = vec![CompletedPart::from(part1)];
    for (number, offset) in [(2u32, part_size), (3, 2 * part_size)] {
        let len = (data.len() as u64 - offset).min(part_size);
        let presigned = client.presign_upload_part(BUCKET, key, &upload_id, number, None, 600).unwrap();
        assert!(presigned.url.contains("partNumber=") && presigned.url.contains("x-oss-signature="));
        let part =
            client.upload_part_presigned(&presigned, number, Body::file_range(&path, offset, len)).await.unwrap();
        parts.push(part.into());
    }

    let listed = client.list_parts(BUCKET, key, &upload_id, &ListPartsParams::default()).await.unwrap();
    assert_eq!(
        listed.parts.iter().map(|p| (p.part_number, p.size)).collect::<Vec<_>>(),
        [(1, part_size), (2, part_size), (3, 123)]
    );
    assert_eq!(
        listed.parts.iter().map(|p| p.etag.clone()).collect::<Vec<_>>(),
        parts.iter().map(|p| p.etag.clone()).collect::<Vec<_>>()
    );
    let paged: Vec<u32> =
        client.list_all_parts(BUCKET, key, &upload_id).map_ok(|p| p.part_number).try_collect().await.unwrap();
    assert_eq!(paged, [1, 2, 3]);
    let two = client
        .list_parts(BUCKET, key, &upload_id, &ListPartsParams { max_parts: Some(2), part_number_marker: None })
        .await
        .unwrap();
    assert_eq!((two.parts.len(), two.next_marker()), (2, Some(2)));

    let uploads = client.list_multipart_uploads(&ListMultipartUploadsParams::new(BUCKET)).await.unwrap();
    assert!(uploads.uploads.iter().any(|u| u.key == key && u.upload_id == upload_id));

    let done = client.complete_multipart_upload(BUCKET, key, &upload_id, &parts, false).await.unwrap();
    assert_eq!(done.key, key);
    assert_eq!(done.crc64, Some(osslite_sandbox::crc64(&data)));
    let object = client.get_object(BUCKET, key, None).await.unwrap();
    assert_eq!(object.meta().meta("kind"), Some("backup"));
    assert_eq!(object.meta().crc64, Some(osslite_sandbox::crc64(&data)));
    assert_eq!(object.bytes().await.unwrap(), data);

    // Abort: the upload is gone afterwards.
    let other = client.initiate_multipart_upload(BUCKET, "big/abandoned.bin", &Default::default()).await.unwrap();
    client
        .upload_part(BUCKET, "big/abandoned.bin", &other.upload_id, 1, Body::from_bytes(vec![1u8; 10]))
        .await
        .unwrap();
    client.abort_multipart_upload(BUCKET, "big/abandoned.bin", &other.upload_id).await.unwrap();
    let err = client.list_parts(BUCKET, "big/abandoned.bin", &other.upload_id, &Default::default()).await.unwrap_err();
    assert_eq!((err.kind(), err.code()), (ErrorKind::NotFound, Some("NoSuchUpload")));
    let uploads = client.list_multipart_uploads(&ListMultipartUploadsParams::new(BUCKET)).await.unwrap();
    assert!(uploads.uploads.is_empty(), "{:?}", uploads.uploads);
    fixture.sandbox.shutdown().await;
}

#[tokio::test]
async fn credentials_and_expiry_errors_are_typed() {
    let fixture = start(Faults::default()).await;
    let good = client(&fixture, Addressing::Path);
    good.put_object(BUCKET, "k.txt", Body::from_bytes("x"), &Default::default()).await.unwrap();

    let wrong_secret = client_with(endpoint(&fixture, Addressing::Path), "not-the-secret", fast_retries(4));
    let err = wrong_secret.head_object(BUCKET, "k.txt").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthenticated, "{err}");
    let err = wrong_secret.get_object(BUCKET, "k.txt", None).await.unwrap_err();
    assert_eq!((err.kind(), err.code()), (ErrorKind::Unauthenticated, Some("SignatureDoesNotMatch")));
    assert!(!err.to_string().contains("not-the-secret"));

    let credentials = Credentials::new("LTAI5tUnknownKey", Secret::new(SECRET)).unwrap();
    let config = ClientConfig::builder(endpoint(&fixture, Addressing::Path), REGION, credentials).build().unwrap();
    let err = Client::new(config).unwrap().get_object(BUCKET, "k.txt", None).await.unwrap_err();
    assert_eq!((err.kind(), err.code()), (ErrorKind::Unauthenticated, Some("InvalidAccessKeyId")));

    // A presigned part URL that expired: Expired, with the 403 AccessDenied behind it.
    let init = good.initiate_multipart_upload(BUCKET, "late.bin", &Default::default()).await.unwrap();
    let request = osslite_core::ops::upload_part_request(BUCKET, "late.bin", &init.upload_id, 1).unwrap();
    let long_ago = Utc::now() - chrono::Duration::hours(2);
    let expired = good.signer().presign(good.endpoint(), &request, long_ago, 60).unwrap();
    let err = good.upload_part_presigned(&expired, 1, Body::from_bytes("late")).await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Expired, Some(403)), "{err}");
    assert!(!err.to_string().contains("x-oss-signature"), "messages never carry the URL: {err}");
    fixture.sandbox.shutdown().await;
}

#[tokio::test]
async fn an_unreachable_endpoint_is_a_network_error_after_the_retries() {
    // A port that was just free: bind, read the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let endpoint = Endpoint::parse(&format!("http://127.0.0.1:{port}"), Addressing::Path).unwrap();
    let client = client_with(endpoint, SECRET, fast_retries(3));
    let err = client.head_object(BUCKET, "k").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert_eq!(err.to_string(), format!("Can't reach 127.0.0.1:{port} (connection refused). Is the endpoint right?"));
    assert!(err.detail().is_some_and(|d| d.starts_with("HeadObject oss://alpha-bucket/k (3 attempts): ")), "{err:?}");
    assert!(err.kind().is_transient());
    // The HTTP error stays the source, for logs, without the URL.
    let mut chain = Vec::new();
    let mut source = std::error::Error::source(&err);
    while let Some(current) = source {
        chain.push(current.to_string());
        source = current.source();
    }
    assert!(!chain.is_empty(), "the reqwest error is kept as the source");
    assert!(chain.iter().all(|text| !text.contains("127.0.0.1")), "{chain:?}");
}

#[tokio::test]
async fn retries_carry_a_put_a_get_and_a_list_through_30_percent_503s() {
    let fixture = start(Faults { error_503_ratio: 0.3, ..Faults::default() }).await;
    // 0.3^10: a request fails for good once in about 170,000; the sandbox's faults are seeded.
    let client = client_with(endpoint(&fixture, Addressing::Path), SECRET, fast_retries(10));

    let dir = tempfile::tempdir().unwrap();
    for i in 0..20 {
        let key = format!("flaky/file-{i:02}.txt");
        let path = dir.path().join(format!("{i}.txt"));
        tokio::fs::write(&path, format!("content {i}")).await.unwrap();
        // A file body is rebuilt for each attempt; bytes are simply sent again.
        let body =
            if i % 2 == 0 { Body::from_file(&path).await.unwrap() } else { Body::from_bytes(format!("content {i}")) };
        client.put_object(BUCKET, &key, body, &Default::default()).await.unwrap();
    }
    for i in 0..20 {
        let body =
            client.get_object(BUCKET, &format!("flaky/file-{i:02}.txt"), None).await.unwrap().bytes().await.unwrap();
        assert_eq!(body, format!("content {i}"));
    }
    let params = ListObjectsV2Params::new(BUCKET).with_prefix("flaky/").with_max_keys(3);
    let listed: Vec<ListEntry> = client.list_all_with(params).try_collect().await.unwrap();
    assert_eq!(listed.len(), 20);

    let log = fixture.sandbox.request_log();
    let refused = log.iter().filter(|r| r.status == 503).count();
    assert!(refused >= 5, "only {refused} of {} requests were 503s", log.len());
    // Injected 503s are logged before routing (operation `-`): tell the three apart by request.
    let refused_put = log.iter().any(|r| r.status == 503 && r.method == "PUT");
    let refused_get = log.iter().any(|r| r.status == 503 && r.method == "GET" && r.query.is_empty());
    let refused_list = log.iter().any(|r| r.status == 503 && r.method == "GET" && r.query.contains("list-type=2"));
    assert!(refused_put && refused_get && refused_list, "put {refused_put}, get {refused_get}, list {refused_list}");
    assert_eq!(count(&fixture, "PutObject", 200), 20);
    assert_eq!(count(&fixture, "GetObject", 200), 20);
    assert_eq!(count(&fixture, "ListObjectsV2", 200), 7);
    fixture.sandbox.shutdown().await;
}

#[tokio::test]
async fn retries_are_bounded_and_one_shot_bodies_are_sent_once() {
    let fixture = start(Faults { error_503_ratio: 1.0, ..Faults::default() }).await;
    let client = client_with(endpoint(&fixture, Addressing::Path), SECRET, fast_retries(3));

    let err = client.get_object(BUCKET, "k", None).await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Service, Some(503)), "{err}");
    assert_eq!(fixture.sandbox.request_log().len(), 3, "exactly max_attempts requests");

    let once = Body::from_stream(5, stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"hello"))]));
    let err = client.put_object(BUCKET, "k", once, &Default::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Service);
    assert_eq!(fixture.sandbox.request_log().len(), 4, "a one-shot body is not retried");

    let rebuildable = Body::from_bytes("hello");
    client.put_object(BUCKET, "k", rebuildable, &Default::default()).await.unwrap_err();
    assert_eq!(fixture.sandbox.request_log().len(), 7);
    fixture.sandbox.shutdown().await;
}

/// A one-connection HTTP server: records the request head, then sends `answer` (or, with `None`,
/// holds the connection open without answering). Returns its URL and the recorded head.
async fn fake_server(answer: Option<String>) -> (String, tokio::task::JoinHandle<String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buffer = [0u8; 4096];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buffer).await.unwrap();
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buffer[..n]);
        }
        match answer {
            Some(answer) => socket.write_all(answer.as_bytes()).await.unwrap(),
            None => tokio::time::sleep(Duration::from_secs(10)).await,
        }
        String::from_utf8_lossy(&head).into_owned()
    });
    (url, task)
}

fn http_answer(status: &str, headers: &str, body: &str) -> String {
    format!("HTTP/1.1 {status}\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}", body.len())
}

fn plain_client(
    endpoint: &str,
    addressing: Addressing,
    configure: impl FnOnce(ClientConfigBuilder) -> ClientConfigBuilder,
) -> Client {
    let endpoint = Endpoint::parse(endpoint, addressing).unwrap();
    let credentials = Credentials::new(KEY_ID, Secret::new(SECRET)).unwrap();
    let builder = ClientConfig::builder(endpoint, REGION, credentials).with_retry(RetryPolicy::none());
    Client::new(configure(builder).build().unwrap()).unwrap()
}

#[tokio::test]
async fn an_explicit_proxy_receives_the_requests() {
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>\
                <Message>The specified key does not exist.</Message><RequestId>PROXIED</RequestId></Error>";
    let (proxy_url, proxy) =
        fake_server(Some(http_answer("404 Not Found", "content-type: application/xml\r\n", body))).await;
    let client = plain_client("http://oss-cn-hangzhou.example.invalid", Addressing::Virtual, |builder| {
        builder.with_proxy(ProxyConfig::Url(proxy_url))
    });
    let err = client.get_object("some-bucket", "a b.txt", None).await.unwrap_err();
    assert_eq!((err.kind(), err.service().unwrap().request_id.as_deref()), (ErrorKind::NotFound, Some("PROXIED")));
    let head = proxy.await.unwrap();
    assert!(
        head.starts_with("GET http://some-bucket.oss-cn-hangzhou.example.invalid/a%20b.txt HTTP/1.1"),
        "the proxy saw: {head}"
    );
    assert!(head.to_ascii_lowercase().contains("authorization: oss4-hmac-sha256 credential="));
}

#[tokio::test]
async fn a_response_that_is_not_xml_still_gives_status_and_request_id() {
    let answer = http_answer(
        "502 Bad Gateway",
        "x-oss-request-id: 64F1A2B3C4D5E6F7\r\ncontent-type: text/html\r\n",
        "<html>bad gateway</html>",
    );
    let (url, server) = fake_server(Some(answer)).await;
    let client = plain_client(&url, Addressing::Path, |builder| builder);
    let err = client.head_object("some-bucket", "k").await.unwrap_err();
    assert_eq!((err.kind(), err.status(), err.code()), (ErrorKind::Service, Some(502), None));
    assert_eq!(err.service().unwrap().request_id.as_deref(), Some("64F1A2B3C4D5E6F7"));
    assert!(err.to_string().contains("HeadObject oss://some-bucket/k: OSS answered 502"), "{err}");
    server.await.unwrap();

    // A 200 whose body is not the expected XML is an InvalidResponse, not a panic or a default.
    let (url, server) = fake_server(Some(http_answer("200 OK", "", "<ListBucketResult><IsTruncated>perhaps"))).await;
    let client = plain_client(&url, Addressing::Path, |builder| builder);
    let err = client.list_objects_v2(&ListObjectsV2Params::new("some-bucket")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
    server.await.unwrap();
}

#[tokio::test]
async fn a_server_that_stops_answering_hits_the_read_timeout() {
    let (url, server) = fake_server(None).await;
    let client = plain_client(&url, Addressing::Path, |builder| builder.with_read_timeout(Duration::from_millis(300)));
    let started = std::time::Instant::now();
    let err = client.get_object("some-bucket", "k", None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(err.to_string().contains("timed out"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    server.abort();
}
