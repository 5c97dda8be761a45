"""The official Python SDK's management calls against the sandbox: copies, part copies, ACLs,
storage classes, archive restore and buckets, with the errors OSS answers.

Run: cargo build -p osslite-cli && target/sdk-venv/bin/python -m pytest tests/sdk/test_manage.py
"""
import time

import alibabacloud_oss_v2 as oss
import pytest

from conftest import BUCKET, make_client, start_sandbox

KIB = 1024


def service_error(excinfo):
    """The SDK's ServiceError inside the OperationError it raised."""
    error = excinfo.value
    if isinstance(error, oss.exceptions.OperationError):
        error = error.unwrap()
    assert isinstance(error, oss.exceptions.ServiceError), repr(error)
    return error


def error_of(call):
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        call()
    error = service_error(excinfo)
    return error.status_code, error.code


def unique(name):
    return f"{name}-{time.monotonic_ns()}"


@pytest.fixture(scope="module")
def sandbox_with_restore_delay(tmp_path_factory):
    """`delay(seconds)`: a client of a sandbox whose restores take that long."""
    started = {}

    def delay(seconds):
        if seconds not in started:
            root = tmp_path_factory.mktemp(f"restore-{seconds}") / "root"
            started[seconds] = start_sandbox(root, ["--restore-seconds", str(seconds)])
        return make_client(started[seconds])

    yield delay
    for server in started.values():
        assert server.stop() == 0


# ---------------------------------------------------------------- copies


def test_copy_object_keeps_or_replaces_metadata_and_sets_class_and_acl(client):
    source, target = unique("manage/src"), unique("manage/dst")
    client.put_object(oss.PutObjectRequest(
        bucket=BUCKET, key=source, body=b"copy me", content_type="text/plain", metadata={"colour": "blue"},
    ))
    copied = client.copy_object(oss.CopyObjectRequest(
        bucket=BUCKET, key=target, source_bucket=BUCKET, source_key=source,
        storage_class="IA", acl="public-read",
    ))
    assert copied.status_code == 200 and copied.etag and copied.last_modified
    head = client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key=target))
    assert (head.content_type, head.metadata, head.storage_class) == ("text/plain", {"colour": "blue"}, "IA")
    assert client.get_object_acl(oss.GetObjectAclRequest(bucket=BUCKET, key=target)).acl == "public-read"

    client.copy_object(oss.CopyObjectRequest(
        bucket=BUCKET, key=target, source_bucket=BUCKET, source_key=target,
        metadata_directive="REPLACE", content_type="text/markdown", metadata={"edited": "yes"},
    ))
    head = client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key=target))
    assert (head.content_type, head.metadata) == ("text/markdown", {"edited": "yes"})
    assert client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=target)).body.read() == b"copy me"


def test_copy_object_errors(client):
    source = unique("manage/guarded")
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=source, body=b"x"))
    onto_itself = oss.CopyObjectRequest(bucket=BUCKET, key=source, source_bucket=BUCKET, source_key=source)
    assert error_of(lambda: client.copy_object(onto_itself)) == (400, "InvalidArgument")
    guarded = oss.CopyObjectRequest(
        bucket=BUCKET, key=source, source_bucket=BUCKET, source_key=source,
        metadata_directive="REPLACE", forbid_overwrite=True,
    )
    assert error_of(lambda: client.copy_object(guarded)) == (409, "FileAlreadyExists")
    unmatched = oss.CopyObjectRequest(
        bucket=BUCKET, key=unique("manage/t"), source_bucket=BUCKET, source_key=source, if_match='"0000"',
    )
    assert error_of(lambda: client.copy_object(unmatched)) == (412, "PreconditionFailed")
    missing = oss.CopyObjectRequest(bucket=BUCKET, key=unique("manage/t"), source_bucket=BUCKET, source_key="none")
    assert error_of(lambda: client.copy_object(missing)) == (404, "NoSuchKey")


def test_upload_part_copy_assembles_ranges(client):
    source, target = unique("manage/big"), unique("manage/assembled")
    data = bytes(i % 251 for i in range(250 * KIB))
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=source, body=data))
    upload = client.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(bucket=BUCKET, key=target))
    parts = []
    for number, (first, last) in enumerate([(0, 128 * KIB - 1), (128 * KIB, len(data) - 1)], start=1):
        result = client.upload_part_copy(oss.UploadPartCopyRequest(
            bucket=BUCKET, key=target, upload_id=upload.upload_id, part_number=number,
            source_bucket=BUCKET, source_key=source, source_range=f"bytes={first}-{last}",
        ))
        assert result.etag and result.last_modified
        parts.append(oss.UploadPart(part_number=number, etag=result.etag))
    bad_range = oss.UploadPartCopyRequest(
        bucket=BUCKET, key=target, upload_id=upload.upload_id, part_number=3,
        source_bucket=BUCKET, source_key=source, source_range=f"bytes=0-{len(data)}",
    )
    assert error_of(lambda: client.upload_part_copy(bad_range)) == (400, "InvalidArgument")
    client.complete_multipart_upload(oss.CompleteMultipartUploadRequest(
        bucket=BUCKET, key=target, upload_id=upload.upload_id,
        complete_multipart_upload=oss.CompleteMultipartUpload(parts=parts),
    ))
    assert client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=target)).body.read() == data



