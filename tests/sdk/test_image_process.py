"""The official Python SDK's get_object with `process` (x-oss-process=image/…) against the sandbox.

Run: cargo build -p osslite-cli && target/sdk-venv/bin/python -m pytest tests/sdk/test_image_process.py
"""
import json
import struct
import zlib

import alibabacloud_oss_v2 as oss
import pytest

from conftest import BUCKET


def png(width, height):
    """A small RGB PNG made here, so the test needs no imaging package."""
    rows = b"".join(b"\x00" + b"".join(bytes((x % 256, y % 256, 128)) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def dimensions(data):
    """Width and height of a PNG or JPEG, with Pillow when the venv has it."""
    try:
        from PIL import Image
        import io
        return Image.open(io.BytesIO(data)).size
    except ImportError:
        pass
    if data.startswith(b"\x89PNG"):
        return struct.unpack(">II", data[16:24])
    at = 2
    while at < len(data):
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2:at + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + length
    raise AssertionError("not a PNG or JPEG")


def test_get_object_with_process_resizes_and_converts(client):
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key="img/photo.png", body=png(400, 200)))
    thumb = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key="img/photo.png", process="image/resize,w_100"))
    data = thumb.body.read()
    assert thumb.content_type == "image/png"
    assert dimensions(data) == (100, 50)

    jpeg = client.get_object(oss.GetObjectRequest(
        bucket=BUCKET, key="img/photo.png", process="image/resize,w_50,h_50,m_fill/format,jpg"))
    data = jpeg.body.read()
    assert data[:2] == b"\xff\xd8" and dimensions(data) == (50, 50)

    info = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key="img/photo.png", process="image/info"))
    fields = json.loads(info.body.read())
    assert (fields["ImageWidth"]["value"], fields["ImageHeight"]["value"], fields["Format"]["value"]) == \
        ("400", "200", "png")


def test_bad_process_parameters_are_invalid_arguments(client):
    client.put_object(oss.PutObjectRequest(bucket=BUCKET, key="img/small.png", body=png(8, 8)))
    with pytest.raises(oss.exceptions.OperationError) as excinfo:
        client.get_object(oss.GetObjectRequest(bucket=BUCKET, key="img/small.png", process="image/resize,w_0"))
    error = excinfo.value.unwrap()
    assert (error.status_code, error.code) == (400, "InvalidArgument")
