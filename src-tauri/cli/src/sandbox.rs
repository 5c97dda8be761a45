//! `osslite-cli sandbox`: runs the local OSS-compatible server until Ctrl-C or SIGTERM.
//!
//! The first line of output is `endpoint: http://HOST:PORT`, so scripts and test fixtures can
//! start it on port 0 and read where it listens.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use osslite_core::credentials::{mask_access_key_id, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_SESSION_TOKEN};
use osslite_core::{Error, ErrorKind, Result};
use osslite_sandbox::{
    AccessKey, Faults, Sandbox, SandboxConfig, SandboxError, DEFAULT_LISTEN, DEFAULT_REGION, DEFAULT_RESTORE_DELAY,
};

#[derive(Args)]
pub struct SandboxArgs {
    /// Directory holding buckets and objects; created if missing, kept across runs.
    #[arg(long)]
    root: PathBuf,
    /// Address to listen on; port 0 picks a free one. Loopback only unless --public.
    #[arg(long, default_value_t = DEFAULT_LISTEN)]
    listen: SocketAddr,
    /// Allow listening on a non-loopback address (anyone who can reach it can try the keys).
    #[arg(long)]
    public: bool,
    /// Region id the signatures must name.
    #[arg(long, default_value = DEFAULT_REGION)]
    region: String,
    /// Bucket to create at start if missing. Repeatable.
    #[arg(long = "bucket", value_name = "NAME")]
    buckets: Vec<String>,
    /// Bucket of another region than --region, as NAME=REGION (created at start if missing):
    /// requests for it must be signed for REGION, as OSS wants. Repeatable.
    #[arg(long = "bucket-region", value_name = "NAME=REGION", value_parser = parse_bucket_region)]
    bucket_regions: Vec<(String, String)>,
    /// AccessKey ID to accept; default OSS_ACCESS_KEY_ID, else a random key (printed).
    #[arg(long, requires = "access_key_secret")]
    access_key_id: Option<String>,
    /// AccessKey secret for --access-key-id.
    #[arg(long, requires = "access_key_id")]
    access_key_secret: Option<String>,
    /// Make the key an STS temporary key: requests must carry this security token.
    #[arg(long, requires = "access_key_id")]
    security_token: Option<String>,
    /// Share of requests answered 503 ServiceUnavailable, 0 to 1.
    #[arg(long, default_value_t = 0.0, value_name = "RATIO")]
    fail_ratio: f64,
    /// Latency added before every response, in milliseconds.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    latency_ms: u64,
    /// Bandwidth cap for every request and response body, in bytes per second.
    #[arg(long, value_name = "BYTES")]
    bandwidth: Option<u64>,
    /// Drop the connection after this many bytes of each response body.
    #[arg(long, value_name = "BYTES")]
    drop_after_bytes: Option<u64>,
    /// Report a wrong x-oss-hash-crc64ecma.
    #[arg(long)]
    corrupt_crc: bool,
    /// Seconds a RestoreObject takes before the archived object can be read.
    #[arg(long, default_value_t = DEFAULT_RESTORE_DELAY.as_secs_f64(), value_name = "SECONDS")]
    restore_seconds: f64,
    /// Seed of the fault RNG, to replay a run.
    #[arg(long, value_name = "N")]
    fault_seed: Option<u64>,
}

/// Where the key came from decides whether its secret may be printed.
enum KeySource {
    Flags,
    Environment,
    Generated,
}

