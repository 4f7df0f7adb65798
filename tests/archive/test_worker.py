"""The real huey consumer: uploads return at once, the worker extracts and indexes, failures are retried."""

import time

import pytest

from app import create_app
from app.models import Document, DocumentPage, ExtractionState
from tests.archive.conftest import found_ids, fresh_word
from tests.archive.consumer import in_process_consumer
from tests.archive.samples import text_pdf
from tests.conftest import api_token

SHARED = ("SQLALCHEMY_DATABASE_URI", "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET", "SIGAP_INDEX_DIR")


@pytest.fixture
def queued_app(app, tmp_path):
    """The same database, store and index, with a real queue (SQLite) instead of inline tasks."""
    return create_app({**{key: app.config[key] for key in SHARED}, "TESTING": True, "WTF_CSRF_ENABLED": False,
                       "S3_LOCAL": False, "HUEY_IMMEDIATE": False, "HUEY_SQLITE_PATH": str(tmp_path / "huey.db")})


@pytest.fixture
def consumer(queued_app):
    with queued_app.app_context():
        running = in_process_consumer()
    running.start()
    yield running
    running.stop(graceful=True)


def wait_for_state(app, document_id, timeout=60) -> Document:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            app.appbuilder.session.remove()
            document = app.appbuilder.session.get(Document, document_id)
            if document.extraction_state is not ExtractionState.waiting:
                return document
        time.sleep(0.2)
    raise AssertionError(f"document {document_id} still waiting after {timeout} s")


def test_upload_returns_waiting_and_the_worker_indexes_it(app, queued_app, upload, search):
    word = fresh_word()
    client = queued_app.test_client()
    document_id = upload("arsip", text_pdf(f"surat {word}"), client=client).get_json()["id"]
    with queued_app.app_context():
        assert queued_app.appbuilder.session.get(Document, document_id).extraction_state is ExtractionState.waiting
    assert search("arsip", word)["hits"] == []
    with queued_app.app_context():
        running = in_process_consumer()
    running.start()
    try:
        assert wait_for_state(queued_app, document_id).extraction_state is ExtractionState.indexed
        deadline = time.monotonic() + 30
        while not found_ids(search("arsip", word)) and time.monotonic() < deadline:
            time.sleep(0.2)  # the index sync is the next task in the queue
    finally:
        running.stop(graceful=True)
    assert found_ids(search("arsip", word)) == {document_id}


def test_a_failed_extraction_shows_its_reason_and_can_be_retried(app, queued_app, consumer, upload, monkeypatch):
    from app.archive import extraction

    def broken(*_args):
        raise RuntimeError("tesseract hilang")

    monkeypatch.setattr(extraction, "_pdf_pages", broken)
    client = queued_app.test_client()
    document_id = upload("arsip", text_pdf("gagal dulu"), client=client).get_json()["id"]
    failed = wait_for_state(queued_app, document_id)
    assert failed.extraction_state is ExtractionState.failed
    assert "tesseract hilang" in failed.extraction_error
    monkeypatch.undo()
    response = client.post(f"/api/v1/document/{document_id}/retry", headers=api_token(client, "arsip"))
    assert response.status_code == 202
    assert wait_for_state(queued_app, document_id).extraction_state is ExtractionState.indexed
    with queued_app.app_context():
        texts = [p.text for p in queued_app.appbuilder.session.query(DocumentPage).filter_by(document_id=document_id)]
    assert texts == ["gagal dulu"]


def test_retry_needs_the_edit_permission(app, upload):
    document_id = upload("arsip", text_pdf("x")).get_json()["id"]
    client = app.test_client()
    assert client.post(f"/api/v1/document/{document_id}/retry", headers=api_token(client, "bo")).status_code == 403
