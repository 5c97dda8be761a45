//! Hostile and malformed input: every request gets an HTTP answer (an OSS error where one
//! applies), and the server keeps serving afterwards.

mod common;

use chrono::Utc;
use common::*;
use osslite_core::{Method, OssRequest};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

async fn still_serving(server: &TestServer) {
    let reply = server.send(server.bucket_request(Method::Get).with_query("list-type", "2"), Vec::new()).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[tokio::test]
async fn malformed_xml_bodies_are_malformed_xml() {
    let server = start().await;
    let id = server
        .send(server.object(Method::Post, "k").with_query("uploads", ""), Vec::new())
        .await
        .tag("UploadId")
        .unwrap();
    let bodies: [&[u8]; 9] = [
        b"<",
        b"<CompleteMultipartUpload><Part>",
        b"\xff\xfe\x00<",
        b"<!DOCTYPE a [<!ENTITY x \"y\">]><CompleteMultipartUpload>&x;</CompleteMultipartUpload>",
        b"<CompleteMultipartUpload></Wrong>",
        b"<CompleteMultipartUpload><Part><PartNumber>99999999999999999999</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>",
        b"<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>",
        b"<CompleteMultipartUpload>&#xD800;</CompleteMultipartUpload>",
        b"<CompleteMultipartUpload attr='unterminated></CompleteMultipartUpload>",
    ];
    for body in bodies {
        let reply =
            server.send(server.object(Method::Post, "k").with_query("uploadId", id.clone()), body.to_vec()).await;
        reply.assert_error(400, "MalformedXML");
    }
    let bucket = OssRequest::new(Method::Put, Some("xml-bucket"), None);
    server.send(bucket, b"<CreateBucketConfiguration><StorageClass>".to_vec()).await.assert_error(400, "MalformedXML");
    let bucket = OssRequest::new(Method::Put, Some("xml-bucket"), None);
    let body = b"<CreateBucketConfiguration><StorageClass>Cold</StorageClass></CreateBucketConfiguration>".to_vec();
    server.send(bucket, body).await.assert_error(400, "InvalidArgument");
    let big = vec![b' '; 5 << 20];
    let reply = server.send(server.object(Method::Post, "k").with_query("uploadId", id), big).await;
    reply.assert_error(400, "EntityTooLarge");
    still_serving(&server).await;
}

#[tokio::test]
async fn bad_paths_queries_and_headers_get_oss_errors() {
    let server = start().await;
    let cases: Vec<(&str, u16)> = vec![
        ("GET /test-bucket/%zz HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 400),
        ("GET /test-bucket/%C3%28 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 400),
        ("GET /test-bucket?list-type=2&max-keys=%ZZ HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 400),
        ("GET /Not_A_Bucket/k HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 400),
        ("GET /test-bucket/k HTTP/1.1\r\nHost: a.b.c.localhost\r\nConnection: close\r\n\r\n", 400),
        ("PATCH /test-bucket/k HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 405),
        ("GET /test-bucket/k?x-oss-signature=abc HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 400),
        ("GET /test-bucket/k?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=2024&x-oss-expires=60&x-oss-credential=a&x-oss-signature=0 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 400),
        ("GET /test-bucket/k?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20240101T000000Z&x-oss-expires=99999999999999999999&x-oss-credential=a&x-oss-signature=0 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 400),
        ("GET /test-bucket/k?OSSAccessKeyId=a&Expires=1&Signature=b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 400),
        ("GET /test-bucket/k HTTP/1.1\r\nHost: h\r\nAuthorization: OSS4-HMAC-SHA256 Credential=\u{e9}\r\nConnection: close\r\n\r\n", 400),
        ("GET /test-bucket/k?tagging HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 501),
        ("NONSENSE\r\n\r\n", 400),
    ];
    for (request, status) in cases {
        let response = raw_exchange(server.addr(), request.as_bytes()).await;
        assert_eq!(raw_status(&response), status, "{request:?} -> {response}");
        if status != 400 || !request.starts_with("NONSENSE") {
            assert!(response.contains("<Error>") && response.contains("x-oss-request-id"), "{request:?} -> {response}");
        }
    }
    let huge = format!(
        "GET /test-bucket/k HTTP/1.1\r\nHost: h\r\nx-oss-meta-big: {}\r\nConnection: close\r\n\r\n",
        "x".repeat(2 << 20)
    );
    let response = raw_exchange(server.addr(), huge.as_bytes()).await;
    assert!(
        response.is_empty() || raw_status(&response) == 431 || raw_status(&response) == 400,
        "{}",
        &response[..response.len().min(200)]
    );
    let many =
        format!("GET /test-bucket/k HTTP/1.1\r\nHost: h\r\n{}Connection: close\r\n\r\n", "x-a: b\r\n".repeat(500));
    let response = raw_exchange(server.addr(), many.as_bytes()).await;
    assert!(response.is_empty() || raw_status(&response) >= 400);

    let mut request = server.object(Method::Put, "meta");
    request.set_header("x-oss-meta-big", "v".repeat(9000));
    server.send(request, b"x".to_vec()).await.assert_error(400, "InvalidArgument");
    still_serving(&server).await;
}

#[tokio::test]
async fn random_requests_never_break_the_server() {
    let server = start().await;
    server.put("exists", b"x".to_vec()).await;
    let mut rng = SmallRng::seed_from_u64(7);
    let methods = ["GET", "PUT", "POST", "DELETE", "HEAD", "OPTIONS"];
    let paths = [
        "/",
        "/test-bucket",
        "/test-bucket/",
        "/test-bucket/exists",
        "/test-bucket/a%2Fb",
        "/nobucket/x",
        "//",
        "/test-bucket/%00",
        "/test-bucket/..%2F..%2Fetc",
    ];
    let params = [
        "uploads",
        "uploadId=ABC",
        "partNumber=1",
        "acl",
        "delete",
        "list-type=2",
        "bucketInfo",
        "location",
        "objectMeta",
        "max-keys=5",
        "continuation-token=6bff",
        "prefix=%E4",
        "encoding-type=url",
        "x-oss-process=image",
        "uploadId=00000000000000000000000000000000",
    ];
    let headers = [
        "Range: bytes=5-1",
        "Range: bytes=-",
        "x-oss-copy-source: /test-bucket/exists",
        "x-oss-copy-source: ../../x",
        "Content-MD5: zz",
        "x-oss-forbid-overwrite: true",
        "x-oss-storage-class: Weird",
        "x-oss-complete-all: yes",
        "x-oss-object-acl: public-read",
        "Content-Type: \u{7}",
        "If-Match: *",
        "x-oss-date: 20240101T000000Z",
    ];
    for _ in 0..300 {
        let method = methods[rng.random_range(0..methods.len())];
        let path = paths[rng.random_range(0..paths.len())];
        let query: Vec<&str> = (0..rng.random_range(0..3)).map(|_| params[rng.random_range(0..params.len())]).collect();
        let mut request = format!("{method} {path}");
        if !query.is_empty() {
            request.push('?');
            request.push_str(&query.join("&"));
        }
        request.push_str(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for _ in 0..rng.random_range(0..3) {
            request.push_str(headers[rng.random_range(0..headers.len())]);
            request.push_str("\r\n");
        }
        let body: Vec<u8> = (0..rng.random_range(0..64)).map(|_| rng.random()).collect();
        request.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut bytes = request.clone().into_bytes();
        bytes.extend_from_slice(&body);
        let response = raw_exchange(server.addr(), &bytes).await;
        let status = raw_status(&response);
        assert!((200..600).contains(&status), "{request:?} -> {response:?}");
        // Anonymous requests can never write to a private bucket.
        if ["PUT", "POST", "DELETE"].contains(&method) && path.starts_with("/test-bucket") {
            assert!(status >= 400, "{request:?} -> {response}");
        }
    }
    assert_eq!(server.get("exists").await.body, b"x");
    still_serving(&server).await;

    // Signed requests with random sub-resources too.
    for _ in 0..100 {
        let mut request = server.object(Method::Put, "fuzzed");
        for _ in 0..rng.random_range(0..3) {
            let param = params[rng.random_range(0..params.len())];
            let (name, value) = param.split_once('=').unwrap_or((param, ""));
            if !request.query.iter().any(|(n, _)| n == name) {
                request = request.with_query(name, percent(value));
            }
        }
        let reply = server.send_signed_by(&server.signer, request, Utc::now(), b"fuzz".to_vec()).await;
        assert!((200..600).contains(&reply.status));
    }
    still_serving(&server).await;
}

fn percent(text: &str) -> String {
    osslite_core::sign::encode::percent_decode(text).unwrap_or_else(|_| text.to_owned())
}
