//! Object operations over real sockets: headers as OSS writes them, ranges, CRC64, conditional
//! requests, copy, delete, batch delete, ACLs, addressing styles and awkward keys.

mod common;

use std::net::SocketAddr;

use chrono::Utc;
use common::*;
use md5::{Digest, Md5};
use osslite_core::sign::encode::percent_decode;
use osslite_core::{Addressing, Endpoint, Method, OssRequest};
use osslite_sandbox::crc64;

fn md5_hex_upper(data: &[u8]) -> String {
    hex::encode_upper(Md5::digest(data))
}

fn content_md5(data: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(Md5::digest(data))
}

#[tokio::test]
async fn put_get_head_answer_with_the_oss_headers() {
    let server = start().await;
    let data = b"123456789".to_vec();
    let put = server
        .object(Method::Put, "docs/check.txt")
        .with_header("Content-Type", "text/plain")
        .with_header("x-oss-meta-Author", "Ada")
        .with_header("x-oss-storage-class", "IA")
        .with_header("Cache-Control", "max-age=60");
    let reply = server.send(put, data.clone()).await;
    reply.assert_ok();
    let etag = format!("\"{}\"", md5_hex_upper(&data));
    assert_eq!(reply.header("etag"), Some(etag.as_str()));
    // The catalogue check value of CRC-64/XZ, 0x995DC9BBDF1939FA, in decimal.
    assert_eq!(reply.header("x-oss-hash-crc64ecma"), Some("11051210869376104954"));
    assert_eq!(reply.header("content-md5"), Some(content_md5(&data).as_str()));
    assert_eq!(reply.header("x-oss-request-id").map(str::len), Some(24));

    for reply in [server.get("docs/check.txt").await, server.head("docs/check.txt").await] {
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("etag"), Some(etag.as_str()));
        assert_eq!(reply.header("content-length"), Some("9"));
        assert_eq!(reply.header("content-type"), Some("text/plain"));
        assert_eq!(reply.header("x-oss-meta-author"), Some("Ada"));
        assert_eq!(reply.header("x-oss-storage-class"), Some("IA"));
        assert_eq!(reply.header("x-oss-object-type"), Some("Normal"));
        assert_eq!(reply.header("cache-control"), Some("max-age=60"));
        assert_eq!(reply.header("x-oss-hash-crc64ecma"), Some("11051210869376104954"));
        assert_eq!(reply.header("server"), Some("AliyunOSS"));
        let modified = reply.header("last-modified").unwrap();
        assert!(chrono::DateTime::parse_from_rfc2822(modified).is_ok() && modified.ends_with(" GMT"), "{modified}");
    }
    assert_eq!(server.get("docs/check.txt").await.body, data);
    assert!(server.head("docs/check.txt").await.body.is_empty());

    let defaults = server.put("plain", Vec::new()).await;
    assert_eq!(defaults.header("x-oss-hash-crc64ecma"), Some("0"));
    let head = server.head("plain").await;
    assert_eq!(head.header("content-type"), Some("application/octet-stream"));
    assert_eq!(head.header("x-oss-storage-class"), Some("Standard"));
}

#[tokio::test]
async fn crc64_of_larger_objects_matches_the_reference() {
    let server = start().await;
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let reply = server.put("big.bin", data.clone()).await;
    assert_eq!(reply.header("x-oss-hash-crc64ecma"), Some(crc64(&data).to_string().as_str()));
    let get = server.get("big.bin").await;
    assert_eq!(get.body.len(), data.len());
    assert!(get.body == data);
}

#[tokio::test]
async fn ranges_are_read_as_oss_reads_them() {
    let server = start().await;
    let data: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
    server.put("r.bin", data.clone()).await;
    let get_range = |range: &'static str, standard: bool| {
        let mut request = server.object(Method::Get, "r.bin").with_header("Range", range);
        if standard {
            request.set_header("x-oss-range-behavior", "standard");
        }
        server.send(request, Vec::new())
    };
    for (range, first, last) in
        [("bytes=0-499", 0, 499), ("bytes=500-", 500, 999), ("bytes=-100", 900, 999), ("bytes=10-10", 10, 10)]
    {
        let reply = get_range(range, false).await;
        assert_eq!(reply.status, 206, "{range}");
        assert_eq!(reply.header("content-range"), Some(format!("bytes {first}-{last}/1000").as_str()));
        assert_eq!(reply.header("content-length"), Some((last - first + 1).to_string().as_str()));
        assert_eq!(reply.body, &data[first..=last], "{range}");
        // The CRC stays the whole object's.
        assert_eq!(reply.header("x-oss-hash-crc64ecma"), Some(crc64(&data).to_string().as_str()));
    }
    for invalid in ["bytes=0-1000", "bytes=1000-2000", "bytes=-2000", "bytes=9-3", "byte=0-1", "bytes=a-b"] {
        let reply = get_range(invalid, false).await;
        assert_eq!((reply.status, reply.body.len()), (200, 1000), "{invalid}");
        assert!(reply.header("content-range").is_none());
    }
    let clamped = get_range("bytes=500-2000", true).await;
    assert_eq!((clamped.status, clamped.header("content-range")), (206, Some("bytes 500-999/1000")));
    get_range("bytes=1000-2000", true).await.assert_error(416, "InvalidRange");
}

