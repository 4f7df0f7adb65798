"""init_app/get_store, and the user's language in storage errors."""

import socket

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask
from flask_babel import Babel

from app.storage import ObjectStore, StorageUnavailable, get_store, init_app

UNREACHABLE = "The document store cannot be reached. Please try again in a moment."


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_app(**config) -> Flask:
    flask_app = Flask(__name__)
    flask_app.config.update({
        "S3_ENDPOINT": f"127.0.0.1:{closed_port()}", "S3_ACCESS_KEY": "key", "S3_SECRET_KEY": "secret",
        "S3_BUCKET": "sigap-documents", "S3_SECURE": False, "S3_REGION": "us-east-1", "S3_TIMEOUT_SECONDS": 2.0,
        **config,
    })
    return flask_app


def test_init_app_needs_no_server():
    flask_app = make_app()
    init_app(flask_app)  # the endpoint is closed: nothing may be contacted here

    with flask_app.app_context():
        store = get_store()
        assert isinstance(store, ObjectStore)
        assert store is flask_app.extensions["sigap_storage"]
        assert (store.bucket, store.endpoint) == ("sigap-documents", flask_app.config["S3_ENDPOINT"])
        with pytest.raises(StorageUnavailable, match=UNREACHABLE):
            store.stat("documents/x")


def test_messages_go_through_the_catalogue(tmp_path):
    catalog = Catalog(locale="id")
    catalog.add(UNREACHABLE, "Penyimpanan dokumen tidak dapat dihubungi. Silakan coba lagi sebentar lagi.")
    (tmp_path / "id" / "LC_MESSAGES").mkdir(parents=True)
    with open(tmp_path / "id" / "LC_MESSAGES" / "messages.mo", "wb") as mo_file:
        write_mo(mo_file, catalog)
    flask_app = make_app()
    Babel(flask_app, default_locale="id", default_translation_directories=str(tmp_path))
    init_app(flask_app)

    with flask_app.test_request_context(), pytest.raises(StorageUnavailable) as raised:
        get_store().stat("documents/x")
    assert str(raised.value).startswith("Penyimpanan dokumen tidak dapat dihubungi")
