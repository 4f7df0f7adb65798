"""store_document / delete_document: the object store and the document table never disagree.

Neither commits: the caller's transaction decides whether the objects stay."""

import datetime as dt
import decimal
import enum
import hashlib
import io
import os
import socket
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import app.models  # noqa: F401  (registers SIGAP's tables on Model.metadata)
import flask_appbuilder.security.sqla.models  # noqa: F401  (FAB's ab_user, which documents reference)
from app.models import Application, Document, DocumentType, Sector
from app.storage import FileTooLarge, StorageUnavailable
from app.storage.documents import delete_document, listen, store_document, stream_document


def _foreign_keys_on(dbapi_connection, _record):
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


def _stub_value(column: sa.Column):
    """Any acceptable value for a required column."""
    if isinstance(column.type, sa.Enum) and column.type.enum_class:
        return next(iter(column.type.enum_class))
    python_type = column.type.python_type
    samples = {
        bool: False, int: 1, float: 1.0, decimal.Decimal: decimal.Decimal(1),
        dt.date: dt.date(2026, 1, 2), dt.datetime: dt.datetime(2026, 1, 2, 3, 4),
    }
    if issubclass(python_type, enum.Enum):
        return next(iter(python_type))
    return samples.get(python_type, "x")


def insert_stub(connection, table: sa.Table, **values) -> int:
    """A row with only the given values and stand-ins for the other required columns."""
    for column in table.columns:
        required = not (column.nullable or column.primary_key or column.default or column.server_default)
        if required and column.name not in values:
            values[column.name] = _stub_value(column)
    return connection.execute(table.insert().values(**values)).inserted_primary_key[0]


@pytest.fixture
def engine(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'documents.db'}")
    sa.event.listen(engine, "connect", _foreign_keys_on)
    Model.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    listen()  # the app factory does this (storage.init_app)
    with Session(engine) as db_session:
        yield db_session


@pytest.fixture
def rows(engine, session):
    """A sector, two document types and an application (its applicant, service, SOP stubbed)."""
    session.add_all([
        Sector(code="PUPR", name="Pekerjaan Umum", agency_name="Dinas PUPR"),
        DocumentType(code="KTP", name="KTP"),
        DocumentType(code="NPWP", name="NPWP"),
    ])
    session.commit()
    sector = session.query(Sector).one()
    with engine.connect() as connection:
        # Only the application's own foreign keys are skipped; the document's stay checked.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        application_id = insert_stub(
            connection, Application.__table__, registration_number="REG-001", sector_id=sector.id
        )
        connection.commit()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    return SimpleNamespace(
        sector=sector,
        ktp=session.query(DocumentType).filter_by(code="KTP").one(),
        npwp=session.query(DocumentType).filter_by(code="NPWP").one(),
        application=session.get(Application, application_id),
    )


def upload(session, store, data: bytes, document_type, application=None, **extra) -> Document:
    """Stored and committed, as a request does it."""
    document = store_without_commit(session, store, data, document_type, application, **extra)
    session.commit()
    return document


def store_without_commit(session, store, data: bytes, document_type, application=None, **extra) -> Document:
    return store_document(
        session, io.BytesIO(data), filename="KTP Budi Santoso.pdf", media_type="application/pdf",
        document_type=document_type, application=application, store=store, **extra,
    )


def read(document, store) -> bytes:
    with stream_document(document, store) as chunks:
        return b"".join(chunks)


def count_rows(engine) -> int:
    with Session(engine) as fresh:
        return fresh.query(Document).count()


def test_store_writes_object_then_row(engine, session, store, rows):
    data = os.urandom(50_000)
    document = upload(session, store, data, rows.ktp, rows.application)

    with Session(engine) as fresh:
        saved = fresh.get(Document, document.id)
        assert (saved.sha256, saved.size) == (hashlib.sha256(data).hexdigest(), len(data))
        assert (saved.original_filename, saved.media_type) == ("KTP Budi Santoso.pdf", "application/pdf")
        assert (saved.version, saved.is_current, saved.previous_version_id) == (1, True, None)
        assert saved.sector_id == rows.application.sector_id == rows.sector.id
    assert not any(word in document.object_key for word in ("KTP", "Budi", "pdf"))
    assert store.exists(document.object_key)
    assert read(document, store) == data


