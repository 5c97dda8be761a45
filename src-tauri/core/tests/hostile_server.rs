//! The client against a hostile server on loopback: bodies larger than the cap (announced or
//! streamed), XML nested far deeper than any OSS answer, and listings whose continuation tokens
//! loop. Each ends in a typed error, in bounded time and memory. The server answers a bounded
//! number of connections and every test is under a timeout.

use std::sync::Arc;
use std::time::Duration;

use futures_util::TryStreamExt;
use osslite_core::client::{Client, ClientConfig, FixedJitter, ListEntry, RetryPolicy, MAX_RESPONSE_BODY};
use osslite_core::ops::ListBucketsParams;
use osslite_core::{Addressing, Credentials, Endpoint, Error, ErrorKind, Secret};
use proptest::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Connections one server answers at most; the client never needs more in these tests.
const MAX_CONNECTIONS: usize = 64;
/// How long any one test may take.
const TEST_TIMEOUT: Duration = Duration::from_secs(60);

/// What the server sends for one request: an optional Content-Length and the body in chunks.
struct Answer {
    announced_length: Option<usize>,
    chunks: Vec<Vec<u8>>,
}

impl Answer {
    fn xml(body: String) -> Self {
        Self { announced_length: Some(body.len()), chunks: vec![body.into_bytes()] }
    }
}

/// Serves `answer(request_target)` to at most [`MAX_CONNECTIONS`] connections, one request each.
async fn serve<F>(answer: F) -> String
where
    F: Fn(&str) -> Answer + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        for _ in 0..MAX_CONNECTIONS {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head);
                let target = head.split(' ').nth(1).unwrap_or("/").to_owned();
                let answer = answer(&target);
                let mut response =
                    "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nConnection: close\r\n".to_owned();
                match answer.announced_length {
                    Some(length) => response.push_str(&format!("Content-Length: {length}\r\n\r\n")),
                    None => response.push_str("\r\n"),
                }
                if socket.write_all(response.as_bytes()).await.is_err() {
                    return;
                }
                for chunk in answer.chunks {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                }
                let _ = socket.shutdown().await;
            });
        }
    });
    format!("http://{address}")
}

fn client(url: &str) -> Client {
    let endpoint = Endpoint::parse(url, Addressing::Path).unwrap();
    let credentials = Credentials::new("LTAI5tHostileTest", Secret::new("hostile-secret")).unwrap();
    let config = ClientConfig::builder(endpoint, "cn-hangzhou", credentials)
        .with_retry(RetryPolicy::none())
        .with_jitter(Arc::new(FixedJitter(0.0)))
        .with_connect_timeout(Duration::from_secs(5))
        .with_read_timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

async fn list_buckets(url: &str) -> Result<(), Error> {
    tokio::time::timeout(TEST_TIMEOUT, client(url).list_buckets(&ListBucketsParams::default()))
        .await
        .expect("the client gave up in time")
        .map(drop)
}

async fn list_everything(url: &str) -> Result<Vec<ListEntry>, Error> {
    let listing = client(url).list_all("bucket", None, None).try_collect::<Vec<_>>();
    tokio::time::timeout(TEST_TIMEOUT, listing).await.expect("the listing ended in time")
}

fn assert_too_large(result: Result<(), Error>) {
    let err = result.expect_err("a body over the cap is refused");
    assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
    assert!(err.message().contains("16 MiB"), "the message names the cap: {err}");
}

/// A ListBuckets answer padded with `<Pad>` elements to `size` bytes.
fn padded_listing(size: usize) -> String {
    let start = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult><Buckets>";
    let end = "</Buckets></ListAllMyBucketsResult>";
    let filler = "<Pad>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</Pad>";
    let mut body = String::with_capacity(size + filler.len());
    body.push_str(start);
    while body.len() + end.len() < size {
        body.push_str(filler);
    }
    body.push_str(end);
    body
}

fn listing_page(keys: &[&str], next: Option<&str>) -> String {
    let contents: String = keys
        .iter()
        .map(|key| format!("<Contents><Key>{key}</Key><Size>1</Size><ETag>\"e\"</ETag></Contents>"))
        .collect();
    let (truncated, token) = match next {
        Some(token) => ("true", format!("<NextContinuationToken>{token}</NextContinuationToken>")),
        None => ("false", String::new()),
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult><Name>bucket</Name><Prefix></Prefix>\
         <MaxKeys>1000</MaxKeys><KeyCount>{}</KeyCount><IsTruncated>{truncated}</IsTruncated>{token}{contents}\
         </ListBucketResult>",
        keys.len()
    )
}

fn continuation_token(target: &str) -> Option<String> {
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|pair| pair.strip_prefix("continuation-token=")).map(str::to_owned)
}

