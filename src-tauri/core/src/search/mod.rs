//! Search below a prefix: a recursive listing filtered by [`SearchCriteria`], streamed one page
//! (up to 1000 keys) at a time with a running count of keys scanned, stopped at a cap or when
//! cancelled.
//!
//! ```no_run
//! # async fn demo(client: osslite_core::client::Client) -> osslite_core::Result<()> {
//! use futures_util::TryStreamExt;
//! use osslite_core::search::{search, SearchCriteria, SearchRequest};
//! let request = SearchRequest::new("bucket", "photos/", SearchCriteria { names: vec!["*.jpg".into()], ..Default::default() });
//! let mut batches = search(&client, request, Default::default())?;
//! while let Some(batch) = batches.try_next().await? {
//!     println!("{} scanned, {} found", batch.scanned, batch.matched);
//! }
//! # Ok(()) }
//! ```

mod filter;

use futures_util::stream::{self, Stream};
pub use tokio_util::sync::CancellationToken;

pub use filter::{parse_instant, parse_size, Matcher, SearchCriteria};

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::ops::{check_bucket_name, ListObjectsV2Params};
use crate::xml::ObjectSummary;

/// Keys a search scans before it stops, unless raised.
pub const DEFAULT_MAX_SCAN: u64 = 1_000_000;

/// Where and what to search.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SearchRequest {
    pub bucket: String,
    /// Searched recursively; empty for the whole bucket.
    pub prefix: String,
    pub criteria: SearchCriteria,
    /// Stop after this many keys (default [`DEFAULT_MAX_SCAN`]).
    #[serde(default = "default_max_scan")]
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub max_scan: u64,
    /// Keys listed per request, 1..=1000 (default 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub page_size: Option<u32>,
}

fn default_max_scan() -> u64 {
    DEFAULT_MAX_SCAN
}

impl SearchRequest {
    pub fn new(bucket: impl Into<String>, prefix: impl Into<String>, criteria: SearchCriteria) -> Self {
        Self { bucket: bucket.into(), prefix: prefix.into(), criteria, max_scan: DEFAULT_MAX_SCAN, page_size: None }
    }
}

/// Why a search ended; only the last batch carries one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum SearchEnd {
    /// Every key below the prefix was scanned.
    Complete,
    /// `max_scan` keys were scanned; raise it to go on.
    Capped,
    Cancelled,
}

/// An object a search found: what `find --json` prints per line.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SearchHit {
    pub key: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    pub last_modified: Option<chrono::DateTime<chrono::Utc>>,
    pub storage_class: Option<String>,
    /// As OSS sends it, quotes included.
    pub etag: String,
}

impl From<ObjectSummary> for SearchHit {
    fn from(object: ObjectSummary) -> Self {
        Self {
            key: object.key,
            size: object.size,
            last_modified: object.last_modified,
            storage_class: object.storage_class,
            etag: object.etag,
        }
    }
}

/// The matches of one listed page, and the running counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SearchBatch {
    pub matches: Vec<SearchHit>,
    /// Keys scanned so far, this batch's included.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub scanned: u64,
    /// Matches so far, this batch's included.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub matched: u64,
    /// `Some` on the last batch.
    pub end: Option<SearchEnd>,
}

struct State {
    client: Client,
    params: ListObjectsV2Params,
    matcher: Matcher,
    prefix: String,
    max_scan: u64,
    cancel: CancellationToken,
    scanned: u64,
    matched: u64,
    token: Option<String>,
    finished: bool,
}

/// Starts a search: a stream of batches, the last one with [`SearchBatch::end`] set. Cancelling
/// `cancel` (or dropping the stream) stops it before the next page is asked for.
pub fn search(
    client: &Client,
    request: SearchRequest,
    cancel: CancellationToken,
) -> Result<impl Stream<Item = Result<SearchBatch>> + Send + 'static> {
    check_bucket_name(&request.bucket)?;
    if request.max_scan == 0 {
        return Err(Error::invalid_input("the scan cap must be at least 1 key"));
    }
    let matcher = Matcher::new(&request.criteria)?;
    let mut params = ListObjectsV2Params::new(&request.bucket).with_max_keys(request.page_size.unwrap_or(1000));
    params.prefix = Some(request.prefix.clone()).filter(|p| !p.is_empty());
    crate::ops::list_objects_v2_request(&params)?;
    let state = State {
        client: client.clone(),
        params,
        matcher,
        prefix: request.prefix,
        max_scan: request.max_scan,
        cancel,
        scanned: 0,
        matched: 0,
        token: None,
        finished: false,
    };
    Ok(stream::unfold(state, |mut state| async move {
        if state.finished {
            return None;
        }
        let result = next_batch(&mut state).await;
        if result.as_ref().map_or(true, |batch| batch.end.is_some()) {
            state.finished = true;
        }
        Some((result, state))
    }))
}

async fn next_batch(state: &mut State) -> Result<SearchBatch> {
    if state.cancel.is_cancelled() {
        return Ok(state.batch(Vec::new(), Some(SearchEnd::Cancelled)));
    }
    let mut params = state.params.clone();
    params.continuation_token = state.token.clone();
    let page = tokio::select! {
        page = state.client.list_objects_v2(&params) => page?,
        _ = state.cancel.cancelled() => return Ok(state.batch(Vec::new(), Some(SearchEnd::Cancelled))),
    };
    let room = usize::try_from(state.max_scan - state.scanned).unwrap_or(usize::MAX);
    let capped = page.contents.len() >= room && (page.contents.len() > room || page.next_token().is_some());
    let next = page.next_token().map(str::to_owned);
    if next.is_some() && next == state.token {
        return Err(Error::new(ErrorKind::InvalidResponse, "the listing repeated its continuation token; stopped"));
    }
    let scanned: Vec<ObjectSummary> = page.contents.into_iter().take(room).collect();
    state.scanned += scanned.len() as u64;
    let matches: Vec<SearchHit> = scanned
        .into_iter()
        .filter(|object| state.matcher.matches(&state.prefix, object))
        .map(SearchHit::from)
        .collect();
    state.matched += matches.len() as u64;
    state.token = next;
    let end = if capped {
        Some(SearchEnd::Capped)
    } else if state.token.is_none() {
        Some(SearchEnd::Complete)
    } else {
        None
    };
    Ok(state.batch(matches, end))
}

impl State {
    fn batch(&self, matches: Vec<SearchHit>, end: Option<SearchEnd>) -> SearchBatch {
        SearchBatch { matches, scanned: self.scanned, matched: self.matched, end }
    }
}
