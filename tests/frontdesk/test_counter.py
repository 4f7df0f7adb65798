"""The front desk: queue tickets, the berita dokumen PDF, and the public status page."""

import io
import re

import pdfplumber
import pytest

from app.models import Application, QueueTicket, Service
from tests.web.test_workflow_screens import web


def service_id(app, code):
    with app.app_context():
        return app.appbuilder.session.query(Service).filter_by(code=code).one().id


def issue(client, service):
    response = client.post("/queue/issue", data={"service": service})
    assert response.status_code == 302
    ticket_id = int(response.location.rsplit("/", 1)[-1])
    return ticket_id, client.get(f"/queue/ticket/{ticket_id}").get_data(as_text=True)


def test_tickets_are_numbered_per_counter_in_one_click_and_printable(app):
    fo = web(app, "fo")
    first_id, first = issue(fo, service_id(app, "PBG"))
    second_id, second = issue(fo, service_id(app, "PBG"))
    other_id, _ = issue(fo, service_id(app, "SS_RESTORAN"))
    codes = [re.search(r'id="number">([A-C]-\d{3})<', page).group(1) for page in (first, second)]
    assert codes[0].startswith("B-") and int(codes[1][2:]) == int(codes[0][2:]) + 1
    assert "Persetujuan Bangunan Gedung" in first and "window.print()" in first
    with app.app_context():
        assert app.appbuilder.session.get(QueueTicket, other_id).counter_code == "A"


def test_fo_calls_serves_and_finishes_and_the_times_are_kept(app):
    fo = web(app, "fo")
    ticket_id, _ = issue(fo, service_id(app, "KARTU_AK1"))
    while True:  # earlier tests may have left tickets waiting at this counter
        fo.post("/queue/call", data={"counter": "C"})
        with app.app_context():
            if app.appbuilder.session.get(QueueTicket, ticket_id).called_at:
                break
    fo.post("/queue/serve", data={"ticket": ticket_id})
    fo.post("/queue/finish", data={"ticket": ticket_id})
    with app.app_context():
        ticket = app.appbuilder.session.get(QueueTicket, ticket_id)
        assert ticket.served_by.username == "fo"
        assert ticket.waiting_minutes >= 0 and ticket.service_minutes >= 0
        assert ticket.issued_at <= ticket.called_at <= ticket.served_at <= ticket.finished_at


def test_only_the_front_desk_issues_tickets(app):
    assert web(app, "kasi").post("/queue/issue", data={"service": service_id(app, "PBG")}).status_code in (302, 403)
    with app.app_context():
        before = app.appbuilder.session.query(QueueTicket).count()
    web(app, "kasi").post("/queue/issue", data={"service": service_id(app, "PBG")})
    with app.app_context():
        assert app.appbuilder.session.query(QueueTicket).count() == before


def registration(app, application_id):
    with app.app_context():
        application = app.appbuilder.session.get(Application, application_id)
        return application.registration_number, application.applicant.nik, application.applicant.name


def test_berita_dokumen_pdf_lists_documents_with_a_qr_code_to_the_status_page(app, desk):
    application = desk.register("SIP_DOKTER")
    fo = web(app, "fo")
    assert fo.get(f"/berita-dokumen/{application}.pdf").status_code == 404  # not given yet
    desk.upload("fo", application, "KTP")
    desk.ok("fo", application, "fo_input")
    desk.ok("fo", application, "berita_dokumen", received=["Surat permohonan"])
    response = fo.get(f"/berita-dokumen/{application}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.data)) as document:
        text = document.pages[0].extract_text()
    number, _nik, _name = registration(app, application)
    assert number in text and "Surat permohonan" in text and "KTP" in text


@pytest.fixture
def status_client(app):
    app.appbuilder.sm.limiter.reset()
    return app.test_client()


def test_public_status_needs_the_last_nik_digits_and_shows_nothing_personal(app, desk, status_client):
    application = desk.register("KARTU_AK1")
    desk.ok("fo", application, "fo_input")
    number, nik, name = registration(app, application)
    wrong = status_client.post("/status/", data={"number": number, "nik4": "0000" if nik[-4:] != "0000" else "1111"})
    assert "Perbaikan" not in wrong.get_data(as_text=True) and 'id="found"' not in wrong.get_data(as_text=True)
    page = status_client.post("/status/", data={"number": number, "nik4": nik[-4:]}).get_data(as_text=True)
    assert 'id="found"' in page and number in page and "berita dokumen" in page
    assert name not in page and nik not in page


def test_public_status_is_rate_limited(app, status_client):
    codes = [status_client.post("/status/", data={"number": "REG-0", "nik4": "0000"}).status_code
             for _ in range(12)]
    assert codes[:10] == [200] * 10 and codes[-1] == 429
