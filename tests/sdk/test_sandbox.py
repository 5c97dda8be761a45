"""The official Python SDK, alibabacloud-oss-v2, against the OSS Lite sandbox: the operations
the app relies on must behave as on OSS, and requests OSS would refuse must be refused with the
same error Code, read from the SDK's ServiceError.

Run: cargo build -p osslite-cli && target/sdk-venv/bin/python -m pytest tests/sdk/test_sandbox.py
"""
import datetime
import io
import os
import re
import time
import urllib.parse
import xml.etree.ElementTree as ET

import alibabacloud_oss_v2 as oss
import pytest
import requests

from conftest import BUCKET, TamperingHttpClient, make_client

KIB = 1024


def service_error(excinfo):
    """The SDK's ServiceError inside the OperationError it raised."""
    error = excinfo.value
    if isinstance(error, oss.exceptions.OperationError):
        error = error.unwrap()
    assert isinstance(error, oss.exceptions.ServiceError), repr(error)
    return error


def xml_code(response):
    return ET.fromstring(response.content).findtext("Code")


def unique(name):
    return f"{name}-{time.monotonic_ns()}"


# ---------------------------------------------------------------- objects


def test_put_get_with_range_and_head(client):
    key = unique("objects/héllo wörld+1.txt")
    data = b"0123456789abcdef"
    put = client.put_object(oss.PutObjectRequest(
        bucket=BUCKET, key=key, body=data, content_type="text/plain", metadata={"owner": "ada"},
        storage_class="IA",
    ))
    assert put.status_code == 200
    assert put.etag == '"' + __import__("hashlib").md5(data).hexdigest().upper() + '"'
    assert put.hash_crc64  # the SDK already compared it with its own CRC-64

    ranged = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key, range_header="bytes=2-5"))
    assert ranged.status_code == 206
    assert ranged.body.read() == b"2345"
    assert ranged.content_range == "bytes 2-5/16"

    suffix = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key, range_header="bytes=-3"))
    assert suffix.body.read() == b"def"
    ignored = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key, range_header="bytes=100-200"))
    assert (ignored.status_code, ignored.body.read()) == (200, data)

    head = client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key=key))
    assert head.content_length == len(data)
    assert head.content_type == "text/plain"
    assert head.metadata == {"owner": "ada"}
    assert head.etag == put.etag
    assert head.object_type == "Normal"
    assert head.storage_class == "IA"
    assert head.hash_crc64 == put.hash_crc64
    assert isinstance(head.last_modified, datetime.datetime)

    meta = client.get_object_meta(oss.GetObjectMetaRequest(bucket=BUCKET, key=key))
    assert (meta.content_length, meta.etag) == (len(data), put.etag)


def test_missing_objects_and_buckets_are_service_errors(client):
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        client.get_object(oss.GetObjectRequest(bucket=BUCKET, key="no/such/key"))
    error = service_error(excinfo)
    assert (error.status_code, error.code, error.ec) == (404, "NoSuchKey", "0026-00000001")
    assert len(error.request_id) == 24

    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key="no/such/key"))
    assert service_error(excinfo).code == "NoSuchKey"  # from x-oss-err: HEAD has no body

    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        client.list_objects_v2(oss.ListObjectsV2Request(bucket="no-such-bucket"))
    assert service_error(excinfo).code == "NoSuchBucket"


def test_forbid_overwrite_is_file_already_exists(client):
    key = unique("once")
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=key, body=b"1"))
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=key, body=b"2", forbid_overwrite=True))
    assert (service_error(excinfo).status_code, service_error(excinfo).code) == (409, "FileAlreadyExists")


