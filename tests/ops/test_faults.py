"""Faults injected from outside (the S3 server, the database, the index folder, PostgreSQL connections,
the worker process, Redis), driven through the HTTP API and the CLI: each ends in a clear error or a
recovery, and then `flask sigap check` finds the database, the object store and the index in agreement."""

import io
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg2
import pytest
import redis
from PIL import Image
from sqlalchemy.engine import make_url

from app.archive.index import ArchiveIndex
from app.storage import LocalS3Server
from app.storage.local_server import terminate
from tests.archive.conftest import fresh_word
from tests.archive.samples import scanned_pdf, text_pdf
from tests.cli.test_serve import _children, _free_port
from tests.conftest import api_token, build_app
from tests.ops.conftest import run, search_ids, upload

SQLITE_FAILING_INSERT = """CREATE TRIGGER fault_injection BEFORE INSERT ON document
BEGIN SELECT RAISE(ABORT, 'disk I/O error (injected)'); END"""
POSTGRES_FAILING_INSERT = """
CREATE FUNCTION fault_injection() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'connection lost (injected)' USING ERRCODE = '08006'; END $$;
CREATE TRIGGER fault_injection BEFORE INSERT ON document FOR EACH ROW EXECUTE FUNCTION fault_injection();
"""
ROOT = Path(__file__).resolve().parents[2]
REMOVE_FAULT = {"sqlite": "DROP TRIGGER fault_injection",
                "postgresql": "DROP TRIGGER fault_injection ON document; DROP FUNCTION fault_injection()"}


def _agree(app):
    result = run(app, "check")
    assert result.exit_code == 0, result.output
    assert "agree" in result.output


def _execute(app, statements: str) -> None:
    """Raw SQL on the app's database, beside the app (as an administrator would)."""
    from app.extensions import db

    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            if app.config["SIGAP_BACKEND"] == "sqlite":
                connection.executescript(statements)
            else:
                connection.cursor().execute(statements)
            connection.commit()
        finally:
            connection.close()


def _objects(app) -> list[str]:
    from app.storage import get_store

    with app.app_context():
        return sorted(get_store().iter_keys("documents/"))


def test_the_database_failing_after_the_object_was_stored_leaves_neither(own_app):
    before = _objects(own_app)
    _execute(own_app, SQLITE_FAILING_INSERT if own_app.config["SIGAP_BACKEND"] == "sqlite" else POSTGRES_FAILING_INSERT)
    try:
        response = upload(own_app, text_pdf(fresh_word()))
    finally:
        _execute(own_app, REMOVE_FAULT[own_app.config["SIGAP_BACKEND"]])
    assert response.status_code == 503
    assert "tidak ada yang disimpan" in response.get_json()["message"]  # said in Indonesian
    assert _objects(own_app) == before  # the stored object was removed again
    _agree(own_app)
    # Once the database is back, the same upload goes through.
    assert upload(own_app, text_pdf(fresh_word())).status_code == 201
    _agree(own_app)


def test_a_deleted_index_folder_is_recreated_and_check_fix_reindexes(own_app):
    words = [fresh_word(), fresh_word()]
    ids = [upload(own_app, text_pdf(word)).get_json()["id"] for word in words]
    shutil.rmtree(own_app.config["SIGAP_INDEX_DIR"])
    assert search_ids(own_app, words[0]) == set()  # an empty index, not an error
    later = fresh_word()
    later_id = upload(own_app, text_pdf(later)).get_json()["id"]  # indexed into a new folder
    assert search_ids(own_app, later) == {later_id}
    report = run(own_app, "check")
    assert report.exit_code == 1
    assert all(f"missing-index-entry\tdocument {i}\t" in report.output for i in ids)
    assert run(own_app, "check", "--fix").exit_code == 0
    assert [search_ids(own_app, word) for word in words] == [{i} for i in ids]
    _agree(own_app)


@pytest.mark.parametrize("own_app", ["postgresql"], indirect=True)  # pg_terminate_backend is PostgreSQL's
def test_postgresql_connections_terminated_between_two_requests(own_app):
    word = fresh_word()
    client = own_app.test_client()
    headers = api_token(client, "arsip")
    document_id = client.post("/api/v1/document/", headers=headers, data={
        "file": (io.BytesIO(text_pdf(word)), "a.pdf"), "document_type": "KTP"}).get_json()["id"]
    database = make_url(own_app.config["SQLALCHEMY_DATABASE_URI"]).database
    admin = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                           "WHERE datname = %s AND pid <> pg_backend_pid()", (database,))
            assert cursor.fetchone()[0] >= 1  # the app's pooled connections
    finally:
        admin.close()
    # The next requests get fresh connections: nothing for the user to notice.
    assert client.get(f"/api/v1/document/{document_id}", headers=headers).status_code == 200
    assert client.post("/api/v1/document/", headers=headers, data={
        "file": (io.BytesIO(text_pdf(fresh_word())), "b.pdf"), "document_type": "KTP"}).status_code == 201
    assert search_ids(own_app, word) == {document_id}
    _agree(own_app)