#[tokio::test]
async fn response_overrides_and_conditional_requests() {
    let server = start().await;
    let put = server.put("c.txt", b"conditional".to_vec()).await;
    let etag = put.header("etag").unwrap().to_owned();
    let overridden = server
        .object(Method::Get, "c.txt")
        .with_query("response-content-type", "image/png")
        .with_query("response-content-disposition", "attachment; filename=x.png")
        .with_query("response-cache-control", "no-store");
    let reply = server.send(overridden, Vec::new()).await;
    assert_eq!(reply.header("content-type"), Some("image/png"));
    assert_eq!(reply.header("content-disposition"), Some("attachment; filename=x.png"));
    assert_eq!(reply.header("cache-control"), Some("no-store"));

    let with = |name: &'static str, value: String| {
        server.send(server.object(Method::Get, "c.txt").with_header(name, value), Vec::new())
    };
    assert_eq!(with("If-None-Match", etag.clone()).await.status, 304);
    assert_eq!(with("If-Match", etag.clone()).await.status, 200);
    with("If-Match", "\"0000\"".into()).await.assert_error(412, "PreconditionFailed");
    let future = osslite_core::sign::v4::timestamp(Utc::now());
    assert!(!future.is_empty());
    let later = (Utc::now() + chrono::Duration::hours(1)).format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let earlier = (Utc::now() - chrono::Duration::hours(1)).format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    assert_eq!(with("If-Modified-Since", later.clone()).await.status, 304);
    assert_eq!(with("If-Modified-Since", earlier.clone()).await.status, 200);
    with("If-Unmodified-Since", earlier).await.assert_error(412, "PreconditionFailed");
}

#[tokio::test]
async fn forbid_overwrite_and_content_md5_are_enforced() {
    let server = start().await;
    server.put("once", b"first".to_vec()).await;
    let again = server.object(Method::Put, "once").with_header("x-oss-forbid-overwrite", "true");
    server.send(again, b"second".to_vec()).await.assert_error(409, "FileAlreadyExists");
    assert_eq!(server.get("once").await.body, b"first");
    let allowed = server.object(Method::Put, "once").with_header("x-oss-forbid-overwrite", "false");
    server.send(allowed, b"second".to_vec()).await.assert_ok();

    let good = server.object(Method::Put, "md5").with_header("Content-MD5", content_md5(b"body"));
    server.send(good, b"body".to_vec()).await.assert_ok();
    let wrong = server.object(Method::Put, "md5-wrong").with_header("Content-MD5", content_md5(b"other"));
    server.send(wrong, b"body".to_vec()).await.assert_error(400, "InvalidDigest");
    let malformed = server.object(Method::Put, "md5-bad").with_header("Content-MD5", "not-base64!");
    server.send(malformed, b"body".to_vec()).await.assert_error(400, "InvalidDigest");
    server.head("md5-wrong").await.assert_error(404, "NoSuchKey");
    server.head("md5-bad").await.assert_error(404, "NoSuchKey");

    let bad_class = server.object(Method::Put, "x").with_header("x-oss-storage-class", "Glacier");
    server.send(bad_class, b"x".to_vec()).await.assert_error(400, "InvalidArgument");
}

