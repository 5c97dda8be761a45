//! What a transfer tells its watchers: its state, cumulative bytes, speed and ETA, as snapshots
//! ([`TransferSnapshot`]) and as events ([`TransferEvent`], at most 10 progress events a second).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::verify::Verification;
use crate::error::ErrorPayload;

/// A transfer's id, unique within its [`super::TransferManager`].
pub type TransferId = u64;

/// Progress events of one transfer are at least this far apart.
pub const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);
/// The speed is measured over this window.
const RATE_WINDOW: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    Upload,
    Download,
    /// A server-side copy of objects (a management job).
    Copy,
    /// A server-side move or rename: copy, then delete the sources.
    Move,
    /// Metadata, ACL, storage class or restore of objects in place.
    Update,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum TransferStatus {
    /// Waiting for a free slot (at most `jobs` files move at once).
    #[default]
    Queued,
    Running,
    Paused,
    /// Committing (CompleteMultipartUpload, or the part file's rename) and comparing CRC-64s:
    /// the commit point, so a pause or cancel asked for meanwhile does not interrupt it.
    Verifying,
    Done,
    Failed,
    Cancelled,
}

impl TransferStatus {
    /// Done, failed or cancelled: nothing more will happen unless it is resumed (failed only).
    pub fn is_terminal(self) -> bool {
        matches!(self, TransferStatus::Done | TransferStatus::Failed | TransferStatus::Cancelled)
    }
}

/// Why a transfer failed: the same payload a command rejects with.
pub type TransferError = ErrorPayload;

/// Everything about one transfer at one moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TransferSnapshot {
    pub id: TransferId,
    pub direction: Direction,
    /// A local path for uploads, `oss://bucket/key` for downloads.
    pub source: String,
    /// `oss://bucket/key` for uploads, a local path for downloads; after a rename, the new name.
    pub destination: String,
    pub state: TransferStatus,
    /// Bytes moved so far (cumulative), and in all; `total` is 0 until known.
    pub done: u64,
    pub total: u64,
    pub bytes_per_sec: u64,
    /// Seconds left at the current speed, when it can be told.
    pub eta_secs: Option<u64>,
    /// Set when it finished without moving anything because the destination existed.
    pub skipped: bool,
    /// Set when it finished having moved the bytes: what they were checked against.
    pub verification: Option<Verification>,
    /// Set when it failed.
    pub error: Option<ErrorPayload>,
}

/// What a transfer reports, in order. Counts are cumulative, never deltas.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "event", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum TransferEvent {
    /// A transfer was created (first event of each).
    Queued {
        transfer: TransferSnapshot,
    },
    /// Bytes moved or the state changed among queued, running, paused and verifying.
    Progress {
        id: TransferId,
        state: TransferStatus,
        done: u64,
        total: u64,
        bytes_per_sec: u64,
        eta_secs: Option<u64>,
    },
    Finished {
        id: TransferId,
        destination: String,
        done: u64,
        total: u64,
        skipped: bool,
        /// What the bytes were checked against; `None` when skipped.
        verification: Option<Verification>,
    },
    Failed {
        id: TransferId,
        done: u64,
        total: u64,
        error: ErrorPayload,
    },
    Cancelled {
        id: TransferId,
        done: u64,
        total: u64,
    },
}

impl TransferEvent {
    pub fn id(&self) -> TransferId {
        match self {
            TransferEvent::Queued { transfer } => transfer.id,
            TransferEvent::Progress { id, .. }
            | TransferEvent::Finished { id, .. }
            | TransferEvent::Failed { id, .. }
            | TransferEvent::Cancelled { id, .. } => *id,
        }
    }
}

/// Where events go: a closure (a Tauri channel, a progress bar, a test's recorder).
pub type EventSink = Arc<dyn Fn(TransferEvent) + Send + Sync>;

/// A sink that drops every event.
pub fn no_events() -> EventSink {
    Arc::new(|_| {})
}

