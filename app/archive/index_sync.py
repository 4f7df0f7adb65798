"""The index follows the database: an entry is (re)built from the committed rows, or removed.

sync_documents() is the one way entries change; the worker calls it after each commit that touched a
document or any row an entry copies a field from (COPIED_FIELDS), and `flask sigap reindex` calls it
batch by batch. A document that is missing (deleted, or its upload rolled back) or superseded by a
newer version is removed from the index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app.archive.index import PAGE_BREAK, ArchiveIndex
from app.models import Applicant, Application, Business, Document, DocumentType, Permit, Service

# Every field an index entry copies, by the row it is copied from: a change to one of them (or a permit
# issued or withdrawn) resyncs the entries of the documents it reaches (documents_reached below).
COPIED_FIELDS = {
    Document: ("sector_id", "document_type_id", "application_id", "is_current", "extraction_state",
               "original_filename", "uploaded_at"),
    Application: ("registration_number", "sector_id", "service_id", "applicant_id", "business_id", "nib"),
    Applicant: ("name", "nik", "npwp"),
    Business: ("nib",),
    Permit: ("number", "application_id"),
    Service: ("code",),
    DocumentType: ("code",),
}


def documents_reached(session: Session, changed: dict[str, set[int]]) -> set[int]:
    """The documents whose entries copy from the changed rows (ids by model name, as the hook notes them)."""
    application_ids = set(changed.get("Application", ()))
    owners: dict[str, Any] = {"Applicant": Application.applicant_id, "Business": Application.business_id,
              "Service": Application.service_id}
    conditions = [column.in_(changed[name]) for name, column in owners.items() if changed.get(name)]
    if conditions:
        application_ids.update(session.scalars(select(Application.id).where(or_(*conditions))))
    reached = set(changed.get("Document", ()))
    conditions = []
    if application_ids:
        conditions.append(Document.application_id.in_(application_ids))
    if changed.get("DocumentType"):
        conditions.append(Document.document_type_id.in_(changed["DocumentType"]))
    if conditions:
        reached.update(session.scalars(select(Document.id).where(or_(*conditions))))
    return reached


def sync_documents(session: Session, index: ArchiveIndex, document_ids) -> None:
    ids = sorted(set(document_ids))
    documents = _load(session, ids)
    current = [document for document in documents if document.is_current]
    kept = {document.id for document in current}
    index.write(entries_for(session, current), [i for i in ids if i not in kept])


def _load(session: Session, ids: list[int]) -> list[Document]:
    if not ids:
        return []
    return (
        session.query(Document)
        .options(
            selectinload(Document.pages),
            selectinload(Document.document_type),
            selectinload(Document.application).selectinload(Application.applicant),
            selectinload(Document.application).selectinload(Application.business),
            selectinload(Document.application).selectinload(Application.service),
        )
        .filter(Document.id.in_(ids))
        .all()
    )


def entries_for(session: Session, documents: list[Document]) -> list[dict]:
    application_ids = {d.application_id for d in documents if d.application_id}
    permits: dict = dict(
        session.query(Permit.application_id, Permit.number).filter(Permit.application_id.in_(application_ids))
    ) if application_ids else {}
    return [_entry(document, permits.get(document.application_id)) for document in documents]


def _entry(document: Document, permit_number: str | None) -> dict:
    application = document.application
    entry = {
        "doc_id": str(document.id),
        "sector": str(document.sector_id or ""),
        "document_type": document.document_type.code,
        "state": document.extraction_state.name,
        "uploaded_at": document.uploaded_at,
        "filename": document.original_filename,
        "content": PAGE_BREAK.join(page.text for page in document.pages),
    }
    if application is not None:
        entry.update(_application_fields(application))
    if permit_number:
        entry["permit_number"] = permit_number.lower()
    return entry


def _application_fields(application: Application) -> dict:
    applicant, business = application.applicant, application.business
    fields = {
        "application_id": application.id,
        "registration_number": application.registration_number.lower(),
        "service": application.service.code,
        "applicant_name": applicant.name,
        "nik": applicant.nik,
        "npwp": applicant.npwp or "",
        "nib": application.nib or (business.nib if business else "") or "",
    }
    return {name: value for name, value in fields.items() if value not in ("", None)}
