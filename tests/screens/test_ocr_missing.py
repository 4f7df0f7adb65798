"""Without Tesseract SIGAP says so (start-up log, Admin's home, the document's reason in Indonesian), and
the scans that failed for that reason are read again from one button once it is installed."""

import io
import logging

import pytesseract
import pytest

from app.archive import tasks
from app.archive.tasks import warn_without_ocr
from app.models import Document, DocumentType, ExtractionState
from tests.archive.samples import scanned_pdf
from tests.web.pages import visible_text
from tests.web.test_workflow_screens import web


@pytest.fixture
def without_tesseract(monkeypatch):
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")


@pytest.fixture(autouse=True)
def logged(monkeypatch):
    # Alembic's logging setup (migrations/env.py) disables the loggers that existed before it ran.
    monkeypatch.setattr(tasks.log, "disabled", False)


def test_start_up_says_ocr_is_missing(without_tesseract, caplog):
    with caplog.at_level(logging.WARNING):
        warn_without_ocr("ind+eng")
    assert "OCR tidak tersedia" in caplog.text and "tesseract-ocr-ind" in caplog.text


def test_start_up_says_which_language_model_is_missing(caplog):
    with caplog.at_level(logging.WARNING):
        warn_without_ocr("ind+xyz")
    assert "xyz" in caplog.text


def _upload_scan(app):
    with app.app_context():
        ktp = app.appbuilder.session.query(DocumentType).filter_by(code="KTP").one().id
    response = web(app, "arsip").post("/documents/upload/form", data={
        "document_type": str(ktp), "file": (io.BytesIO(scanned_pdf("KARTU TANDA PENDUDUK")), "scan.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[-500:]
    return int(response.location.rstrip("/").split("/")[-1])


def _state(app, document_id):
    with app.app_context():
        document = app.appbuilder.session.get(Document, document_id)
        app.appbuilder.session.refresh(document)
        return document.extraction_state, document.extraction_error


def test_a_scan_read_without_ocr_gets_an_indonesian_reason_and_is_retried_once_ocr_is_back(app, monkeypatch):
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    document = _upload_scan(app)
    state, error = _state(app, document)
    assert state == ExtractionState.failed and error.startswith("OcrUnavailable")

    admin = web(app, "admin_test")
    shown = visible_text(admin.get(f"/documents/show/{document}").get_data(as_text=True))
    assert "OCR (Tesseract dengan model bahasa Indonesia) belum terpasang" in shown
    assert "TesseractNotFoundError" not in shown and "OcrUnavailable" not in shown
    home = admin.get("/").get_data(as_text=True)
    assert 'id="ocr-missing"' in home and 'id="retry-unread"' in home
    refused = admin.post("/documents/retry-unread", follow_redirects=True).get_data(as_text=True)
    assert "OCR masih belum tersedia" in refused and _state(app, document)[0] == ExtractionState.failed

    monkeypatch.undo()  # Tesseract installed
    assert 'id="ocr-missing"' not in admin.get("/").get_data(as_text=True)
    done = admin.post("/documents/retry-unread", follow_redirects=True).get_data(as_text=True)
    assert "diantrekan untuk dibaca ulang" in done
    assert _state(app, document) == (ExtractionState.indexed, None)


def test_only_a_role_that_edits_documents_may_retry(app):
    response = web(app, "fo").post("/documents/retry-unread")
    assert response.status_code == 403 and "Akses ditolak" in response.get_data(as_text=True)
