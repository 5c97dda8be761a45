"""The official Python SDK against a sandbox with a bucket in another region (`--bucket-region`):
configured for the server's region it gets OSS's 403 naming the bucket's endpoint; configured
for the bucket's region it reads and writes; ListBuckets and GetBucketLocation name each region.

Run: cargo build -p osslite-cli && target/sdk-venv/bin/python -m pytest tests/sdk/test_regions.py
"""
import types

import alibabacloud_oss_v2 as oss
import pytest

from conftest import make_client, start_sandbox

FAR = "far-sdk"
FAR_REGION = "cn-beijing"


@pytest.fixture(scope="module")
def two_regions(tmp_path_factory):
    server = start_sandbox(tmp_path_factory.mktemp("regions") / "root", ["--bucket-region", f"{FAR}={FAR_REGION}"])
    yield server
    assert server.stop() == 0


def client_for(sandbox, region):
    """A client of the sandbox configured for `region`, as for that region's endpoint."""
    return make_client(types.SimpleNamespace(**{**vars(sandbox), "region": region}))


def refusal(call):
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        call()
    error = excinfo.value.unwrap()
    assert isinstance(error, oss.exceptions.ServiceError), repr(error)
    return error


def test_a_client_of_another_region_is_told_the_buckets_endpoint(two_regions):
    client = make_client(two_regions)
    error = refusal(lambda: client.get_object(oss.GetObjectRequest(bucket=FAR, key="k.txt")))
    assert (error.status_code, error.code, error.ec) == (403, "AccessDenied", "0003-00001403")
    assert "must be addressed using the specified endpoint" in error.message
    assert error.error_fileds["Endpoint"] == f"oss-{FAR_REGION}.aliyuncs.com"
    assert error.error_fileds["Bucket"] == FAR


def test_a_client_of_the_buckets_region_reads_and_writes_it(two_regions):
    client = client_for(two_regions, FAR_REGION)
    client.put_object(oss.PutObjectRequest(bucket=FAR, key="k.txt", body=b"beijing"))
    assert client.get_object(oss.GetObjectRequest(bucket=FAR, key="k.txt")).body.read() == b"beijing"
    location = client.get_bucket_location(oss.GetBucketLocationRequest(bucket=FAR))
    assert location.location == f"oss-{FAR_REGION}"


def test_list_buckets_names_each_buckets_region(two_regions):
    client = make_client(two_regions)
    buckets = {b.name: b for b in client.list_buckets(oss.ListBucketsRequest()).buckets}
    assert buckets[FAR].region == FAR_REGION and buckets[FAR].location == f"oss-{FAR_REGION}"
    assert buckets[two_regions.bucket].region == two_regions.region


def test_put_bucket_creates_in_the_region_it_is_signed_for(two_regions):
    shanghai = client_for(two_regions, "cn-shanghai")
    shanghai.put_bucket(oss.PutBucketRequest(bucket="made-in-shanghai"))
    location = shanghai.get_bucket_location(oss.GetBucketLocationRequest(bucket="made-in-shanghai"))
    assert location.location == "oss-cn-shanghai"
    error = refusal(lambda: make_client(two_regions).get_bucket_info(oss.GetBucketInfoRequest(bucket="made-in-shanghai")))
    assert error.error_fileds["Endpoint"] == "oss-cn-shanghai.aliyuncs.com"
