"""The screens people live in: the inbox, a step's form (the verification screen), the application page,
the SLA breaches; and a whole track driven through the web forms."""

import datetime as dt
import io
import uuid

from app.models import Application
from tests.conftest import PASSWORD
from tests.workflow.test_engine import backdate
from tests.archive.samples import text_pdf


def web(app, username):
    client = app.test_client()
    assert client.post("/login/", data={"username": username, "password": PASSWORD}).status_code == 302
    return client


def submit(app, username, application_id, **form):
    response = web(app, username).post(f"/tasks/{application_id}", data=form, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return response


def current(app, application_id):
    with app.app_context():
        application = app.appbuilder.session.get(Application, application_id)
        return application.current_node, application.status.name


def pdf(name="scan.pdf"):
    return (io.BytesIO(text_pdf(f"scan {uuid.uuid4()}")), name)


def test_the_inbox_lists_what_waits_for_my_role_with_one_click_into_the_form(app, desk):
    application = desk.register("KARTU_AK1")
    with app.app_context():
        number = app.appbuilder.session.get(Application, application).registration_number
    page = web(app, "fo").get("/tasks/").get_data(as_text=True)
    assert number in page and f"/tasks/{application}" in page
    assert number not in web(app, "kabid").get("/tasks/").get_data(as_text=True)
    form = web(app, "fo").get(f"/tasks/{application}").get_data(as_text=True)
    assert 'name="note"' in form and 'name="risk_level"' in form


def test_a_role_that_may_not_act_is_sent_to_the_application_page(app, desk):
    application = desk.register("KARTU_AK1")
    response = web(app, "kasi").post(f"/tasks/{application}", data={})
    assert response.status_code == 302 and f"/application/{application}" in response.location
    assert current(app, application) == ("fo_input", "in_progress")


def test_oss_low_risk_through_the_web_forms(app, desk):
    application = desk.register("SS_RESTORAN")
    submit(app, "fo", application, risk_level="menengah_rendah", nib="1234567890123")
    submit(app, "fo", application, received=["KTP (Kartu Tanda Penduduk)"])
    assert current(app, application) == ("permit_upload", "in_progress")
    submit(app, "fo", application, number=f"SS-{uuid.uuid4().hex[:8]}", issued_on="2026-11-20",
           document=pdf("sertifikat.pdf"))
    verification = web(app, "kasi").get(f"/tasks/{application}").get_data(as_text=True)
    assert "/documents/preview/" in verification and 'name="checked"' in verification
    assert 'value="not_valid"' in verification
    submit(app, "kasi", application, outcome="valid", checked=[])
    submit(app, "kabid", application, outcome="not_valid", reason="Nomor salah")
    assert current(app, application) == ("permit_upload", "in_progress")
    submit(app, "fo", application, number=f"SS-{uuid.uuid4().hex[:8]}", issued_on="2026-11-20",
           document=pdf("sertifikat-2.pdf"))
    submit(app, "kasi", application, outcome="valid")
    submit(app, "kabid", application, outcome="valid")
    submit(app, "arsip", application)
    submit(app, "dalaks", application)
    assert current(app, application) == (None, "done")
    timeline = desk.timeline(application)["steps"]
    assert [row["node"] for row in timeline].count("permit_upload") == 2
    page = web(app, "pimpinan").get(f"/application/{application}").get_data(as_text=True)
    assert "Nomor salah" in page and "supervision_handover" in page


def test_invalid_web_form_shows_the_field_error_and_records_nothing(app, desk):
    application = desk.register("IZIN_KLINIK")
    page = web(app, "fo").post(f"/tasks/{application}", data={"risk_level": ""}).get_data(as_text=True)
    assert "Isikan tingkat risiko usaha ini." in page
    assert desk.timeline(application)["steps"] == []


def test_breaches_are_listed_and_counted_for_kasi_and_kabid_only(app, desk):
    application = desk.register("KARTU_AK1")
    backdate(app, application, dt.datetime(2025, 11, 25, 1, 0))
    desk.ok("fo", application, "fo_input")
    page = web(app, "kasi").get("/sla-breaches/").get_data(as_text=True)
    assert f"/application/{application}" in page and "fo_input" in page
    assert web(app, "kabid").get("/sla-breaches/").status_code == 200
    assert web(app, "fo").get("/sla-breaches/").status_code in (302, 403)
