//! One pagination helper for every listing: "fetch a page for this token" becomes a stream of the
//! items of all pages, fetched lazily: the next page is asked for only when the items of the last are consumed.

use std::collections::HashSet;
use std::future::Future;
use std::hash::Hash;

use futures_util::stream::{self, Stream, TryStreamExt};

use crate::error::{Error, ErrorKind, Result};

enum State<T> {
    Next(Option<T>),
    Failed(Error),
    Done,
}

/// Streams the items of every page. `fetch(token)` returns one page's items and the token of the
/// next page (`None` on the last). The first call gets `first`. A page that names any token already
/// fetched (itself, or an earlier one: A, B, A) ends the stream with an `InvalidResponse` error
/// instead of looping forever.
pub fn paginate<Item, Token, F, Fut>(first: Option<Token>, fetch: F) -> impl Stream<Item = Result<Item>>
where
    Token: Eq + Hash + Clone,
    F: FnMut(Option<Token>) -> Fut,
    Fut: Future<Output = Result<(Vec<Item>, Option<Token>)>>,
{
    let seen: HashSet<Token> = first.iter().cloned().collect();
    stream::unfold((State::Next(first), fetch, seen), |(state, mut fetch, mut seen)| async move {
        match state {
            State::Done => None,
            State::Failed(err) => Some((Err(err), (State::Done, fetch, seen))),
            State::Next(token) => match fetch(token).await {
                Err(err) => Some((Err(err), (State::Done, fetch, seen))),
                Ok((items, next)) => {
                    let state = match next {
                        None => State::Done,
                        Some(next) if !seen.insert(next.clone()) => State::Failed(Error::new(
                            ErrorKind::InvalidResponse,
                            "the listing returned a continuation token it had already given; stopped to avoid a loop",
                        )),
                        Some(next) => State::Next(Some(next)),
                    };
                    Some((Ok(items), (state, fetch, seen)))
                }
            },
        }
    })
    .map_ok(|items: Vec<Item>| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::cell::RefCell;

    #[tokio::test]
    async fn pages_become_one_stream_in_order() {
        let calls = RefCell::new(Vec::new());
        let pages: Vec<Result<u32>> = paginate(None, |token: Option<u32>| {
            calls.borrow_mut().push(token);
            async move {
                Ok(match token {
                    None => (vec![1, 2], Some(1)),
                    Some(1) => (vec![], Some(2)),
                    Some(2) => (vec![3], None),
                    Some(_) => unreachable!(),
                })
            }
        })
        .collect()
        .await;
        let items: Vec<u32> = pages.into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(items, [1, 2, 3]);
        assert_eq!(*calls.borrow(), [None, Some(1), Some(2)]);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream_after_the_items_before_it() {
        let results: Vec<Result<u32>> = paginate(Some(0u32), |token| async move {
            match token {
                Some(0) => Ok((vec![7], Some(1))),
                _ => Err(Error::new(ErrorKind::Network, "gone")),
            }
        })
        .collect()
        .await;
        assert_eq!(results.len(), 2);
        assert_eq!(*results[0].as_ref().unwrap(), 7);
        assert_eq!(results[1].as_ref().unwrap_err().kind(), ErrorKind::Network);
    }

    #[tokio::test]
    async fn a_repeated_token_stops_instead_of_looping() {
        let results: Vec<Result<u32>> =
            paginate(None, |_token: Option<String>| async { Ok((vec![1], Some("same".to_owned()))) }).collect().await;
        assert_eq!(results.len(), 3, "{results:?}");
        assert_eq!(results[2].as_ref().unwrap_err().kind(), ErrorKind::InvalidResponse);
    }

    #[tokio::test]
    async fn tokens_that_come_back_after_others_stop_too() {
        let calls = RefCell::new(Vec::new());
        let results: Vec<Result<u32>> = paginate(None, |token: Option<&'static str>| {
            calls.borrow_mut().push(token);
            let next = match token {
                None => "A",
                Some("A") => "B",
                _ => "A",
            };
            async move { Ok((vec![1], Some(next))) }
        })
        .collect()
        .await;
        assert_eq!(*calls.borrow(), [None, Some("A"), Some("B")], "A, B, then A again is not fetched");
        let err = results.last().unwrap().as_ref().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidResponse);
        assert!(err.message().contains("already given"), "{err}");
    }

    #[tokio::test]
    async fn a_listing_that_starts_from_a_token_refuses_to_come_back_to_it() {
        let results: Vec<Result<u32>> =
            paginate(
                Some(5u32),
                |token| async move { Ok((vec![0], if token == Some(5) { Some(6) } else { Some(5) })) },
            )
            .collect()
            .await;
        assert_eq!(results.len(), 3, "{results:?}");
        assert_eq!(results[2].as_ref().unwrap_err().kind(), ErrorKind::InvalidResponse);
    }
}
