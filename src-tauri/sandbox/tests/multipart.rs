//! Multipart upload over real sockets: the whole flow, presigned UploadPart, the CompleteMultipart
//! checks (order, ETags, minimum part size), ListParts, ListMultipartUploads and Abort.

mod common;

use chrono::Utc;
use common::*;
use md5::{Digest, Md5};
use osslite_core::Method;
use osslite_sandbox::crc64;

const KIB: usize = 1024;

fn part_data(seed: u8, len: usize) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

async fn initiate(server: &TestServer, key: &str) -> String {
    let request = server
        .object(Method::Post, key)
        .with_query("uploads", "")
        .with_header("Content-Type", "video/mp4")
        .with_header("x-oss-meta-m", "1");
    let reply = server.send(request, Vec::new()).await;
    reply.assert_ok();
    assert_eq!(reply.tag("Key").as_deref(), Some(key));
    let id = reply.tag("UploadId").unwrap();
    assert_eq!(id.len(), 32);
    id
}

async fn upload_part(server: &TestServer, key: &str, id: &str, number: u32, data: Vec<u8>) -> Reply {
    let request =
        server.object(Method::Put, key).with_query("partNumber", number.to_string()).with_query("uploadId", id);
    server.send(request, data).await
}

fn complete_body(parts: &[(u32, &str)]) -> String {
    let mut xml = String::from("<CompleteMultipartUpload>");
    for (number, etag) in parts {
        xml.push_str(&format!("<Part><PartNumber>{number}</PartNumber><ETag>{etag}</ETag></Part>"));
    }
    xml.push_str("</CompleteMultipartUpload>");
    xml
}

async fn complete(server: &TestServer, key: &str, id: &str, parts: &[(u32, &str)]) -> Reply {
    let request = server.object(Method::Post, key).with_query("uploadId", id);
    server.send(request, complete_body(parts)).await
}

#[tokio::test]
async fn multipart_upload_assembles_parts_with_oss_etag_and_crc() {
    let server = start().await;
    let key = "video/movie.mp4";
    let id = initiate(&server, key).await;
    let parts = [part_data(1, 100 * KIB), part_data(2, 150 * KIB), part_data(3, 7)];
    let mut etags = Vec::new();
    for (i, data) in parts.iter().enumerate() {
        let reply = upload_part(&server, key, &id, i as u32 + 1, data.clone()).await;
        reply.assert_ok();
        assert_eq!(reply.header("etag"), Some(format!("\"{}\"", hex::encode_upper(Md5::digest(data))).as_str()));
        assert_eq!(reply.header("x-oss-hash-crc64ecma"), Some(crc64(data).to_string().as_str()));
        etags.push(reply.header("etag").unwrap().to_owned());
    }
    // Object not visible before completion.
    server.head(key).await.assert_error(404, "NoSuchKey");

    let listed: Vec<(u32, &str)> = etags.iter().enumerate().map(|(i, e)| (i as u32 + 1, e.as_str())).collect();
    let reply = complete(&server, key, &id, &listed).await;
    reply.assert_ok();
    let whole: Vec<u8> = parts.concat();
    let mut of_md5s = Md5::new();
    for data in &parts {
        of_md5s.update(Md5::digest(data));
    }
    let expected_etag = format!("\"{}-3\"", hex::encode_upper(of_md5s.finalize()));
    assert_eq!(reply.tag("ETag"), Some(expected_etag.clone()));
    assert_eq!(reply.tag("Key").as_deref(), Some(key));
    assert!(reply.tag("Location").unwrap().ends_with("/test-bucket/video/movie.mp4"));
    assert_eq!(reply.header("x-oss-hash-crc64ecma"), Some(crc64(&whole).to_string().as_str()));

    let get = server.get(key).await;
    assert!(get.body == whole);
    assert_eq!(get.header("etag"), Some(expected_etag.as_str()));
    assert_eq!(get.header("x-oss-object-type"), Some("Multipart"));
    assert_eq!(get.header("content-type"), Some("video/mp4"));
    assert_eq!(get.header("x-oss-meta-m"), Some("1"));
    assert_eq!(get.header("x-oss-hash-crc64ecma"), Some(crc64(&whole).to_string().as_str()));

    // The upload is gone once completed.
    upload_part(&server, key, &id, 4, vec![1]).await.assert_error(404, "NoSuchUpload");
}

