"""Documents: the object store and the `document` table kept in step.

The rule: a record never points to an object that is not stored, and a stored object is never left
without its record. Storing writes the object first and flushes the row second; deleting flushes the
row's removal. Neither commits: the request (or the CLI command) owns the transaction. When it ends,
the session's hooks settle the objects: a transaction that never committed removes the objects it
stored, a committed one removes the objects of the rows it deleted.
"""

from __future__ import annotations

import logging
from typing import IO

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction

from app.models import Application, Document
from app.storage.errors import StorageError
from app.storage.store import ObjectStore, ObjectStream, StoredObject

log = logging.getLogger(__name__)
# session.info key: the objects stored and the objects to remove in the open transaction.
PENDING_OBJECTS = "sigap_storage_objects"


def _store(store: ObjectStore | None) -> ObjectStore:
    if store is not None:
        return store
    from app.storage import get_store

    return get_store()


def _id(value) -> int | None:
    """Accepts a model instance or a bare id."""
    return getattr(value, "id", value)


def store_document(session: Session, fileobj: IO[bytes], *, filename: str, media_type: str, document_type,
                   uploaded_by=None, application=None, sector=None, max_size: int | None = None,
                   store: ObjectStore | None = None) -> Document:
    """Stores the bytes, then flushes their record; the object goes again unless the caller commits.

    If the application already has a current document of this type, the new one becomes its next
    version and the old row stops being current (its object is kept)."""
    store = _store(store)
    stored = store.put_stream(fileobj, media_type, max_size=max_size)  # raises before any row
    _pending(session)["stored"].append((store, stored.key))
    return _new_row(session, stored, filename, media_type, document_type, uploaded_by, application, sector)


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
    """Deletes the row (flushed); its object goes once the caller commits. A crash between the two
    leaves an orphan object, never a dangling row; the storage sanity check reports such orphans."""
    _pending(session)["deleted"].append((_store(store), document.object_key))
    _unlink_from_chain(session, document)
    session.delete(document)
    session.flush()


def _unlink_from_chain(session, document: Document) -> None:
    """The next version points past the deleted one; a deleted current version hands over to its predecessor."""
    for later in session.query(Document).filter_by(previous_version_id=document.id):
        later.previous_version_id = document.previous_version_id
    if document.is_current and document.previous_version_id is not None:
        session.get(Document, document.previous_version_id).is_current = True


def stream_document(document: Document, store: ObjectStore | None = None) -> ObjectStream:
    """The document's bytes as chunks (the download starts now, so errors raise here)."""
    return _store(store).open_stream(document.object_key)


def listen() -> None:
    """Settles the objects when each transaction ends, and files documents under their application's
    sector (on every session, so the CLI's too)."""
    if not event.contains(Session, "after_commit", _keep_stored):
        event.listen(Session, "after_commit", _keep_stored)
        event.listen(Session, "after_transaction_end", _remove_uncommitted)
        event.listen(Session, "before_flush", _follow_application_sector)


def _follow_application_sector(session: Session, _context, _instances) -> None:
    """An application moved to another sector takes its documents along: a technical team's scope (and
    the index entries, which copy the sector) must not keep showing them to the old sector."""
    for application in session.dirty:
        if isinstance(application, Application) and inspect(application).attrs["sector_id"].history.has_changes():
            for document in application.documents:
                document.sector_id = application.sector_id


def _pending(session: Session) -> dict[str, list]:
    return session.info.setdefault(PENDING_OBJECTS, {"stored": [], "deleted": []})


def _keep_stored(session: Session) -> None:
    for store, key in session.info.pop(PENDING_OBJECTS, {}).get("deleted", []):
        _remove_quietly(store, key)


def _remove_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ends without a commit (rollback, close) leaves no object of its own behind."""
    if transaction.parent is None:
        for store, key in session.info.pop(PENDING_OBJECTS, {}).get("stored", []):
            _remove_quietly(store, key)


def _remove_quietly(store: ObjectStore, key: str) -> None:
    try:
        store.remove(key)
    except StorageError:
        log.error("Object %s could not be removed; the storage sanity check will report it as an orphan", key)