#[test]
fn a_body_announced_larger_than_the_cap_is_refused_before_reading() {
    runtime().block_on(async {
        let url =
            serve(|_| Answer { announced_length: Some(MAX_RESPONSE_BODY + 1), chunks: vec![b"<".to_vec()] }).await;
        assert_too_large(list_buckets(&url).await);
    });
}

#[test]
fn a_small_listing_under_the_cap_still_reads() {
    runtime().block_on(async {
        let url = serve(|_| Answer::xml(padded_listing(1024 * 1024))).await;
        list_buckets(&url).await.expect("a 1 MiB answer is read");
    });
}

#[test]
fn deep_xml_is_an_error_or_an_answer_never_a_crash() {
    runtime().block_on(async {
        let depth = 200_000;
        let body = format!(
            "<?xml version=\"1.0\"?><ListAllMyBucketsResult><Buckets>{}{}</Buckets></ListAllMyBucketsResult>",
            "<a>".repeat(depth),
            "</a>".repeat(depth)
        );
        let url = serve(move |_| Answer::xml(body.clone())).await;
        // Skipping unknown elements is iterative: 200,000 levels do not overflow the stack.
        let _ = list_buckets(&url).await;
        let deep_key = format!(
            "<?xml version=\"1.0\"?><ListBucketResult><Contents><Key>{}k{}</Key></Contents></ListBucketResult>",
            "<b>".repeat(depth),
            "</b>".repeat(depth)
        );
        let url = serve(move |_| Answer::xml(deep_key.clone())).await;
        let err = list_everything(&url).await.expect_err("a key made of elements is not a key");
        assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
    });
}

#[test]
fn listings_whose_tokens_loop_stop_with_an_error() {
    runtime().block_on(async {
        // A, B, A: each token differs from the one before, yet the listing would never end.
        let url = serve(|target| match continuation_token(target).as_deref() {
            None => Answer::xml(listing_page(&["k1"], Some("A"))),
            Some("A") => Answer::xml(listing_page(&["k2"], Some("B"))),
            _ => Answer::xml(listing_page(&["k3"], Some("A"))),
        })
        .await;
        let err = list_everything(&url).await.expect_err("a looping listing ends");
        assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// Streamed without a length, in chunks of any size, a body past the cap is cut off.
    #[test]
    fn streamed_bodies_past_the_cap_are_refused(extra in 1usize..200_000, chunk in 1024usize..1_048_576) {
        let body = padded_listing(MAX_RESPONSE_BODY + extra).into_bytes();
        let chunks: Vec<Vec<u8>> = body.chunks(chunk).map(<[u8]>::to_vec).collect();
        runtime().block_on(async move {
            let url = serve(move |_| Answer { announced_length: None, chunks: chunks.clone() }).await;
            assert_too_large(list_buckets(&url).await);
        });
    }

    /// Whatever cycle the tokens follow (length 1 to 5, entered after any prefix), the listing
    /// ends with an error after fetching each distinct token once.
    #[test]
    fn every_token_cycle_is_detected(prefix in 0usize..4, cycle in 1usize..6) {
        let names: Vec<String> = (0..prefix + cycle).map(|i| format!("t{i}")).collect();
        let next = move |index: usize| if index + 1 < names.len() { names[index + 1].clone() } else { names[prefix].clone() };
        runtime().block_on(async move {
            let url = serve(move |target| {
                let index = continuation_token(target).map_or(0, |t| t[1..].parse::<usize>().unwrap());
                Answer::xml(listing_page(&["k"], Some(&next(index))))
            })
            .await;
            let err = list_everything(&url).await.expect_err("a cycle ends");
            assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
        });
    }
}
