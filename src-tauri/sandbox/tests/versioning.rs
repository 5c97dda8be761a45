//! Versioning as OSS does it: enabling and suspending, a version ID on every write, reads and
//! deletes of one version, delete markers, ListObjectVersions paging, copies from a version,
//! DeleteMultipleObjects with versions, and versions surviving a restart.

mod common;

use common::*;
use osslite_core::{Method, OssRequest};
use osslite_sandbox::Sandbox;

const ENABLED: &str = "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>";
const SUSPENDED: &str = "<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>";

async fn set_versioning(server: &TestServer, body: &str) {
    server
        .send(server.bucket_request(Method::Put).with_query("versioning", ""), body.as_bytes().to_vec())
        .await
        .assert_ok();
}

fn content_md5(data: &[u8]) -> String {
    use base64::Engine;
    use md5::{Digest, Md5};
    base64::engine::general_purpose::STANDARD.encode(Md5::digest(data))
}

fn with_version(request: OssRequest, version_id: &str) -> OssRequest {
    request.with_query("versionId", version_id)
}

fn version_of(reply: &Reply) -> String {
    reply.header("x-oss-version-id").unwrap_or_default().to_owned()
}

async fn list_versions(server: &TestServer, query: &[(&str, &str)]) -> Reply {
    let mut request = server.bucket_request(Method::Get).with_query("versions", "");
    for (name, value) in query {
        request = request.with_query(*name, *value);
    }
    let reply = server.send(request, Vec::new()).await;
    reply.assert_ok();
    reply
}

#[tokio::test]
async fn enabling_versioning_keeps_every_write_and_reads_any_version() {
    let server = start().await;
    let status = server.send(server.bucket_request(Method::Get).with_query("versioning", ""), Vec::new()).await;
    assert_eq!(status.tag("Status"), None);
    server.put("before", "unversioned").await;
    set_versioning(&server, ENABLED).await;
    let status = server.send(server.bucket_request(Method::Get).with_query("versioning", ""), Vec::new()).await;
    assert_eq!(status.tag("Status").as_deref(), Some("Enabled"));
    let info = server.send(server.bucket_request(Method::Get).with_query("bucketInfo", ""), Vec::new()).await;
    assert_eq!(info.tag("Versioning").as_deref(), Some("Enabled"));

    let first = version_of(&server.put("doc.txt", "one").await);
    let second = version_of(&server.put("doc.txt", "two").await);
    assert!(!first.is_empty() && first != second && first != "null");
    assert_eq!(server.get("doc.txt").await.text(), "two");
    let old = server.send(with_version(server.object(Method::Get, "doc.txt"), &first), Vec::new()).await;
    assert_eq!((old.text(), version_of(&old)), ("one".to_owned(), first.clone()));
    let head = server.send(with_version(server.object(Method::Head, "doc.txt"), &first), Vec::new()).await;
    assert_eq!(head.header("content-length"), Some("3"));
    let before = server.send(with_version(server.object(Method::Get, "before"), "null"), Vec::new()).await;
    assert_eq!(before.text(), "unversioned");
    server
        .send(with_version(server.object(Method::Get, "doc.txt"), "CAEQnope"), Vec::new())
        .await
        .assert_error(404, "NoSuchVersion");

    // Copy from an old version makes it the latest again.
    let source = format!("/{BUCKET}/doc.txt?versionId={first}");
    let copy =
        server.send(server.object(Method::Put, "doc.txt").with_header("x-oss-copy-source", source), Vec::new()).await;
    copy.assert_ok();
    assert_eq!(copy.header("x-oss-copy-source-version-id"), Some(first.as_str()));
    assert_eq!(server.get("doc.txt").await.text(), "one");
    let listing = list_versions(&server, &[("prefix", "doc")]).await;
    assert_eq!(listing.tags("VersionId").len(), 3);
    assert_eq!(listing.tags("IsLatest"), ["true", "false", "false"]);
}

#[tokio::test]
async fn delete_markers_hide_the_key_until_removed() {
    let server = start().await;
    set_versioning(&server, ENABLED).await;
    let kept = version_of(&server.put("gone", "data").await);
    let delete = server.send(server.object(Method::Delete, "gone"), Vec::new()).await;
    assert_eq!(delete.status, 204);
    assert_eq!(delete.header("x-oss-delete-marker"), Some("true"));
    let marker = version_of(&delete);
    assert!(!marker.is_empty() && marker != kept);

    let get = server.get("gone").await;
    get.assert_error(404, "NoSuchKey");
    assert_eq!(get.header("x-oss-delete-marker"), Some("true"));
    assert_eq!(version_of(&get), marker);
    server
        .send(with_version(server.object(Method::Get, "gone"), &marker), Vec::new())
        .await
        .assert_error(405, "MethodNotAllowed");
    let plain = server.send(server.bucket_request(Method::Get).with_query("list-type", "2"), Vec::new()).await;
    assert!(plain.tags("Key").is_empty());
    let listing = list_versions(&server, &[]).await;
    assert_eq!(listing.tags("DeleteMarker").len(), 1);
    assert_eq!(listing.tags("Version").len(), 1);

    // Removing the marker brings the object back; removing the version deletes it for good.
    let undelete = server.send(with_version(server.object(Method::Delete, "gone"), &marker), Vec::new()).await;
    assert_eq!((undelete.header("x-oss-delete-marker"), version_of(&undelete)), (Some("true"), marker));
    assert_eq!(server.get("gone").await.text(), "data");
    server.send(with_version(server.object(Method::Delete, "gone"), &kept), Vec::new()).await;
    server.get("gone").await.assert_error(404, "NoSuchKey");
    assert!(list_versions(&server, &[]).await.tags("VersionId").is_empty());
}

