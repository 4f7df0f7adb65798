"""`make run` (app.cli.serve): the extraction worker starts with the web app and stops with it."""

import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> dict[int, str]:
    """The live child processes of `pid`, with their command lines."""
    children = {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            if entry.name.isdigit() and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children[int(entry.name)] = (entry / "cmdline").read_text().replace("\0", " ")
        except (OSError, IndexError):  # gone meanwhile
            continue
    return children


def _serve(tmp_path, s3_server) -> subprocess.Popen:
    env = {
        **os.environ, "PYTHONUNBUFFERED": "1", "SIGAP_INSTANCE_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'sigap.db'}", "S3_ENDPOINT": s3_server.endpoint,
        "S3_ACCESS_KEY": s3_server.access_key, "S3_SECRET_KEY": s3_server.secret_key, "S3_BUCKET": "sigap-serve",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "sigap", "run", "--port", str(_free_port())],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def _wait_for(process: subprocess.Popen, text: str) -> None:
    """Reads the raw pipe (no Python buffer for select() to miss) until `text` or the deadline."""
    output, deadline = "", time.monotonic() + STARTUP_SECONDS
    while text not in output:
        ready = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))[0]
        chunk = os.read(process.stdout.fileno(), 4096) if ready else b""
        if not chunk:
            raise AssertionError(f"{text!r} never printed:\n{output}")
        output += chunk.decode(errors="replace")


def test_serve_starts_the_worker_and_stops_it_on_ctrl_c(tmp_path, s3_server):
    process = _serve(tmp_path, s3_server)
    try:
        _wait_for(process, "SIGAP is at")
        workers = {pid: args for pid, args in _children(process.pid).items() if "sigap worker" in args}
        assert len(workers) == 1, _children(process.pid)
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=30)[0].decode(errors="replace")
        assert "Stopping the extraction worker" in output
        assert all(not Path(f"/proc/{pid}").exists() for pid in workers)
        assert _children(process.pid) == {}
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
