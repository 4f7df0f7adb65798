"""The sanity check: do the database, the object store and the search index agree?

Each kind of damage compares two of the three; the checksum part (re-hashing every object against
its row, once a separate "fixity" command) is one of them.

| kind                | found when                                             | --fix                                   |
|---------------------|--------------------------------------------------------|-----------------------------------------|
| missing-object      | a row's object is not in the store                     | an older S3 version with the row's hash is made current |
| checksum-mismatch   | an object's bytes no longer hash to its row's SHA-256  | the same                                |
| orphan-object       | an object no row points to                             | removed once older than an hour         |
| stuck-waiting       | a document waits for text extraction with no job queued | queued again                           |
| stale-index-entry   | an index entry without a current row                   | removed from the index                  |
| missing-index-entry | a current, read document absent from the index         | indexed again                           |
| stuck-upload        | a multipart upload never completed nor aborted         | aborted once older than an hour         |

Reads are ordered so that work in progress is not taken for damage: rows are read before the bucket
is listed (an object is always stored before its row commits), and each candidate is looked at again
before it is reported.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.archive.index_sync import sync_documents
from app.models import Document, ExtractionState
from app.storage import ObjectNotFound, ObjectStore
from app.storage.store import IncompleteUpload

log = logging.getLogger(__name__)

MISSING_OBJECT = "missing-object"
CHECKSUM_MISMATCH = "checksum-mismatch"
ORPHAN_OBJECT = "orphan-object"
STUCK_WAITING = "stuck-waiting"
STALE_INDEX_ENTRY = "stale-index-entry"
MISSING_INDEX_ENTRY = "missing-index-entry"
STUCK_UPLOAD = "stuck-upload"
KINDS = (MISSING_OBJECT, CHECKSUM_MISMATCH, ORPHAN_OBJECT, STUCK_WAITING, STALE_INDEX_ENTRY, MISSING_INDEX_ENTRY,
         STUCK_UPLOAD)
PREFIX = "documents/"
BATCH = 500
ONE_HOUR = dt.timedelta(hours=1)


@dataclass
class Damage:
    kind: str
    document_id: int | None = None
    key: str | None = None
    repaired: bool = False
    note: str = ""
    upload: IncompleteUpload | None = None


@dataclass(frozen=True)
class StoredRow:
    document_id: int
    key: str
    sha256: str


def stored_rows(session: Session) -> Iterator[StoredRow]:
    """Every version's (id, key, sha256), in batches so memory stays flat."""
    last = 0
    while True:
        rows = (session.query(Document.id, Document.object_key, Document.sha256)
                .filter(Document.id > last).order_by(Document.id).limit(BATCH).all())
        if not rows:
            return
        yield from (StoredRow(*row) for row in rows)
        last = rows[-1][0]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class SanityCheck:
    """One run over a database session, an object store and an archive (its index and queue)."""

    def __init__(self, session: Session, store: ObjectStore, archive, *, orphan_age: dt.timedelta = ONE_HOUR,
                 stuck_after: dt.timedelta = ONE_HOUR):
        self.session = session
        self.store = store
        self.archive = archive
        self.orphan_age = orphan_age
        self.stuck_after = stuck_after

    # --- the object store ------------------------------------------------------------------------

    def count_rows(self) -> int:
        return self.session.query(Document.id).count()

    def objects(self, checksums: bool = True, progress: Callable[[int], None] = lambda n: None) -> list[Damage]:
        """Rows without objects, checksum mismatches (when `checksums`), and orphan objects."""
        rows = {row.key: row for row in stored_rows(self.session)}
        listed = {info.key: info for info in self.store.list_objects(PREFIX)}
        damages = []
        for row in rows.values():
            damage = self._check_row(row, row.key in listed, checksums)
            if damage:
                damages.append(damage)
            progress(1)
        damages.extend(self._orphans(set(listed) - set(rows), listed))
        return damages

    def _check_row(self, row: StoredRow, listed: bool, checksums: bool) -> Damage | None:
        if not listed and self._row_exists(row) and not self.store.exists(row.key):
            return Damage(MISSING_OBJECT, row.document_id, row.key)
        if listed and checksums:
            try:
                actual = self.store.sha256_of(row.key)
            except ObjectNotFound:  # removed with its row since the listing
                return None
            if actual != row.sha256 and self._row_exists(row):
                return Damage(CHECKSUM_MISMATCH, row.document_id, row.key)
        return None

    def _row_exists(self, row: StoredRow) -> bool:
        return self.session.query(Document.id).filter_by(id=row.document_id).first() is not None

    def _orphans(self, keys: set[str], listed: dict) -> Iterator[Damage]:
        for key in sorted(keys):
            if self.session.query(Document.id).filter_by(object_key=key).first():
                continue  # its row committed after the rows were read
            age = _utcnow() - listed[key].last_modified
            yield Damage(ORPHAN_OBJECT, key=key, note=f"{int(age.total_seconds() // 60)} min old")

    def uploads(self) -> list[Damage]:
        """Multipart uploads older than `orphan_age` that were never completed (younger ones may be going on)."""
        damages = []
        for upload in self.store.incomplete_uploads(PREFIX):
            age = _utcnow() - upload.initiated if upload.initiated else None
            if age is None or age >= self.orphan_age:
                minutes = f"{int(age.total_seconds() // 60)} min old" if age else "age unknown"
                damages.append(Damage(STUCK_UPLOAD, key=upload.key, note=f"upload {upload.upload_id}, {minutes}",
                                      upload=upload))
        return damages

    # --- the extraction queue --------------------------------------------------------------------

    def waiting(self) -> list[Damage]:
        """Documents waiting longer than `stuck_after` for a job that is not in the queue."""
        queued = self._queued_document_ids()
        cutoff = (_utcnow() - self.stuck_after).replace(tzinfo=None)
        rows = (self.session.query(Document.id, Document.object_key)
                .filter(Document.extraction_state == ExtractionState.waiting, Document.uploaded_at <= cutoff)
                .order_by(Document.id))
        return [Damage(STUCK_WAITING, document_id, key) for document_id, key in rows if document_id not in queued]

    def _queued_document_ids(self) -> set[int]:
        huey = self.archive.huey
        tasks = [*huey.pending(), *huey.scheduled()]
        return {task.args[0] for task in tasks if task.name.endswith("process") and task.args}

    # --- the search index ------------------------------------------------------------------------

    def index(self) -> list[Damage]:
        """Index entries without a current row, and current read documents missing from the index."""
        indexed = self.archive.index.doc_ids()
        current = dict(self.session.query(Document.id, Document.extraction_state).filter_by(is_current=True))
        stale = sorted(indexed - set(current))
        missing = sorted(i for i, state in current.items() if state != ExtractionState.waiting and i not in indexed)
        return [*(Damage(STALE_INDEX_ENTRY, i) for i in stale), *(Damage(MISSING_INDEX_ENTRY, i) for i in missing)]

    # --- all of it -------------------------------------------------------------------------------

    def run(self, checksums: bool = True, progress: Callable[[int], None] = lambda n: None) -> list[Damage]:
        return [*self.objects(checksums, progress), *self.uploads(), *self.waiting(), *self.index()]

    def repair(self, damages: list[Damage]) -> list[Damage]:
        """Repairs what can be repaired, marking each damage it mended."""
        by_kind = {kind: [d for d in damages if d.kind == kind] for kind in KINDS}
        for damage in by_kind[MISSING_OBJECT] + by_kind[CHECKSUM_MISMATCH]:
            damage.repaired = self._restore_good_version(damage)
        for damage in by_kind[ORPHAN_OBJECT]:
            damage.repaired = self._remove_old_orphan(damage)
        for damage in by_kind[STUCK_UPLOAD]:
            damage.repaired = self._abort_old_upload(damage)
        for damage in by_kind[STUCK_WAITING]:
            self.archive.process(damage.document_id)
            damage.repaired = True
        stale = [d.document_id for d in by_kind[STALE_INDEX_ENTRY]]
        missing = [d.document_id for d in by_kind[MISSING_INDEX_ENTRY]]
        if stale or missing:
            self._reindex(stale + missing, by_kind[STALE_INDEX_ENTRY] + by_kind[MISSING_INDEX_ENTRY])
        return damages

    def _reindex(self, document_ids: list[int], damages: list[Damage]) -> None:
        """sync_documents removes what has no current row and (re)writes the rest, in one commit; a disk
        that is full (or gone read-only) under the index leaves them all to the next run, said plainly."""
        try:
            sync_documents(self.session, self.archive.index, document_ids)
        except OSError as error:
            log.error("Sanity check: the search index could not be written: %s", error)
            for damage in damages:
                damage.note = f"the search index could not be written: {error.strerror or error}"
            return
        for damage in damages:
            damage.repaired = True

    def _restore_good_version(self, damage: Damage) -> bool:
        """S3 versioning keeps what an outside write or delete replaced: bring back the version whose
        bytes still hash to the row's SHA-256."""
        expected = self.session.get(Document, damage.document_id).sha256
        for version_id in self.store.versions(damage.key):
            if self.store.sha256_of(damage.key, version_id) == expected:
                self.store.promote_version(damage.key, version_id)
                damage.note = f"version {version_id} restored"
                return True
        damage.note = "no good version left: restore it from a backup (flask sigap restore)"
        return False

    def _abort_old_upload(self, damage: Damage) -> bool:
        if damage.upload.initiated is None:  # a server that does not say when it began
            damage.note += ": abort it by hand when no upload is under way"
            return False
        self.store.abort_upload(damage.upload)
        return True

    def _remove_old_orphan(self, damage: Damage) -> bool:
        info = self.store.stat(damage.key)
        if _utcnow() - info.last_modified < self.orphan_age:
            damage.note += ", kept: an upload may still be committing it"
            return False
        self.store.remove(damage.key)
        return True


def weekly_check(session: Session, store: ObjectStore, archive) -> list[Damage]:
    """The worker's weekly run: check everything and repair what can be repaired; damage is logged."""
    check = SanityCheck(session, store, archive)
    damages = check.repair(check.run())
    for damage in damages:
        log.log(logging.INFO if damage.repaired else logging.ERROR, "Sanity check: %s %s %s %s%s",
                damage.kind, damage.document_id or "-", damage.key or "-",
                "repaired" if damage.repaired else "NOT repaired", f" ({damage.note})" if damage.note else "")
    log.info("Sanity check: %d damaged, %d repaired", len(damages), sum(d.repaired for d in damages))
    return damages