/// The counters the workers of one transfer update.
#[derive(Debug, Default)]
pub struct Counters {
    done: AtomicU64,
    total: AtomicU64,
}

impl Counters {
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    pub fn set_total(&self, total: u64) {
        self.total.store(total, Ordering::Relaxed);
    }

    pub fn set_done(&self, done: u64) {
        self.done.store(done, Ordering::Relaxed);
    }

    pub fn add(&self, bytes: u64) {
        self.done.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Takes back bytes of an attempt that has to be sent again.
    pub fn sub(&self, bytes: u64) {
        let _ = self.done.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |done| Some(done.saturating_sub(bytes)));
    }
}

/// Speed over the last few seconds, from samples of the cumulative count.
#[derive(Debug, Default)]
pub struct RateMeter {
    samples: VecDeque<(Instant, u64)>,
}

impl RateMeter {
    pub fn sample(&mut self, at: Instant, done: u64) {
        // A retry can take bytes back; the speed restarts from there.
        if self.samples.back().is_some_and(|&(_, last)| done < last) {
            self.samples.clear();
        }
        self.samples.push_back((at, done));
        while self.samples.len() > 2 && self.samples.front().is_some_and(|&(t, _)| at.duration_since(t) > RATE_WINDOW) {
            self.samples.pop_front();
        }
    }

    pub fn reset(&mut self) {
        self.samples.clear();
    }

    pub fn bytes_per_sec(&self) -> u64 {
        match (self.samples.front(), self.samples.back()) {
            (Some(&(t0, d0)), Some(&(t1, d1))) if t1 > t0 => {
                let secs = t1.duration_since(t0).as_secs_f64();
                if secs < 0.05 {
                    0
                } else {
                    ((d1 - d0) as f64 / secs) as u64
                }
            }
            _ => 0,
        }
    }

    pub fn eta_secs(&self, done: u64, total: u64) -> Option<u64> {
        let rate = self.bytes_per_sec();
        (rate > 0 && total >= done).then(|| (total - done).div_ceil(rate))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, ErrorKind};

    #[test]
    fn speed_and_eta_come_from_the_recent_window() {
        let start = Instant::now();
        let mut meter = RateMeter::default();
        assert_eq!(meter.bytes_per_sec(), 0);
        assert_eq!(meter.eta_secs(0, 100), None);
        meter.sample(start, 0);
        meter.sample(start + Duration::from_secs(1), 1000);
        meter.sample(start + Duration::from_secs(2), 2000);
        assert_eq!(meter.bytes_per_sec(), 1000);
        assert_eq!(meter.eta_secs(2000, 10_000), Some(8));
        meter.sample(start + Duration::from_secs(10), 2000);
        assert_eq!(meter.bytes_per_sec(), 0, "old samples leave the window");
        meter.sample(start + Duration::from_secs(11), 500);
        assert_eq!(meter.bytes_per_sec(), 0, "a retry took bytes back");
    }

    #[test]
    fn events_are_tagged_and_camel_case() {
        let event = TransferEvent::Progress {
            id: 7,
            state: TransferStatus::Running,
            done: 10,
            total: 20,
            bytes_per_sec: 5,
            eta_secs: Some(2),
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"event": "progress", "id": 7, "state": "running", "done": 10, "total": 20,
                "bytesPerSec": 5, "etaSecs": 2})
        );
        let failed = TransferEvent::Failed {
            id: 1,
            done: 0,
            total: 3,
            error: ErrorPayload::from(Error::new(ErrorKind::Network, "m")),
        };
        assert_eq!(
            serde_json::to_value(&failed).unwrap()["error"],
            serde_json::json!({"kind": "network", "message": "m"})
        );
        assert_eq!(failed.id(), 1);
    }

    #[test]
    fn counters_never_go_below_zero() {
        let counters = Counters::default();
        counters.add(5);
        counters.sub(9);
        assert_eq!(counters.done(), 0);
    }
}
