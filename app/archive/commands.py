"""`flask sigap worker | import-scans | reindex | search`: the archive from the command line."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict
from html import unescape
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from app.archive import intake
from app.archive.intake import UploadRefused
from app.archive.search import SearchRequest
from app.archive.index_sync import sync_documents
from app.archive.tasks import extract_document, get_archive, warn_without_ocr
from app.models import Document, DocumentType, Service

CHECKPOINT = "reindex.checkpoint"


@click.command("worker")
@with_appcontext
@click.option("--workers", default=2, show_default=True, help="Documents processed at once.")
def worker_command(workers):
    """Run the extraction and indexing worker (stops on Ctrl-C or SIGTERM)."""
    warn_without_ocr(current_app.config["OCR_LANGUAGES"])
    consumer = get_archive().huey.create_consumer(workers=workers, worker_type="thread")
    consumer.run()


# --- import-scans --------------------------------------------------------------------------------
@click.command("import-scans")
@with_appcontext
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--service", "service_code",
              help="Service code (e.g. IZIN_KLINIK). A document records no service of its own, so the scans are "
                   "filed under the service's sector: that sector's technical team sees and finds them.")
@click.option("--type", "type_code", default="LAINNYA", show_default=True, help="Document type code.")
def import_scans_command(folder, service_code, type_code):
    """Store every PDF/JPEG/PNG/TIFF under FOLDER; files already stored (same SHA-256) are skipped."""
    session = current_app.appbuilder.session
    document_type = session.query(DocumentType).filter_by(code=type_code).first()
    service = session.query(Service).filter_by(code=service_code).first() if service_code else None
    if document_type is None or (service_code and service is None):
        raise click.UsageError(f"Unknown document type {type_code!r} or service {service_code!r}.")
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    counts = {"stored": 0, "skipped": 0, "refused": 0}
    with click.progressbar(files, label="Importing scans", item_show_func=_name) as bar:
        for path in bar:
            counts[_import_one(session, path, document_type, service)] += 1
    click.echo(", ".join(f"{name}: {count}" for name, count in counts.items()))


def _name(path) -> str:
    return path.name if path else ""


def _import_one(session, path: Path, document_type, service) -> str:
    """One file through the intake, committed on its own (a refused or failed file leaves nothing)."""
    if session.query(Document.id).filter_by(sha256=_sha256(path)).first():
        return "skipped"
    with path.open("rb") as stream:
        try:
            intake.accept(session, stream, path.name, document_type=document_type,
                          sector_id=service.sector_id if service else None)
            session.commit()
        except UploadRefused as refusal:
            session.rollback()
            click.echo(f"\n{path}: {refusal}", err=True)
            return "refused"
        except BaseException:
            session.rollback()
            raise
    return "stored"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- reindex -------------------------------------------------------------------------------------
@click.command("reindex")
@with_appcontext
@click.option("--extract", is_flag=True, help="Extract the text again from the stored files first.")
@click.option("--batch", default=5000, show_default=True, help="Documents per index commit.")
@click.option("--restart", is_flag=True, help="Start from the first document, not from the last checkpoint.")
def reindex_command(extract, batch, restart):
    """Rebuild the index from the database (and the stored text), batch by batch; resumable."""
    from app.extensions import db

    index = get_archive().index
    checkpoint = Path(index.open().storage.folder) / CHECKPOINT
    start = 0 if restart or not checkpoint.exists() else int(checkpoint.read_text())
    with Session(db.engine) as session:
        total = session.query(Document.id).filter(Document.id > start).count()
        with click.progressbar(length=total, label="Reindexing") as bar:
            for ids in _batches(session, start, batch):
                if extract:
                    for document_id in ids:
                        extract_document(document_id)
                sync_documents(session, index, ids)
                session.expunge_all()  # bounded memory: nothing kept from one batch to the next
                checkpoint.write_text(str(ids[-1]))
                bar.update(len(ids))
        stale = index.doc_ids() - {row[0] for row in session.query(Document.id).filter_by(is_current=True)}
    index.write([], sorted(stale))
    checkpoint.unlink(missing_ok=True)
    click.echo(f"Index complete: {index.doc_count()} documents ({len(stale)} stale entries removed).")


def _batches(session, start: int, size: int):
    last = start
    while True:
        ids = [row[0] for row in session.query(Document.id).filter(Document.id > last)
               .order_by(Document.id).limit(size)]
        if not ids:
            return
        yield ids
        last = ids[-1]


# --- search --------------------------------------------------------------------------------------
@click.command("search")
@with_appcontext
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@click.option("--limit", default=10, show_default=True)
def search_command(query, as_json, limit):
    """Print the top hits (document, application, snippet) of a search."""
    page = get_archive().searcher().search(SearchRequest(query, page_size=limit, may_see_identity=True))
    if as_json:
        click.echo(json.dumps(asdict(page), default=str, ensure_ascii=False, indent=1))
        return
    for notice in page.notices:
        click.echo(f"! {notice}", err=True)
    for hit in page.hits:
        click.echo(f"{hit.document_id}\t{hit.registration_number or '-'}\t{hit.document_type}\t{hit.filename}"
                   f"\tp.{hit.page or '-'}\t{_plain(hit.snippet)}")
    click.echo(f"{page.total} found", err=True)


def _plain(snippet: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", snippet)).replace("\n", " ")


COMMANDS = [worker_command, import_scans_command, reindex_command, search_command]