def test_copy_delete_and_delete_multiple(client):
    source = unique("copy/source")
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=source, body=b"copied bytes", metadata={"k": "v"}))
    target = unique("copy/target")
    copied = client.copy_object(oss.CopyObjectRequest(bucket=BUCKET, key=target, source_bucket=BUCKET, source_key=source))
    assert copied.status_code == 200 and copied.etag and copied.last_modified
    got = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=target))
    assert got.body.read() == b"copied bytes"
    assert got.metadata == {"k": "v"}

    deleted = client.delete_object(oss.DeleteObjectRequest(bucket=BUCKET, key=target))
    assert deleted.status_code == 204
    assert client.delete_object(oss.DeleteObjectRequest(bucket=BUCKET, key=target)).status_code == 204
    assert not client.is_object_exist(BUCKET, target)

    keys = [unique("batch/a b"), unique("batch/&<>\"'"), unique("batch/中文"), unique("batch/never-existed")]
    for key in keys[:3]:
        client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=key, body=b"x"))
    result = client.delete_multiple_objects(oss.DeleteMultipleObjectsRequest(
        bucket=BUCKET, objects=[oss.DeleteObject(key=k) for k in keys],
    ))
    assert sorted(d.key for d in result.deleted_objects) == sorted(keys)
    for key in keys:
        assert not client.is_object_exist(BUCKET, key)

    quiet = client.delete_multiple_objects(oss.DeleteMultipleObjectsRequest(
        bucket=BUCKET, objects=[oss.DeleteObject(key=keys[0])], quiet=True,
    ))
    assert not quiet.deleted_objects


# ---------------------------------------------------------------- listing


def test_list_objects_v2_paginator_with_and_without_delimiter(client):
    base = unique("list") + "/"
    keys = [f"{base}{d}/{i:02d}" for d in ("a", "b", "é") for i in range(7)] + [f"{base}top-{i}" for i in range(5)]
    for key in keys:
        client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=key, body=key.encode()))

    paginator = client.list_objects_v2_paginator(limit=4)
    pages = list(paginator.iter_page(oss.ListObjectsV2Request(bucket=BUCKET, prefix=base)))
    listed = [o.key for page in pages for o in page.contents or []]
    assert listed == sorted(keys, key=lambda k: k.encode())
    assert len(pages) == (len(keys) + 3) // 4
    assert all(page.key_count == len(page.contents or []) for page in pages)

    pages = list(paginator.iter_page(oss.ListObjectsV2Request(bucket=BUCKET, prefix=base, delimiter="/"), limit=2))
    prefixes = [p.prefix for page in pages for p in page.common_prefixes or []]
    direct = [o.key for page in pages for o in page.contents or []]
    assert prefixes == [f"{base}a/", f"{base}b/", f"{base}é/"]
    assert direct == [f"{base}top-{i}" for i in range(5)]

    first = client.list_objects_v2(oss.ListObjectsV2Request(bucket=BUCKET, prefix=base, max_keys=3, fetch_owner=True))
    assert first.is_truncated and first.next_continuation_token and first.contents[0].owner.id
    after = client.list_objects_v2(oss.ListObjectsV2Request(bucket=BUCKET, prefix=base, start_after=f"{base}b/06"))
    assert after.contents[0].key == f"{base}top-0"


def test_buckets_info_and_location(client):
    name = unique("made").replace("_", "-")[:40].lower()
    client.put_bucket(oss.PutBucketRequest(bucket=name))
    names = [b.name for b in client.list_buckets(oss.ListBucketsRequest()).buckets]
    assert BUCKET in names and name in names
    info = client.get_bucket_info(oss.GetBucketInfoRequest(bucket=name))
    assert info.bucket_info.name == name and info.bucket_info.location == "oss-cn-hangzhou"
    assert info.bucket_info.acl == "private"
    assert client.get_bucket_location(oss.GetBucketLocationRequest(bucket=name)).location == "oss-cn-hangzhou"
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        client.put_bucket(oss.PutBucketRequest(bucket=name))
    assert service_error(excinfo).code == "BucketAlreadyExists"


# ---------------------------------------------------------------- multipart


