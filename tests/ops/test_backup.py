"""`flask sigap backup | restore`: a backup restored onto a fresh instance gives back every record and
document, found by the same search; a backup taken during uploads restores to a consistent state."""

import json
import threading
import uuid

import pytest

from app.models import Document
from tests.archive.conftest import fresh_word
from tests.archive.samples import text_pdf
from tests.conftest import api_token, build_app
from tests.ops.conftest import run, search_ids, upload


@pytest.fixture
def fresh(request, own_app, s3_server, tmp_path_factory):
    """A new instance of the same backend: an empty database, a new bucket (unless one is named), an
    empty index."""
    closers = []

    def _fresh(bucket=None):
        flask_app, close = build_app(own_app.config["SIGAP_BACKEND"], s3_server, tmp_path_factory,
                                     bucket=bucket or f"fresh-{uuid.uuid4().hex[:12]}", initialised=False)
        closers.append(close)
        return flask_app

    yield _fresh
    for close in closers:
        close()


def _documents(app) -> dict[int, tuple]:
    with app.app_context():
        app.appbuilder.session.remove()
        return {row[0]: tuple(row[1:]) for row in app.appbuilder.session.query(
            Document.id, Document.object_key, Document.sha256, Document.original_filename, Document.version)}


def _download(app, document_id) -> bytes:
    client = app.test_client()
    response = client.get(f"/api/v1/document/{document_id}/file", headers=api_token(client, "arsip"))
    assert response.status_code == 200, response.get_json()
    return response.data


def test_a_restore_gives_back_every_record_and_document(own_app, fresh, tmp_path):
    words = [fresh_word() for _ in range(3)]
    pdfs = {}
    for word in words:
        pdf = text_pdf(word)
        pdfs[upload(own_app, pdf, name=f"{word}.pdf").get_json()["id"]] = (word, pdf)
    result = run(own_app, "backup", str(tmp_path / "full"), "--objects")
    assert result.exit_code == 0, result.output
    manifest = [json.loads(line) for line in (tmp_path / "full" / "manifest.jsonl").read_text().splitlines()]
    assert {entry["document_id"] for entry in manifest} == set(_documents(own_app))
    assert all(entry["version_id"] and len(entry["sha256"]) == 64 for entry in manifest)

    target = fresh()
    restored = run(target, "restore", str(tmp_path / "full"))
    assert restored.exit_code == 0, restored.output
    assert _documents(target) == _documents(own_app)
    check = run(target, "check")
    assert check.exit_code == 0, check.output
    for document_id, (word, pdf) in pdfs.items():
        assert search_ids(target, word) == {document_id}
        assert _download(target, document_id) == pdf

    # A manifest-only backup restores onto a fresh database beside the objects still in their bucket.
    assert run(own_app, "backup", str(tmp_path / "rows")).exit_code == 0
    assert not (tmp_path / "rows" / "objects").exists()
    beside = fresh(bucket=own_app.config["S3_BUCKET"])
    assert run(beside, "restore", str(tmp_path / "rows")).exit_code == 0
    assert run(beside, "check").exit_code == 0
    assert search_ids(beside, words[0]) == {next(iter(pdfs))}


def test_restore_refuses_an_instance_that_is_not_fresh(own_app, tmp_path):
    assert run(own_app, "backup", str(tmp_path / "b")).exit_code == 0
    result = run(own_app, "restore", str(tmp_path / "b"))
    assert result.exit_code == 1
    assert "restore onto a fresh instance" in result.output
    assert "is not empty" in run(own_app, "backup", str(tmp_path / "b")).output


def test_a_backup_taken_during_uploads_restores_consistently(own_app, fresh, tmp_path):
    stop, uploaded = threading.Event(), []

    def clerk():
        while not stop.is_set() and len(uploaded) < 40:
            response = upload(own_app, text_pdf(fresh_word()))
            assert response.status_code == 201
            uploaded.append(response.get_json()["id"])

    worker = threading.Thread(target=clerk)
    worker.start()
    try:
        while len(uploaded) < 2:
            threading.Event().wait(0.05)
        result = run(own_app, "backup", str(tmp_path / "busy"), "--objects")
    finally:
        stop.set()
        worker.join()
    assert result.exit_code == 0, result.output
    target = fresh()
    assert run(target, "restore", str(tmp_path / "busy")).exit_code == 0
    restored = _documents(target)
    assert set(uploaded) & set(restored), "the uploads before the backup are in it"
    check = run(target, "check")
    assert check.exit_code == 0, check.output  # every row has its object, no orphan, the index agrees
