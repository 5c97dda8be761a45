//! When and how long to wait before sending a failed request again: exponential backoff with
//! full jitter (a uniform wait between zero and `min(max_delay, base * 2^(retry - 1))`).

use std::fmt;
use std::time::Duration;

/// How often and how patiently a request is retried. `max_attempts` counts the first try, so
/// 1 means never retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { max_attempts: 4, base: Duration::from_millis(200), max_delay: Duration::from_secs(5) }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// The longest wait before retry number `retry` (1 for the first retry):
    /// `min(max_delay, base * 2^(retry - 1))`, without overflowing for any `retry`.
    pub fn ceiling(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        self.base.checked_mul(1u32 << exponent).map_or(self.max_delay, |d| d.min(self.max_delay))
    }

    /// The wait before retry number `retry`, given `unit`, a jitter sample in `[0, 1)` (values
    /// outside are clamped): full jitter, uniform in `[0, ceiling(retry)]`.
    pub fn delay(&self, retry: u32, unit: f64) -> Duration {
        let unit = if unit.is_nan() { 0.0 } else { unit.clamp(0.0, 1.0) };
        self.ceiling(retry).mul_f64(unit)
    }

    /// The wait when the server named one (`Retry-After`): at least that, at most `max_delay`.
    pub(crate) fn delay_with_hint(&self, retry: u32, unit: f64, retry_after: Option<Duration>) -> Duration {
        let delay = self.delay(retry, unit);
        match retry_after {
            Some(hint) => delay.max(hint).min(self.max_delay),
            None => delay,
        }
    }
}

/// A source of jitter samples in `[0, 1)`. The client uses [`RandomJitter`]; tests pass a fixed one.
pub trait Jitter: Send + Sync {
    fn sample(&self) -> f64;
}

/// Uniform samples from the thread-local generator.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomJitter;

impl Jitter for RandomJitter {
    fn sample(&self) -> f64 {
        rand::random::<f64>()
    }
}

/// Always the same sample: deterministic waits for tests (`FixedJitter(0.0)` never waits).
#[derive(Debug, Clone, Copy)]
pub struct FixedJitter(pub f64);

impl Jitter for FixedJitter {
    fn sample(&self) -> f64 {
        self.0
    }
}

/// Whether an operation may be sent again after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Sending it twice has the effect of sending it once (GET, HEAD, PUT object or part, DELETE,
    /// DeleteMultipleObjects): retried after network errors, 429 and 5xx.
    Idempotent,
    /// A POST whose repetition is not harmless once it was carried out (CompleteMultipartUpload,
    /// InitiateMultipartUpload): retried only when it certainly was not, i.e. the connection
    /// could not be made, or OSS refused it with 429 or 503.
    OnlyIfRefused,
}

/// Why an attempt failed, as far as retrying cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// No connection was made: the request never reached the server.
    Connect,
    /// The connection broke or timed out after the request may have been sent.
    Network,
    /// The server answered with this status.
    Status(u16),
}

impl Idempotency {
    pub(crate) fn allows_retry(self, failure: Failure) -> bool {
        match (self, failure) {
            (_, Failure::Connect) => true,
            (Idempotency::Idempotent, Failure::Network) => true,
            (Idempotency::Idempotent, Failure::Status(status)) => status == 429 || (500..=599).contains(&status),
            (Idempotency::OnlyIfRefused, Failure::Status(status)) => status == 429 || status == 503,
            (Idempotency::OnlyIfRefused, Failure::Network) => false,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Connect => f.write_str("connect error"),
            Failure::Network => f.write_str("network error"),
            Failure::Status(status) => write!(f, "HTTP {status}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_doubles_from_base_and_stops_at_max_delay() {
        let policy = RetryPolicy::default();
        let ceilings: Vec<u128> = (1..=7).map(|retry| policy.ceiling(retry).as_millis()).collect();
        assert_eq!(ceilings, [200, 400, 800, 1600, 3200, 5000, 5000]);
        assert_eq!(policy.ceiling(u32::MAX), Duration::from_secs(5), "no overflow");
        let huge = RetryPolicy { base: Duration::from_secs(u64::MAX / 2), ..policy };
        assert_eq!(huge.ceiling(40), Duration::from_secs(5));
    }

    #[test]
    fn full_jitter_stays_within_zero_and_the_ceiling() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(3, 0.0), Duration::ZERO);
        assert_eq!(policy.delay(3, 0.5), Duration::from_millis(400));
        assert_eq!(policy.delay(3, 1.0), Duration::from_millis(800));
        assert_eq!(policy.delay(3, 7.0), Duration::from_millis(800), "clamped");
        assert_eq!(policy.delay(3, -1.0), Duration::ZERO, "clamped");
        assert_eq!(policy.delay(3, f64::NAN), Duration::ZERO);
        for _ in 0..1000 {
            let sample = RandomJitter.sample();
            assert!((0.0..1.0).contains(&sample));
            for retry in 1..10 {
                assert!(policy.delay(retry, sample) <= policy.ceiling(retry));
            }
        }
    }

    #[test]
    fn retry_after_raises_the_wait_but_not_past_max_delay() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay_with_hint(1, 0.0, Some(Duration::from_secs(2))), Duration::from_secs(2));
        assert_eq!(policy.delay_with_hint(1, 0.0, Some(Duration::from_secs(60))), Duration::from_secs(5));
        assert_eq!(policy.delay_with_hint(1, 1.0, None), Duration::from_millis(200));
    }

    #[test]
    fn what_is_retried_depends_on_idempotency() {
        use Failure::*;
        let idempotent = Idempotency::Idempotent;
        for failure in [Connect, Network, Status(429), Status(500), Status(503), Status(599)] {
            assert!(idempotent.allows_retry(failure), "{failure}");
        }
        for failure in [Status(400), Status(403), Status(404), Status(409), Status(412)] {
            assert!(!idempotent.allows_retry(failure), "{failure}");
        }
        let post = Idempotency::OnlyIfRefused;
        for failure in [Connect, Status(429), Status(503)] {
            assert!(post.allows_retry(failure), "{failure}");
        }
        for failure in [Network, Status(500), Status(502), Status(404)] {
            assert!(!post.allows_retry(failure), "{failure}");
        }
    }
}
