"""The background worker (huey) and the hook that gives it work after each commit.

Uploading only stores and commits; a session hook then queues, for the documents that commit added,
their extraction, and for every row it changed or deleted that index entries copy from (a document,
an applicant's name or NIK, a permit, an application's sector: index_sync.COPIED_FIELDS), the sync of
the entries it reaches. A rollback queues nothing, so a rolled-back upload never reaches the index.
Tasks use a private session.

The queue is SQLite under instance/ by default and Redis when HUEY_REDIS_URL is set (config.py);
`flask sigap worker` runs the consumer, and `make run` starts it beside the web app.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass

from flask import current_app, has_app_context
from huey import RedisHuey, SqliteHuey
from sqlalchemy import delete, event, insert, inspect, or_, select
from sqlalchemy.orm import Session

from app.archive.extraction import extract_pages
from app.archive.index import ArchiveIndex
from app.archive.search import ArchiveSearch
from app.archive.index_sync import COPIED_FIELDS, documents_reached, sync_documents
from app.archive.ocr import UNAVAILABLE_ERRORS, ocr_problem
from app.models import Document, DocumentPage, ExtractionState, Permit

log = logging.getLogger(__name__)
EXTENSION_KEY = "sigap_archive"
PENDING_KEY = "sigap_archive_pending"
ERROR_CHARS = 2000
REFILL_BATCH = 1000


@dataclass
class Archive:
    """One app's queue, index and tasks."""

    huey: object
    index: ArchiveIndex
    process: object = None  # the huey tasks, bound to the app in init_app
    sync: object = None

    def searcher(self) -> ArchiveSearch:
        """A search of this index under the settings as they are now."""
        return ArchiveSearch(self.index, current_app.config["SEARCH_MAX_EXPANSIONS"])


def init_app(flask_app) -> None:
    config = flask_app.config
    archive = Archive(_huey(config), ArchiveIndex(config["SIGAP_INDEX_DIR"]))

    def process(document_id: int) -> None:
        with flask_app.app_context():
            extract_document(document_id)

    def sync(changed: dict[str, set[int]]) -> None:
        with flask_app.app_context():
            with _private_session() as session:
                sync_documents(session, archive.index, documents_reached(session, changed))

    archive.process = archive.huey.task(name="process")(process)
    archive.sync = archive.huey.task(name="sync", retries=3, retry_delay=2)(sync)
    archive.index.on_rebuilt = lambda: _refill(flask_app, archive)
    flask_app.extensions[EXTENSION_KEY] = archive


def _refill(flask_app, archive: Archive) -> None:
    """Every current document queued for indexing again, after a schema change emptied the index."""
    with flask_app.app_context(), _private_session() as session:
        ids = list(session.scalars(select(Document.id).where(Document.is_current).order_by(Document.id)))
    for start in range(0, len(ids), REFILL_BATCH):
        archive.sync({"Document": set(ids[start:start + REFILL_BATCH])})


def warn_without_ocr(languages: str) -> None:
    """Said once when the worker starts (the Admin's home page says it too), not at every app created:
    asking Tesseract for its languages costs a subprocess."""
    problem = ocr_problem(languages)
    if problem:
        log.warning("OCR tidak tersedia (%s): dokumen hasil pindaian tidak bisa dibaca. Pasang paket "
                    "tesseract-ocr dan tesseract-ocr-ind (make run memasangnya bila dijalankan sebagai root), "
                    "lalu ulangi ekstraksinya dari halaman Beranda Admin.", problem)


def _huey(config):
    name = "sigap-archive"
    if config.get("HUEY_REDIS_URL"):
        return RedisHuey(name, url=config["HUEY_REDIS_URL"], immediate=config["HUEY_IMMEDIATE"])
    return SqliteHuey(name, filename=config["HUEY_SQLITE_PATH"], immediate=config["HUEY_IMMEDIATE"])


def get_archive() -> Archive:
    return current_app.extensions[EXTENSION_KEY]