#[tokio::test]
async fn copy_object_copies_or_replaces_metadata() {
    let server = start().await;
    let source = server
        .object(Method::Put, "src.txt")
        .with_header("Content-Type", "text/plain")
        .with_header("x-oss-meta-a", "1");
    let put = server.send(source, b"copy me".to_vec()).await;

    let copy = server.object(Method::Put, "dst/copied.txt").with_header("x-oss-copy-source", "/test-bucket/src.txt");
    let reply = server.send(copy, Vec::new()).await;
    reply.assert_ok();
    assert_eq!(reply.tag("ETag").as_deref(), put.header("etag"));
    assert!(reply.tag("LastModified").unwrap().ends_with(".000Z"));
    let head = server.head("dst/copied.txt").await;
    assert_eq!((head.header("content-type"), head.header("x-oss-meta-a")), (Some("text/plain"), Some("1")));
    assert_eq!(server.get("dst/copied.txt").await.body, b"copy me");

    let replace = server
        .object(Method::Put, "dst/replaced.txt")
        .with_header("x-oss-copy-source", "/test-bucket/src.txt")
        .with_header("x-oss-metadata-directive", "REPLACE")
        .with_header("Content-Type", "application/json")
        .with_header("x-oss-meta-b", "2");
    server.send(replace, Vec::new()).await.assert_ok();
    let head = server.head("dst/replaced.txt").await;
    assert_eq!(head.header("content-type"), Some("application/json"));
    assert_eq!((head.header("x-oss-meta-a"), head.header("x-oss-meta-b")), (None, Some("2")));

    // Overwriting the source leaves the copy intact (copies never share a file that changes).
    server.put("src.txt", b"changed".to_vec()).await;
    assert_eq!(server.get("dst/copied.txt").await.body, b"copy me");

    let weird = "we ird/中文+?#.txt";
    server.put(weird, b"w".to_vec()).await;
    let encoded = format!("/test-bucket/{}", osslite_core::sign::encode::path_encode(weird));
    server
        .send(server.object(Method::Put, "w2").with_header("x-oss-copy-source", encoded), Vec::new())
        .await
        .assert_ok();
    assert_eq!(server.get("w2").await.body, b"w");

    let missing = server.object(Method::Put, "x").with_header("x-oss-copy-source", "/test-bucket/missing");
    server.send(missing, Vec::new()).await.assert_error(404, "NoSuchKey");
    let guarded = server
        .object(Method::Put, "w2")
        .with_header("x-oss-copy-source", "/test-bucket/src.txt")
        .with_header("x-oss-forbid-overwrite", "true");
    server.send(guarded, Vec::new()).await.assert_error(409, "FileAlreadyExists");
}

#[tokio::test]
async fn delete_object_is_204_even_when_absent() {
    let server = start().await;
    server.put("gone", b"x".to_vec()).await;
    assert_eq!(server.send(server.object(Method::Delete, "gone"), Vec::new()).await.status, 204);
    server.get("gone").await.assert_error(404, "NoSuchKey");
    assert_eq!(server.send(server.object(Method::Delete, "gone"), Vec::new()).await.status, 204);
    assert_eq!(server.send(server.object(Method::Delete, "never-was"), Vec::new()).await.status, 204);
    let missing_bucket = OssRequest::object(Method::Delete, "no-such-bucket", "k");
    server.send(missing_bucket, Vec::new()).await.assert_error(404, "NoSuchBucket");
}

fn delete_body(keys: &[&str], quiet: bool) -> String {
    let mut xml = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>{quiet}</Quiet>");
    for key in keys {
        let escaped = key.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        xml.push_str(&format!("<Object><Key>{escaped}</Key></Object>"));
    }
    xml.push_str("</Delete>");
    xml
}

#[tokio::test]
async fn delete_multiple_objects_reports_or_stays_quiet() {
    let server = start().await;
    for key in ["a", "b & c", "d/e"] {
        server.put(key, b"x".to_vec()).await;
    }
    let body = delete_body(&["a", "b & c", "absent"], false);
    let request = server
        .bucket_request(Method::Post)
        .with_query("delete", "")
        .with_query("encoding-type", "url")
        .with_header("Content-MD5", content_md5(body.as_bytes()));
    let reply = server.send(request, body).await;
    reply.assert_ok();
    assert_eq!(reply.tags("Key"), ["a", "b%20%26%20c", "absent"]);
    assert_eq!(reply.tag("EncodingType").as_deref(), Some("url"));
    server.head("a").await.assert_error(404, "NoSuchKey");
    server.head("b & c").await.assert_error(404, "NoSuchKey");

    let body = delete_body(&["d/e"], true);
    let request = server
        .bucket_request(Method::Post)
        .with_query("delete", "")
        .with_header("Content-MD5", content_md5(body.as_bytes()));
    let reply = server.send(request, body).await;
    reply.assert_ok();
    assert!(reply.tags("Deleted").is_empty(), "{}", reply.text());
    server.head("d/e").await.assert_error(404, "NoSuchKey");

    let body = delete_body(&["x"], false);
    let no_md5 = server.bucket_request(Method::Post).with_query("delete", "");
    server.send(no_md5, body.clone()).await.assert_error(400, "MissingArgument");
    let wrong_md5 =
        server.bucket_request(Method::Post).with_query("delete", "").with_header("Content-MD5", content_md5(b"other"));
    server.send(wrong_md5, body).await.assert_error(400, "InvalidDigest");

    let keys: Vec<String> = (0..1001).map(|i| format!("k{i}")).collect();
    let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    for bad in [delete_body(&refs, true), "<Delete><Object>".to_owned(), "<Nope/>".to_owned(), delete_body(&[], false)]
    {
        let request = server
            .bucket_request(Method::Post)
            .with_query("delete", "")
            .with_header("Content-MD5", content_md5(bad.as_bytes()));
        server.send(request, bad).await.assert_error(400, "MalformedXML");
    }
    let thousand = delete_body(&refs[..1000], true);
    let request = server
        .bucket_request(Method::Post)
        .with_query("delete", "")
        .with_header("Content-MD5", content_md5(thousand.as_bytes()));
    server.send(request, thousand).await.assert_ok();
}

