"""The production topology without Docker: what docker-compose.yml runs, as processes on this machine.

`make prod` reads prod.env (the compose file's settings with its service names replaced by 127.0.0.1)
and runs `flask sigap serve-prod --local-services`:
    the app container      `flask sigap init`, then gunicorn (GUNICORN_CMD_ARGS: bind, workers, timeout)
    the worker container   `flask sigap worker` on Redis (HUEY_REDIS_URL)
    the s3 container       the local SeaweedFS server on S3_ENDPOINT's port (--local-services)
    the db container       PostgreSQL, running on the machine; its database made if missing (--local-services)
    the redis container    Redis, running on the machine; checked with a PING
Secrets compose takes from .env (SECRET_KEY, S3_ACCESS_KEY, S3_SECRET_KEY) are generated once into the
instance folder when the environment does not set them.
"""

from __future__ import annotations

import ctypes
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import redis
from psycopg2 import sql
from sqlalchemy.engine import make_url

from app.storage import LocalS3Server
from app.storage.local_server import terminate

ROOT = Path(__file__).resolve().parents[2]
FLASK = [sys.executable, "-m", "flask", "--app", "app"]
# The same commands as the compose file's app and worker services (tests/ops/test_topology.py).
INIT = ["sigap", "init"]
WEB = ["gunicorn", "app:create_app()"]
WORKER = ["sigap", "worker"]
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
GENERATED_SECRETS = {"SECRET_KEY": 48, "S3_ACCESS_KEY": 9, "S3_SECRET_KEY": 48}


class TopologyError(RuntimeError):
    """A part of the topology cannot start; the message says which and why."""


def environment(instance_dir: Path, base: dict | None = None) -> dict[str, str]:
    """The environment every process gets: the caller's, with the secrets compose reads from .env
    generated once (mode 0600) in the instance folder when unset."""
    env = dict(os.environ if base is None else base)
    instance_dir.mkdir(parents=True, exist_ok=True)
    for name, nbytes in GENERATED_SECRETS.items():
        if not env.get(name):
            path = instance_dir / f"prod-{name.lower()}"
            if not path.exists():
                path.touch(mode=0o600)
                path.write_text(secrets.token_urlsafe(nbytes))
            env[name] = path.read_text().strip()
    env["PYTHONUNBUFFERED"] = "1"
    return env


# --- the services compose runs as containers -------------------------------------------------------
def ensure_database(database_url: str) -> None:
    """Creates the PostgreSQL database if missing (compose's db container does it with POSTGRES_DB)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return
    try:
        admin = psycopg2.connect(host=url.host, port=url.port, user=url.username, password=url.password,
                                 dbname="postgres")
    except psycopg2.OperationalError as error:
        raise TopologyError(f"PostgreSQL at {url.host}:{url.port} cannot be reached: {error}") from error
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (url.database,))
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(url.database)))
    finally:
        admin.close()


def check_redis(redis_url: str) -> None:
    if not redis_url:
        raise TopologyError("HUEY_REDIS_URL is not set: the production worker takes its jobs from Redis.")
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        raise TopologyError(f"Redis at {redis_url} does not answer: {error}") from error


def local_s3_server(env: dict, instance_dir: Path) -> LocalS3Server:
    """SeaweedFS on S3_ENDPOINT's port with the configured keys (compose's s3 container)."""
    host, _, port = env["S3_ENDPOINT"].rpartition(":")
    if host not in ("127.0.0.1", "localhost"):
        raise TopologyError(f"--local-services serves S3 on 127.0.0.1 only, not at {env['S3_ENDPOINT']}.")
    return LocalS3Server(instance_dir / "s3", env["S3_ACCESS_KEY"], env["S3_SECRET_KEY"], s3_port=int(port))


# --- the processes -----------------------------------------------------------------------------------
def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when serve-prod dies, even by SIGKILL (no orphaned gunicorn)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
class Topology:
    """gunicorn and the worker (and the local S3 server), started together and stopped together."""

    def __init__(self, env: dict, instance_dir: Path, local_services: bool, bind: str | None = None,
                 echo=print):
        self.env = env
        self.instance_dir = instance_dir
        self.local_services = local_services
        self.bind = bind
        self.echo = echo
        self.s3: LocalS3Server | None = None
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self) -> None:
        if self.local_services:
            ensure_database(self.env["DATABASE_URL"])
            self.s3 = local_s3_server(self.env, self.instance_dir)
            self.echo(f"Starting the S3 server (SeaweedFS) on {self.s3.endpoint} ...")
            self.s3.start()
        check_redis(self.env.get("HUEY_REDIS_URL", ""))
        self.echo("Preparing the database (flask sigap init) ...")
        init = subprocess.run([*FLASK, *INIT], cwd=ROOT, env=self.env)
        if init.returncode != 0:
            raise TopologyError("flask sigap init failed (its output is above).")
        self.processes["worker"] = self._spawn([*FLASK, *WORKER])
        bind = ["--bind", self.bind] if self.bind else []
        self.processes["web"] = self._spawn([sys.executable, "-m", *WEB, *bind])

    def _spawn(self, command: list[str]) -> subprocess.Popen:
        return subprocess.Popen(command, cwd=ROOT, env=self.env, preexec_fn=_die_with_parent)

    def wait(self) -> str:
        """Until a process ends (which is a failure: they serve forever); returns its name."""
        while True:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    return name
            time.sleep(0.5)

    def stop(self, timeout: float = 30) -> None:
        """gunicorn first (it finishes its requests), then the worker (its current job), then S3."""
        for name in ("web", "worker"):
            process = self.processes.get(name)
            if process is None or process.poll() is not None:
                continue
            self.echo(f"Stopping {name} ...")
            terminate(process, timeout)
        if self.s3 is not None:
            self.echo("Stopping the S3 server ...")
            self.s3.stop()
