//! A local OSS-compatible server for OSS Lite's tests, benchmarks and demo profile.
//!
//! It speaks the OSS REST API (XML bodies as Alibaba documents them), verifies signature V4 in
//! Authorization headers and presigned URLs against configured keys, keeps objects in a root
//! directory so they survive restarts, and can inject faults on demand.
//!
//! ```no_run
//! # async fn demo() -> Result<(), osslite_sandbox::SandboxError> {
//! use osslite_sandbox::{AccessKey, Sandbox, SandboxConfig};
//! let mut config = SandboxConfig::new("/tmp/oss-sandbox");
//! config.buckets.push("demo".into());
//! config.keys.push(AccessKey::new("AKID", "SECRET"));
//! let sandbox = Sandbox::start(config).await?;
//! println!("{}", sandbox.endpoint());
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

mod addressing;
mod auth;
mod body;
mod checksum;
mod config;
mod error;
mod faults;
mod http;
mod imaging;
mod names;
mod ops;
mod query;
mod regions;
mod request_log;
mod server;
mod state;
mod store;
mod time;
mod xml;

pub use config::{AccessKey, Faults, Limits, SandboxConfig, DEFAULT_LISTEN, DEFAULT_REGION, DEFAULT_RESTORE_DELAY};
pub use error::SandboxError;
pub use request_log::RequestRecord;
pub use server::Sandbox;

/// CRC-64/XZ (ECMA-182, as `x-oss-hash-crc64ecma`), exposed so tests and tools compute what the
/// sandbox reports.
pub use checksum::{crc64, crc64_combine};