#[tokio::test]
async fn object_acl_and_object_meta() {
    let server = start().await;
    server.put("acl.txt", b"12345".to_vec()).await;
    let get_acl = || server.send(server.object(Method::Get, "acl.txt").with_query("acl", ""), Vec::new());
    assert_eq!(get_acl().await.tag("Grant").as_deref(), Some("default"));
    let put_acl =
        server.object(Method::Put, "acl.txt").with_query("acl", "").with_header("x-oss-object-acl", "public-read");
    server.send(put_acl, Vec::new()).await.assert_ok();
    assert_eq!(get_acl().await.tag("Grant").as_deref(), Some("public-read"));
    let bad = server.object(Method::Put, "acl.txt").with_query("acl", "").with_header("x-oss-object-acl", "everyone");
    server.send(bad, Vec::new()).await.assert_error(400, "InvalidArgument");

    let meta = server.send(server.object(Method::Head, "acl.txt").with_query("objectMeta", ""), Vec::new()).await;
    assert_eq!(meta.status, 200);
    assert_eq!(meta.header("content-length"), Some("5"));
    assert_eq!(meta.header("etag"), Some(format!("\"{}\"", md5_hex_upper(b"12345")).as_str()));
    assert!(meta.header("last-modified").is_some());
    let missing = server.send(server.object(Method::Head, "nope").with_query("objectMeta", ""), Vec::new()).await;
    missing.assert_error(404, "NoSuchKey");
}

#[tokio::test]
async fn buckets_are_created_listed_and_described() {
    let server = start().await;
    for name in ["bkt-b", "bkt-a", "bkt-c"] {
        server.send(OssRequest::new(Method::Put, Some(name), None), Vec::new()).await.assert_ok();
    }
    server
        .send(OssRequest::new(Method::Put, Some("bkt-a"), None), Vec::new())
        .await
        .assert_error(409, "BucketAlreadyExists");
    let invalid = server.send_as_is(&OssRequest::new(Method::Get, None, None), Vec::new()).await;
    assert_eq!(invalid.status, 403);

    let list = |query: &[(&str, &str)]| {
        let mut request = OssRequest::new(Method::Get, None, None);
        for (k, v) in query {
            request = request.with_query(*k, *v);
        }
        server.send(request, Vec::new())
    };
    let all = list(&[]).await;
    assert_eq!(all.tags("Name"), ["bkt-a", "bkt-b", "bkt-c", BUCKET]);
    assert_eq!(all.tags("Region")[0], REGION);
    let page = list(&[("prefix", "bkt-"), ("max-keys", "2")]).await;
    assert_eq!(
        (page.tags("Name"), page.tag("IsTruncated").as_deref(), page.tag("NextMarker").as_deref()),
        (vec!["bkt-a".to_owned(), "bkt-b".to_owned()], Some("true"), Some("bkt-b"))
    );
    let next = list(&[("prefix", "bkt-"), ("max-keys", "2"), ("marker", "bkt-b")]).await;
    assert_eq!((next.tags("Name"), next.tag("IsTruncated").as_deref()), (vec!["bkt-c".to_owned()], Some("false")));

    let info = server.send(server.bucket_request(Method::Get).with_query("bucketInfo", ""), Vec::new()).await;
    assert_eq!(info.tag("Name").as_deref(), Some(BUCKET));
    assert_eq!(info.tag("Location").as_deref(), Some("oss-cn-hangzhou"));
    assert_eq!(info.tag("Grant").as_deref(), Some("private"));
    let location = server.send(server.bucket_request(Method::Get).with_query("location", ""), Vec::new()).await;
    assert!(
        location.text().ends_with("<LocationConstraint>oss-cn-hangzhou</LocationConstraint>"),
        "{}",
        location.text()
    );
    let missing = OssRequest::new(Method::Get, Some("no-such-bucket"), None).with_query("bucketInfo", "");
    server.send(missing, Vec::new()).await.assert_error(404, "NoSuchBucket");
    server
        .send(OssRequest::new(Method::Put, Some("Bad_Name"), None), Vec::new())
        .await
        .assert_error(400, "InvalidBucketName");
}

