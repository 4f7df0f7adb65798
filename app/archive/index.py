"""The Whoosh index of the archive: one entry per current document, kept in step with the database.

Writes follow Mayan EDMS rather than paperless-ngx: every write holds an inter-process lock (retried
until a deadline) and goes through one writer with a bounded memory pool, committed per batch. A
failed write is cancelled and raised; the index is never deleted or rebuilt because of it.
"""

from __future__ import annotations

import fcntl
import gc
import logging
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema

from app.archive.analysis import indonesian_analyzer
from app.archive.scoring import CappedTf

log = logging.getLogger(__name__)
PAGE_BREAK = "\f"
LOCK_FILE = "sigap-write.lock"
# A reindex batch of 5000 documents' postings fits without spilling a sorted run to disk (at 128 MB every
# batch spilled: 226 against 308 docs per CPU second at 10k realistic documents; peak RSS 377 -> 435 MB).
WRITER_MB = 256
# Raised whenever schema() or the analyzer changes what an entry holds: an index of another version is
# rebuilt empty on open and refilled from the database (ArchiveIndex.on_rebuilt). 2: the applicant's NIK
# and NPWP stored (snippet masking), identity numbers one token. 3: the analyzer is one class (same tokens).
SCHEMA_VERSION = "3"
VERSION_FILE = "sigap-schema-version"


def schema() -> Schema:
    analyzer = indonesian_analyzer()
    return Schema(
        doc_id=ID(stored=True, unique=True),
        application_id=NUMERIC(stored=True),
        registration_number=ID(stored=True),
        applicant_name=TEXT(analyzer=analyzer, stored=True),
        # Identifiers are exact: a NIK is found as typed, never stemmed or split. The applicant's NIK and NPWP
        # are stored so that snippets can mask them however the scan writes them.
        nik=ID(stored=True), npwp=ID(stored=True), nib=ID,
        permit_number=ID(stored=True),
        service=ID(stored=True),
        sector=ID(stored=True),
        document_type=ID(stored=True),
        state=ID(stored=True),
        uploaded_at=DATETIME(stored=True, sortable=True),
        filename=STORED,
        # Pages joined by PAGE_BREAK, stored for highlights and for the matching page.
        content=TEXT(analyzer=analyzer, stored=True),
    )


class IndexBusy(RuntimeError):
    """Another process held the write lock past the deadline."""


class ArchiveIndex:
    def __init__(self, path, lock_timeout: float = 60.0, on_rebuilt=None):
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self._index = None
        self._local = threading.local()
        # Called (outside the lock) after an index of an older schema was replaced by an empty one.
        self.on_rebuilt = on_rebuilt

    def open(self):
        """The index, created on first use. An existing one is opened, never replaced, unless it was
        written under another SCHEMA_VERSION: then it is made again, empty, and on_rebuilt refills it.
        A folder deleted under a running process is created again, empty: `flask sigap check --fix`
        refills it."""
        rebuilt = False
        if self._index is None or not whoosh_index.exists_in(str(self.path)):
            self.path.mkdir(parents=True, exist_ok=True)
            with self._lock():
                rebuilt = self._stale()
                # Plain file reads, not mmap: a reader of a mapped segment copies its postings and terms into
                # memory (Whoosh's BufferFile wraps the map in a BytesIO). At 100k documents a searcher held
                # 1.3 GB that way, against 131 MB, for 14 -> 23 ms at p95 (bench/search_bench.py); the
                # writer's searcher held ~460 MB, made again at every commit.
                storage = FileStorage(str(self.path), supports_mmap=False)
                if whoosh_index.exists_in(str(self.path)) and not rebuilt:
                    self._index = storage.open_index()
                else:
                    self._index = storage.create_index(schema())
                    (self.path / VERSION_FILE).write_text(SCHEMA_VERSION)
        if rebuilt and self.on_rebuilt is not None:
            self.on_rebuilt()
        return self._index

    def _stale(self) -> bool:
        """An index written under another schema version (before versions were kept: no file)."""
        if not whoosh_index.exists_in(str(self.path)):
            return False
        version_file = self.path / VERSION_FILE
        stale = not version_file.exists() or version_file.read_text().strip() != SCHEMA_VERSION
        if stale:
            log.warning("The search index at %s has an older schema: it is rebuilt from the database", self.path)
        return stale

    @contextmanager
    def _lock(self):
        """One writer at a time across processes (web, worker, CLI), retried until lock_timeout."""
        deadline = time.monotonic() + self.lock_timeout
        with open(self.path / LOCK_FILE, "a") as handle:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise IndexBusy(f"The search index at {self.path} stayed locked for {self.lock_timeout} s")
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def writer(self):
        """A locked writer committed on success; on any error it is cancelled and the error raised."""
        index = self.open()
        with self._lock():
            writer = index.writer(limitmb=WRITER_MB, timeout=self.lock_timeout)
            try:
                yield writer
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        # The commit's readers sit in reference cycles and keep every segment file open (merged-away ones
        # too) until the cycle collector runs: when they were mmapped, ~3 GB of RSS at 100k documents.
        gc.collect()

    def write(self, entries: list[dict], removed: list[int]) -> None:
        """Upserts entries and removes documents, in one commit."""
        with self.writer() as writer:
            for document_id in removed:
                writer.delete_by_term("doc_id", str(document_id))
            for entry in entries:
                writer.update_document(**entry)

    def searcher(self):
        """A searcher on the latest commit."""
        return self.open().searcher(weighting=CappedTf())

    def shared_searcher(self):
        """This thread's searcher, refreshed to the latest commit: opening one per query costs more
        than most queries (measured ~15 ms at 10k documents)."""
        index = self.open()
        current = getattr(self._local, "searcher", None)
        if current is not None and current._ix is index and current.up_to_date():
            return current
        if current is not None:
            current.close()  # not Searcher.refresh(): it fails on a reader of an empty index
        self._local.searcher = index.searcher(weighting=CappedTf())
        return self._local.searcher

    def doc_count(self) -> int:
        """The entries in the index (deleted ones excluded), counted without copying the segments."""
        return self.open().doc_count()

    def doc_ids(self) -> set[int]:
        """The documents in the index (deleted entries excluded)."""
        with self.open().searcher() as searcher:
            return {int(fields["doc_id"]) for fields in searcher.reader().all_stored_fields()}
