"""Presigns the benchmark request N times with alibabacloud-oss-v2; prints `URLS_PER_SEC <n>`."""
import datetime
import sys
import time

import alibabacloud_oss_v2 as oss


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    config = oss.config.load_default()
    config.credentials_provider = oss.credentials.StaticCredentialsProvider(
        "LTAI5tBenchmarkKeyId", "benchmark-secret-not-real"
    )
    config.region = "cn-hangzhou"
    client = oss.Client(config)
    request = oss.GetObjectRequest(bucket="examplebucket", key="photos/2026/holiday/IMG_0042.jpg")
    expires = datetime.timedelta(seconds=3600)
    started = time.perf_counter()
    for _ in range(count):
        client.presign(request, expires=expires)
    seconds = time.perf_counter() - started
    print(f"URLS_PER_SEC {count / seconds:.0f}")


if __name__ == "__main__":
    main()
