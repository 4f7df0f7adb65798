"""Each index entry copies fields of other rows (the applicant's name, NIK and NPWP, the NIB, the permit
number, the registration number, the sector): changing any of them changes what search finds, for a
technical team (scoped to its sector) as for the archive clerk (every sector)."""

import datetime as dt
import secrets
import uuid

import pytest
from sqlalchemy.orm import object_session

from app.models import Application, Document, Permit, Sector
from tests.archive.conftest import found_ids, fresh_word
from tests.archive.samples import text_pdf
from tests.conftest import api_token
from tests.records.helpers import unique_nik

UNSCOPED, SCOPED = "arsip", "teknis_pupr"


def _digits(count: int) -> str:
    return "".join(str(secrets.randbelow(10)) for _ in range(count))


def _set_permit_number(application, number):
    if application.permit is None:
        object_session(application).add(Permit(application=application, number=number, permit_type="IZIN",
                                               issued_on=dt.date(2026, 11, 20)))
    else:
        application.permit.number = number


# field: (set it on the application, a fresh value, how to search for that value)
COPIED = {
    "applicant name": (lambda a, v: setattr(a.applicant, "name", f"Ibu {v}"), fresh_word, str),
    "NIK": (lambda a, v: setattr(a.applicant, "nik", v), unique_nik, str),
    "NPWP": (lambda a, v: setattr(a.applicant, "npwp", v), lambda: "0" + _digits(15), str),
    "NIB": (lambda a, v: setattr(a, "nib", v), lambda: _digits(13), str),
    "registration number": (lambda a, v: setattr(a, "registration_number", v),
                            lambda: f"REG{uuid.uuid4().hex[:12]}", str.lower),
    "permit number": (_set_permit_number, lambda: f"IZ{uuid.uuid4().hex[:12]}", str.lower),
}


def change(app, application_id, setter) -> None:
    """A change committed as any screen, API call or command commits it."""
    with app.app_context():
        session = app.appbuilder.session
        setter(session.get(Application, application_id))
        session.commit()


@pytest.fixture
def indexed_document(upload, application_in):
    application_id = application_in("PUPR")
    # Not an identity document: the technical team (without the Identity permission) finds it too.
    response = upload(UNSCOPED, text_pdf(f"Surat {fresh_word()}"), application_id=application_id, doc_type="BAP")
    assert response.status_code == 201, response.get_json()
    return application_id, response.get_json()["id"]


# NIK and NPWP are found only by roles that may see them (the technical team may not: issue 8, finding 2).
IDENTITY_FIELDS = {"NIK", "NPWP"}


@pytest.mark.parametrize("field", COPIED)
def test_search_follows_each_copied_field(app, search, indexed_document, field):
    application_id, document_id = indexed_document
    setter, fresh, query = COPIED[field]
    finders = (UNSCOPED,) if field in IDENTITY_FIELDS else (UNSCOPED, SCOPED)
    old, new = fresh(), fresh()
    change(app, application_id, lambda application: setter(application, old))
    for user in finders:
        assert document_id in found_ids(search(user, query(old))), user
    change(app, application_id, lambda application: setter(application, new))
    for user in finders:
        assert document_id not in found_ids(search(user, query(old))), user
        assert document_id in found_ids(search(user, query(new))), user
    if field in IDENTITY_FIELDS:
        assert search(SCOPED, query(new))["total"] == 0


def test_an_application_moved_to_another_sector_takes_its_documents_and_entries_along(app, search,
                                                                                     indexed_document):
    application_id, document_id = indexed_document
    with app.app_context():
        session = app.appbuilder.session
        word = session.get(Document, document_id).pages[0].text.split()[-1]
        health = session.query(Sector).filter_by(code="KESEHATAN").one().id
    assert document_id in found_ids(search("teknis_pupr", word))
    assert document_id not in found_ids(search("teknis_kesehatan", word))

    change(app, application_id, lambda application: setattr(application, "sector_id", health))

    assert document_id not in found_ids(search("teknis_pupr", word))
    assert document_id not in found_ids(search("teknis_pupr", word, sector=str(health)))
    assert document_id in found_ids(search("teknis_kesehatan", word))
    assert document_id in found_ids(search(UNSCOPED, word, sector=str(health)))
    client = app.test_client()
    for user, status in (("teknis_pupr", 404), ("teknis_kesehatan", 200)):
        response = client.get(f"/api/v1/document/{document_id}", headers=api_token(client, user))
        assert response.status_code == status, user