def test_loose_scan_takes_the_given_sector(session, store, rows):
    document = upload(session, store, b"loose archive scan", rows.ktp, sector=rows.sector)
    assert (document.application_id, document.sector_id, document.version) == (None, rows.sector.id, 1)


def test_foreign_key_failure_removes_the_object_with_the_rollback(engine, session, store, rows, leftovers):
    with pytest.raises(IntegrityError):
        store_without_commit(session, store, b"orphan to be", 9999, rows.application)
    assert leftovers() != []  # the transaction is not over yet
    session.rollback()
    assert leftovers() == []
    assert count_rows(engine) == 0


def test_storing_does_not_commit_and_a_rollback_removes_the_object(engine, session, store, rows, leftovers):
    previous = upload(session, store, b"first scan", rows.ktp, rows.application)
    document = store_without_commit(session, store, b"second scan", rows.ktp, rows.application)
    assert store.exists(document.object_key) and count_rows(engine) == 1
    session.rollback()
    assert not store.exists(document.object_key)
    assert [key for key in leftovers() if key != previous.object_key] == []
    with Session(engine) as fresh:
        assert fresh.get(Document, previous.id).is_current


def test_a_session_closed_without_commit_removes_its_object(engine, store, rows, leftovers):
    with Session(engine) as other:
        document = store_without_commit(other, store, b"never committed", rows.ktp)
        key = document.object_key
    assert not store.exists(key)
    assert leftovers() == []


def test_a_failed_commit_removes_the_object(engine, session, store, rows, leftovers):
    store_without_commit(session, store, b"orphan to be", rows.ktp, rows.application)
    session.add(DocumentType(code="KTP", name="duplicate code"))  # the commit's flush fails
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    assert leftovers() == []
    assert count_rows(engine) == 0


def test_storage_down_writes_no_row(engine, session, make_store, rows):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = make_store(endpoint=f"127.0.0.1:{port}", timeout_seconds=1.0)
    with pytest.raises(StorageUnavailable):
        upload(session, down, b"never stored", rows.ktp, rows.application)
    assert count_rows(engine) == 0


def test_too_large_writes_nothing(engine, session, store, rows, leftovers):
    with pytest.raises(FileTooLarge):
        upload(session, store, b"x" * 2000, rows.ktp, rows.application, max_size=1000)
    assert leftovers() == []
    assert count_rows(engine) == 0


def test_second_upload_of_a_type_is_version_two(engine, session, store, rows):
    first = upload(session, store, b"first scan", rows.ktp, rows.application)
    second = upload(session, store, b"second scan", rows.ktp, rows.application)
    other_type = upload(session, store, b"npwp card", rows.npwp, rows.application)

    with Session(engine) as fresh:
        old, new = fresh.get(Document, first.id), fresh.get(Document, second.id)
        assert (old.version, old.is_current) == (1, False)
        assert (new.version, new.is_current, new.previous_version_id) == (2, True, old.id)
        assert (fresh.get(Document, other_type.id).version) == 1
    assert first.object_key != second.object_key
    assert read(first, store) == b"first scan"
    assert read(second, store) == b"second scan"


def test_delete_removes_row_then_object_and_restores_the_previous_version(engine, session, store, rows):
    first = upload(session, store, b"first scan", rows.ktp, rows.application)
    second = upload(session, store, b"second scan", rows.ktp, rows.application)
    key = second.object_key

    delete_document(session, second, store=store)
    assert store.exists(key)  # until the deletion commits
    session.commit()

    assert not store.exists(key)
    with Session(engine) as fresh:
        assert fresh.get(Document, second.id) is None
        assert fresh.get(Document, first.id).is_current
    assert read(first, store) == b"first scan"


def test_deleting_an_old_version_relinks_the_chain(engine, session, store, rows):
    first = upload(session, store, b"first scan", rows.ktp, rows.application)
    second = upload(session, store, b"second scan", rows.ktp, rows.application)

    delete_document(session, first, store=store)
    session.commit()

    with Session(engine) as fresh:
        kept = fresh.get(Document, second.id)
        assert (kept.previous_version_id, kept.is_current) == (None, True)
    assert not store.exists(first.object_key)
