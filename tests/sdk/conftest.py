"""Fixtures for the sandbox tests: a real `osslite-cli sandbox` process on a free port, clients
of the official SDK alibabacloud-oss-v2 pointed at it, and helpers to freeze the SDK's signing
clock and to resolve `BUCKET.localhost` (glibc here does not resolve localhost subdomains).

Build first: `cargo build -p osslite-cli`. `OSSLITE_CLI` overrides the binary's path.
"""
import datetime
import os
import pathlib
import secrets
import selectors
import socket
import subprocess
import time
import types

import alibabacloud_oss_v2 as oss
import pytest
from alibabacloud_oss_v2 import presigner
from alibabacloud_oss_v2.signer import v4 as signer_v4
from alibabacloud_oss_v2.types import HttpClient

REPO = pathlib.Path(__file__).resolve().parents[2]
REGION = "cn-hangzhou"
BUCKET = "sdk-test"
STARTUP_TIMEOUT_S = 20


class SandboxProcess:
    """A running `osslite-cli sandbox`, with what its banner announced."""

    def __init__(self, process, endpoint, port, root, access_key_id, access_key_secret):
        self.process = process
        self.endpoint = endpoint
        self.port = port
        self.root = root
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.region = REGION
        self.bucket = BUCKET

    def stop(self):
        """SIGTERM, as a service manager would send; returns the exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def _cli_path():
    path = pathlib.Path(os.environ.get("OSSLITE_CLI", REPO / "target" / "debug" / "osslite-cli"))
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `cargo build -p osslite-cli` first")
    return path


def _read_banner(process, deadline):
    """Lines up to '# serving ...'; the first must be 'endpoint: URL'. Reads the pipe directly so
    no line waits in a buffer the selector cannot see."""
    fd = process.stdout.fileno()
    selector = selectors.DefaultSelector()
    selector.register(fd, selectors.EVENT_READ)
    pending = b""
    lines = []
    while not lines or not lines[-1].startswith("# serving"):
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(f"the sandbox did not start; output so far: {lines}")
        if selector.select(timeout=0.2):
            chunk = os.read(fd, 4096)
            if not chunk:
                raise RuntimeError(f"the sandbox closed its output; output so far: {lines}")
            pending += chunk
            *complete, pending = pending.split(b"\n")
            lines.extend(line.decode() for line in complete)
    selector.close()
    return lines


def start_sandbox(root, extra_args=()):
    access_key_id = "SDKTEST" + secrets.token_hex(6).upper()
    access_key_secret = secrets.token_hex(20)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OSS_")}
    stderr = open(root.parent / f"{root.name}.stderr", "w")
    process = subprocess.Popen(
        [
            str(_cli_path()), "sandbox",
            "--root", str(root),
            "--listen", "127.0.0.1:0",
            "--region", REGION,
            "--bucket", BUCKET,
            "--access-key-id", access_key_id,
            "--access-key-secret", access_key_secret,
            *extra_args,
        ],
        stdout=subprocess.PIPE,
        stderr=stderr,
        env=env,
    )
    try:
        banner = _read_banner(process, time.monotonic() + STARTUP_TIMEOUT_S)
    except Exception:
        process.kill()
        raise
    first = banner[0]
    assert first.startswith("endpoint: http://127.0.0.1:"), banner
    endpoint = first.split(" ", 1)[1]
    assert f"bucket: {BUCKET}" in banner and f"export OSS_ACCESS_KEY_ID={access_key_id}" in banner, banner
    port = int(endpoint.rsplit(":", 1)[1])
    return SandboxProcess(process, endpoint, port, root, access_key_id, access_key_secret)


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    server = start_sandbox(tmp_path_factory.mktemp("sandbox") / "root")
    yield server
    code = server.stop()
    assert code == 0, f"the sandbox exited with {code} on SIGTERM"


def make_client(sandbox, access_key_id=None, access_key_secret=None, security_token=None,
                path_style=True, endpoint=None, http_client=None):
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(
        access_key_id or sandbox.access_key_id,
        access_key_secret or sandbox.access_key_secret,
        security_token,
    )
    cfg.region = sandbox.region
    cfg.endpoint = endpoint or sandbox.endpoint
    cfg.use_path_style = path_style
    cfg.retry_max_attempts = 1
    if http_client is not None:
        cfg.http_client = http_client
    return oss.Client(cfg)


@pytest.fixture
def client(sandbox):
    return make_client(sandbox)


class TamperingHttpClient(HttpClient):
    """Sends through the SDK's own transport after `mutate(request)` changed the signed request."""

    def __init__(self, mutate):
        self._inner = oss.transport.RequestsHttpClient()
        self._mutate = mutate

    def send(self, request, **kwargs):
        self._mutate(request)
        return self._inner.send(request, **kwargs)

    def open(self):
        self._inner.open()

    def close(self):
        self._inner.close()


class FrozenClock:
    """Stands in for the `datetime` module inside the SDK's signer and presigner."""

    def __init__(self, now):
        self.now = now
        clock = self

        class FrozenDatetime(datetime.datetime):
            @classmethod
            def now(cls, tz=None):
                return clock.now.astimezone(tz) if tz else clock.now

        self.module = types.SimpleNamespace(
            datetime=FrozenDatetime, timezone=datetime.timezone, timedelta=datetime.timedelta
        )


@pytest.fixture
def freeze_sdk_clock(monkeypatch):
    """`freeze_sdk_clock(at)` makes the SDK sign and presign as if it were `at` (UTC)."""

    def freeze(at):
        clock = FrozenClock(at)
        monkeypatch.setattr(signer_v4, "datetime", clock.module)
        monkeypatch.setattr(presigner, "datetime", clock.module)
        return clock

    return freeze


@pytest.fixture
def localhost_subdomains(monkeypatch):
    """Resolves `*.localhost` to 127.0.0.1 in this process, as systemd-resolved would."""
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if isinstance(host, str) and host.lower().endswith(".localhost"):
            host = "127.0.0.1"
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
