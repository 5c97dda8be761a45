"""Moves a folder or copies one object on the server with alibabacloud-oss-v2, for
manage-compare.sh. Usage:
  manage_sdk.py move ENDPOINT BUCKET SRC_PREFIX DST_PREFIX   (list, copy_object each, delete_multiple_objects)
  manage_sdk.py copy ENDPOINT BUCKET SRC_KEY DST_KEY PART_SIZE PARALLEL   (the Copier: UploadPartCopy)
Credentials from OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET; prints `SECONDS <s>`."""
import sys
import time

import alibabacloud_oss_v2 as oss


def client_for(endpoint):
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.EnvironmentVariableCredentialsProvider()
    cfg.region = "cn-hangzhou"
    cfg.endpoint = endpoint
    cfg.use_path_style = True
    return oss.Client(cfg)


def move(client, bucket, source, target):
    keys = []
    paginator = client.list_objects_v2_paginator()
    for page in paginator.iter_page(oss.ListObjectsV2Request(bucket=bucket, prefix=source)):
        keys.extend(obj.key for obj in page.contents or [])
    for key in keys:
        client.copy_object(oss.CopyObjectRequest(
            bucket=bucket, key=target + key[len(source):], source_bucket=bucket, source_key=key))
    for start in range(0, len(keys), 1000):
        chunk = keys[start:start + 1000]
        client.delete_multiple_objects(oss.DeleteMultipleObjectsRequest(
            bucket=bucket, objects=[oss.DeleteObject(key=key) for key in chunk], quiet=True))
    return len(keys)


def copy(client, bucket, source, target, part_size, parallel):
    copier = client.copier(part_size=part_size, parallel_num=parallel, multipart_copy_threshold=part_size,
                          disable_shallow_copy=True)
    copier.copy(oss.CopyObjectRequest(bucket=bucket, key=target, source_bucket=bucket, source_key=source))


def main():
    action, endpoint, bucket, source, target = sys.argv[1:6]
    client = client_for(endpoint)
    started = time.perf_counter()
    if action == "move":
        move(client, bucket, source, target)
    else:
        copy(client, bucket, source, target, int(sys.argv[6]), int(sys.argv[7]))
    print(f"SECONDS {time.perf_counter() - started:.3f}")


if __name__ == "__main__":
    main()
