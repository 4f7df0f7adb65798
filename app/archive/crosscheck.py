"""The numbers typed into a record, looked up in the text of the scans that should carry them.

Each check names a field of the record and the document types holding it (NIK on the KTP, NPWP on the
NPWP card, NIB on the NIB, the permit number on the permit). The extracted page text is compared
with separators removed, so "01.234.567.8-901.000" on a card matches the digits typed by the clerk.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from app.identity.masking import mask_identity
from app.models import Application, Document, Permit

# Separators scanners and clerks put inside numbers.
SEPARATORS = re.compile(r"[\s.\-/]")
CHECKS = (
    ("nik", ("KTP",), True),
    ("npwp", ("NPWP",), True),
    ("nib", ("NIB",), False),
    ("permit_number", ("IZIN", "SERTIFIKAT_STANDAR"), False),
)


@dataclass
class Check:
    field: str
    typed_value: str
    document_type: str | None
    found: bool
    document_id: int | None = None
    page: int | None = None


def crosscheck(session: Session, application: Application, show_identity: bool) -> list[dict]:
    """One check per field with a value: found or not, and where."""
    values = _typed_values(session, application)
    checks = []
    for field, types, secret in CHECKS:
        value = values.get(field)
        if not value:
            continue
        check = _look_up(_scans(session, application, types), field, value)
        if secret and not show_identity:
            check.typed_value = mask_identity(value)
        checks.append(asdict(check))
    return checks


def _typed_values(session: Session, application: Application) -> dict:
    applicant, business = application.applicant, application.business
    permit = session.query(Permit.number).filter_by(application_id=application.id).scalar()
    return {
        "nik": applicant.nik,
        "npwp": applicant.npwp,
        "nib": application.nib or (business.nib if business else None),
        "permit_number": permit,
    }


def _scans(session: Session, application: Application, types) -> list[Document]:
    return [
        document for document in session.query(Document).filter_by(application_id=application.id, is_current=True)
        if document.document_type.code in types
    ]


def _look_up(documents: list[Document], field: str, value: str) -> Check:
    wanted = _bare(value)
    variants = {wanted, wanted[1:]} if field == "npwp" and wanted.startswith("0") else {wanted}
    for document in documents:
        for page in document.pages:
            if any(variant in _bare(page.text) for variant in variants):
                return Check(field, value, document.document_type.code, True, document.id, page.number)
    first = documents[0] if documents else None
    return Check(field, value, first.document_type.code if first else None, False, first.id if first else None)


def _bare(text: str) -> str:
    return SEPARATORS.sub("", text).lower()