#[tokio::test]
async fn presigned_upload_part_works_with_plain_http() {
    let server = start().await;
    let key = "shared/upload.bin";
    let id = initiate(&server, key).await;
    server.sandbox.clear_request_log();
    let parts = [part_data(7, 120 * KIB), part_data(8, 5 * KIB)];
    let mut etags = Vec::new();
    for (i, data) in parts.iter().enumerate() {
        let request = server
            .object(Method::Put, key)
            .with_query("partNumber", (i + 1).to_string())
            .with_query("uploadId", id.clone());
        let url = server.presign(&request, Utc::now(), 300).await;
        let reply = server.send_url(Method::Put, &url, &[], data.clone()).await;
        reply.assert_ok();
        etags.push(reply.header("etag").unwrap().to_owned());
    }
    // A URL for part 1 cannot upload part 2.
    let request = server.object(Method::Put, key).with_query("partNumber", "1").with_query("uploadId", id.clone());
    let url = server.presign(&request, Utc::now(), 300).await;
    let forged = url.replace("partNumber=1", "partNumber=2");
    server.send_url(Method::Put, &forged, &[], vec![0]).await.assert_error(403, "SignatureDoesNotMatch");

    let log = server.sandbox.request_log();
    let upload_parts: Vec<_> = log.iter().filter(|r| r.operation == "UploadPart").collect();
    assert_eq!(upload_parts.len(), 3);
    assert_eq!(upload_parts.iter().filter(|r| r.status == 200).count(), 2);
    assert_eq!(upload_parts[0].bytes_in, 120 * KIB as u64);
    assert!(upload_parts[0].query.contains("x-oss-signature="));

    let reply = complete(&server, key, &id, &[(1, &etags[0]), (2, &etags[1])]).await;
    reply.assert_ok();
    assert!(server.get(key).await.body == parts.concat());
}

#[tokio::test]
async fn complete_checks_order_etags_and_part_sizes() {
    let server = start().await;
    let key = "checks";
    let id = initiate(&server, key).await;
    let small = upload_part(&server, key, &id, 1, part_data(1, 10)).await.header("etag").unwrap().to_owned();
    let big = upload_part(&server, key, &id, 2, part_data(2, 100 * KIB)).await.header("etag").unwrap().to_owned();
    let last = upload_part(&server, key, &id, 3, part_data(3, 10)).await.header("etag").unwrap().to_owned();

    let reply = complete(&server, key, &id, &[(1, &small), (2, &big)]).await;
    reply.assert_error(400, "EntityTooSmall");
    complete(&server, key, &id, &[(2, &big), (1, &small)]).await.assert_error(400, "InvalidPartOrder");
    complete(&server, key, &id, &[(2, &big), (2, &big)]).await.assert_error(400, "InvalidPartOrder");
    complete(&server, key, &id, &[(2, &small)]).await.assert_error(400, "InvalidPart");
    complete(&server, key, &id, &[(2, &big), (4, &last)]).await.assert_error(400, "InvalidPart");
    for bad in
        ["<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>", "", "<CompleteMultipartUpload/>", "<Other/>"]
    {
        let request = server.object(Method::Post, key).with_query("uploadId", id.clone());
        server.send(request, bad.to_owned()).await.assert_error(400, "MalformedXML");
    }
    complete(&server, key, "0000000000000000000000000000000A", &[(2, &big)]).await.assert_error(404, "NoSuchUpload");
    complete(&server, key, "../../etc", &[(2, &big)]).await.assert_error(404, "NoSuchUpload");
    complete(&server, "other-key", &id, &[(2, &big)]).await.assert_error(404, "NoSuchUpload");

    // Re-uploading part 1 replaces it; now parts 1..3 are valid (only the last may be small).
    let replaced = upload_part(&server, key, &id, 1, part_data(9, 100 * KIB)).await.header("etag").unwrap().to_owned();
    let reply = complete(&server, key, &id, &[(1, &replaced), (2, &big), (3, &last)]).await;
    reply.assert_ok();
    assert_eq!(server.head(key).await.header("content-length"), Some((200 * KIB + 10).to_string().as_str()));

    upload_part(&server, key, &id, 1, vec![1]).await.assert_error(404, "NoSuchUpload");
    let id = initiate(&server, key).await;
    for bad_number in ["0", "10001", "x"] {
        let request =
            server.object(Method::Put, key).with_query("partNumber", bad_number).with_query("uploadId", id.clone());
        server.send(request, vec![1]).await.assert_error(400, "InvalidArgument");
    }
}