def _private_session() -> Session:
    from app.extensions import db

    return Session(db.engine, expire_on_commit=False)


# --- extraction ----------------------------------------------------------------------------------
def extract_document(document_id: int) -> None:
    """Reads the stored object, keeps its text per page, and marks the document indexed or failed."""
    with _private_session() as session:
        document = session.get(Document, document_id)
        if document is None:  # deleted (or never committed) before the worker came to it
            return
        try:
            pages = _extract(document)
        except Exception as error:  # any failure is the document's state, shown to the clerk
            log.exception("Extraction of document %s failed", document_id)
            session.rollback()
            document.extraction_state = ExtractionState.failed
            document.extraction_error = f"{type(error).__name__}: {error}"[:ERROR_CHARS]
        else:
            _replace_pages(session, document, pages)
            document.extraction_state = ExtractionState.indexed
            document.extraction_error = None
        session.commit()  # the hook then queues the index sync


def _extract(document: Document):
    from app.storage.documents import stream_document

    config = current_app.config
    with tempfile.NamedTemporaryFile(prefix="sigap-extract-") as local:
        with stream_document(document) as chunks:
            for chunk in chunks:
                local.write(chunk)
        local.flush()
        return extract_pages(local.name, document.media_type, config["OCR_LANGUAGES"], config["OCR_WORKERS"])


def _replace_pages(session: Session, document: Document, pages) -> None:
    # Core statements: page text is not worth an audit entry per page.
    session.execute(delete(DocumentPage).where(DocumentPage.document_id == document.id))
    if pages:
        session.execute(insert(DocumentPage), [
            {"document_id": document.id, "number": p.number, "text": p.text, "ocr": p.ocr} for p in pages
        ])


def unreadable_without_ocr(session: Session):
    """Documents whose extraction failed because OCR was not installed (before or since it was named so)."""
    return session.query(Document).filter(
        Document.extraction_state == ExtractionState.failed,
        or_(*(Document.extraction_error.startswith(name) for name in UNAVAILABLE_ERRORS)),
    )


def retry(session: Session, document: Document) -> None:
    """Queues a failed (or any) document's extraction again."""
    document.extraction_state = ExtractionState.waiting
    document.extraction_error = None
    session.commit()
    get_archive().process(document.id)


# --- the commit hook -----------------------------------------------------------------------------
def listen() -> None:
    """The commit hook, on every session (the CLI's too); the app factory registers it."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _forget)


def _after_flush(session: Session, _context) -> None:
    pending = session.info.setdefault(PENDING_KEY, {"new": set(), "changed": {}})
    pending["new"].update(o.id for o in session.new if isinstance(o, Document))
    for row in session.deleted:
        _note(pending["changed"], row)
    for row in session.dirty:
        if _copied_field_changed(row):
            _note(pending["changed"], row)
    for permit in (o for o in session.new if isinstance(o, Permit)):
        pending["changed"].setdefault("Application", set()).add(permit.application_id)


def _copied_field_changed(row) -> bool:
    fields = COPIED_FIELDS.get(type(row), ())
    attributes = inspect(row).attrs
    return any(attributes[name].history.has_changes() for name in fields)


def _note(changed: dict[str, set[int]], row) -> None:
    if isinstance(row, Permit):  # the permit's number is copied into its application's entries (old and new)
        moved_from = inspect(row).attrs["application_id"].history.deleted
        changed.setdefault("Application", set()).update({row.application_id, *moved_from})
    elif type(row) in COPIED_FIELDS:
        changed.setdefault(type(row).__name__, set()).add(row.id)


def _after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING_KEY, None)
    if not pending or not has_app_context() or EXTENSION_KEY not in current_app.extensions:
        return
    archive = get_archive()
    for document_id in sorted(pending["new"]):
        archive.process(document_id)
    changed = pending["changed"]
    changed["Document"] = changed.get("Document", set()) - pending["new"]
    if any(changed.values()):
        archive.sync(changed)


def _forget(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)