def test_uploader_and_downloader_use_multipart_and_ranges(client, tmp_path):
    key = unique("multipart/uploader.bin")
    data = os.urandom(450 * KIB)
    uploader = client.uploader(part_size=100 * KIB, parallel_num=3)
    result = uploader.upload_from(oss.PutObjectRequest(bucket=BUCKET, key=key), io.BytesIO(data))
    assert result.etag.endswith('-5"')
    head = client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key=key))
    assert head.object_type == "Multipart" and head.content_length == len(data)

    target = tmp_path / "downloaded.bin"
    downloader = client.downloader(part_size=128 * KIB, parallel_num=3)
    downloader.download_file(oss.GetObjectRequest(bucket=BUCKET, key=key), str(target))
    assert target.read_bytes() == data


def test_raw_multipart_calls(client):
    key = unique("multipart/raw.bin")
    init = client.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(bucket=BUCKET, key=key))
    parts = [os.urandom(100 * KIB), os.urandom(10)]
    uploaded = []
    for number, data in enumerate(parts, start=1):
        result = client.upload_part(oss.UploadPartRequest(
            bucket=BUCKET, key=key, upload_id=init.upload_id, part_number=number, body=data,
        ))
        uploaded.append(oss.UploadPart(part_number=number, etag=result.etag))
    listed = client.list_parts(oss.ListPartsRequest(bucket=BUCKET, key=key, upload_id=init.upload_id))
    assert [p.part_number for p in listed.parts] == [1, 2]
    assert [p.size for p in listed.parts] == [len(d) for d in parts]
    uploads = client.list_multipart_uploads(oss.ListMultipartUploadsRequest(bucket=BUCKET, prefix=key))
    assert [u.upload_id for u in uploads.uploads] == [init.upload_id]

    done = client.complete_multipart_upload(oss.CompleteMultipartUploadRequest(
        bucket=BUCKET, key=key, upload_id=init.upload_id,
        complete_multipart_upload=oss.CompleteMultipartUpload(parts=uploaded),
    ))
    assert done.key == key and done.etag.endswith('-2"')
    assert client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key)).body.read() == b"".join(parts)

    small = client.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(bucket=BUCKET, key=key))
    tiny = []
    for number in (1, 2):
        result = client.upload_part(oss.UploadPartRequest(
            bucket=BUCKET, key=key, upload_id=small.upload_id, part_number=number, body=b"tiny",
        ))
        tiny.append(oss.UploadPart(part_number=number, etag=result.etag))
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        client.complete_multipart_upload(oss.CompleteMultipartUploadRequest(
            bucket=BUCKET, key=key, upload_id=small.upload_id,
            complete_multipart_upload=oss.CompleteMultipartUpload(parts=tiny),
        ))
    assert service_error(excinfo).code == "EntityTooSmall"
    client.abort_multipart_upload(oss.AbortMultipartUploadRequest(bucket=BUCKET, key=key, upload_id=small.upload_id))
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        client.list_parts(oss.ListPartsRequest(bucket=BUCKET, key=key, upload_id=small.upload_id))
    assert service_error(excinfo).code == "NoSuchUpload"


def test_presigned_upload_part_with_plain_http(client):
    key = unique("multipart/presigned.bin")
    init = client.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(bucket=BUCKET, key=key))
    data = os.urandom(120 * KIB)
    url = client.presign(oss.UploadPartRequest(bucket=BUCKET, key=key, upload_id=init.upload_id, part_number=1)).url
    response = requests.put(url, data=data)
    assert response.status_code == 200, response.text
    done = client.complete_multipart_upload(oss.CompleteMultipartUploadRequest(
        bucket=BUCKET, key=key, upload_id=init.upload_id,
        complete_multipart_upload=oss.CompleteMultipartUpload(
            parts=[oss.UploadPart(part_number=1, etag=response.headers["ETag"])]),
    ))
    assert done.status_code == 200
    assert client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key)).body.read() == data


# ---------------------------------------------------------------- presigned URLs


