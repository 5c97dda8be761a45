//! Every request the sandbox answered, for tests and benchmarks (e.g. counting UploadPart calls).

use std::collections::VecDeque;
use std::sync::Mutex;

/// Oldest records are dropped beyond this many.
const MAX_RECORDS: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub method: String,
    /// The raw (still percent-encoded) request path.
    pub path: String,
    /// The raw query string, without `?`; empty when there is none.
    pub query: String,
    /// The OSS operation the request was dispatched to, e.g. `UploadPart`; `-` when it never got that far.
    pub operation: &'static str,
    pub status: u16,
    pub bytes_in: u64,
    /// Response body bytes actually sent (the planned length until the body has finished).
    pub bytes_out: u64,
    pub request_id: String,
}

#[derive(Default)]
pub struct RequestLog {
    inner: Mutex<Records>,
}

#[derive(Default)]
struct Records {
    first_seq: u64,
    records: VecDeque<RequestRecord>,
}

impl RequestLog {
    /// Adds a record and returns its sequence number for [`RequestLog::set_bytes_out`].
    pub fn push(&self, record: RequestRecord) -> u64 {
        let mut inner = self.lock();
        if inner.records.len() >= MAX_RECORDS {
            inner.records.pop_front();
            inner.first_seq += 1;
        }
        inner.records.push_back(record);
        inner.first_seq + inner.records.len() as u64 - 1
    }

    pub fn set_bytes_out(&self, seq: u64, bytes_out: u64) {
        let mut inner = self.lock();
        let Some(index) = seq.checked_sub(inner.first_seq) else { return };
        if let Some(record) = inner.records.get_mut(index as usize) {
            record.bytes_out = bytes_out;
        }
    }

    pub fn snapshot(&self) -> Vec<RequestRecord> {
        self.lock().records.iter().cloned().collect()
    }

    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.first_seq += inner.records.len() as u64;
        inner.records.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Records> {
        // Records are plain data; a panic elsewhere cannot leave them half-written.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
