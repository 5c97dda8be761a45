//! Lists every object under a prefix of a bucket and prints `OBJECTS <n> OBJECTS_PER_SEC <r> PEAK_RSS_KB <k>`.
//! With `--populate N`, first puts N small objects there (64 at a time; sizes vary so that sorting by size
//! means something). Used by tests/bench/list-compare.sh and tests/bench/app-browse.sh.
//!
//! `list_throughput ENDPOINT BUCKET PREFIX [--populate N]`, keys from OSS_ACCESS_KEY_ID / _SECRET.

use std::time::Instant;

use futures_util::{stream, StreamExt, TryStreamExt};
use osslite_core::client::{Body, Client, ClientConfig};
use osslite_core::ops::PutObjectOptions;
use osslite_core::{Addressing, Credentials, Endpoint};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, endpoint, bucket, prefix, rest @ ..] = args.as_slice() else {
        return Err("usage: list_throughput ENDPOINT BUCKET PREFIX [--populate N]".into());
    };
    let endpoint = Endpoint::parse(endpoint, Addressing::Path)?;
    let client = Client::new(ClientConfig::builder(endpoint, "cn-hangzhou", Credentials::from_env()?).build()?)?;
    if let [flag, count] = rest {
        if flag == "--populate" {
            let count: usize = count.parse()?;
            stream::iter(0..count)
                .map(|i| {
                    let (client, key) = (client.clone(), format!("{prefix}object-{i:07}.txt"));
                    let body = Body::from(vec![b'x'; (i * 7919) % 1024]);
                    async move { client.put_object(bucket, &key, body, &PutObjectOptions::default()).await }
                })
                .buffer_unordered(64)
                .try_collect::<Vec<_>>()
                .await?;
        }
    }
    let started = Instant::now();
    let count = client.list_all(bucket, Some(prefix), None).try_fold(0u64, |n, _| async move { Ok(n + 1) }).await?;
    let seconds = started.elapsed().as_secs_f64();
    println!("OBJECTS {count} OBJECTS_PER_SEC {:.0} PEAK_RSS_KB {}", count as f64 / seconds, peak_rss_kb());
    Ok(())
}

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
