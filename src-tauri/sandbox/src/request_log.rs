//! Every request the sandbox answered, for tests and benchmarks (e.g. counting UploadPart calls).
//! A record keeps no header, and its query keeps no signature or STS token: a log is shown and
//! copied around, and a logged presigned URL or token would still open the bucket.

use std::collections::VecDeque;
use std::sync::Mutex;

/// Oldest records are dropped beyond this many.
const MAX_RECORDS: usize = 100_000;
/// Query parameters whose values grant access; compared without regard to case.
const SECRET_PARAMETERS: [&str; 2] = ["x-oss-signature", "x-oss-security-token"];
pub const REDACTED: &str = "<redacted>";

/// The raw query with the values of [`SECRET_PARAMETERS`] replaced by `<redacted>`; the rest,
/// still percent-encoded, as received.
pub fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            let decoded = decode_name(name);
            if SECRET_PARAMETERS.iter().any(|secret| secret.eq_ignore_ascii_case(&decoded)) {
                format!("{name}={REDACTED}")
            } else {
                pair.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A parameter name with `%XX` decoded, so `x-oss-%73ignature` is recognised too.
fn decode_name(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub method: String,
    /// The raw (still percent-encoded) request path.
    pub path: String,
    /// The raw query string, without `?`, with signatures and STS tokens redacted ([`redact_query`]);
    /// empty when there is none.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_and_tokens_are_redacted_and_the_rest_kept() {
        let query = "versionId=v%201&x-oss-credential=AK%2F20240101&X-Oss-Security-Token=CANARY-token\
                     &x-oss-%73ignature=CANARY-sig&acl&x-oss-signature";
        assert_eq!(
            redact_query(query),
            "versionId=v%201&x-oss-credential=AK%2F20240101&X-Oss-Security-Token=<redacted>\
             &x-oss-%73ignature=<redacted>&acl&x-oss-signature=<redacted>"
        );
        assert_eq!(redact_query(""), "");
    }
}
