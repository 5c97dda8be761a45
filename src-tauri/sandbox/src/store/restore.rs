//! RestoreObject on the store: start a restore, extend a finished one, or refuse, under the lock.
//! <https://www.alibabacloud.com/help/en/oss/developer-reference/restoreobject>.

use hyper::StatusCode;

use super::{RestoreState, Store};
use crate::error::{OssError, OssResult};

const SECONDS_PER_DAY: i64 = 86_400;

pub struct RestoreRequest {
    pub days: u32,
    /// How long a new restore takes.
    pub delay_ms: i64,
    pub now_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreOutcome {
    /// A restore began: 202 Accepted.
    Started,
    /// The object was already restored; its expiry moved: 200 OK.
    Extended,
}

impl Store {
    pub fn restore_object(&self, bucket: &str, key: &str, request: RestoreRequest) -> OssResult<RestoreOutcome> {
        self.update_object(bucket, key, |meta| {
            if !meta.attributes.storage_class.needs_restore() {
                return Err(OssError::new(
                    StatusCode::BAD_REQUEST,
                    "OperationNotSupported",
                    "The operation is not supported for this resource: only Archive, ColdArchive and DeepColdArchive objects can be restored.",
                ));
            }
            let now = request.now_ms;
            let days = i64::from(request.days) * SECONDS_PER_DAY;
            let (state, outcome) = match meta.restore {
                Some(current) if current.is_ongoing(now) => {
                    return Err(OssError::new(
                        StatusCode::CONFLICT,
                        "RestoreAlreadyInProgress",
                        "The restore operation is in progress.",
                    )
                    .with_ec("0016-00000701"));
                }
                Some(current) if current.is_readable(now) => (
                    RestoreState { ready_at_ms: current.ready_at_ms, expires_at: now / 1000 + days },
                    RestoreOutcome::Extended,
                ),
                _ => {
                    let ready_at_ms = now + request.delay_ms;
                    (RestoreState { ready_at_ms, expires_at: ready_at_ms / 1000 + days }, RestoreOutcome::Started)
                }
            };
            meta.restore = Some(state);
            Ok(outcome)
        })
    }
}
