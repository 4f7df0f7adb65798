"""Documents: the object store and the `document` table kept in step.

The rule: a record never points to an object that is not stored, and a stored object is never left
without its record. Storing writes the object first and the row second (removing the object if the
row fails); deleting removes the row first and the object second.
"""

from __future__ import annotations

import logging
from typing import BinaryIO

from sqlalchemy.orm import Session

from app.models import Document
from app.storage.errors import StorageError
from app.storage.store import ObjectStore, ObjectStream, StoredObject

log = logging.getLogger(__name__)


def _store(store: ObjectStore | None) -> ObjectStore:
    if store is not None:
        return store
    from app.storage import get_store

    return get_store()


def _id(value) -> int | None:
    """Accepts a model instance or a bare id."""
    return getattr(value, "id", value)


def store_document(session: Session, fileobj: BinaryIO, *, filename: str, media_type: str, document_type,
                   uploaded_by=None, application=None, sector=None, max_size: int | None = None,
                   store: ObjectStore | None = None) -> Document:
    """Stores the bytes, then commits their record; on a failed commit the object is removed again.

    If the application already has a current document of this type, the new one becomes its next
    version and the old row stops being current (its object is kept)."""
    store = _store(store)
    stored = store.put_stream(fileobj, media_type, max_size=max_size)  # raises before any row
    try:
        document = _new_row(session, stored, filename, media_type, document_type, uploaded_by, application, sector)
        session.commit()
    except BaseException:
        session.rollback()
        _remove_quietly(store, stored.key)
        raise
    return document


def _new_row(session, stored: StoredObject, filename, media_type, document_type, uploaded_by, application,
             sector) -> Document:
    document = Document(
        object_key=stored.key, sha256=stored.sha256, size=stored.size, media_type=media_type,
        original_filename=(filename or "document")[:255], document_type_id=_id(document_type),
        uploaded_by_id=_id(uploaded_by), application_id=_id(application),
        sector_id=application.sector_id if application is not None else _id(sector),
        version=1, is_current=True,
    )
    if application is not None:
        _supersede_current(session, document)
    session.add(document)
    session.flush()
    return document


def _supersede_current(session, document: Document) -> None:
    previous = (
        session.query(Document)
        .filter_by(application_id=document.application_id, document_type_id=document.document_type_id,
                   is_current=True)
        .order_by(Document.version.desc())
        .with_for_update()  # two uploads at once must not both become version 2 (PostgreSQL)
        .first()
    )
    if previous is not None:
        document.version = previous.version + 1
        document.previous_version_id = previous.id
        previous.is_current = False


def delete_document(session: Session, document: Document, store: ObjectStore | None = None) -> None:
    """Deletes the row (committed), then the object. A crash between the two leaves an orphan
    object, never a dangling row; the storage sanity check finds and reports such orphans."""
    store = _store(store)
    key = document.object_key
    _unlink_from_chain(session, document)
    session.delete(document)
    try:
        session.commit()
    except BaseException:
        session.rollback()
        raise
    _remove_quietly(store, key)


def _unlink_from_chain(session, document: Document) -> None:
    """The next version points past the deleted one; a deleted current version hands over to its predecessor."""
    for later in session.query(Document).filter_by(previous_version_id=document.id):
        later.previous_version_id = document.previous_version_id
    if document.is_current and document.previous_version_id is not None:
        session.get(Document, document.previous_version_id).is_current = True


def stream_document(document: Document, store: ObjectStore | None = None) -> ObjectStream:
    """The document's bytes as chunks (the download starts now, so errors raise here)."""
    return _store(store).open_stream(document.object_key)


def _remove_quietly(store: ObjectStore, key: str) -> None:
    try:
        store.remove(key)
    except StorageError:
        log.error("Object %s could not be removed; the storage sanity check will report it as an orphan", key)
