"""The official Python SDK's versioning calls against the sandbox: bucket versioning, a version
ID on every write, reads and deletes of one version, delete markers and ListObjectVersions paging.

Run: cargo build -p osslite-cli && target/sdk-venv/bin/python -m pytest tests/sdk/test_versions.py
"""
import alibabacloud_oss_v2 as oss
import pytest

from conftest import make_client, start_sandbox


@pytest.fixture(scope="module")
def versioned(tmp_path_factory):
    """A client of a sandbox of its own (versioning cannot be turned off), with versioning on."""
    server = start_sandbox(tmp_path_factory.mktemp("versions") / "root")
    client = make_client(server)
    client.put_bucket_versioning(oss.PutBucketVersioningRequest(
        bucket=server.bucket,
        versioning_configuration=oss.VersioningConfiguration(status="Enabled"),
    ))
    yield client, server.bucket
    assert server.stop() == 0


def service_error(call):
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        call()
    error = excinfo.value.unwrap()
    assert isinstance(error, oss.exceptions.ServiceError), repr(error)
    return error


def test_versioning_status_and_a_version_per_write(versioned):
    client, bucket = versioned
    status = client.get_bucket_versioning(oss.GetBucketVersioningRequest(bucket=bucket))
    assert status.version_status == "Enabled"
    first = client.put_object(oss.PutObjectRequest(bucket=bucket, key="v/doc", body=b"one")).version_id
    second = client.put_object(oss.PutObjectRequest(bucket=bucket, key="v/doc", body=b"two")).version_id
    assert first and second and first != second

    latest = client.get_object(oss.GetObjectRequest(bucket=bucket, key="v/doc"))
    assert (latest.body.read(), latest.version_id) == (b"two", second)
    old = client.get_object(oss.GetObjectRequest(bucket=bucket, key="v/doc", version_id=first))
    assert old.body.read() == b"one"
    head = client.head_object(oss.HeadObjectRequest(bucket=bucket, key="v/doc", version_id=first))
    assert (head.content_length, head.version_id) == (3, first)

    copied = client.copy_object(oss.CopyObjectRequest(
        bucket=bucket, key="v/doc", source_bucket=bucket, source_key="v/doc", source_version_id=first,
    ))
    assert copied.source_version_id == first and copied.version_id not in (first, second)
    assert client.get_object(oss.GetObjectRequest(bucket=bucket, key="v/doc")).body.read() == b"one"


def test_delete_markers_and_deleting_one_version(versioned):
    client, bucket = versioned
    kept = client.put_object(oss.PutObjectRequest(bucket=bucket, key="d/gone", body=b"data")).version_id
    deleted = client.delete_object(oss.DeleteObjectRequest(bucket=bucket, key="d/gone"))
    assert deleted.delete_marker is True and deleted.version_id and deleted.version_id != kept

    missing = service_error(lambda: client.get_object(oss.GetObjectRequest(bucket=bucket, key="d/gone")))
    assert (missing.status_code, missing.code) == (404, "NoSuchKey")
    marker = service_error(lambda: client.get_object(oss.GetObjectRequest(
        bucket=bucket, key="d/gone", version_id=deleted.version_id)))
    assert (marker.status_code, marker.code) == (405, "MethodNotAllowed")

    listing = client.list_object_versions(oss.ListObjectVersionsRequest(bucket=bucket, prefix="d/"))
    assert [m.version_id for m in listing.delete_marker] == [deleted.version_id]
    assert listing.delete_marker[0].is_latest is True
    assert [(v.version_id, v.is_latest) for v in listing.version] == [(kept, False)]

    undeleted = client.delete_object(oss.DeleteObjectRequest(
        bucket=bucket, key="d/gone", version_id=deleted.version_id))
    assert undeleted.delete_marker is True
    assert client.get_object(oss.GetObjectRequest(bucket=bucket, key="d/gone")).body.read() == b"data"
    client.delete_object(oss.DeleteObjectRequest(bucket=bucket, key="d/gone", version_id=kept))
    listing = client.list_object_versions(oss.ListObjectVersionsRequest(bucket=bucket, prefix="d/"))
    assert not listing.version and not listing.delete_marker


def test_list_object_versions_pages_with_both_markers(versioned):
    client, bucket = versioned
    written = []
    for round_ in range(3):
        for key in ("p/a", "p/b c", "p/sub/x"):
            result = client.put_object(oss.PutObjectRequest(bucket=bucket, key=key, body=f"{round_}".encode()))
            written.append((key, result.version_id))

    seen, pages = [], 0
    request = oss.ListObjectVersionsRequest(bucket=bucket, prefix="p/", delimiter="/", max_keys=2)
    while True:
        page = client.list_object_versions(request)
        pages += 1
        seen += [(v.key, v.version_id) for v in page.version or []]
        seen += [(p.prefix, None) for p in page.common_prefixes or []]
        if not page.is_truncated:
            break
        request.key_marker, request.version_id_marker = page.next_key_marker, page.next_version_id_marker
    newest_first = [(k, v) for k, v in reversed(written) if k in ("p/a",)] + \
        [(k, v) for k, v in reversed(written) if k == "p/b c"]
    assert seen == newest_first + [("p/sub/", None)]
    assert pages == 4
