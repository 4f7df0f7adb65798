"""Helpers for the archive's tests: uploads through the API, fresh words, searches as a user."""

import io
import uuid

import pytest

from app.archive.tasks import get_archive
from app.models import Document
from tests.conftest import api_token
from tests.security.test_sector_scope import _application


def fresh_word() -> str:
    """A word no other test uses (digits keep it out of the stemmer)."""
    return f"kata{uuid.uuid4().hex[:10]}"


@pytest.fixture
def application_in(app):
    def _make(sector_code="PUPR"):
        with app.app_context():
            return _application(app.appbuilder.session, sector_code).id
    return _make


@pytest.fixture
def upload(app):
    """POST /api/v1/document/ as a user; returns the response."""
    def _upload(username, content: bytes, *, application_id=None, doc_type="KTP", name="scan.pdf", client=None):
        client = client or app.test_client()
        data = {"file": (io.BytesIO(content), name), "document_type": doc_type}
        if application_id:
            data["application"] = str(application_id)
        return client.post("/api/v1/document/", headers=api_token(client, username), data=data)
    return _upload


@pytest.fixture
def search(app):
    """GET /api/v1/document/search as a user; returns the JSON body."""
    def _search(username, q, **params):
        client = app.test_client()
        response = client.get("/api/v1/document/search", headers=api_token(client, username),
                              query_string={"q": q, **params})
        assert response.status_code == 200, response.get_json()
        return response.get_json()
    return _search


def found_ids(body) -> set[int]:
    return {hit["document_id"] for hit in body["hits"]}


@pytest.fixture
def stored(app):
    """What exists now: document rows and objects in the bucket."""
    def _stored():
        with app.app_context():
            from app.storage import get_store

            return app.appbuilder.session.query(Document).count(), sorted(get_store().iter_keys("documents/"))
    return _stored


@pytest.fixture
def index(app):
    with app.app_context():
        return get_archive().index
