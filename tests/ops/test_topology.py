"""The production topology: docker-compose.yml and `make prod` (prod.env + serve-prod) configure SIGAP
alike, and serve-prod really runs it here: gunicorn workers, the worker on Redis, PostgreSQL, S3."""

import os
import random
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import urllib3
import yaml
from sqlalchemy.engine import make_url

from app.ops import topology
from app.storage.local_server import FIXED_FLAGS, terminate
from tests.archive.conftest import fresh_word
from tests.archive.samples import text_pdf
from tests.cli.test_serve import _children, _free_port
from tests.conftest import _postgres_database

ROOT = Path(__file__).resolve().parents[2]
HTTP = urllib3.PoolManager(timeout=urllib3.Timeout(connect=5, read=30), retries=False)
COMPOSE_HOSTS = {"db": "127.0.0.1", "redis": "127.0.0.1", "s3": "127.0.0.1", "0.0.0.0": "127.0.0.1"}
# Settings that differ on purpose, and why.
MACHINE_OWN = {
    "SIGAP_INSTANCE_DIR": "each machine's own folder (a volume in compose)",
    "SIGAP_PUBLIC_URL": "the address the public reaches each installation by (required in compose)",
}
SECRETS = set(topology.GENERATED_SECRETS)


def prod_env() -> dict[str, str]:
    values = {}
    for line in (ROOT / "prod.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = shlex.split(value)[0] if value else ""
    return values


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _local(value: str) -> str:
    """A compose value as it reads on this machine: defaults taken, service names made 127.0.0.1."""
    value = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", value)
    return re.sub(r"(?<![\w.])(db|redis|s3|0\.0\.0\.0)(?=:\d)", lambda m: COMPOSE_HOSTS[m.group(1)], value)


def test_compose_and_make_prod_configure_sigap_alike():
    services = compose()["services"]
    app_env, worker_env, local = services["app"]["environment"], services["worker"]["environment"], prod_env()
    assert app_env == worker_env
    assert set(app_env) == set(local) | SECRETS
    for name, value in local.items():
        if name in MACHINE_OWN:
            continue
        if name == "DATABASE_URL":  # the same server, port and database; the user is each machine's
            theirs, ours = make_url(_local(app_env[name])), make_url(value)
            assert (theirs.drivername, theirs.host, theirs.port, theirs.database) == \
                   (ours.drivername, ours.host, ours.port, ours.database)
        else:
            assert _local(str(app_env[name])) == value, name
    assert "--workers 3" in local["GUNICORN_CMD_ARGS"]
    # The same commands: init then gunicorn for the app, the worker for the worker.
    app_command = " ".join(services["app"]["command"].split())
    assert f"flask --app app {' '.join(topology.INIT)} && " in app_command
    assert shlex.split(app_command.split("&&")[1].rstrip('"')) == topology.WEB
    assert services["worker"]["command"].split()[-2:] == topology.WORKER
    # The S3 container runs the server the tests and make prod run, with the same flags and keys.
    s3 = services["s3"]
    assert set(FIXED_FLAGS) <= set(s3["command"]) and s3["command"][0] == "mini"
    assert s3["environment"] == {"AWS_ACCESS_KEY_ID": "${S3_ACCESS_KEY}", "AWS_SECRET_ACCESS_KEY": "${S3_SECRET_KEY}"}
    assert "serve-prod --local-services" in (ROOT / "Makefile").read_text()
    assert ". ./prod.env" in (ROOT / "Makefile").read_text()


def _until(condition, timeout=90, step=0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"not within {timeout} s")


def _get_ok(url):
    try:
        return HTTP.request("GET", url).status == 200
    except urllib3.exceptions.HTTPError:
        return False


def start_prod(tmp_path, database_url: str) -> tuple[subprocess.Popen, str]:
    """serve-prod with prod.env's settings on free ports, a database and a Redis database of its own."""
    port = _free_port()
    env = {**os.environ, **prod_env(), "SIGAP_INSTANCE_DIR": str(tmp_path), "DATABASE_URL": database_url,
           "S3_ENDPOINT": f"127.0.0.1:{_free_port()}",
           "HUEY_REDIS_URL": f"redis://127.0.0.1:6379/{random.randint(2, 15)}", "PYTHONUNBUFFERED": "1"}
    log = tmp_path / "serve-prod.log"
    with open(log, "wb") as output:  # a file, not a pipe: a full pipe nobody reads would block them
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "sigap", "serve-prod", "--local-services",
             "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    _until(lambda: "is serving" in log.read_text() or process.poll() is not None)
    assert process.poll() is None, log.read_text()
    _until(lambda: _get_ok(f"{base}/login/"))
    return process, base


def stop_prod(process: subprocess.Popen, tmp_path) -> str:
    process.send_signal(signal.SIGTERM)
    process.wait(60)
    return (tmp_path / "serve-prod.log").read_text()


def admin_headers(base: str, tmp_path) -> dict:
    password = (tmp_path / "initial-admin-password").read_text().strip()
    response = HTTP.request("POST", f"{base}/api/v1/security/login", json={
        "username": "admin", "password": password, "provider": "db", "refresh": True})
    assert response.status == 200, response.data
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def upload_and_wait(base, headers, word) -> int:
    response = HTTP.request("POST", f"{base}/api/v1/document/", headers=headers,
                            fields={"document_type": "BAP", "file": ("scan.pdf", text_pdf(word), "application/pdf")})
    assert response.status == 201, response.data
    document_id = response.json()["id"]
    state = _until(lambda: _indexed(base, headers, document_id))
    assert state == "indexed"
    return document_id


def _indexed(base, headers, document_id):
    state = HTTP.request("GET", f"{base}/api/v1/document/{document_id}", headers=headers) \
        .json()["result"]["extraction_state"]
    return None if state == "waiting" else state


def search(base, headers, word) -> set[int]:
    response = HTTP.request("GET", f"{base}/api/v1/document/search", headers=headers, fields={"q": word})
    return {hit["document_id"] for hit in response.json()["hits"]}


def test_serve_prod_runs_gunicorn_workers_and_the_worker_and_stops_cleanly(tmp_path):
    database_url, drop = _postgres_database()
    process, base = start_prod(tmp_path, database_url)
    try:
        children = _children(process.pid)
        gunicorn = [pid for pid, args in children.items() if "-m gunicorn" in args]
        assert len(gunicorn) == 1 and len(_children(gunicorn[0])) == 3, children
        assert any("sigap worker" in args for args in children.values())
        assert any("bin/weed " in args for args in children.values())
        headers = admin_headers(base, tmp_path)
        word = fresh_word()
        document_id = upload_and_wait(base, headers, word)
        assert search(base, headers, word) == {document_id}
        output = stop_prod(process, tmp_path)
        assert process.returncode == 0, output
        assert "Stopping web" in output and "Stopping worker" in output and "Stopping the S3 server" in output
        assert all(not Path(f"/proc/{pid}").exists() for pid in children)
    finally:
        terminate(process, 60)  # SIGTERM first: serve-prod stops what it started
        drop()
