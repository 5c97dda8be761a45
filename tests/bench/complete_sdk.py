"""Times CompleteMultipartUpload against a sandbox with alibabacloud-oss-v2: uploads SIZE_MIB in 8
parts, then completes; prints `SIZE_MIB <s> COMPLETE_MS <median> (<min>-<max>)` over ROUNDS rounds.
Usage: complete_sdk.py ENDPOINT BUCKET SIZE_MIB ROUNDS. Keys from OSS_ACCESS_KEY_*."""
import os
import statistics
import sys
import time

import alibabacloud_oss_v2 as oss

PARTS = 8


def main():
    endpoint, bucket, size_mib, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    config = oss.config.load_default()
    config.credentials_provider = oss.credentials.EnvironmentVariableCredentialsProvider()
    config.region = "cn-hangzhou"
    config.endpoint = endpoint
    config.use_path_style = True
    client = oss.Client(config)
    part = bytes(range(256)) * (size_mib * 1024 * 1024 // PARTS // 256)
    times = []
    for round_number in range(rounds):
        key = f"complete-bench/{size_mib}-{round_number}"
        upload = client.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(bucket=bucket, key=key))
        parts = []
        for number in range(1, PARTS + 1):
            result = client.upload_part(oss.UploadPartRequest(
                bucket=bucket, key=key, upload_id=upload.upload_id, part_number=number, body=part,
            ))
            parts.append(oss.UploadPart(part_number=number, etag=result.etag))
        # Flush the parts first, so their writeback does not land in the measured call.
        os.sync()
        started = time.perf_counter()
        client.complete_multipart_upload(oss.CompleteMultipartUploadRequest(
            bucket=bucket, key=key, upload_id=upload.upload_id,
            complete_multipart_upload=oss.CompleteMultipartUpload(parts=parts),
        ))
        times.append((time.perf_counter() - started) * 1000)
        client.delete_object(oss.DeleteObjectRequest(bucket=bucket, key=key))
    print(f"SIZE_MIB {size_mib} COMPLETE_MS {statistics.median(times):.1f} ({min(times):.1f}-{max(times):.1f})")


if __name__ == "__main__":
    main()
