"""Uploads or downloads one file with alibabacloud-oss-v2's Uploader / Downloader, for
transfer-compare.sh. Usage: transfer_sdk.py upload|download ENDPOINT BUCKET KEY PATH PART_SIZE PARALLEL.
Credentials from OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET; prints `SECONDS <s>`."""
import sys
import time

import alibabacloud_oss_v2 as oss


def main():
    action, endpoint, bucket, key, path, part_size, parallel = sys.argv[1:8]
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.EnvironmentVariableCredentialsProvider()
    cfg.region = "cn-hangzhou"
    cfg.endpoint = endpoint
    cfg.use_path_style = True
    client = oss.Client(cfg)
    started = time.perf_counter()
    if action == "upload":
        uploader = client.uploader(part_size=int(part_size), parallel_num=int(parallel))
        uploader.upload_file(oss.PutObjectRequest(bucket=bucket, key=key), filepath=path)
    else:
        downloader = client.downloader(part_size=int(part_size), parallel_num=int(parallel))
        downloader.download_file(oss.GetObjectRequest(bucket=bucket, key=key), filepath=path)
    print(f"SECONDS {time.perf_counter() - started:.3f}")


if __name__ == "__main__":
    main()
