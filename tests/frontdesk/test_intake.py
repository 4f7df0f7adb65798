"""The guided counter intake (FO): from the called ticket to a registered application with its scans and its
berita dokumen, through the same registration, engine, intake and audit as every other way in."""

import io
import re

import pdfplumber
import pytest

from app.models import (
    Applicant, Application, AuditLog, Business, BusinessScale, KbliEdition, QueueTicket, Service,
)
from app.frontdesk.queue import COUNTERS
from tests.archive.samples import text_pdf
from tests.records.helpers import unique_name, unique_nik
from tests.web.test_workflow_screens import web


def _service(app, code) -> Service:
    with app.app_context():
        service = app.appbuilder.session.query(Service).filter_by(code=code).one()
        return service.id, COUNTERS[service.channel]


def called_ticket(app, fo, code="PBG") -> int:
    """A ticket issued for the service and called at its counter: the call leads to the ticket's intake."""
    service, counter = _service(app, code)
    ticket = int(fo.post("/queue/issue", data={"service": service}).location.rsplit("/", 1)[-1])
    while True:  # earlier tests may have left tickets waiting at this counter
        response = fo.post("/queue/call", data={"counter": counter})
        if response.location.endswith(f"/counter/intake/?ticket={ticket}"):
            return ticket
        assert "/counter/intake/?ticket=" in response.location


def returning_applicant(app, with_business=True) -> tuple[str, int | None]:
    nik = unique_nik()
    with app.app_context():
        session = app.appbuilder.session
        applicant = Applicant(kind="individual", name=unique_name(), nik=nik)
        session.add(applicant)
        business = None
        if with_business:
            business = Business(applicant=applicant, name=unique_name("Usaha"), nib=f"{int(nik[-6:]):013d}",
                                kbli="41011", kbli_edition=KbliEdition.kbli_2020, scale=BusinessScale.micro)
            session.add(business)
        session.commit()
        return nik, business.id if business else None


def count(app, model) -> int:
    with app.app_context():
        return app.appbuilder.session.query(model).count()


def upload(fo, application_id, document_type, content=None, name=None):
    return fo.post("/api/v1/document/", data={
        "file": (io.BytesIO(content or text_pdf(f"{document_type} pindaian")), name or f"{document_type}.pdf"),
        "document_type": document_type, "application": str(application_id)})


def test_returning_applicant_from_the_called_ticket_to_the_berita_dokumen(app):
    fo = web(app, "fo")
    nik, business = returning_applicant(app)
    ticket = called_ticket(app, fo)
    applicants = count(app, Applicant)
    found = fo.get(f"/counter/intake/?ticket={ticket}&nik={nik}").get_data(as_text=True)
    assert 'id="returning"' in found and f'id="business-{business}"' in found
    service, _counter = _service(app, "PBG")
    assert f'<option value="{service}" selected>' in found  # the ticket's service, not asked again

    response = fo.post("/counter/intake/", data={"ticket": ticket, "nik": nik, "business": business,
                                                 "service": service})
    assert response.status_code == 302, response.get_data(as_text=True)
    application_id = int(response.location.rsplit("/", 1)[-1])
    assert count(app, Applicant) == applicants  # found, not made twice
    with app.app_context():
        session = app.appbuilder.session
        application = session.get(Application, application_id)
        assert application.registration_number.startswith("REG-") and application.business_id == business
        assert application.nib == session.get(Business, business).nib
        assert application.current_node == "berita_dokumen"
        [fo_input] = application.history
        assert fo_input.node == "fo_input" and fo_input.user.username == "fo" and fo_input.working_minutes >= 0
        linked = session.get(QueueTicket, ticket)
        assert linked.application_id == application_id and linked.served_at and not linked.finished_at
        assert session.query(AuditLog).filter_by(entity="Application", entity_id=str(application_id),
                                                 action="create").count() == 1
        requirements = {r.document_type.code: r for r in application.service.requirements}

    page = fo.get(f"/counter/intake/{application_id}").get_data(as_text=True)
    for code in ("KTP", "NPWP", "SURAT_PERMOHONAN"):
        assert f'data-document-type="{code}"' in page
        assert upload(fo, application_id, code).status_code == 201
    page = fo.get(f"/counter/intake/{application_id}").get_data(as_text=True)
    assert f'id="received-{requirements["KTP"].id}" checked' in page  # a stored scan ticks its requirement

    ticked = [requirements[code].id for code in ("KTP", "NPWP", "SURAT_PERMOHONAN")]
    response = fo.post(f"/counter/intake/{application_id}/berita", data={"received": ticked, "note": "Lengkap"})
    assert response.status_code == 302
    page = fo.get(response.location).get_data(as_text=True)
    assert 'id="berita-given"' in page and f"/berita-dokumen/{application_id}.pdf" in page
    with app.app_context():
        session = app.appbuilder.session
        application = session.get(Application, application_id)
        berita = application.history[-1]
        assert berita.node == "berita_dokumen" and berita.note == "Lengkap"
        assert berita.data["received"] == [requirements[c].description for c in ("KTP", "NPWP", "SURAT_PERMOHONAN")]
        assert len([d for d in application.documents if d.is_current]) == 3
        assert session.get(QueueTicket, ticket).finished_at is not None
    pdf = fo.get(f"/berita-dokumen/{application_id}.pdf")
    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        text = document.pages[0].extract_text()
    assert requirements["NPWP"].description in text and "KTP.pdf" in text