#[tokio::test]
async fn suspended_versioning_writes_null_versions_that_replace_each_other() {
    let server = start().await;
    set_versioning(&server, ENABLED).await;
    let enabled = version_of(&server.put("k", "enabled").await);
    set_versioning(&server, SUSPENDED).await;
    assert_eq!(version_of(&server.put("k", "first null").await), "null");
    assert_eq!(version_of(&server.put("k", "second null").await), "null");
    let listing = list_versions(&server, &[]).await;
    assert_eq!(listing.tags("VersionId"), ["null", enabled.as_str()]);
    let delete = server.send(server.object(Method::Delete, "k"), Vec::new()).await;
    assert_eq!((version_of(&delete), delete.header("x-oss-delete-marker")), ("null".to_owned(), Some("true")));
    let listing = list_versions(&server, &[]).await;
    assert_eq!(listing.tags("DeleteMarker").len(), 1);
    assert_eq!(listing.tags("VersionId"), ["null", enabled.as_str()]);
}

#[tokio::test]
async fn list_object_versions_pages_with_markers_and_rolls_up_prefixes() {
    let server = start().await;
    set_versioning(&server, ENABLED).await;
    for round in 0..3 {
        for key in ["a", "b", "dir/x", "dir/y"] {
            server.put(key, format!("{key} {round}")).await;
        }
    }
    let mut seen = Vec::new();
    let (mut key_marker, mut version_marker) = (String::new(), String::new());
    loop {
        let page = list_versions(
            &server,
            &[
                ("max-keys", "2"),
                ("delimiter", "/"),
                ("key-marker", &key_marker),
                ("version-id-marker", &version_marker),
            ],
        )
        .await;
        for key in page.tags("Key") {
            seen.push(key);
        }
        seen.extend(page.tags("Prefix").into_iter().filter(|p| !p.is_empty()));
        if page.tag("IsTruncated").as_deref() != Some("true") {
            break;
        }
        key_marker = page.tag("NextKeyMarker").unwrap_or_default();
        version_marker = page.tag("NextVersionIdMarker").unwrap_or_default();
    }
    assert_eq!(seen, ["a", "a", "a", "b", "b", "b", "dir/"]);
    let under_dir = list_versions(&server, &[("prefix", "dir/")]).await;
    assert_eq!(under_dir.tags("Key").len(), 6);
}

#[tokio::test]
async fn multipart_completion_and_batch_delete_know_versions() {
    let server = start().await;
    set_versioning(&server, ENABLED).await;
    let old = version_of(&server.put("mp", "old").await);
    let initiate = server.send(server.object(Method::Post, "mp").with_query("uploads", ""), Vec::new()).await;
    let id = initiate.tag("UploadId").unwrap();
    let part = server
        .send(
            server.object(Method::Put, "mp").with_query("partNumber", "1").with_query("uploadId", id.clone()),
            b"new".to_vec(),
        )
        .await;
    let etag = part.header("etag").unwrap().to_owned();
    let body = format!(
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{etag}</ETag></Part></CompleteMultipartUpload>"
    );
    let complete = server.send(server.object(Method::Post, "mp").with_query("uploadId", id), body.into_bytes()).await;
    complete.assert_ok();
    let new = version_of(&complete);
    assert!(!new.is_empty() && new != old);

    let body = format!(
        "<Delete><Quiet>false</Quiet><Object><Key>mp</Key><VersionId>{old}</VersionId></Object><Object><Key>mp</Key></Object></Delete>"
    );
    let request = server
        .bucket_request(Method::Post)
        .with_query("delete", "")
        .with_header("Content-MD5", content_md5(body.as_bytes()));
    let deleted = server.send(request, body.into_bytes()).await;
    deleted.assert_ok();
    assert_eq!(deleted.tags("VersionId"), [old.as_str()]);
    assert_eq!(deleted.tags("DeleteMarker"), ["true"]);
    assert_eq!(deleted.tags("DeleteMarkerVersionId").len(), 1);
    let listing = list_versions(&server, &[]).await;
    assert_eq!(listing.tags("Version").len(), 1);
    assert_eq!(listing.tags("DeleteMarker").len(), 1);
}

#[tokio::test]
async fn versions_and_delete_markers_survive_a_restart() {
    let server = start().await;
    set_versioning(&server, ENABLED).await;
    let first = version_of(&server.put("k", "one").await);
    server.put("k", "two").await;
    server.send(server.object(Method::Delete, "k"), Vec::new()).await;
    let TestServer { sandbox, dir, signer, http } = server;
    sandbox.shutdown().await;
    let sandbox = Sandbox::start(config(&dir)).await.unwrap();
    let server = TestServer { sandbox, dir, signer, http };

    server.get("k").await.assert_error(404, "NoSuchKey");
    let old = server.send(with_version(server.object(Method::Get, "k"), &first), Vec::new()).await;
    assert_eq!(old.text(), "one");
    let listing = list_versions(&server, &[]).await;
    assert_eq!(listing.tags("IsLatest"), ["true", "false", "false"]);
    assert_eq!(listing.tags("DeleteMarker").len(), 1);
    let status = server.send(server.bucket_request(Method::Get).with_query("versioning", ""), Vec::new()).await;
    assert_eq!(status.tag("Status").as_deref(), Some("Enabled"));
    // A bucket with versions left is not empty.
    server
        .send(OssRequest::new(Method::Delete, Some(BUCKET), None), Vec::new())
        .await
        .assert_error(409, "BucketNotEmpty");
}
