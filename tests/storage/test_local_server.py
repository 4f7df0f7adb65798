"""LocalS3Server: a real `weed mini` next to the session's one."""

import io
import json
import secrets
import socket
import time

import pytest

from app.storage import LocalS3Server, StorageUnavailable
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


def test_restart_reuses_saved_ports(tmp_path):
    server = new_server(tmp_path / "s3")
    with server:
        ports = dict(server.ports)
    assert json.loads((tmp_path / "s3" / "ports.json").read_text()) == ports
    with server:
        assert server.ports == ports


def test_stopped_server_is_unavailable_within_seconds(tmp_path, make_store):
    server = new_server(tmp_path / "s3")
    with server:
        store = make_store(server, bucket_name="stop-test")
        stored = store.put_stream(io.BytesIO(b"before the stop"), "text/plain")

    for call in (
        lambda: store.put_stream(io.BytesIO(b"after the stop"), "text/plain"),
        lambda: store.open_stream(stored.key),
        lambda: store.stat(stored.key),
        lambda: list(store.iter_keys()),
        lambda: store.remove(stored.key),
    ):
        started = time.monotonic()
        with pytest.raises(StorageUnavailable) as raised:
            call()
        assert time.monotonic() - started < 8
        assert "cannot be reached" in str(raised.value)


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
