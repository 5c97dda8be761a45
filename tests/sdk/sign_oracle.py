"""Signs cases with the official SDK, alibabacloud-oss-v2, under a frozen clock.

Reads a JSON array of cases on stdin, writes a JSON array of {"id", "url", "authorization"} to
stdout. Used by src-tauri/core/tests/sdk_differential.rs; nothing is sent over the network.

alibabacloud-oss-v2 1.4.1 keeps `Config.additional_headers` but its client never hands them to the
signer (SignerV4 honours them when they arrive, as its own unit tests show). `wire_additional_headers`
completes that wiring, so the comparison is with the SDK's signer and URL builder.
"""
import datetime
import json
import sys
import types

import alibabacloud_oss_v2 as oss
from alibabacloud_oss_v2 import presigner
from alibabacloud_oss_v2.signer import v4 as signer_v4
from alibabacloud_oss_v2.types import HttpClient, HttpResponse, OperationInput


class FrozenClock:
    """Stands in for the `datetime` module inside the SDK's signer and presigner."""

    def __init__(self):
        self.now = None
        clock = self

        class FrozenDatetime(datetime.datetime):
            @classmethod
            def now(cls, tz=None):
                return clock.now.astimezone(tz) if tz else clock.now

        self.module = types.SimpleNamespace(
            datetime=FrozenDatetime, timezone=datetime.timezone, timedelta=datetime.timedelta
        )


class RecordedResponse(HttpResponse):
    def __init__(self, request):
        super().__init__()
        self._request = request

    request = property(lambda self: self._request)
    is_closed = property(lambda self: True)
    is_stream_consumed = property(lambda self: True)
    status_code = property(lambda self: 200)
    headers = property(lambda self: {})
    reason = property(lambda self: "OK")
    content = property(lambda self: b"")

    def __enter__(self):
        return self

    def __exit__(self, *args):
        pass

    def close(self):
        pass

    def read(self):
        return b""

    def iter_bytes(self, **kwargs):
        return iter([])


class RecordingHttpClient(HttpClient):
    """Keeps the signed request instead of sending it."""

    def __init__(self):
        self.last_request = None

    def send(self, request, **kwargs):
        self.last_request = request
        return RecordedResponse(request)

    def open(self):
        pass

    def close(self):
        pass


def sign_case(case, clock):
    signed_at = datetime.datetime.fromtimestamp(case["at"], tz=datetime.timezone.utc)
    clock.now = signed_at
    config = oss.config.load_default()
    config.credentials_provider = oss.credentials.StaticCredentialsProvider(
        case["accessKeyId"], case["accessKeySecret"], security_token=case["securityToken"] or None
    )
    config.region = case["region"]
    config.endpoint = case["endpoint"]
    config.use_path_style = case["addressing"] == "path"
    config.use_cname = case["addressing"] == "cname"
    config.additional_headers = case["additionalHeaders"]
    config.retry_max_attempts = 1
    client = oss.Client(config)

    recorder = RecordingHttpClient()
    op_input = OperationInput(
        op_name="DifferentialCase",
        method=case["method"],
        headers=dict(case["headers"]),
        parameters=dict(case["query"]),
        bucket=case["bucket"],
        key=case["key"],
    )
    kwargs = {"http_client": recorder}
    if case["mode"] == "query":
        op_input.op_metadata["expiration_time"] = signed_at + datetime.timedelta(seconds=case["expires"])
        kwargs["auth_method"] = "query"
    client._client.invoke_operation(op_input, **kwargs)
    request = recorder.last_request
    return {"id": case["id"], "url": request.url, "authorization": request.headers.get("Authorization")}


def wire_additional_headers():
    build_context = oss._client._SyncClientImpl.build_request_context

    def build_with_additional_headers(self, op_input, options, inner):
        context = build_context(self, op_input, options, inner)
        context.additional_headers = set(options.additional_headers or [])
        return context

    oss._client._SyncClientImpl.build_request_context = build_with_additional_headers


def main():
    wire_additional_headers()
    clock = FrozenClock()
    signer_v4.datetime = clock.module
    presigner.datetime = clock.module
    cases = json.load(sys.stdin)
    json.dump([sign_case(case, clock) for case in cases], sys.stdout)


if __name__ == "__main__":
    main()
