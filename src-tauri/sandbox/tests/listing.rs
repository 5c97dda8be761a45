//! ListObjectsV2 (and V1) over 2,500 objects: UTF-8 byte order, paging with and without a
//! delimiter, common prefixes, start-after, url encoding, and the argument limits.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::*;
use osslite_core::sign::encode::percent_decode;
use osslite_core::Method;

/// 2,500 keys over nested "directories", with characters whose byte order differs from
/// char-by-char or locale order (upper case, `~`, `é`, CJK, emoji).
fn keys() -> Vec<String> {
    let tails = ["A", "a", "~", "é", "中", "🦀", "Z z", "0"];
    (0..2500)
        .map(|i| match i % 5 {
            0 => format!("top-{i:04}{}", tails[i % tails.len()]),
            1 => format!("dir{}/file-{i:04}", i % 3),
            2 => format!("dir{}/sub{}/deep-{i:04}{}", i % 3, i % 4, tails[i % tails.len()]),
            3 => format!("{}/{i}", tails[i % tails.len()]),
            _ => format!("dir{}/sub{}/x/y/z-{i}", i % 3, i % 4),
        })
        .collect()
}

async fn filled_server() -> (TestServer, Vec<String>) {
    let server = Arc::new(start().await);
    let keys = keys();
    let mut tasks = tokio::task::JoinSet::new();
    for chunk in keys.chunks(125) {
        let (server, chunk) = (server.clone(), chunk.to_vec());
        tasks.spawn(async move {
            for key in chunk {
                server.put(&key, key.clone().into_bytes()).await;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    let server = Arc::into_inner(server).unwrap();
    (server, keys)
}

struct Page {
    keys: Vec<String>,
    prefixes: Vec<String>,
    next: Option<String>,
}

async fn list_page(server: &TestServer, params: &[(&str, &str)]) -> Page {
    let mut request =
        server.bucket_request(Method::Get).with_query("list-type", "2").with_query("encoding-type", "url");
    for (k, v) in params {
        request = request.with_query(*k, *v);
    }
    let reply = server.send(request, Vec::new()).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let decode = |values: Vec<String>| values.iter().map(|v| percent_decode(v).unwrap()).collect::<Vec<_>>();
    let keys = decode(reply.tags("Key"));
    let prefixes = decode(reply.tags("CommonPrefixes").iter().filter_map(|cp| first_tag(cp, "Prefix")).collect());
    let truncated = reply.tag("IsTruncated").unwrap() == "true";
    let next = reply.tag("NextContinuationToken");
    assert_eq!(truncated, next.is_some(), "{}", reply.text());
    assert_eq!(reply.tag("KeyCount").unwrap().parse::<usize>().unwrap(), keys.len() + prefixes.len());
    Page { keys, prefixes, next }
}

/// Follows continuation tokens to the end.
async fn list_all(server: &TestServer, params: &[(&str, &str)]) -> (Vec<String>, Vec<String>, usize) {
    let (mut keys, mut prefixes, mut pages) = (Vec::new(), Vec::new(), 0);
    let mut token: Option<String> = None;
    loop {
        let mut all = params.to_vec();
        if let Some(token) = &token {
            all.push(("continuation-token", token));
        }
        let page = list_page(server, &all).await;
        pages += 1;
        keys.extend(page.keys);
        prefixes.extend(page.prefixes);
        match page.next {
            Some(next) => token = Some(next),
            None => return (keys, prefixes, pages),
        }
    }
}

/// What a listing must return: keys without the delimiter after the prefix, and each common
/// prefix once, both in byte order.
fn expected(keys: &[String], prefix: &str, delimiter: &str) -> (Vec<String>, Vec<String>) {
    let mut direct = BTreeSet::new();
    let mut common = BTreeSet::new();
    for key in keys.iter().filter(|k| k.starts_with(prefix)) {
        let rest = &key[prefix.len()..];
        match (!delimiter.is_empty()).then(|| rest.find(delimiter)).flatten() {
            Some(at) => common.insert(key[..prefix.len() + at + delimiter.len()].to_owned()),
            None => direct.insert(key.clone()),
        };
    }
    (direct.into_iter().collect(), common.into_iter().collect())
}

#[tokio::test]
async fn listing_2500_objects_pages_in_byte_order_with_and_without_delimiters() {
    let (server, keys) = filled_server().await;

    // No delimiter, 1000 a page: three pages, every key once, in byte order.
    let (listed, prefixes, pages) = list_all(&server, &[("max-keys", "1000")]).await;
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!((pages, prefixes.len()), (3, 0));
    assert_eq!(listed, sorted);
    assert!(
        sorted.iter().any(|k| k.starts_with('Z'))
            && sorted.iter().position(|k| k.starts_with('Z')) < sorted.iter().position(|k| k.starts_with('a'))
    );

    // Default page size is 100.
    let first = list_page(&server, &[]).await;
    assert_eq!(first.keys.len(), 100);

    for (prefix, delimiter, page_size) in [
        ("", "/", "7"),
        ("dir1/", "/", "3"),
        ("dir2/sub", "/", "2"),
        ("dir0/sub1/", "", "333"),
        ("", "sub", "50"),
        ("中", "/", "1"),
    ] {
        let (keys_listed, prefixes_listed, _) =
            list_all(&server, &[("prefix", prefix), ("delimiter", delimiter), ("max-keys", page_size)]).await;
        let (want_keys, want_prefixes) = expected(&keys, prefix, delimiter);
        assert_eq!(keys_listed, want_keys, "prefix {prefix:?} delimiter {delimiter:?}");
        assert_eq!(prefixes_listed, want_prefixes, "prefix {prefix:?} delimiter {delimiter:?}");
    }

    let root = list_page(&server, &[("delimiter", "/"), ("max-keys", "1000")]).await;
    assert_eq!(root.prefixes, ["0/", "A/", "Z z/", "a/", "dir0/", "dir1/", "dir2/", "~/", "é/", "中/", "🦀/"]);

    // start-after skips up to and including a key, even one that does not exist.
    let after = list_page(&server, &[("start-after", "dir1/file-0000"), ("max-keys", "3"), ("prefix", "dir1/")]).await;
    let (all_dir1, _) = expected(&keys, "dir1/", "");
    let want: Vec<String> = all_dir1.into_iter().filter(|k| k.as_str() > "dir1/file-0000").take(3).collect();
    assert_eq!(after.keys, want);

    server.sandbox.clear_request_log();
    let _ = list_all(&server, &[("max-keys", "500")]).await;
    let log = server.sandbox.request_log();
    assert_eq!(log.iter().filter(|r| r.operation == "ListObjectsV2").count(), 5);
}

#[tokio::test]
async fn listing_arguments_are_checked() {
    let server = start().await;
    server.put("k", b"v".to_vec()).await;
    for (name, value) in [
        ("max-keys", "1001"),
        ("max-keys", "0"),
        ("max-keys", "ten"),
        ("continuation-token", "not-a-token"),
        ("encoding-type", "base64"),
    ] {
        let request = server.bucket_request(Method::Get).with_query("list-type", "2").with_query(name, value);
        server.send(request, Vec::new()).await.assert_error(400, "InvalidArgument");
    }
    let owner = server.bucket_request(Method::Get).with_query("list-type", "2").with_query("fetch-owner", "true");
    let reply = server.send(owner, Vec::new()).await;
    assert!(reply.tag("Owner").is_some());
    let no_owner = server.send(server.bucket_request(Method::Get).with_query("list-type", "2"), Vec::new()).await;
    assert!(no_owner.tag("Owner").is_none());
    for field in [
        "Name",
        "Prefix",
        "MaxKeys",
        "Delimiter",
        "IsTruncated",
        "KeyCount",
        "ETag",
        "Size",
        "StorageClass",
        "Type",
        "LastModified",
    ] {
        assert!(no_owner.tag(field).is_some(), "{field}: {}", no_owner.text());
    }
}

#[tokio::test]
async fn list_objects_v1_pages_with_markers() {
    let server = start().await;
    for key in ["a/1", "a/2", "b", "c/1", "d"] {
        server.put(key, b"x".to_vec()).await;
    }
    let list = |marker: &'static str| {
        let request = server
            .bucket_request(Method::Get)
            .with_query("delimiter", "/")
            .with_query("max-keys", "2")
            .with_query("marker", marker);
        server.send(request, Vec::new())
    };
    let first = list("").await;
    assert_eq!((first.tags("Key"), first.tag("NextMarker").as_deref()), (vec!["b".to_owned()], Some("b")));
    assert!(first.text().contains("<CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes>"));
    let second = list("b").await;
    assert_eq!((second.tags("Key"), second.tag("IsTruncated").as_deref()), (vec!["d".to_owned()], Some("false")));
    assert!(second.text().contains("<Prefix>c/</Prefix>"));
}
