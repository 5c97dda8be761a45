"""Lists every object under a prefix with alibabacloud-oss-v2's paginator; prints
`OBJECTS <n> OBJECTS_PER_SEC <r> PEAK_RSS_KB <k>`. Usage: list_sdk.py ENDPOINT BUCKET PREFIX."""
import resource
import sys
import time

import alibabacloud_oss_v2 as oss


def main():
    endpoint, bucket, prefix = sys.argv[1:4]
    config = oss.config.load_default()
    config.credentials_provider = oss.credentials.EnvironmentVariableCredentialsProvider()
    config.region = "cn-hangzhou"
    config.endpoint = endpoint
    config.use_path_style = True
    client = oss.Client(config)
    paginator = client.list_objects_v2_paginator()
    started = time.perf_counter()
    count = 0
    for page in paginator.iter_page(oss.ListObjectsV2Request(bucket=bucket, prefix=prefix, max_keys=1000)):
        count += len(page.contents or [])
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"OBJECTS {count} OBJECTS_PER_SEC {count / seconds:.0f} PEAK_RSS_KB {peak_kb}")


if __name__ == "__main__":
    main()