# ---------------------------------------------------------------- ACLs and classes


def test_object_acl_round_trip_and_bad_acl(client):
    key = unique("manage/acl")
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=key, body=b"x", acl="private"))
    assert client.get_object_acl(oss.GetObjectAclRequest(bucket=BUCKET, key=key)).acl == "private"
    for acl in ("public-read", "public-read-write", "default"):
        client.put_object_acl(oss.PutObjectAclRequest(bucket=BUCKET, key=key, acl=acl))
        assert client.get_object_acl(oss.GetObjectAclRequest(bucket=BUCKET, key=key)).acl == acl
    bad = oss.PutObjectAclRequest(bucket=BUCKET, key=key, acl="everyone")
    assert error_of(lambda: client.put_object_acl(bad)) == (400, "InvalidArgument")


def test_storage_classes_show_in_head_and_listing(client):
    prefix = unique("manage/classes") + "/"
    classes = ["Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive"]
    for storage_class in classes:
        client.put_object(oss.PutObjectRequest(
            bucket=BUCKET, key=prefix + storage_class, body=b"x", storage_class=storage_class,
        ))
        head = client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key=prefix + storage_class))
        assert head.storage_class == storage_class
    listed = client.list_objects_v2(oss.ListObjectsV2Request(bucket=BUCKET, prefix=prefix))
    assert {o.key[len(prefix):]: o.storage_class for o in listed.contents} == {c: c for c in classes}


# ---------------------------------------------------------------- archive and restore


def test_archived_object_reads_after_restore(sandbox_with_restore_delay):
    client = sandbox_with_restore_delay(0)
    key = unique("archived")
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=key, body=b"frozen", storage_class="Archive"))
    assert error_of(lambda: client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key))) == (
        403, "InvalidObjectState")
    restored = client.restore_object(oss.RestoreObjectRequest(bucket=BUCKET, key=key))
    assert restored.status_code == 202
    head = client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key=key))
    assert head.restore.startswith('ongoing-request="false", expiry-date="'), head.restore
    assert client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key)).body.read() == b"frozen"
    again = client.restore_object(oss.RestoreObjectRequest(
        bucket=BUCKET, key=key, restore_request=oss.RestoreRequest(days=3),
    ))
    assert again.status_code == 200


def test_restore_in_progress_and_restore_errors(sandbox_with_restore_delay):
    client = sandbox_with_restore_delay(3600)
    key = unique("cold")
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=key, body=b"colder", storage_class="ColdArchive"))
    request = oss.RestoreObjectRequest(
        bucket=BUCKET, key=key, restore_request=oss.RestoreRequest(days=2, tier="Bulk"),
    )
    assert client.restore_object(request).status_code == 202
    head = client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key=key))
    assert head.restore == 'ongoing-request="true"'
    assert error_of(lambda: client.restore_object(request)) == (409, "RestoreAlreadyInProgress")
    assert error_of(lambda: client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key))) == (
        403, "InvalidObjectState")

    standard = unique("warm")
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=standard, body=b"warm"))
    not_archived = oss.RestoreObjectRequest(bucket=BUCKET, key=standard)
    assert error_of(lambda: client.restore_object(not_archived)) == (400, "OperationNotSupported")


# ---------------------------------------------------------------- buckets


def test_put_bucket_acl_info_and_delete(client):
    name = f"sdk-made-{time.monotonic_ns() % 10**9}"
    client.put_bucket(oss.PutBucketRequest(
        bucket=name, acl="public-read",
        create_bucket_configuration=oss.CreateBucketConfiguration(storage_class="IA"),
    ))
    info = client.get_bucket_info(oss.GetBucketInfoRequest(bucket=name)).bucket_info
    assert (info.name, info.storage_class, info.acl) == (name, "IA", "public-read")
    assert client.get_bucket_acl(oss.GetBucketAclRequest(bucket=name)).acl == "public-read"
    client.put_bucket_acl(oss.PutBucketAclRequest(bucket=name, acl="private"))
    assert client.get_bucket_acl(oss.GetBucketAclRequest(bucket=name)).acl == "private"

    assert error_of(lambda: client.put_bucket(oss.PutBucketRequest(bucket=name))) == (409, "BucketAlreadyExists")
    client.put_object(oss.PutObjectRequest(bucket=name, key="k", body=b"x"))
    delete = oss.DeleteBucketRequest(bucket=name)
    assert error_of(lambda: client.delete_bucket(delete)) == (409, "BucketNotEmpty")
    client.delete_object(oss.DeleteObjectRequest(bucket=name, key="k"))
    upload = client.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(bucket=name, key="pending"))
    assert error_of(lambda: client.delete_bucket(delete)) == (409, "BucketNotEmpty")
    client.abort_multipart_upload(oss.AbortMultipartUploadRequest(
        bucket=name, key="pending", upload_id=upload.upload_id,
    ))
    assert client.delete_bucket(delete).status_code == 204
    assert error_of(lambda: client.get_bucket_acl(oss.GetBucketAclRequest(bucket=name))) == (404, "NoSuchBucket")