def test_a_new_applicant_and_business_are_checked_then_made_once(app):
    fo = web(app, "fo")
    nik = unique_nik()
    page = fo.get(f"/counter/intake/?nik={nik}").get_data(as_text=True)
    assert 'id="new-applicant"' in page and 'name="name"' in page
    name, service = unique_name(), _service(app, "SS_RESTORAN")[0]
    typed = {"nik": nik, "name": name, "npwp": "12.345", "nib": "9120001234567", "business_name": "Rumah Makan Uji",
             "kbli": "56101", "scale": "small", "service": service, "risk_level": "rendah"}
    before = (count(app, Applicant), count(app, Business), count(app, Application))
    refused = fo.post("/counter/intake/", data=typed)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "NPWP" in text
    assert f'value="{name}"' in text and 'value="Rumah Makan Uji"' in text and 'value="56101"' in text  # kept
    assert (count(app, Applicant), count(app, Business), count(app, Application)) == before

    response = fo.post("/counter/intake/", data={**typed, "npwp": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        session = app.appbuilder.session
        application = session.get(Application, int(response.location.rsplit("/", 1)[-1]))
        assert application.applicant.name == name and application.applicant.nik == nik
        assert application.business.nib == "9120001234567" and application.business.applicant_id == application.applicant_id
        assert application.track == "oss_low_risk"
    # The same NIK and NIB again: the applicant and the business are found, not made twice.
    again = fo.post("/counter/intake/", data={**typed, "npwp": "", "name": "", "business_name": ""})
    assert again.status_code == 302
    assert (count(app, Applicant), count(app, Business)) == (before[0] + 1, before[1] + 1)


def test_refusals_keep_what_was_typed_and_say_why(app):
    fo = web(app, "fo")
    assert "NIK harus terdiri atas 16 digit" in fo.get("/counter/intake/?nik=1377").get_data(as_text=True)
    nik, _business = returning_applicant(app, with_business=False)
    service = _service(app, "SS_RESTORAN")[0]  # OSS: the track needs the risk level
    before = count(app, Application)
    refused = fo.post("/counter/intake/", data={"nik": nik, "service": service, "nib": "9120007654321",
                                                "business_name": "Toko Uji", "kbli": "47111",
                                                "problem_note": "Data OSS belum sinkron", "problem_flag": "1"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "tingkat risiko" in text.lower()
    assert 'value="Toko Uji"' in text and 'value="Data OSS belum sinkron"' in text and 'id="returning"' in text
    assert count(app, Application) == before
    # A refused scan: the reason is told, nothing is stored, the intake waits as it was.
    application = int(fo.post("/counter/intake/", data={"nik": nik, "service": _service(app, "PBG")[0]})
                      .location.rsplit("/", 1)[-1])
    scan = upload(fo, application, "KTP", content=b"bukan berkas pindaian", name="ktp.txt")
    assert scan.status_code == 400 and "ktp.txt" in str(scan.get_json()["message"])
    with app.app_context():
        assert app.appbuilder.session.get(Application, application).documents == []
    assert 'id="give-berita"' in fo.get(f"/counter/intake/{application}").get_data(as_text=True)


def test_a_ticket_becomes_one_application_only(app):
    fo = web(app, "fo")
    nik, _business = returning_applicant(app, with_business=False)
    ticket = called_ticket(app, fo, "SIP_DOKTER")
    data = {"ticket": ticket, "nik": nik, "service": _service(app, "SIP_DOKTER")[0]}
    assert fo.post("/counter/intake/", data=data).status_code == 302
    again = fo.post("/counter/intake/", data=data)
    assert again.status_code == 422 and "sudah didaftarkan" in again.get_data(as_text=True)


@pytest.mark.parametrize("username", ["bo", "kasi", "kabid", "kadis", "arsip", "dalaks", "pimpinan", "teknis_pupr"])
def test_only_the_front_office_takes_an_intake(app, username):
    other = web(app, username)
    nik, _business = returning_applicant(app, with_business=False)
    before = count(app, Application)
    assert other.get("/counter/intake/").status_code == 403
    assert other.post("/counter/intake/", data={"nik": nik, "service": _service(app, "PBG")[0]}).status_code == 403
    assert count(app, Application) == before
    fo = web(app, "fo")
    application = int(fo.post("/counter/intake/", data={"nik": nik, "service": _service(app, "PBG")[0]})
                      .location.rsplit("/", 1)[-1])
    assert other.get(f"/counter/intake/{application}").status_code == 403
    assert other.post(f"/counter/intake/{application}/berita", data={}).status_code == 403
    with app.app_context():
        assert app.appbuilder.session.get(Application, application).current_node == "berita_dokumen"

