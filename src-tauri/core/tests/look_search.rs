//! Search against the sandbox: nested matches under a prefix with every filter, the scan cap,
//! and cancellation between pages.

mod manage_support;

use futures_util::{StreamExt, TryStreamExt};
use manage_support::{start, BUCKET};
use osslite_core::ops::PutObjectOptions;
use osslite_core::search::{search, SearchBatch, SearchCriteria, SearchEnd, SearchRequest};
use tokio_util::sync::CancellationToken;

async fn fill(fixture: &manage_support::Fixture) {
    let ia = PutObjectOptions::default().with_storage_class("IA");
    for (key, body, options) in [
        ("photos/2026/cat.jpg", "x".repeat(2000), &PutObjectOptions::default()),
        ("photos/2026/dec/dog.JPG", "x".repeat(10), &PutObjectOptions::default()),
        ("photos/2026/dec/notes.txt", "x".repeat(10), &PutObjectOptions::default()),
        ("photos/old/cat-archive.jpg", "x".repeat(10), &ia),
        ("photos/readme.md", "x".repeat(5), &PutObjectOptions::default()),
        ("other/cat.jpg", "x".repeat(10), &PutObjectOptions::default()),
    ] {
        fixture.put(BUCKET, key, &body, options).await;
    }
}

async fn run(fixture: &manage_support::Fixture, request: SearchRequest) -> Vec<SearchBatch> {
    search(&fixture.client, request, CancellationToken::new()).unwrap().try_collect().await.unwrap()
}

fn keys(batches: &[SearchBatch]) -> Vec<String> {
    batches.iter().flat_map(|b| b.matches.iter().map(|m| m.key.clone())).collect()
}

#[tokio::test]
async fn search_finds_nested_matches_with_every_filter() {
    let fixture = start().await;
    fill(&fixture).await;
    let globs = SearchCriteria { names: vec!["*.jpg".into()], ..Default::default() };
    let batches = run(&fixture, SearchRequest::new(BUCKET, "photos/", globs)).await;
    assert_eq!(keys(&batches), ["photos/2026/cat.jpg", "photos/2026/dec/dog.JPG", "photos/old/cat-archive.jpg"]);
    let last = batches.last().unwrap();
    assert_eq!((last.scanned, last.matched, last.end), (5, 3, Some(SearchEnd::Complete)));

    let small_cats = SearchCriteria { contains: Some("CAT".into()), max_size: Some(100), ..Default::default() };
    assert_eq!(
        keys(&run(&fixture, SearchRequest::new(BUCKET, "photos/", small_cats)).await),
        ["photos/old/cat-archive.jpg"]
    );
    let ia = SearchCriteria { storage_class: Some("ia".into()), ..Default::default() };
    assert_eq!(keys(&run(&fixture, SearchRequest::new(BUCKET, "", ia)).await), ["photos/old/cat-archive.jpg"]);
    let big = SearchCriteria { min_size: Some(1000), ..Default::default() };
    assert_eq!(keys(&run(&fixture, SearchRequest::new(BUCKET, "", big)).await), ["photos/2026/cat.jpg"]);
    let future = SearchCriteria { newer: Some(chrono::Utc::now() + chrono::Duration::hours(1)), ..Default::default() };
    assert!(keys(&run(&fixture, SearchRequest::new(BUCKET, "", future)).await).is_empty());
}

#[tokio::test]
async fn search_stops_at_the_cap_and_pages_with_running_counts() {
    let fixture = start().await;
    fill(&fixture).await;
    let mut capped = SearchRequest::new(BUCKET, "", SearchCriteria::default());
    capped.max_scan = 4;
    let batches = run(&fixture, capped.clone()).await;
    let last = batches.last().unwrap();
    assert_eq!((last.scanned, last.end), (4, Some(SearchEnd::Capped)));
    assert_eq!(keys(&batches).len(), 4);

    capped.max_scan = 6;
    capped.page_size = Some(2);
    let batches = run(&fixture, capped).await;
    let counts: Vec<u64> = batches.iter().map(|b| b.scanned).collect();
    assert_eq!(counts, [2, 4, 6]);
    assert_eq!(batches.last().unwrap().end, Some(SearchEnd::Complete), "exactly the cap, nothing left: complete");
}

#[tokio::test]
async fn a_cancelled_search_ends_before_the_next_page() {
    let fixture = start().await;
    fill(&fixture).await;
    let cancel = CancellationToken::new();
    let request = SearchRequest { page_size: Some(2), ..SearchRequest::new(BUCKET, "", SearchCriteria::default()) };
    let mut stream = Box::pin(search(&fixture.client, request, cancel.clone()).unwrap());
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!((first.scanned, first.end), (2, None));
    cancel.cancel();
    let last = stream.next().await.unwrap().unwrap();
    assert_eq!((last.scanned, last.end), (2, Some(SearchEnd::Cancelled)));
    assert!(stream.next().await.is_none());
}
