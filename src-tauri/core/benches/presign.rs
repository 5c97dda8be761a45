//! Presigned URLs per second on one core: `cargo bench -p osslite-core --bench presign`.

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use osslite_core::{Addressing, Credentials, Endpoint, Method, OssRequest, Secret, Signer};
use std::hint::black_box;

fn signer(token: Option<&str>) -> Signer {
    let mut credentials = Credentials::new("LTAI5tBenchmarkKeyId", Secret::new("benchmark-secret-not-real")).unwrap();
    if let Some(token) = token {
        credentials = credentials.with_security_token(Secret::new(token));
    }
    Signer::new(credentials, "cn-hangzhou").unwrap()
}

fn presign(c: &mut Criterion) {
    let endpoint = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
    let plain = signer(None);
    let get = OssRequest::object(Method::Get, "examplebucket", "photos/2026/holiday/IMG_0042.jpg");
    let mut group = c.benchmark_group("presign");
    group.throughput(Throughput::Elements(1));
    group.bench_function("get", |b| b.iter(|| plain.presign(&endpoint, black_box(&get), at, 3600).unwrap()));

    let put = OssRequest::object(Method::Put, "examplebucket", "uploads/report 2026 年度.pdf")
        .with_header("Content-Type", "application/pdf")
        .with_header("x-oss-meta-owner", "alice");
    group.bench_function("put_with_signed_headers", |b| {
        b.iter(|| plain.presign(&endpoint, black_box(&put), at, 3600).unwrap())
    });

    let sts = signer(Some("CAIS8gF1q6Ft5B2yfSjIr5bkKfjLqeJ7+/=sts-token-of-realistic-length-for-the-benchmark"));
    let versioned =
        get.clone().with_query("versionId", "CAEQNhiBgMDJgZCA0BYiIDc4MGZjZGI2OTBjOTRmNTE5NmU5NmFmZjY0YjYzZmJk");
    group.bench_function("get_sts_version", |b| {
        b.iter(|| sts.presign(&endpoint, black_box(&versioned), at, 3600).unwrap())
    });
    group.finish();
}

criterion_group!(benches, presign);
criterion_main!(benches);
