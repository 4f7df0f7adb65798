"""Helpers for the record tests: unique identity numbers, a fresh DB session, applicants and services.

The database is shared by the whole test session, so every value made here is unique, and tests compare
before/after rather than global counts.
"""

from contextlib import contextmanager
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.models import Service
from tests.records.helpers import INDIVIDUAL, unique_name, unique_nik

PO_FILE = Path(__file__).resolve().parents[2] / "app" / "translations" / "id" / "LC_MESSAGES" / "messages.po"


@pytest.fixture(scope="session")
def indonesian():
    """msgid -> msgstr of the Indonesian catalogue the app ships."""
    with PO_FILE.open("rb") as stream:
        catalog = read_po(stream, locale="id")
    return {message.id: message.string for message in catalog if message.id and message.string}


@pytest.fixture
def fresh_db(app):
    """A session in its own app context: sees what requests committed, and is removed afterwards."""

    @contextmanager
    def _fresh():
        with app.app_context():
            session = app.appbuilder.session
            try:
                yield session
            finally:
                session.rollback()

    return _fresh


@pytest.fixture
def service_id(fresh_db):
    with fresh_db() as session:
        return session.query(Service).order_by(Service.code).first().id


@pytest.fixture
def create_applicant(client, auth):
    """POST an applicant as FO; returns the response."""

    def _create(headers=None, **fields):
        body = {"kind": INDIVIDUAL, "name": unique_name(), "nik": unique_nik(), **fields}
        return client.post("/api/v1/applicant/", json=body, headers=headers or auth("fo"))

    return _create
