"""Apps of their own (database, bucket, index) so a test can damage them and then expect a clean report."""

import io
import uuid

import pytest

from app.models import Document
from tests.conftest import api_token, build_app


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def own_app(request, s3_server, tmp_path_factory):
    flask_app, close = build_app(request.param, s3_server, tmp_path_factory, bucket=f"own-{uuid.uuid4().hex[:12]}")
    yield flask_app
    close()


def run(app, *args):
    """`flask sigap ARGS` in the app; returns click's result."""
    return app.test_cli_runner().invoke(args=["sigap", *args])


def upload(app, content: bytes, username="arsip", name="scan.pdf", doc_type="KTP"):
    """POST /api/v1/document/ as a clerk; returns the response."""
    client = app.test_client()
    data = {"file": (io.BytesIO(content), name), "document_type": doc_type}
    return client.post("/api/v1/document/", headers=api_token(client, username), data=data)


def search_ids(app, word, username="arsip") -> set[int]:
    client = app.test_client()
    response = client.get("/api/v1/document/search", headers=api_token(client, username), query_string={"q": word})
    assert response.status_code == 200, response.get_json()
    return {hit["document_id"] for hit in response.get_json()["hits"]}


def object_key(app, document_id: int) -> str:
    with app.app_context():
        app.appbuilder.session.remove()
        return app.appbuilder.session.get(Document, document_id).object_key
