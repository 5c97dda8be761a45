//! Server-side copies: CopyObject's directives, conditions, guards and copies across buckets;
//! UploadPartCopy with ranges assembled by CompleteMultipartUpload.

mod common;

use common::*;
use osslite_core::{Method, OssRequest};
use osslite_sandbox::crc64;

const OTHER_BUCKET: &str = "other-bucket";

fn copy(server: &TestServer, key: &str, source: &str) -> OssRequest {
    server.object(Method::Put, key).with_header("x-oss-copy-source", format!("/{BUCKET}/{source}"))
}

#[tokio::test]
async fn copy_keeps_type_metadata_and_crc_and_sets_class_and_acl() {
    let server = start().await;
    let source = server
        .object(Method::Put, "src.bin")
        .with_header("Content-Type", "image/png")
        .with_header("Cache-Control", "no-cache")
        .with_header("x-oss-meta-colour", "blue");
    server.send(source, b"0123456789".to_vec()).await.assert_ok();

    let request = copy(&server, "copy.bin", "src.bin")
        .with_header("x-oss-storage-class", "IA")
        .with_header("x-oss-object-acl", "public-read");
    let reply = server.send(request, Vec::new()).await;
    reply.assert_ok();
    assert_eq!(reply.header("x-oss-hash-crc64ecma"), Some(crc64(b"0123456789").to_string().as_str()));
    let head = server.head("copy.bin").await;
    assert_eq!(head.header("content-type"), Some("image/png"));
    assert_eq!(head.header("cache-control"), Some("no-cache"));
    assert_eq!(head.header("x-oss-meta-colour"), Some("blue"));
    assert_eq!(head.header("x-oss-storage-class"), Some("IA"));
    assert_eq!(head.header("x-oss-hash-crc64ecma"), Some(crc64(b"0123456789").to_string().as_str()));
    let acl = server.send(server.object(Method::Get, "copy.bin").with_query("acl", ""), Vec::new()).await;
    assert_eq!(acl.tag("Grant").as_deref(), Some("public-read"));
    let listing = server.send(server.bucket_request(Method::Get).with_query("list-type", "2"), Vec::new()).await;
    assert_eq!(listing.tags("StorageClass"), ["IA", "Standard"]);
}

#[tokio::test]
async fn copy_onto_itself_needs_replace_or_a_change() {
    let server = start().await;
    server.put("self.txt", b"same".to_vec()).await;
    server.send(copy(&server, "self.txt", "self.txt"), Vec::new()).await.assert_error(400, "InvalidArgument");

    let replace = copy(&server, "self.txt", "self.txt")
        .with_header("x-oss-metadata-directive", "REPLACE")
        .with_header("Content-Type", "text/markdown")
        .with_header("x-oss-meta-edited", "yes");
    server.send(replace, Vec::new()).await.assert_ok();
    let head = server.head("self.txt").await;
    assert_eq!((head.header("content-type"), head.header("x-oss-meta-edited")), (Some("text/markdown"), Some("yes")));
    assert_eq!(server.get("self.txt").await.body, b"same");

    let class = copy(&server, "self.txt", "self.txt").with_header("x-oss-storage-class", "IA");
    server.send(class, Vec::new()).await.assert_ok();
    let head = server.head("self.txt").await;
    assert_eq!((head.header("x-oss-storage-class"), head.header("x-oss-meta-edited")), (Some("IA"), Some("yes")));

    let bad = copy(&server, "self.txt", "self.txt").with_header("x-oss-metadata-directive", "MERGE");
    server.send(bad, Vec::new()).await.assert_error(400, "InvalidArgument");
}

#[tokio::test]
async fn copy_conditions_answer_412_or_304() {
    let server = start().await;
    let put = server.put("cond.txt", b"conditions".to_vec()).await;
    let etag = put.header("etag").unwrap().to_owned();
    let past = "Mon, 01 Jan 2001 00:00:00 GMT";
    let future = "Fri, 01 Jan 2100 00:00:00 GMT";
    let cases = [
        ("x-oss-copy-source-if-match", "\"0000\"", 412),
        ("x-oss-copy-source-if-match", etag.as_str(), 200),
        ("x-oss-copy-source-if-none-match", etag.as_str(), 304),
        ("x-oss-copy-source-if-none-match", "\"0000\"", 200),
        ("x-oss-copy-source-if-unmodified-since", past, 412),
        ("x-oss-copy-source-if-unmodified-since", future, 200),
        ("x-oss-copy-source-if-modified-since", future, 304),
        ("x-oss-copy-source-if-modified-since", past, 200),
    ];
    for (header, value, status) in cases {
        let reply =
            server.send(copy(&server, "cond-copy.txt", "cond.txt").with_header(header, value), Vec::new()).await;
        assert_eq!(reply.status, status, "{header}: {value}: {}", reply.text());
        if status == 412 {
            assert_eq!(reply.code(), "PreconditionFailed");
        }
    }
}

