"""`make load`: simulated clerks against the production topology, on 127.0.0.1 only, bounded in time.

    python -m bench.load [--clerks 20] [--seconds 120]

Starts `flask sigap serve-prod --local-services` (gunicorn, the worker on Redis, PostgreSQL, SeaweedFS)
on free ports with a database and instance folder of its own, and lets the clerks work: FO registers
applications and completes their first steps, BO uploads text PDFs, Arsip uploads scans (image-only
PDFs read by Tesseract), everyone searches, opens the inbox and checks statuses. Afterwards it waits
(bounded) for the worker to finish, then reports p50/p95 per kind of request, errors, lost uploads
(answered 201 but not stored whole), documents not found by their own word, and `flask sigap check`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import urllib3

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Beban-Uji-2026"
ROLES = {"fo": "FO", "bo": "BO", "kasi": "Kasi", "arsip": "Arsip"}
SYLLABLES = [c + v for c in "bdgklmnprst" for v in "aiu"]
DRAIN_SECONDS = 600
HTTP = urllib3.PoolManager(maxsize=64, timeout=urllib3.Timeout(connect=5, read=120), retries=False)


def word() -> str:
    """A pronounceable word no document has (Tesseract reads such words reliably)."""
    return "".join(random.choice(SYLLABLES) for _ in range(5))


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_samples: list[str] = field(default_factory=list)
    uploads: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (word, sha256)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if not ok:
                self.errors[kind] += 1
                if len(self.error_samples) < 10:
                    self.error_samples.append(f"{kind}: {detail[:200]}")


class Clerk:
    def __init__(self, base: str, username: str, role: str, results: Results, context: dict):
        self.base, self.username, self.role, self.results, self.context = base, username, role, results, context
        self.token = None
        self.cookie = None
        self.mine: list[int] = []
        self.applications: list[int] = []

    # --- HTTP ------------------------------------------------------------------------------------
    def call(self, kind: str, method: str, path: str, expect=(200,), **kwargs):
        started = time.perf_counter()
        try:
            response = HTTP.request(method, self.base + path, **kwargs)
        except urllib3.exceptions.HTTPError as error:
            self.results.record(kind, time.perf_counter() - started, False, repr(error))
            return None
        ok = response.status in expect
        self.results.record(kind, time.perf_counter() - started, ok, f"{response.status} {response.data[:200]!r}")
        return response if ok else None

    def api(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    def log_in(self) -> None:
        response = self.call("login", "POST", "/api/v1/security/login", json={
            "username": self.username, "password": PASSWORD, "provider": "db", "refresh": True})
        self.token = response.json()["access_token"]
        page = HTTP.request("GET", self.base + "/login/")
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.data.decode()).group(1)
        cookie = page.headers["Set-Cookie"].split(";")[0]
        response = self.call("login", "POST", "/login/", expect=(302,), headers={"Cookie": cookie}, redirect=False,
                             fields={"username": self.username, "password": PASSWORD, "csrf_token": csrf},
                             encode_multipart=False)
        self.cookie = response.headers["Set-Cookie"].split(";")[0]

    # --- what clerks do --------------------------------------------------------------------------
    def inbox(self) -> None:
        self.call("inbox", "GET", "/tasks/", headers={"Cookie": self.cookie}, redirect=False)

    def search(self) -> None:
        with self.results.lock:
            known = [w for w, _ in self.results.uploads.values()]
        query = random.choice(known) if known and random.random() < 0.6 else random.choice(
            ["izin", "pariaman", "perizinan usaha", "surat", "izin*", '"kota pariaman"'])
        self.call("search", "GET", "/api/v1/document/search", headers=self.api(), fields={"q": query})

    def upload(self, scanned: bool) -> None:
        from tests.archive.samples import scanned_pdf, text_pdf

        unique = word()
        body = f"DPMPTSP Kota Pariaman\nSurat izin {unique}\nNomor {random.randint(100, 999)}"
        content = scanned_pdf(body) if scanned else text_pdf(*body.splitlines())
        response = self.call("upload", "POST", "/api/v1/document/", expect=(201,), headers=self.api(),
                             fields={"document_type": "LAINNYA", "file": (f"{unique}.pdf", content, "application/pdf")})
        if response is not None:
            document_id = response.json()["id"]
            self.mine.append(document_id)
            with self.results.lock:
                self.results.uploads[document_id] = (unique, hashlib.sha256(content).hexdigest())

    def status(self) -> None:
        if self.mine:
            self.call("status", "GET", f"/api/v1/document/{random.choice(self.mine)}", headers=self.api())
        elif self.applications:
            self.call("status", "GET", f"/api/v1/application/{random.choice(self.applications)}/timeline",
                      headers=self.api())

    def register_and_complete(self) -> None:
        from tests.records.helpers import INDIVIDUAL, unique_nik

        applicant = self.call("register", "POST", "/api/v1/applicant/", expect=(201,), headers=self.api(), json={
            "kind": INDIVIDUAL, "name": f"Pemohon {word()}", "nik": unique_nik()})
        if applicant is None:
            return
        application = self.call("register", "POST", "/api/v1/application/", expect=(201,), headers=self.api(), json={
            "applicant": applicant.json()["id"], "service": self.context["service_id"]})
        if application is None:
            return
        application_id = application.json()["id"]
        self.applications.append(application_id)
        for step, data in (("fo_input", {"risk_level": "rendah", "nib": f"{random.randint(10**12, 10**13 - 1)}"}),
                           ("berita_dokumen", {"received": ["KTP"]})):
            self.call("step", "POST", f"/api/v1/application/{application_id}/step", headers=self.api(),
                      json={"step": step, **data})

    def actions(self):
        common = [(self.search, 3), (self.inbox, 2), (self.status, 2)]
        own = {
            "fo": [(self.register_and_complete, 2)],
            "bo": [(lambda: self.upload(False), 2)],
            "arsip": [(lambda: self.upload(True), 1), (lambda: self.upload(False), 1)],
            "kasi": [(self.search, 2)],
        }[self.role]
        return [action for action, weight in common + own for _ in range(weight)]

    def work(self, until: float) -> None:
        self.log_in()
        actions = self.actions()
        while time.monotonic() < until:
            random.choice(actions)()
            time.sleep(random.uniform(1.0, 3.0))


# --- the topology ----------------------------------------------------------------------------------
def prepare(workdir: Path) -> tuple[dict, str]:
    database = f"sigap_load_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    admin.autocommit = True
    admin.cursor().execute(f"CREATE DATABASE {database}")
    admin.close()
    env_file = {}
    for line in (ROOT / "prod.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env_file[name] = value.strip('"')
    env = {**os.environ, **env_file, "SIGAP_INSTANCE_DIR": str(workdir),
           "DATABASE_URL": f"postgresql+psycopg2://postgres@127.0.0.1:5432/{database}",
           "S3_ENDPOINT": f"127.0.0.1:{free_port()}", "HUEY_REDIS_URL": "redis://127.0.0.1:6379/14",
           "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15"}
    from app.ops.topology import environment  # the secrets serve-prod would generate, shared with `check`

    return environment(workdir, env), database


def start(env: dict, workdir: Path, port: int) -> subprocess.Popen:
    log = open(workdir / "serve-prod.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "sigap", "serve-prod",
                                "--local-services", "--bind", f"127.0.0.1:{port}"],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if HTTP.request("GET", f"http://127.0.0.1:{port}/login/").status == 200:
                return process
        except urllib3.exceptions.HTTPError:
            pass
        if process.poll() is not None:
            break
        time.sleep(1)
    raise SystemExit(f"serve-prod did not start:\n{(workdir / 'serve-prod.log').read_text()[-3000:]}")


def create_users(env: dict, clerks: int) -> tuple[list[tuple[str, str]], int]:
    """Clerks of each role, made in this process against the same database (settings from env)."""
    os.environ.update(env)
    from app import create_app
    from app.models import Service

    flask_app = create_app()
    users = []
    with flask_app.app_context():
        sm = flask_app.appbuilder.sm
        for number in range(clerks):
            role = list(ROLES)[number % len(ROLES)]
            username = f"{role}{number:02d}"
            sm.add_user(username, username, "Beban", f"{username}@load.local", sm.find_role(ROLES[role]),
                        password=PASSWORD)
            users.append((username, role))
        service_id = flask_app.appbuilder.session.query(Service.id).filter_by(code="SS_RESTORAN").scalar()
    return users, service_id


def drain(base: str, clerk: Clerk, results: Results) -> int:
    """Waits (bounded) until no upload is waiting; returns how many still are."""
    deadline = time.monotonic() + DRAIN_SECONDS
    waiting = set(results.uploads)
    while waiting and time.monotonic() < deadline:
        for document_id in list(waiting):
            response = HTTP.request("GET", f"{base}/api/v1/document/{document_id}", headers=clerk.api())
            if response.status == 200 and response.json()["result"]["extraction_state"] != "waiting":
                waiting.discard(document_id)
        time.sleep(2)
    return len(waiting)


def verify(base: str, clerk: Clerk, results: Results) -> tuple[list[int], list[int], dict]:
    """Lost uploads (missing, or bytes not as sent) and documents their own word does not find."""
    lost, unfound, states = [], [], defaultdict(int)
    for document_id, (unique, sha256) in results.uploads.items():
        file = HTTP.request("GET", f"{base}/api/v1/document/{document_id}/file", headers=clerk.api())
        if file.status != 200 or hashlib.sha256(file.data).hexdigest() != sha256:
            lost.append(document_id)
            continue
        state = HTTP.request("GET", f"{base}/api/v1/document/{document_id}", headers=clerk.api()) \
            .json()["result"]["extraction_state"]
        states[state] += 1
        hits = HTTP.request("GET", f"{base}/api/v1/document/search", headers=clerk.api(), fields={"q": unique}).json()
        if document_id not in {hit["document_id"] for hit in hits["hits"]}:
            unfound.append(document_id)
    return lost, unfound, dict(states)


def report(results: Results, seconds: float, clerks: int) -> None:
    total = sum(len(values) for values in results.latencies.values())
    print(f"\n{clerks} clerks, {seconds:.0f} s, {total} requests ({total / seconds:.1f}/s), "
          f"{sum(results.errors.values())} errors")
    print(f"{'kind':10} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in sorted(results.latencies.items()):
        cuts = statistics.quantiles(values, n=20, method="inclusive") if len(values) > 1 else values * 19
        print(f"{kind:10} {len(values):8d} {results.errors[kind]:6d} {statistics.median(values) * 1000:8.0f} "
              f"{cuts[18] * 1000:8.0f} {max(values) * 1000:8.0f}")
    for sample in results.error_samples:
        print(f"  ! {sample}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clerks", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=120)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sigap-load-"))
    env, database = prepare(workdir)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start(env, workdir, port)
    try:
        users, service_id = create_users(env, args.clerks)
        results = Results()
        clerks = [Clerk(base, username, role, results, {"service_id": service_id}) for username, role in users]
        print(f"{len(clerks)} clerks for {args.seconds} s against {base} ...", flush=True)
        started = time.monotonic()
        threads = [threading.Thread(target=clerk.work, args=(started + args.seconds,)) for clerk in clerks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        report(results, elapsed, len(clerks))
        auditor = next(clerk for clerk in clerks if clerk.role == "arsip")
        drain_started = time.monotonic()
        still_waiting = drain(base, auditor, results)
        print(f"\nworker finished the queue {time.monotonic() - drain_started:.0f} s after the load "
              f"({still_waiting} uploads still waiting after {DRAIN_SECONDS} s)")
        lost, unfound, states = verify(base, auditor, results)
        print(f"uploads: {len(results.uploads)} stored ({states}), lost: {len(lost)} {lost[:10]}, "
              f"not found by their own word: {len(unfound)} {unfound[:10]}")
        check = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "sigap", "check"], cwd=ROOT, env=env,
                               capture_output=True, text=True)
        findings = [line for line in check.stdout.splitlines() if not line.startswith("Checking")]
        print(f"flask sigap check (exit {check.returncode}):", *findings, *check.stderr.splitlines()[-5:], sep="\n  ")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)
        admin = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
        admin.autocommit = True
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        admin.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
