//! The server's clock as the client knows it: how far OSS's `Date` header (or its
//! RequestTimeTooSkewed answer) says this machine's clock is off. Requests and links are signed
//! with the corrected time, so a wrong local clock does not make every request fail.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};
use reqwest::header::{HeaderMap, DATE};

/// Differences up to this are ordinary (network delay, the header's one-second resolution) and
/// leave the offset at zero.
pub const CLOCK_SKEW_TOLERANCE_SECS: i64 = 60;

/// Seconds the server's clock is ahead of this machine's (negative: behind); zero until a
/// response shows more than [`CLOCK_SKEW_TOLERANCE_SECS`] of difference.
#[derive(Debug, Default)]
pub(crate) struct ServerClock {
    offset_secs: AtomicI64,
}

impl ServerClock {
    pub(crate) fn offset_secs(&self) -> i64 {
        self.offset_secs.load(Ordering::Relaxed)
    }

    /// This machine's time corrected by the offset: the time to sign with.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.offset_secs())
    }

    /// Learns the offset from a response's `Date` header, received at `local`. A difference
    /// within the tolerance resets it (the clock was fixed). Returns whether the offset changed.
    pub(crate) fn observe(&self, headers: &HeaderMap, local: DateTime<Utc>) -> bool {
        let Some(server) = server_date(headers) else { return false };
        let difference = server.timestamp() - local.timestamp();
        let offset = if difference.abs() > CLOCK_SKEW_TOLERANCE_SECS { difference } else { 0 };
        let before = self.offset_secs.swap(offset, Ordering::Relaxed);
        if before != offset && offset != 0 {
            tracing::warn!(
                offset_secs = offset,
                "this computer's clock differs from the server's; signing with the server's time"
            );
        }
        before != offset
    }
}

fn server_date(headers: &HeaderMap) -> Option<DateTime<Utc>> {
    let text = headers.get(DATE)?.to_str().ok()?;
    DateTime::parse_from_rfc2822(text.trim()).ok().map(|date| date.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn dated(date: DateTime<Utc>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let text = date.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        headers.insert(DATE, HeaderValue::from_str(&text).unwrap());
        headers
    }

    #[test]
    fn a_difference_over_a_minute_is_recorded_and_a_small_one_resets_it() {
        let clock = ServerClock::default();
        let local = Utc::now();
        assert!(!clock.observe(&dated(local + Duration::seconds(59)), local), "within the tolerance");
        assert_eq!(clock.offset_secs(), 0);
        assert!(clock.observe(&dated(local + Duration::seconds(125)), local));
        assert_eq!(clock.offset_secs(), 125);
        let corrected = clock.now() - Utc::now();
        assert!((124..=126).contains(&corrected.num_seconds()), "{corrected}");
        assert!(clock.observe(&dated(local - Duration::hours(2)), local));
        assert_eq!(clock.offset_secs(), -7200);
        assert!(clock.observe(&dated(local), local), "back in step");
        assert_eq!(clock.offset_secs(), 0);
    }

    #[test]
    fn a_missing_or_malformed_date_changes_nothing() {
        let clock = ServerClock::default();
        assert!(!clock.observe(&HeaderMap::new(), Utc::now()));
        let mut headers = HeaderMap::new();
        headers.insert(DATE, HeaderValue::from_static("yesterday"));
        assert!(!clock.observe(&headers, Utc::now()));
        assert_eq!(clock.offset_secs(), 0);
    }
}