#[tokio::test]
async fn copies_cross_buckets_and_respect_forbid_overwrite() {
    let server = start_with(|config| config.with_bucket(OTHER_BUCKET)).await;
    server.put("cross.txt", b"across".to_vec()).await;
    let request = OssRequest::object(Method::Put, OTHER_BUCKET, "in/other.txt")
        .with_header("x-oss-copy-source", format!("/{BUCKET}/cross.txt"));
    server.send(request.clone(), Vec::new()).await.assert_ok();
    let read = server.send(OssRequest::object(Method::Get, OTHER_BUCKET, "in/other.txt"), Vec::new()).await;
    assert_eq!(read.body, b"across");

    let guarded = request.with_header("x-oss-forbid-overwrite", "true");
    server.send(guarded, Vec::new()).await.assert_error(409, "FileAlreadyExists");
    let from_missing_bucket = copy(&server, "x", "x").with_header("x-oss-copy-source", "/no-such-bucket/x");
    server.send(from_missing_bucket, Vec::new()).await.assert_error(404, "NoSuchBucket");
}

async fn initiate(server: &TestServer, key: &str) -> String {
    let request = server.object(Method::Post, key).with_query("uploads", "").with_header("x-oss-storage-class", "IA");
    let reply = server.send(request, Vec::new()).await;
    reply.assert_ok();
    reply.tag("UploadId").unwrap()
}

fn part_copy(server: &TestServer, key: &str, id: &str, number: u32, range: Option<&str>) -> OssRequest {
    let request = server
        .object(Method::Put, key)
        .with_query("partNumber", number.to_string())
        .with_query("uploadId", id)
        .with_header("x-oss-copy-source", format!("/{BUCKET}/big.bin"));
    match range {
        Some(range) => request.with_header("x-oss-copy-source-range", range),
        None => request,
    }
}

#[tokio::test]
async fn upload_part_copy_copies_ranges_that_complete_into_the_object() {
    let server = start().await;
    let data: Vec<u8> = (0..300 * 1024u32).map(|i| (i % 251) as u8).collect();
    server.put("big.bin", data.clone()).await;
    let id = initiate(&server, "assembled.bin").await;

    let ranges = ["bytes=0-102399", "bytes=102400-204799", "bytes=204800-307199"];
    let mut etags = Vec::new();
    for (index, range) in ranges.iter().enumerate() {
        let reply =
            server.send(part_copy(&server, "assembled.bin", &id, index as u32 + 1, Some(range)), Vec::new()).await;
        reply.assert_ok();
        assert!(reply.text().contains("<CopyPartResult>"), "{}", reply.text());
        assert!(reply.tag("LastModified").unwrap().ends_with(".000Z"));
        etags.push(reply.tag("ETag").unwrap());
    }
    let expected_first = format!("\"{}\"", hex::encode_upper(md5_of(&data[..102_400])));
    assert_eq!(etags[0], expected_first);

    let mut body = String::from("<CompleteMultipartUpload>");
    for (index, etag) in etags.iter().enumerate() {
        body.push_str(&format!("<Part><PartNumber>{}</PartNumber><ETag>{etag}</ETag></Part>", index + 1));
    }
    body.push_str("</CompleteMultipartUpload>");
    let complete = server.object(Method::Post, "assembled.bin").with_query("uploadId", &id);
    let reply = server.send(complete, body).await;
    reply.assert_ok();
    assert_eq!(reply.header("x-oss-hash-crc64ecma"), Some(crc64(&data).to_string().as_str()));
    let read = server.get("assembled.bin").await;
    assert_eq!(read.body, data);
    assert_eq!(read.header("x-oss-storage-class"), Some("IA"));
    let ranged = server
        .send(server.object(Method::Get, "assembled.bin").with_header("Range", "bytes=102390-102409"), Vec::new())
        .await;
    assert_eq!(ranged.body, &data[102_390..102_410]);
}

#[tokio::test]
async fn upload_part_copy_refuses_bad_ranges_uploads_and_sources() {
    let server = start().await;
    server.put("big.bin", vec![7u8; 1000]).await;
    let id = initiate(&server, "target.bin").await;
    let whole = server.send(part_copy(&server, "target.bin", &id, 1, None), Vec::new()).await;
    whole.assert_ok();
    for bad in ["bytes=0-1000", "bytes=10-5", "bytes=abc"] {
        let reply = server.send(part_copy(&server, "target.bin", &id, 2, Some(bad)), Vec::new()).await;
        reply.assert_error(400, "InvalidArgument");
    }
    let no_upload = part_copy(&server, "target.bin", "0123456789ABCDEF0123456789ABCDEF", 1, None);
    server.send(no_upload, Vec::new()).await.assert_error(404, "NoSuchUpload");
    let missing = part_copy(&server, "target.bin", &id, 1, None).with_header("x-oss-copy-source", "/test-bucket/none");
    server.send(missing, Vec::new()).await.assert_error(404, "NoSuchKey");
    let unmatched = part_copy(&server, "target.bin", &id, 1, None).with_header("x-oss-copy-source-if-match", "\"00\"");
    server.send(unmatched, Vec::new()).await.assert_error(412, "PreconditionFailed");
}

fn md5_of(data: &[u8]) -> [u8; 16] {
    use md5::{Digest, Md5};
    Md5::digest(data).into()
}
