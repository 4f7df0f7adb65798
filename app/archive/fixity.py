"""The fixity check: every stored object is read back and hashed against the SHA-256 of its record.

Reports damaged objects (a different hash), missing ones, and orphans (objects without a record).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models import Document
from app.storage import ObjectNotFound, ObjectStore

DAMAGED, MISSING, ORPHAN = "damaged", "missing", "orphan"
BATCH = 500


@dataclass(frozen=True)
class Finding:
    problem: str
    key: str
    document_id: int | None = None


def stored_documents(session: Session) -> Iterator[tuple[int, str, str]]:
    """(id, key, sha256) of every version, in batches so memory stays flat."""
    last = 0
    while True:
        rows = (session.query(Document.id, Document.object_key, Document.sha256)
                .filter(Document.id > last).order_by(Document.id).limit(BATCH).all())
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def check_document(store: ObjectStore, document_id: int, key: str, sha256: str) -> Finding | None:
    try:
        actual = store.sha256_of(key)
    except ObjectNotFound:
        return Finding(MISSING, key, document_id)
    return None if actual == sha256 else Finding(DAMAGED, key, document_id)


def orphans(session: Session, store: ObjectStore, prefix: str = "documents/") -> Iterator[Finding]:
    for key in store.iter_keys(prefix):
        if not session.query(Document.id).filter_by(object_key=key).first():
            yield Finding(ORPHAN, key)
