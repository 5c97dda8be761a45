//! What every request shares: the store, the key verifier, the faults, the request log, and
//! where the sandbox listens. Below both the server and the operations.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::auth::Verifier;
use crate::faults::FaultInjector;
use crate::regions::BucketRegions;
use crate::request_log::RequestLog;
use crate::store::Store;
use crate::time::now_secs;

pub struct State {
    pub store: Arc<Store>,
    pub verifier: Verifier,
    pub faults: FaultInjector,
    pub log: Arc<RequestLog>,
    pub region: String,
    /// Each bucket's region (the server's unless configured or created for another).
    pub bucket_regions: BucketRegions,
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    /// `127.0.0.1:PORT`.
    pub authority: String,
    /// Added to this machine's clock: see [`crate::SandboxConfig::clock_offset_secs`].
    pub clock_offset_secs: i64,
    /// See [`crate::SandboxConfig::restore_delay`].
    pub restore_delay: std::time::Duration,
    request_counter: AtomicU64,
    request_id_base: u64,
}

impl State {
    /// `authority` is `127.0.0.1:PORT`.
    pub fn new(
        store: Arc<Store>,
        verifier: Verifier,
        faults: FaultInjector,
        region: String,
        authority: String,
    ) -> Self {
        Self {
            store,
            verifier,
            faults,
            log: Arc::default(),
            bucket_regions: BucketRegions::new(&region, &[]),
            region,
            endpoint: format!("http://{authority}"),
            authority,
            clock_offset_secs: 0,
            restore_delay: crate::config::DEFAULT_RESTORE_DELAY,
            request_counter: AtomicU64::new(0),
            request_id_base: rand::random(),
        }
    }

    /// The sandbox's clock, in Unix seconds: this machine's shifted by the configured offset.
    pub fn now(&self) -> i64 {
        now_secs().saturating_add(self.clock_offset_secs)
    }

    /// 24 upper-case hex characters, as OSS request IDs look.
    pub fn next_request_id(&self) -> String {
        let count = self.request_counter.fetch_add(1, Ordering::Relaxed);
        format!("{:08X}{:016X}", now_secs() as u32, self.request_id_base.wrapping_add(count))
    }
}