#[tokio::test]
async fn complete_all_list_parts_list_uploads_and_abort() {
    let server = start().await;
    let id = initiate(&server, "all").await;
    for number in 1..=5u32 {
        upload_part(&server, "all", &id, number, part_data(number as u8, 100 * KIB)).await.assert_ok();
    }
    let list = |marker: &'static str| {
        let request = server
            .object(Method::Get, "all")
            .with_query("uploadId", id.clone())
            .with_query("max-parts", "2")
            .with_query("part-number-marker", marker);
        server.send(request, Vec::new())
    };
    let page = list("0").await;
    assert_eq!(
        (page.tags("PartNumber"), page.tag("IsTruncated").as_deref(), page.tag("NextPartNumberMarker").as_deref()),
        (vec!["1".to_owned(), "2".to_owned()], Some("true"), Some("2"))
    );
    assert_eq!(page.tags("Size"), ["102400", "102400"]);
    assert_eq!(page.tags("HashCrc64ecma")[0], crc64(&part_data(1, 100 * KIB)).to_string());
    let page = list("4").await;
    assert_eq!((page.tags("PartNumber"), page.tag("IsTruncated").as_deref()), (vec!["5".to_owned()], Some("false")));

    let other = initiate(&server, "dir/a").await;
    let third = initiate(&server, "dir/b").await;
    let uploads = server.send(server.bucket_request(Method::Get).with_query("uploads", ""), Vec::new()).await;
    assert_eq!(uploads.tags("Key"), ["all", "dir/a", "dir/b"]);
    let grouped = server
        .send(server.bucket_request(Method::Get).with_query("uploads", "").with_query("delimiter", "/"), Vec::new())
        .await;
    assert_eq!(grouped.tags("Key"), ["all"]);
    assert!(grouped.text().contains("<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes>"), "{}", grouped.text());
    let paged = server
        .send(
            server
                .bucket_request(Method::Get)
                .with_query("uploads", "")
                .with_query("max-uploads", "1")
                .with_query("key-marker", "all"),
            Vec::new(),
        )
        .await;
    assert_eq!((paged.tags("Key"), paged.tag("NextKeyMarker").as_deref()), (vec!["dir/a".to_owned()], Some("dir/a")));

    let request =
        server.object(Method::Post, "all").with_query("uploadId", id.clone()).with_header("x-oss-complete-all", "yes");
    server.send(request, Vec::new()).await.assert_ok();
    assert_eq!(server.head("all").await.header("content-length"), Some((500 * KIB).to_string().as_str()));

    let abort = server.object(Method::Delete, "dir/a").with_query("uploadId", other.clone());
    assert_eq!(server.send(abort.clone(), Vec::new()).await.status, 204);
    server.send(abort, Vec::new()).await.assert_error(404, "NoSuchUpload");
    let uploads = server.send(server.bucket_request(Method::Get).with_query("uploads", ""), Vec::new()).await;
    assert_eq!(uploads.tags("UploadId"), [third]);
    let remaining: Vec<_> =
        std::fs::read_dir(server.sandbox.root().join("buckets").join(BUCKET).join("uploads")).unwrap().collect();
    assert_eq!(remaining.len(), 1);
}
