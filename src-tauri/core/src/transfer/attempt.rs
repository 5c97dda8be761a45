//! Retrying one part or range: rounds of the client's own retries with backoff between them, a
//! watchdog that drops an attempt when no byte moves, and the errors that justify another round.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::client::{Jitter, RandomJitter, RetryPolicy};
use crate::error::{Error, ErrorKind, Result};

/// Whether another round may succeed: the transient kinds, and data that arrived damaged.
pub(crate) fn worth_another_round(err: &Error) -> bool {
    err.kind().is_transient() || err.kind() == ErrorKind::Expired || is_damaged(err)
}

const DAMAGED: &str = "arrived damaged";

/// A part whose CRC-64 differs from what was sent: sent again.
pub(crate) fn damaged(what: String) -> Error {
    Error::new(ErrorKind::InvalidResponse, format!("{what} {DAMAGED}"))
}

fn is_damaged(err: &Error) -> bool {
    err.kind() == ErrorKind::InvalidResponse && err.message().contains(DAMAGED)
}

/// Sleeps the backoff before round `round + 1` (full jitter, as the client does).
pub(crate) async fn back_off(policy: &RetryPolicy, round: u32) {
    tokio::time::sleep(policy.delay(round, RandomJitter.sample())).await;
}

/// Runs `work`, failing it with a `network` error if `activity` stops changing for `timeout`.
pub(crate) async fn guard_stall<T>(
    work: impl Future<Output = Result<T>>,
    activity: &AtomicU64,
    timeout: Duration,
    what: &str,
) -> Result<T> {
    let watchdog = async {
        let tick = (timeout / 4).max(Duration::from_millis(20));
        let mut last = activity.load(Ordering::Relaxed);
        let mut quiet = Duration::ZERO;
        loop {
            tokio::time::sleep(tick).await;
            let now = activity.load(Ordering::Relaxed);
            if now == last {
                quiet += tick;
                if quiet >= timeout {
                    return;
                }
            } else {
                last = now;
                quiet = Duration::ZERO;
            }
        }
    };
    tokio::select! {
        result = work => result,
        () = watchdog => Err(Error::new(
            ErrorKind::Network,
            format!("{what}: no data moved for {} s; the connection stalled", timeout.as_secs_f64().round()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_silent_attempt_is_dropped_and_a_busy_one_is_not() {
        let activity = AtomicU64::new(0);
        let stalled =
            guard_stall(std::future::pending::<Result<()>>(), &activity, Duration::from_millis(80), "GET x").await;
        let err = stalled.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Network);
        assert!(err.message().contains("stalled"), "{err}");
        assert!(worth_another_round(&err));

        let busy = async {
            for _ in 0..10 {
                tokio::time::sleep(Duration::from_millis(20)).await;
                activity.fetch_add(1, Ordering::Relaxed);
            }
            Ok(7)
        };
        assert_eq!(guard_stall(busy, &activity, Duration::from_millis(80), "GET x").await.unwrap(), 7);
    }

    #[test]
    fn rounds_are_for_transient_errors_and_damaged_parts() {
        assert!(worth_another_round(&Error::new(ErrorKind::Service, "503")));
        assert!(worth_another_round(&damaged("part 3".into())));
        assert!(!worth_another_round(&Error::new(ErrorKind::InvalidResponse, "bad XML")));
        assert!(!worth_another_round(&Error::new(ErrorKind::PermissionDenied, "403")));
        assert!(!worth_another_round(&Error::new(ErrorKind::Conflict, "409")));
    }
}
