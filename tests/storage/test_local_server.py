"""LocalS3Server: a real `weed mini` next to the session's one."""

import gc
import io
import json
import os
import secrets
import socket
import time
from pathlib import Path

import pytest

from app.storage import LocalS3Server, StorageError, StorageUnavailable
from app.storage import local_server


def new_server(path, s3_port=0) -> LocalS3Server:
    return LocalS3Server(path, f"dev-{secrets.token_hex(4)}", secrets.token_urlsafe(24), s3_port=s3_port)


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_second_server_runs_beside_the_first_and_restarts_on_other_ports(tmp_path, s3_server, make_store):
    server = new_server(tmp_path / "s3")
    with server:
        assert server.ports and s3_server.s3_port != server.s3_port
        store = make_store(server, bucket_name="restart-test")
        stored = store.put_stream(io.BytesIO(b"kept across restarts"), "text/plain")
        first_ports = dict(server.ports)
        make_store(bucket_name="other-server").ensure_bucket()  # the session's server still answers
    assert not server.running
    assert not any(listening(port) for port in (server.s3_port, *first_ports.values()))

    # New ports everywhere, and a stale mini.options naming the old ones: the command line wins.
    (tmp_path / "s3" / "ports.json").unlink()
    (tmp_path / "s3" / "mini.options").write_text(f"s3.port={first_ports['filer.port']}\n")
    restarted = LocalS3Server(tmp_path / "s3", server.access_key, server.secret_key, s3_port=0)
    with restarted:
        assert set(restarted.ports.values()).isdisjoint(first_ports.values())
        again = make_store(restarted, bucket_name="restart-test")
        with again.open_stream(stored.key) as chunks:
            assert b"".join(chunks) == b"kept across restarts"


def test_restart_reuses_saved_ports_and_takes_new_credentials(tmp_path, make_store):
    server = new_server(tmp_path / "s3")
    with server:
        ports = dict(server.ports)
        make_store(server, bucket_name="rotation").put_stream(io.BytesIO(b"data"), "text/plain")
    assert json.loads((tmp_path / "s3" / "ports.json").read_text()) == ports

    # weed does not persist the key it was started with: a rotated secret replaces the old one.
    rotated = LocalS3Server(tmp_path / "s3", server.access_key, secrets.token_urlsafe(24), s3_port=server.s3_port)
    with rotated:
        assert rotated.ports == ports
        assert list(make_store(rotated, bucket_name="rotation").iter_keys()) != []
        with pytest.raises(StorageError, match="credentials"):
            list(make_store(server, bucket_name="rotation").iter_keys())


def test_stopped_server_is_unavailable_within_seconds(tmp_path, make_store):
    server = new_server(tmp_path / "s3")
    with server:
        store = make_store(server, bucket_name="stop-test")
        stored = store.put_stream(io.BytesIO(b"before the stop"), "text/plain")

    started = time.monotonic()
    with pytest.raises(StorageUnavailable, match="cannot be reached.*nothing was saved"):
        store.put_stream(io.BytesIO(b"after the stop"), "text/plain")
    assert time.monotonic() - started < 8
    for call in (
        lambda: store.open_stream(stored.key),
        lambda: store.stat(stored.key),
        lambda: list(store.iter_keys()),
        lambda: store.remove(stored.key),
    ):
        started = time.monotonic()
        with pytest.raises(StorageUnavailable, match="cannot be reached") as raised:
            call()
        assert time.monotonic() - started < 8
        assert raised.value.status == 503


def test_start_failure_reports_the_log(tmp_path, monkeypatch):
    monkeypatch.setattr(local_server, "FIXED_FLAGS", (*local_server.FIXED_FLAGS, "-no.such.flag=1"))
    server = new_server(tmp_path / "s3")
    with pytest.raises(RuntimeError) as raised:
        server.start(timeout=15)
    assert "exited with code" in str(raised.value)
    assert "no.such.flag" in str(raised.value)  # weed's own complaint, from the log tail
    assert not server.running


def test_busy_port_is_refused_clearly(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        server = new_server(tmp_path / "s3", s3_port=taken.getsockname()[1])
        with pytest.raises(RuntimeError, match="already in use"):
            server.start()


def test_forgotten_server_is_stopped_when_collected(tmp_path):
    server = new_server(tmp_path / "s3").start()
    pid, port = server.pid, server.s3_port
    del server
    gc.collect()  # the finalizer also runs at interpreter exit
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert not listening(port)
    assert not list(Path("/tmp").glob(f"seaweedfs-*-{port}.sock"))
