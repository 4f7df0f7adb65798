"""Scanned documents through the screens and the API: upload, download, preview, versions, failures."""

import hashlib
import io
import time
import urllib.request
import uuid

import pytest

from app import create_app
from app.models import AuditLog, Document, DocumentType
from tests.archive.samples import text_pdf
from tests.conftest import PASSWORD
from tests.security.test_sector_scope import _api_headers, _application


@pytest.fixture
def application_id(app):
    with app.app_context():
        return _application(app.appbuilder.session, "PUPR").id


def _ktp_id(app):
    with app.app_context():
        return app.appbuilder.session.query(DocumentType).filter_by(code="KTP").one().id


def _upload(client, headers, application_id, content, doc_type="KTP", name="ktp.pdf"):
    return client.post("/api/v1/document/", headers=headers, data={
        "file": (io.BytesIO(content), name), "document_type": doc_type, "application": str(application_id),
    })


def test_web_upload_then_download_and_preview(app, application_id):
    client = app.test_client()
    client.post("/login/", data={"username": "arsip", "password": PASSWORD})
    content = text_pdf(f"Pindaian KTP {uuid.uuid4().hex}")
    response = client.post("/documents/upload/form", data={
        "application": str(application_id), "document_type": str(_ktp_id(app)),
        "file": (io.BytesIO(content), "scan-ktp.pdf"),
    }, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[-500:]
    document_id = int(response.location.rstrip("/").rsplit("/", 1)[-1])
    download = client.get(f"/documents/file/{document_id}")
    assert download.data == content
    assert download.headers["X-Content-SHA256"] == hashlib.sha256(content).hexdigest()
    preview = client.get(f"/documents/preview/{document_id}")
    assert preview.status_code == 302
    with urllib.request.urlopen(preview.location, timeout=5) as remote:
        assert remote.read() == content
    with app.app_context():
        actions = {row.action for row in app.appbuilder.session.query(AuditLog).filter_by(
            entity="Document", entity_id=str(document_id))}
    assert {"create", "upload", "download", "preview"} <= actions


def test_api_upload_makes_versions_and_keeps_the_old_one(app, application_id):
    client = app.test_client()
    headers = _api_headers(client, "bo")
    one, two = text_pdf("versi satu"), text_pdf("versi dua")
    first = _upload(client, headers, application_id, one).get_json()
    second = _upload(client, headers, application_id, two).get_json()
    assert (first["version"], second["version"]) == (1, 2)
    assert client.get(f"/api/v1/document/{first['id']}/file", headers=headers).data == one
    assert client.get(f"/api/v1/document/{second['id']}/file", headers=headers).data == two
    shown = client.get(f"/api/v1/document/{first['id']}", headers=headers).get_json()["result"]
    assert shown["is_current"] is False


@pytest.mark.parametrize("form, field", [
    ({"document_type": "KTP"}, "file"),
    ({"document_type": "KTP", "file": b""}, "file"),
    ({"document_type": "TIDAK_ADA", "file": b"x"}, "document_type"),
    ({"document_type": "KTP", "application": "999999", "file": b"x"}, "application"),
])
def test_api_refuses_bad_uploads_clearly_and_stores_nothing(app, form, field):
    client = app.test_client()
    headers = _api_headers(client, "bo")
    with app.app_context():
        before = app.appbuilder.session.query(Document).count()
    if "file" in form:
        form = {**form, "file": (io.BytesIO(form["file"]), "scan.pdf")}
    response = client.post("/api/v1/document/", headers=headers, data=form)
    assert response.status_code == 400
    assert field in response.get_json()["message"]
    with app.app_context():
        assert app.appbuilder.session.query(Document).count() == before


@pytest.fixture
def app_with_store_down(app):
    """The same database, but an S3 endpoint where nothing listens."""
    broken = create_app({**{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "S3_ACCESS_KEY", "S3_SECRET_KEY")},
                         "TESTING": True, "WTF_CSRF_ENABLED": False, "S3_ENDPOINT": "127.0.0.1:9",
                         "S3_TIMEOUT_SECONDS": 2})
    return broken


def test_store_down_gives_a_clear_error_fast_and_writes_nothing(app, app_with_store_down, application_id):
    client = app_with_store_down.test_client()
    headers = _api_headers(client, "bo")
    with app.app_context():
        before = app.appbuilder.session.query(Document).count()
    started = time.monotonic()
    response = _upload(client, headers, application_id, text_pdf("tidak tersimpan"))
    assert time.monotonic() - started < 8
    assert response.status_code == 503
    assert "tidak dapat dihubungi" in response.get_json()["message"]
    client.post("/login/", data={"username": "bo", "password": PASSWORD})
    page = client.post("/documents/upload/form", data={
        "application": str(application_id), "document_type": str(_ktp_id(app)), "file": (io.BytesIO(text_pdf("x")), "a.pdf"),
    }, content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "tidak dapat dihubungi" in page
    with app.app_context():
        assert app.appbuilder.session.query(Document).count() == before


def test_upload_over_the_size_limit_is_refused_in_indonesian(app, application_id):
    client = app.test_client()
    headers = _api_headers(client, "bo")
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    try:
        response = _upload(client, headers, application_id, b"x" * (2 * 1024 * 1024))
    finally:
        app.config["MAX_CONTENT_LENGTH"] = (app.config["MAX_UPLOAD_MB"] + 1) * 1024 * 1024
    assert response.status_code == 413
    assert "melebihi batas" in response.get_json()["message"]