@pytest.fixture
def own_store(tmp_path):
    """A SeaweedFS of this test's own, to stop without disturbing the session's."""
    server = LocalS3Server(tmp_path / "s3", f"fault-{secrets.token_hex(4)}", secrets.token_urlsafe(24), s3_port=0)
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def app_on_own_store(request, own_store, tmp_path_factory):
    flask_app, close = build_app(request.param, own_store, tmp_path_factory, bucket="fault")
    flask_app.config["S3_TIMEOUT_SECONDS"] = 2
    from app import storage

    storage.init_app(flask_app)  # the shorter timeout
    yield flask_app
    close()


def _noise_png(megabytes: int) -> bytes:
    """An incompressible image: its PNG is about as large as its pixels (several multipart parts)."""
    side = int((megabytes * 1024 * 1024 / 3) ** 0.5)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


def _until_writable(client, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.put_object("fault", "probe/ready", io.BytesIO(b"ok"), 2)
            client.remove_object("fault", "probe/ready")
            return
        except Exception:  # 500/503 while the volume server registers again
            assert time.monotonic() < deadline, "the restarted S3 server never accepted a write"
            time.sleep(0.5)


def test_the_object_store_stopping_in_the_middle_of_an_upload(app_on_own_store, own_store):
    app = app_on_own_store
    big = _noise_png(40)
    responses = []
    uploader = threading.Thread(target=lambda: responses.append(upload(app, big, name="besar.png")))
    raw = own_store._client(own_store.secret_key)
    uploader.start()
    deadline = time.monotonic() + 60
    while not raw._list_multipart_uploads("fault").uploads:  # its first part is on its way
        assert time.monotonic() < deadline and uploader.is_alive(), responses
        time.sleep(0.005)
    os.kill(own_store.pid, signal.SIGSTOP)  # the store stops answering, mid-upload
    uploader.join(60)
    os.kill(own_store.pid, signal.SIGKILL)
    response = responses[0]
    assert response.status_code == 503
    assert "tidak" in response.get_json()["message"]  # a sentence in Indonesian, not a traceback
    own_store.stop()
    own_store.start()  # the administrator brings it back; its volumes take a moment to accept writes
    _until_writable(raw)
    _agree(app)
    assert upload(app, text_pdf(fresh_word())).status_code == 201
    _agree(app)


SHARED = ("SQLALCHEMY_DATABASE_URI", "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET", "SIGAP_INDEX_DIR")


class Queued:
    """The app's database, store and index with a real queue (a SQLite file, or Redis) between a web app
    and real `flask sigap worker` processes."""

    def __init__(self, app, tmp_path, redis_url=None):
        from app import create_app

        config = {key: app.config[key] for key in SHARED}
        queue = {"HUEY_REDIS_URL": redis_url} if redis_url else {"HUEY_SQLITE_PATH": str(tmp_path / "huey.db")}
        self.web = create_app({**config, "TESTING": True, "S3_LOCAL": False, "HUEY_IMMEDIATE": False, **queue})
        self.env = {**os.environ, "SIGAP_INSTANCE_DIR": str(tmp_path), "DATABASE_URL": config.pop("SQLALCHEMY_DATABASE_URI"),
                    **config, **({"HUEY_REDIS_URL": redis_url} if redis_url else {})}
        self.workers = []

    def start_worker(self) -> subprocess.Popen:
        """In a session of its own, so that killing it takes its OCR processes along."""
        worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "sigap", "worker"], cwd=ROOT,
                                  env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        self.workers.append(worker)
        return worker

    def kill(self, worker) -> None:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


@pytest.fixture
def queued(own_app, tmp_path):
    setups = []

    def _queued(redis_url=None):
        setups.append(Queued(own_app, tmp_path, redis_url))
        return setups[-1]

    yield _queued
    for setup in setups:
        for worker in setup.workers:
            setup.kill(worker)


def _until_found(app, words, ids, worker, timeout=120):
    """Until each word finds its document (read and indexed by the worker)."""
    deadline = time.monotonic() + timeout
    while [search_ids(app, word) for word in words] != [{i} for i in ids]:
        assert time.monotonic() < deadline and worker.poll() is None
        time.sleep(0.3)


def _state(app, document_id) -> str:
    client = app.test_client()
    response = client.get(f"/api/v1/document/{document_id}", headers=api_token(client, "arsip"))
    return response.get_json()["result"]["extraction_state"]


def test_the_worker_killed_between_the_database_and_the_index_commit(own_app, queued):
    setup = queued()
    web, worker = setup.web, setup.start_worker()
    word = fresh_word()
    response = upload(web, text_pdf(word))
    assert response.status_code == 201
    document_id = response.get_json()["id"]
    index = ArchiveIndex(own_app.config["SIGAP_INDEX_DIR"])
    with index._lock():  # the worker's index commit waits for this lock: the kill lands right there
        deadline = time.monotonic() + 60
        while _state(own_app, document_id) == "waiting":
            assert time.monotonic() < deadline and worker.poll() is None
            time.sleep(0.2)
        time.sleep(1)  # the sync job is taken and waits for the lock
        setup.kill(worker)
    assert search_ids(own_app, word) == set()
    report = run(own_app, "check")
    assert report.exit_code == 1 and f"missing-index-entry\tdocument {document_id}\t" in report.output
    assert run(own_app, "check", "--fix").exit_code == 0
    assert search_ids(own_app, word) == {document_id}
    _agree(own_app)