def test_presigned_get_with_plain_http(client):
    key = unique("share/report (final).pdf")
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=key, body=b"%PDF-1.7"))
    url = client.presign(oss.GetObjectRequest(bucket=BUCKET, key=key), expires=datetime.timedelta(minutes=5)).url
    assert "x-oss-signature=" in url and "x-oss-credential=" in url
    response = requests.get(url)
    assert (response.status_code, response.content) == (200, b"%PDF-1.7")
    assert response.headers["x-oss-hash-crc64ecma"]


def test_presigned_put_with_signed_content_type(client, sandbox):
    key = unique("share/upload.txt")
    presigned = client.presign(oss.PutObjectRequest(bucket=BUCKET, key=key, content_type="text/plain"))
    assert presigned.signed_headers.get("Content-Type") == "text/plain"

    missing = requests.put(presigned.url, data=b"no header")
    assert (missing.status_code, xml_code(missing)) == (403, "SignatureDoesNotMatch")
    changed = requests.put(presigned.url, data=b"other type", headers={"Content-Type": "text/html"})
    assert (changed.status_code, xml_code(changed)) == (403, "SignatureDoesNotMatch")
    assert not client.is_object_exist(BUCKET, key)

    ok = requests.put(presigned.url, data=b"uploaded", headers=presigned.signed_headers)
    assert ok.status_code == 200, ok.text
    head = client.head_object(oss.HeadObjectRequest(bucket=BUCKET, key=key))
    assert head.content_type == "text/plain" and head.content_length == len(b"uploaded")


# ---------------------------------------------------------------- addressing


def test_virtual_hosted_addressing(sandbox, localhost_subdomains):
    virtual = make_client(sandbox, path_style=False, endpoint=f"http://localhost:{sandbox.port}")
    key = unique("virtual/key")
    virtual.put_object(oss.PutObjectRequest(bucket=BUCKET, key=key, body=b"vh"))
    assert virtual.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key)).body.read() == b"vh"
    listed = virtual.list_objects_v2(oss.ListObjectsV2Request(bucket=BUCKET, prefix=key))
    assert [o.key for o in listed.contents] == [key]

    url = virtual.presign(oss.GetObjectRequest(bucket=BUCKET, key=key)).url
    assert urllib.parse.urlsplit(url).hostname == f"{BUCKET}.localhost"
    response = requests.get(url)
    assert (response.status_code, response.content) == (200, b"vh")

    path_style = make_client(sandbox)
    assert path_style.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key)).body.read() == b"vh"


# ---------------------------------------------------------------- refusals


def test_wrong_secret_is_signature_does_not_match(sandbox):
    bad = make_client(sandbox, access_key_secret="not-the-secret")
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        bad.list_objects_v2(oss.ListObjectsV2Request(bucket=BUCKET))
    error = service_error(excinfo)
    assert (error.status_code, error.code) == (403, "SignatureDoesNotMatch")
    assert error.error_fileds.get("StringToSign", "").startswith("OSS4-HMAC-SHA256\n")


def test_unknown_key_is_invalid_access_key_id(sandbox):
    stranger = make_client(sandbox, access_key_id="LTAI5tNobodyHere", access_key_secret="x")
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        stranger.get_object(oss.GetObjectRequest(bucket=BUCKET, key="k"))
    assert (service_error(excinfo).status_code, service_error(excinfo).code) == (403, "InvalidAccessKeyId")