pub fn run(args: SandboxArgs) -> Result<()> {
    if !args.listen.ip().is_loopback() && !args.public {
        return Err(Error::invalid_input(format!(
            "--listen {} is not a loopback address; add --public to serve other machines",
            args.listen
        )));
    }
    if !(0.0..=1.0).contains(&args.fail_ratio) {
        return Err(Error::invalid_input(format!("--fail-ratio {} must be between 0 and 1", args.fail_ratio)));
    }
    if !args.restore_seconds.is_finite() || args.restore_seconds < 0.0 {
        return Err(Error::invalid_input(format!(
            "--restore-seconds {} must be a number of seconds, 0 or more",
            args.restore_seconds
        )));
    }
    let (key, source) = access_key(&args)?;
    let mut faults = Faults {
        error_503_ratio: args.fail_ratio,
        drop_after_bytes: args.drop_after_bytes,
        latency: Duration::from_millis(args.latency_ms),
        bandwidth_bytes_per_sec: args.bandwidth,
        corrupt_crc: args.corrupt_crc,
        ..Faults::default()
    };
    if let Some(seed) = args.fault_seed {
        faults.seed = seed;
    }
    let mut config = SandboxConfig::new(&args.root)
        .with_listen(args.listen)
        .with_region(&args.region)
        .with_key(key.clone())
        .with_faults(faults)
        .with_restore_delay(Duration::from_secs_f64(args.restore_seconds));
    config.buckets = args.buckets.clone();
    config.bucket_regions = args.bucket_regions.clone();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| Error::new(ErrorKind::Io, format!("cannot start the async runtime: {err}")))?;
    runtime.block_on(async {
        let sandbox = Sandbox::start(config).await.map_err(sandbox_error)?;
        print_banner(&sandbox, &args, &key, &source).map_err(|err| Error::new(ErrorKind::Io, err.to_string()))?;
        crate::signals::stop_requested().await;
        sandbox.shutdown().await;
        Ok(())
    })
}

fn access_key(args: &SandboxArgs) -> Result<(AccessKey, KeySource)> {
    if let (Some(id), Some(secret)) = (&args.access_key_id, &args.access_key_secret) {
        let key = match &args.security_token {
            Some(token) => AccessKey::temporary(id, secret, token),
            None => AccessKey::new(id, secret),
        };
        return Ok((key, KeySource::Flags));
    }
    let env = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    match (env(ENV_ACCESS_KEY_ID), env(ENV_ACCESS_KEY_SECRET)) {
        (Some(id), Some(secret)) => {
            let key = match env(ENV_SESSION_TOKEN) {
                Some(token) => AccessKey::temporary(id, secret, token),
                None => AccessKey::new(id, secret),
            };
            Ok((key, KeySource::Environment))
        }
        (Some(_), None) | (None, Some(_)) => Err(Error::invalid_input(format!(
            "set both {ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET}, or neither to get a random key"
        ))),
        (None, None) => Ok((AccessKey::random(), KeySource::Generated)),
    }
}

fn print_banner(sandbox: &Sandbox, args: &SandboxArgs, key: &AccessKey, source: &KeySource) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "endpoint: {}", sandbox.endpoint())?;
    writeln!(out, "region: {}", sandbox.region())?;
    for (bucket, region) in &args.bucket_regions {
        writeln!(out, "bucket-region: {bucket}={region}")?;
    }
    for bucket in &args.buckets {
        writeln!(out, "bucket: {bucket}")?;
    }
    writeln!(out, "root: {}", sandbox.root().display())?;
    match source {
        // Never echo a secret the user did not hand to this command: it may be a real key.
        KeySource::Environment => {
            writeln!(out, "# using the key in {ENV_ACCESS_KEY_ID} ({})", mask_access_key_id(&key.id))?;
        }
        KeySource::Flags | KeySource::Generated => {
            writeln!(out, "export {ENV_ACCESS_KEY_ID}={}", key.id)?;
            writeln!(out, "export {ENV_ACCESS_KEY_SECRET}={}", key.secret.expose())?;
            if let Some(token) = &key.security_token {
                writeln!(out, "export {ENV_SESSION_TOKEN}={}", token.expose())?;
            }
        }
    }
    writeln!(out, "export OSS_REGION={}", sandbox.region())?;
    writeln!(out, "export OSS_ENDPOINT={}", sandbox.endpoint())?;
    writeln!(out, "# serving until Ctrl-C or SIGTERM")?;
    out.flush()
}

fn sandbox_error(err: SandboxError) -> Error {
    match err {
        SandboxError::InvalidConfig(_) => Error::invalid_input(err.to_string()),
        SandboxError::Listen { .. } | SandboxError::Storage { .. } => Error::new(ErrorKind::Io, err.to_string()),
    }
}

fn parse_bucket_region(text: &str) -> std::result::Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, region)) if !name.trim().is_empty() && !region.trim().is_empty() => {
            Ok((name.trim().to_owned(), region.trim().to_owned()))
        }
        _ => Err(format!("'{text}' is not NAME=REGION, such as far-bucket=cn-beijing")),
    }
}