#[tokio::test]
async fn virtual_hosted_and_path_style_address_the_same_objects() {
    let server = start().await;
    let addr: SocketAddr = server.addr();
    let http = reqwest::Client::builder().resolve(&format!("{BUCKET}.localhost"), addr).build().unwrap();
    let endpoint = Endpoint::parse(&format!("http://localhost:{}", addr.port()), Addressing::Virtual).unwrap();
    let mut request = server.object(Method::Put, "vh/key one.txt");
    server.signer.sign_headers(&mut request, Utc::now()).unwrap();
    let url = endpoint.url(Some(BUCKET), Some("vh/key one.txt"));
    assert!(url.starts_with(&format!("http://{BUCKET}.localhost:")), "{url}");
    let mut builder = http.put(&url);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let reply = finish(builder.body("virtual").send().await.unwrap()).await;
    reply.assert_ok();
    assert_eq!(server.get("vh/key one.txt").await.body, b"virtual");

    let presigned =
        server.signer.presign(&endpoint, &server.object(Method::Get, "vh/key one.txt"), Utc::now(), 60).unwrap().url;
    let reply = finish(http.get(&presigned).send().await.unwrap()).await;
    assert_eq!((reply.status, reply.body.as_slice()), (200, &b"virtual"[..]), "{}", reply.text());

    let mut list = server.bucket_request(Method::Get).with_query("list-type", "2");
    server.signer.sign_headers(&mut list, Utc::now()).unwrap();
    let mut builder = http.get(format!("{}?list-type=2", endpoint.url(Some(BUCKET), None)));
    for (name, value) in &list.headers {
        builder = builder.header(name, value);
    }
    let reply = finish(builder.send().await.unwrap()).await;
    assert_eq!(reply.tags("Key"), ["vh/key one.txt"]);
}

#[tokio::test]
async fn awkward_keys_round_trip_and_never_become_paths() {
    let server = start().await;
    let keys = [
        "a b/c d",
        "unicode/中文/ключ/🦀",
        "plus+and%percent",
        "semi;colon,comma=eq&amp",
        "dots/../../escape",
        "..",
        "a/./b",
        "tab\there",
        &"k".repeat(1023),
    ];
    for key in keys {
        let request = raw_signed_request(&server, server.object(Method::Put, key), key.as_bytes());
        let response = raw_exchange(server.addr(), &request).await;
        assert_eq!(raw_status(&response), 200, "{key}: {response}");
        let request = raw_signed_request(&server, server.object(Method::Get, key), b"");
        let response = raw_exchange(server.addr(), &request).await;
        assert_eq!(raw_status(&response), 200, "{key}");
        assert!(response.ends_with(key), "{key}: {response}");
    }
    let too_long = "k".repeat(1024);
    let request = raw_signed_request(&server, server.object(Method::Put, &too_long), b"x");
    assert_eq!(raw_status(&raw_exchange(server.addr(), &request).await), 400);

    // Everything lives under root/buckets/BUCKET/objects with hashed names; nothing escaped.
    let root = server.sandbox.root().to_owned();
    let mut outside: Vec<_> = std::fs::read_dir(server.dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    outside.sort();
    assert_eq!(outside, ["root"]);
    let objects = root.join("buckets").join(BUCKET).join("objects");
    for entry in std::fs::read_dir(&objects).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let stem = name.strip_suffix(".json").or_else(|| name.strip_suffix(".data")).unwrap_or("not a store file");
        let id = stem.split('-').next().unwrap_or("");
        assert!(id.len() == 64 && stem.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'), "{name}");
    }
    let list = server.bucket_request(Method::Get).with_query("list-type", "2").with_query("encoding-type", "url");
    let list = server.send(list, Vec::new()).await;
    let mut listed: Vec<String> = list.tags("Key").iter().map(|k| percent_decode(k).unwrap()).collect();
    let mut expected: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);
}
