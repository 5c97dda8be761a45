//! Retrying one part, range or single PUT: rounds of the client's own retries with backoff
//! between them (the client's jitter), a watchdog that drops an attempt when no byte moves, and
//! the errors that justify another round.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::client::{Jitter, RetryPolicy};
use crate::error::{Error, ErrorKind, Result};

/// Whether another round may succeed: the transient kinds, and data that arrived damaged.
pub(crate) fn worth_another_round(err: &Error) -> bool {
    err.kind().is_transient() || matches!(err.kind(), ErrorKind::Expired | ErrorKind::Integrity)
}

/// The rounds of one part, range or single PUT: it counts the failures in a row and, after
/// each, decides whether another round may succeed and waits the backoff before it
/// (`policy.delay(failures, jitter)`: full jitter with the client's jitter, as the client does).
pub(crate) struct Rounds<'a> {
    policy: &'a RetryPolicy,
    jitter: &'a dyn Jitter,
    number: u32,
    failures: u32,
}

impl<'a> Rounds<'a> {
    pub fn new(policy: &'a RetryPolicy, jitter: &'a dyn Jitter) -> Self {
        Self { policy, jitter, number: 1, failures: 0 }
    }

    /// The round about to run: 1 for the first try.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// After a failed round: `Ok` once the backoff has passed when another round may succeed;
    /// the error back when `policy.max_attempts` rounds failed in a row or no round can fix it.
    /// `progressed`: the round moved the work forward (a range kept the bytes it got), so the
    /// count of failures in a row starts over.
    pub async fn retry_after(&mut self, err: Error, progressed: bool) -> Result<()> {
        self.failures = if progressed { 1 } else { self.failures + 1 };
        if self.failures >= self.policy.max_attempts || !worth_another_round(&err) {
            return Err(err);
        }
        tracing::info!(round = self.failures, error = %err, "another round");
        tokio::time::sleep(self.policy.delay(self.failures, self.jitter.sample())).await;
        self.number += 1;
        Ok(())
    }
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
        assert!(worth_another_round(&Error::integrity("part 3 arrived damaged")));
        assert!(!worth_another_round(&Error::new(ErrorKind::InvalidResponse, "part 3 arrived damaged")));
        assert!(!worth_another_round(&Error::new(ErrorKind::InvalidResponse, "bad XML")));
        assert!(!worth_another_round(&Error::new(ErrorKind::PermissionDenied, "403")));
        assert!(!worth_another_round(&Error::new(ErrorKind::Conflict, "409")));
    }

    /// Jitter samples handed out in order, each recorded; 0.5 once they run out.
    struct Recorded(std::sync::Mutex<Vec<f64>>);

    impl Jitter for Recorded {
        fn sample(&self) -> f64 {
            self.0.lock().unwrap().pop().unwrap_or(0.5)
        }
    }

    fn policy(max_attempts: u32) -> RetryPolicy {
        RetryPolicy { max_attempts, base: Duration::from_millis(100), max_delay: Duration::from_secs(10) }
    }

    /// Runs rounds that each give `outcome(round)` until one is done or the rounds end; the
    /// rounds seen, with the time each started.
    async fn run(
        policy: &RetryPolicy,
        jitter: &dyn Jitter,
        mut outcome: impl FnMut(u32) -> Result<u32, (Error, bool)>,
    ) -> (Result<u32>, Vec<(u32, Duration)>) {
        let started = tokio::time::Instant::now();
        let mut rounds = Rounds::new(policy, jitter);
        let mut seen = Vec::new();
        loop {
            seen.push((rounds.number(), started.elapsed()));
            match outcome(rounds.number()) {
                Ok(value) => return (Ok(value), seen),
                Err((err, progressed)) => {
                    if let Err(err) = rounds.retry_after(err, progressed).await {
                        return (Err(err), seen);
                    }
                }
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn rounds_back_off_by_the_jitter_given_and_stop_at_max_attempts() {
        // Popped from the end: retry 1 waits 100 ms × 1.0, retry 2 waits 200 ms × 0.25.
        let jitter = Recorded(std::sync::Mutex::new(vec![0.25, 1.0]));
        let (result, seen) = run(&policy(3), &jitter, |_| Err((Error::new(ErrorKind::Network, "reset"), false))).await;
        assert_eq!(result.unwrap_err().kind(), ErrorKind::Network);
        assert_eq!(seen.iter().map(|(round, _)| *round).collect::<Vec<_>>(), vec![1, 2, 3]);
        let gap = |i: usize| seen[i].1 - seen[i - 1].1;
        assert_eq!(gap(1), Duration::from_millis(100));
        assert_eq!(gap(2), Duration::from_millis(50));
        assert!(jitter.0.lock().unwrap().is_empty(), "one sample per wait");
    }

    #[tokio::test(start_paused = true)]
    async fn a_zero_jitter_retries_at_once_and_success_ends_the_rounds() {
        let started = tokio::time::Instant::now();
        let (result, _) = run(&policy(5), &crate::client::FixedJitter(0.0), |round| {
            if round < 3 {
                Err((Error::integrity("part 1 arrived damaged"), false))
            } else {
                Ok(round)
            }
        })
        .await;
        assert_eq!(result.unwrap(), 3);
        assert_eq!(started.elapsed(), Duration::ZERO, "no wait with a zero jitter");
    }

    #[tokio::test]
    async fn progress_starts_the_count_over_and_a_lasting_error_ends_it_at_once() {
        let jitter = crate::client::FixedJitter(0.0);
        let (result, seen) =
            run(&policy(2), &jitter, |round| Err((Error::new(ErrorKind::Network, "cut"), round <= 4))).await;
        assert!(result.is_err());
        assert_eq!(seen.len(), 5, "four rounds that progressed, then two failures in a row");

        let (result, seen) =
            run(&policy(5), &jitter, |_| Err((Error::new(ErrorKind::PermissionDenied, "403"), false))).await;
        assert_eq!(result.unwrap_err().kind(), ErrorKind::PermissionDenied);
        assert_eq!(seen.len(), 1);
    }
}