@pytest.fixture
def own_redis(tmp_path):
    """A Redis of this test's own (no persistence, like the machine's), to restart at will."""
    port = _free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--dir", str(tmp_path)]

    def start():
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return process
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    server = {"process": start(), "url": f"redis://127.0.0.1:{port}/0"}

    def restart():
        terminate(server["process"], 5)
        server["process"] = start()

    server["restart"] = restart
    yield server
    terminate(server["process"], 5)


def test_redis_restarting_with_jobs_queued_loses_them_and_check_fix_queues_them_again(own_app, own_redis, queued):
    words = [fresh_word(), fresh_word()]
    ids = [upload(queued(own_redis["url"]).web, text_pdf(word)).get_json()["id"] for word in words]  # no worker yet
    assert redis.Redis.from_url(own_redis["url"]).keys("huey*")
    own_redis["restart"]()  # nothing kept on disk: the jobs are gone
    setup = queued(own_redis["url"])
    report = run(setup.web, "check", "--stuck-after", "0")
    assert report.exit_code == 1
    assert all(f"stuck-waiting\tdocument {i}\t" in report.output for i in ids), report.output
    assert run(setup.web, "check", "--fix", "--stuck-after", "0").exit_code == 0  # queued again
    _until_found(own_app, words, ids, setup.start_worker())
    _agree(own_app)


def _descendants(pid: int) -> list[str]:
    children = _children(pid)
    return [*children.values(), *(args for child in children for args in _descendants(child))]


def test_the_worker_killed_in_the_middle_of_ocr(own_app, queued):
    setup = queued()
    worker = setup.start_worker()
    word = word_for_ocr()
    document_id = upload(setup.web, scanned_pdf(f"Surat izin {word}")).get_json()["id"]
    deadline = time.monotonic() + 60
    # Reading the scan now (not the start-up check of the installed languages, which runs tesseract too).
    while not any("tesseract" in args and "--list-langs" not in args for args in _descendants(worker.pid)):
        assert time.monotonic() < deadline and worker.poll() is None, "OCR never started"
        time.sleep(0.02)
    setup.kill(worker)
    assert _state(own_app, document_id) == "waiting"
    report = run(setup.web, "check", "--stuck-after", "0")
    assert f"stuck-waiting\tdocument {document_id}\t" in report.output, report.output
    assert run(setup.web, "check", "--fix", "--stuck-after", "0").exit_code == 0
    _until_found(own_app, [word], [document_id], setup.start_worker())
    _agree(own_app)


def word_for_ocr() -> str:
    """A made-up word of plain syllables, which Tesseract reads back exactly."""
    return "".join(secrets.choice(["ba", "di", "ku", "la", "mo", "ni", "pu", "ra", "se", "to"]) for _ in range(5))


@pytest.fixture(params=["sqlite", "postgresql"])
def app_on_small_disk(request, s3_server, tmp_path_factory):
    """An app whose index folder is a 2 MB tmpfs of its own (tests run as root, in CI too)."""
    app, close = build_app(request.param, s3_server, tmp_path_factory, bucket=f"disk-{secrets.token_hex(6)}")
    folder = app.config["SIGAP_INDEX_DIR"]
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", folder], check=True)
    try:
        yield app
    finally:
        subprocess.run(["umount", "-l", folder], check=True)
        close()


def _fill(folder: str) -> Path:
    """Writes until the disk is full; returns the file to remove to make room again."""
    filler = Path(folder) / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    return filler


def test_the_disk_under_the_index_filling_up_loses_nothing_and_check_fix_indexes_once_there_is_room(
        app_on_small_disk):
    app = app_on_small_disk
    before, during = fresh_word(), fresh_word()
    first = upload(app, text_pdf(before)).get_json()["id"]
    assert search_ids(app, before) == {first}
    filler = _fill(app.config["SIGAP_INDEX_DIR"])
    response = upload(app, text_pdf(during))
    assert response.status_code == 201  # the upload does not depend on the index: row and object are kept
    stuck = response.get_json()["id"]
    assert search_ids(app, before) == {first}  # the index written before still answers
    assert search_ids(app, during) == set()
    report = run(app, "check")
    assert report.exit_code == 1
    assert f"missing-index-entry\tdocument {stuck}\t" in report.output
    still_full = run(app, "check", "--fix")  # a clear refusal while the disk is full, no traceback
    assert still_full.exit_code == 1
    assert f"missing-index-entry\tdocument {stuck}\t-\tNOT repaired (the search index could not be written: " \
           in still_full.output, still_full.output
    filler.unlink()  # the administrator makes room
    assert run(app, "check", "--fix").exit_code == 0
    assert search_ids(app, during) == {stuck}
    assert search_ids(app, before) == {first}
    with app.app_context():
        from app.models import Document

        assert app.appbuilder.session.get(Document, stuck).object_key in _objects(app)
    _agree(app)
