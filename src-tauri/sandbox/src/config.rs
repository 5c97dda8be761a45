//! What a sandbox is started with: where it stores, where it listens, which region it claims,
//! which buckets and keys exist, and which faults it injects.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::path::PathBuf;
use std::time::Duration;

use osslite_core::Secret;

/// `127.0.0.1:0`: loopback, any free port.
pub const DEFAULT_LISTEN: SocketAddr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0));
pub const DEFAULT_REGION: &str = "cn-hangzhou";

#[derive(Clone)]
pub struct SandboxConfig {
    /// Directory holding buckets, objects and their metadata; created if missing.
    pub root: PathBuf,
    pub listen: SocketAddr,
    /// The region every signature's scope must name, verbatim (`cn-hangzhou`).
    pub region: String,
    /// Buckets created at start when missing.
    pub buckets: Vec<String>,
    /// Buckets that live in another region than `region`, created at start when missing: a
    /// request for one must be signed for its region (OSS's 403 with `<Endpoint>` otherwise).
    pub bucket_regions: Vec<(String, String)>,
    /// The keys requests may be signed with. With none, only anonymous access to public objects works.
    pub keys: Vec<AccessKey>,
    pub faults: Faults,
    pub limits: Limits,
    /// Seconds the sandbox's clock is ahead of this machine's (negative: behind). It checks
    /// signatures and writes its `Date` header with the shifted time, so tests can play a server
    /// whose clock differs from the client's.
    pub clock_offset_secs: i64,
    /// How long a RestoreObject takes before an archived object can be read (OSS takes minutes
    /// to hours); [`DEFAULT_RESTORE_DELAY`] unless set.
    pub restore_delay: Duration,
}

/// The restore delay a sandbox starts with.
pub const DEFAULT_RESTORE_DELAY: Duration = Duration::from_secs(3);

/// What bounds the sandbox under abuse: connections at once, and how long a client may take to
/// send its request head, or pause in the middle of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Connections served at once; more wait in the listen backlog until one closes.
    pub max_connections: usize,
    /// A connection that has not sent a whole request head this long after it opened, or after
    /// its previous response, is closed (idle keep-alive connections included).
    pub header_read_timeout: Duration,
    /// A request whose body sends nothing for this long fails (400 RequestTimeout) and its
    /// connection is closed.
    pub body_idle_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 512,
            header_read_timeout: Duration::from_secs(30),
            body_idle_timeout: Duration::from_secs(60),
        }
    }
}

impl SandboxConfig {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            listen: DEFAULT_LISTEN,
            region: DEFAULT_REGION.to_owned(),
            buckets: Vec::new(),
            bucket_regions: Vec::new(),
            keys: Vec::new(),
            faults: Faults::default(),
            limits: Limits::default(),
            clock_offset_secs: 0,
            restore_delay: DEFAULT_RESTORE_DELAY,
        }
    }

    pub fn with_restore_delay(mut self, delay: Duration) -> Self {
        self.restore_delay = delay;
        self
    }

    pub fn with_clock_offset_secs(mut self, secs: i64) -> Self {
        self.clock_offset_secs = secs;
        self
    }

    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    pub fn with_bucket(mut self, name: impl Into<String>) -> Self {
        self.buckets.push(name.into());
        self
    }

    /// A bucket of region `region` (`cn-beijing`), created at start when missing.
    pub fn with_bucket_in_region(mut self, name: impl Into<String>, region: impl Into<String>) -> Self {
        self.bucket_regions.push((name.into(), region.into()));
        self
    }

    pub fn with_key(mut self, key: AccessKey) -> Self {
        self.keys.push(key);
        self
    }

    pub fn with_listen(mut self, listen: SocketAddr) -> Self {
        self.listen = listen;
        self
    }

    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    pub fn with_faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }
}

impl fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("root", &self.root)
            .field("listen", &self.listen)
            .field("region", &self.region)
            .field("buckets", &self.buckets)
            .field("bucket_regions", &self.bucket_regions)
            .field("keys", &self.keys)
            .field("faults", &self.faults)
            .field("limits", &self.limits)
            .field("clock_offset_secs", &self.clock_offset_secs)
            .field("restore_delay", &self.restore_delay)
            .finish()
    }
}

/// An AccessKey the sandbox accepts. With `security_token`, it is an STS temporary key: every
/// request signed with it must carry exactly this token.
#[derive(Clone)]
pub struct AccessKey {
    pub id: String,
    pub secret: Secret,
    pub security_token: Option<Secret>,
}

impl AccessKey {
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self { id: id.into(), secret: Secret::new(secret), security_token: None }
    }

    /// A fresh key: `SANDBOX` and 16 hex characters, with a 40-character hex secret.
    pub fn random() -> Self {
        let mut bytes = [0u8; 28];
        rand::fill(&mut bytes);
        Self::new(format!("SANDBOX{}", hex::encode_upper(&bytes[..8])), hex::encode(&bytes[8..]))
    }

    pub fn temporary(id: impl Into<String>, secret: impl Into<String>, security_token: impl Into<String>) -> Self {
        Self { id: id.into(), secret: Secret::new(secret), security_token: Some(Secret::new(security_token)) }
    }
}

impl fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessKey")
            .field("id", &self.id)
            .field("secret", &self.secret)
            .field("security_token", &self.security_token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Faults to inject; the default injects none. Random choices come from an RNG seeded with `seed`.
#[derive(Debug, Clone, PartialEq)]
pub struct Faults {
    /// Share of requests (0.0 to 1.0) answered 503 ServiceUnavailable before anything else.
    pub error_503_ratio: f64,
    /// Drop the connection after this many body bytes of a response.
    pub drop_after_bytes: Option<u64>,
    /// Added before every response.
    pub latency: Duration,
    /// Caps the rate of every request and response body.
    pub bandwidth_bytes_per_sec: Option<u64>,
    /// Report a wrong `x-oss-hash-crc64ecma`.
    pub corrupt_crc: bool,
    /// Report a wrong `x-oss-hash-crc64ecma` in CompleteMultipartUpload's answer only, as if the
    /// parts were right but the whole object came out different.
    pub corrupt_completed_crc: bool,
    /// Send no `x-oss-hash-crc64ecma` at all, as a CDN or custom domain in front of OSS may.
    pub omit_crc64: bool,
    /// Flip the first byte of every request body as it arrives, as if damaged in transit.
    pub damage_request_bodies: bool,
    pub seed: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            error_503_ratio: 0.0,
            drop_after_bytes: None,
            latency: Duration::ZERO,
            bandwidth_bytes_per_sec: None,
            corrupt_crc: false,
            corrupt_completed_crc: false,
            omit_crc64: false,
            damage_request_bodies: false,
            seed: 0x5A4D_B0C5,
        }
    }
}

impl Faults {
    pub fn is_none(&self) -> bool {
        self.error_503_ratio <= 0.0
            && self.drop_after_bytes.is_none()
            && self.latency.is_zero()
            && self.bandwidth_bytes_per_sec.is_none()
            && !self.corrupt_crc
            && !self.corrupt_completed_crc
            && !self.omit_crc64
            && !self.damage_request_bodies
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_secrets_or_tokens() {
        let config = SandboxConfig::new("/tmp/x")
            .with_key(AccessKey::new("AKID", "CANARY-secret"))
            .with_key(AccessKey::temporary("STS.ID", "CANARY-secret-2", "CANARY-token"));
        let text = format!("{config:?}");
        assert!(!text.contains("CANARY"), "{text}");
        assert!(text.contains("AKID") && text.contains("STS.ID"));
    }
}