def test_tampered_signatures_are_refused(sandbox, client):
    key = unique("tamper")
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=key, body=b"t"))

    def flip_header_signature(request):
        request.headers["Authorization"] = re.sub(
            r"Signature=([0-9a-f])", lambda m: "Signature=" + ("1" if m.group(1) == "0" else "0"),
            request.headers["Authorization"])

    tampered = make_client(sandbox, http_client=TamperingHttpClient(flip_header_signature))
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        tampered.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key))
    assert service_error(excinfo).code == "SignatureDoesNotMatch"

    def flip_url_signature(request):
        request.url = re.sub(r"x-oss-signature=([0-9a-f])",
                             lambda m: "x-oss-signature=" + ("1" if m.group(1) == "0" else "0"), request.url)

    tampered_url = make_client(sandbox, http_client=TamperingHttpClient(flip_url_signature))
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        tampered_url.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key), auth_method="query")
    assert service_error(excinfo).code == "SignatureDoesNotMatch"
    # The same query-signed request, untouched, passes.
    assert client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key), auth_method="query").body.read() == b"t"

    url = client.presign(oss.GetObjectRequest(bucket=BUCKET, key=key)).url
    other = url.replace(urllib.parse.quote(key, safe="/"), urllib.parse.quote(key + "x", safe="/"), 1)
    assert other != url
    response = requests.get(other)
    assert (response.status_code, xml_code(response)) == (403, "SignatureDoesNotMatch")


def test_missing_signed_header_is_signature_does_not_match(sandbox):
    def drop_content_type(request):
        for name in list(request.headers.keys()):
            if name.lower() == "content-type":
                del request.headers[name]

    dropping = make_client(sandbox, http_client=TamperingHttpClient(drop_content_type))
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        dropping.put_object(oss.PutObjectRequest(bucket=BUCKET, key=unique("dropped"), body=b"x", content_type="text/plain"))
    assert (service_error(excinfo).status_code, service_error(excinfo).code) == (403, "SignatureDoesNotMatch")

    def change_meta(request):
        request.headers["x-oss-meta-note"] = "changed after signing"

    changing = make_client(sandbox, http_client=TamperingHttpClient(change_meta))
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        changing.put_object(oss.PutObjectRequest(bucket=BUCKET, key=unique("changed"), body=b"x", metadata={"note": "signed"}))
    assert service_error(excinfo).code == "SignatureDoesNotMatch"


def test_expired_presigned_url_is_access_denied(client, freeze_sdk_clock):
    key = unique("expiring")
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=key, body=b"e"))
    an_hour_ago = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
    freeze_sdk_clock(an_hour_ago)

    url = client.presign(oss.GetObjectRequest(bucket=BUCKET, key=key), expires=datetime.timedelta(minutes=10)).url
    response = requests.get(url)
    assert (response.status_code, xml_code(response)) == (403, "AccessDenied")
    assert ET.fromstring(response.content).findtext("Message") == "Request has expired"

    # The SDK sending a query-signed request from its frozen past: the ServiceError says so too.
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key), auth_method="query")
    error = service_error(excinfo)
    assert (error.status_code, error.code, error.message) == (403, "AccessDenied", "Request has expired")

    # Header signing from an hour ago is refused as skewed.
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key))
    assert service_error(excinfo).code == "RequestTimeTooSkewed"


def test_expiry_is_enforced_in_real_time(client):
    key = unique("short-lived")
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=key, body=b"s"))
    # Two seconds: the SDK truncates its own microseconds, so one second can become x-oss-expires=0.
    url = client.presign(oss.GetObjectRequest(bucket=BUCKET, key=key), expires=datetime.timedelta(seconds=2)).url
    assert requests.get(url).status_code == 200
    time.sleep(3.2)
    response = requests.get(url)
    assert (response.status_code, xml_code(response)) == (403, "AccessDenied")


def test_anonymous_access_follows_acls(client, sandbox):
    private_key, public_key = unique("acl/private"), unique("acl/public")
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=private_key, body=b"p"))
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=public_key, body=b"o", acl="public-read"))
    base = f"{sandbox.endpoint}/{BUCKET}/"
    denied = requests.get(base + urllib.parse.quote(private_key))
    assert (denied.status_code, xml_code(denied)) == (403, "AccessDenied")
    assert requests.get(base + urllib.parse.quote(public_key)).content == b"o"
    acl = client.get_object_acl(oss.GetObjectAclRequest(bucket=BUCKET, key=public_key))
    assert acl.acl == "public-read"
