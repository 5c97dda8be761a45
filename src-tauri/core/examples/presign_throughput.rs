//! Presigns the benchmark request N times on one thread and prints `URLS_PER_SEC <n>`.
//! Used by tests/bench/presign-compare.sh next to the official SDKs doing the same work.

use std::time::Instant;

use chrono::Utc;
use osslite_core::{Addressing, Credentials, Endpoint, Method, OssRequest, Secret, Signer};

fn main() {
    let count: u64 = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let credentials = Credentials::new("LTAI5tBenchmarkKeyId", Secret::new("benchmark-secret-not-real"))
        .expect("benchmark credentials are valid");
    let signer = Signer::new(credentials, "cn-hangzhou").expect("cn-hangzhou is a region id");
    let endpoint = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual).expect("valid endpoint");
    let request = OssRequest::object(Method::Get, "examplebucket", "photos/2026/holiday/IMG_0042.jpg");
    let at = Utc::now();
    let started = Instant::now();
    let mut total_len = 0usize;
    for _ in 0..count {
        let presigned = signer.presign(&endpoint, &request, at, 3600).expect("presign succeeds");
        total_len += presigned.url.len();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("URLS_PER_SEC {:.0}", count as f64 / seconds);
    eprintln!("{count} URLs, {} bytes, {seconds:.3} s", total_len);
}
