"""The screens people live in: the inbox, a step's form (the verification screen), the application page,
the SLA breaches; and a whole track driven through the web forms."""

import datetime as dt
import io
import re
import uuid

from app.models import Application, DocumentType
from tests.conftest import PASSWORD
from tests.workflow.test_engine import backdate
from tests.archive.samples import text_pdf
from tests.web.pages import table_rows


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


def whole_inbox(client) -> str:
    """Every page of the user's inbox (50 files a page, oldest first), one after the other."""
    pages, number = [], 1
    while True:
        pages.append(client.get(f"/tasks/?page={number}").get_data(as_text=True))
        if 'class="next"' not in pages[-1]:
            return "".join(pages)
        number += 1


def test_the_inbox_lists_what_waits_for_my_role_with_one_click_into_the_form(app, desk):
    application = desk.register("KARTU_AK1")
    with app.app_context():
        number = app.appbuilder.session.get(Application, application).registration_number
    page = whole_inbox(web(app, "fo"))
    assert number in page and f"/tasks/{application}" in page
    assert number not in whole_inbox(web(app, "kabid"))
    form = web(app, "fo").get(f"/tasks/{application}").get_data(as_text=True)
    assert 'name="note"' in form and 'name="risk_level"' in form


def test_a_long_inbox_is_paged_oldest_first(app, desk, monkeypatch):
    from app.views.workflow import InboxView

    monkeypatch.setattr(InboxView, "page_size", 1)
    desk.register("KARTU_AK1")
    newest = desk.register("KARTU_AK1")
    fo = web(app, "fo")
    first = fo.get("/tasks/").get_data(as_text=True)
    pages = int(re.search(r"Halaman 1 dari (\d+) \((\d+) tugas\)", first).group(1))
    assert pages >= 2 and len(table_rows(first, "tasks")) == 1
    assert "/tasks/?page=2" in first and "Sebelumnya" not in first
    last = fo.get(f"/tasks/?page={pages}").get_data(as_text=True)
    assert len(table_rows(last, "tasks")) == 1 and f"/tasks/{newest}" in last  # the newest comes last
    assert f"/tasks/?page={pages - 1}" in last and "Berikutnya" not in last


def test_a_role_that_may_not_act_is_sent_to_the_application_page(app, desk):
    application = desk.register("KARTU_AK1")
    response = web(app, "kasi").post(f"/tasks/{application}", data={})
    assert response.status_code == 302 and f"/application/{application}" in response.location
    assert current(app, application) == ("fo_input", "in_progress")


def upload_ktp(app, application_id, text):
    """BO uploads a KTP scan of the application on the upload screen (its text is read at once in tests)."""
    with app.app_context():
        ktp = app.appbuilder.session.query(DocumentType).filter_by(code="KTP").one().id
    response = web(app, "bo").post("/documents/upload/form", data={
        "application": str(application_id), "document_type": str(ktp),
        "file": (io.BytesIO(text_pdf(text)), "ktp.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[-500:]


def scan_checks(app, username, application_id) -> dict:
    page = web(app, username).get(f"/tasks/{application_id}").get_data(as_text=True)
    return {attrs["data-field"]: cells for attrs, cells in table_rows(page, "scan-checks")}


def test_the_verification_screen_shows_each_number_found_or_not_in_its_scan(app, desk):
    application = desk.register("IZIN_KLINIK")
    desk.ok("fo", application, "fo_input", risk_level="tinggi", nib="9120001234567")
    desk.ok("fo", application, "berita_dokumen")
    desk.ok("bo", application, "bo_upload")
    with app.app_context():
        nik = app.appbuilder.session.get(Application, application).applicant.nik
    assert scan_checks(app, "kasi", application)["nik"] == [nik, "Tidak ditemukan (belum ada pindaian)"]

    upload_ktp(app, application, f"KARTU TANDA PENDUDUK\nNIK : {nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}")
    page = web(app, "kasi").get(f"/tasks/{application}").get_data(as_text=True)
    checks = {attrs["data-field"]: cells for attrs, cells in table_rows(page, "scan-checks")}
    assert checks["nik"] == [nik, "Ditemukan KTP, halaman 1"]
    assert checks["nib"] == ["9120001234567", "Tidak ditemukan (belum ada pindaian)"]
    assert "/documents/preview/" in page and 'name="request_letter_number"' in page  # beside the previewed scan

    upload_ktp(app, application, "KARTU TANDA PENDUDUK\nNIK : 1371015505850002")  # the wrong person's card
    assert scan_checks(app, "kasi", application)["nik"] == [nik, "Tidak ditemukan KTP"]


SIX_SCANS = ("KTP", "NPWP", "NIB", "AKTA", "SURAT_PERMOHONAN", "SERTIFIKAT_TANAH")


def at_kasi_with_six_scans(app, desk) -> int:
    """An application at Kasi's verification with six current scans, each of another kind."""
    application = desk.register("IZIN_KLINIK")
    desk.ok("fo", application, "fo_input", risk_level="tinggi")
    desk.ok("fo", application, "berita_dokumen")
    desk.ok("bo", application, "bo_upload")
    client = app.test_client()
    for code in SIX_SCANS:
        response = client.post("/api/v1/document/", headers=desk.headers("bo"), data={
            "file": (io.BytesIO(text_pdf(f"Pindaian {code}")), f"{code.lower()}.pdf"), "document_type": code,
            "application": str(application)})
        assert response.status_code == 201, response.get_json()
    return application


def test_the_verification_page_loads_no_preview_until_one_is_asked_for(app, desk):
    application = at_kasi_with_six_scans(app, desk)
    page = web(app, "kasi").get(f"/tasks/{application}").get_data(as_text=True)
    assert page.count('data-preview="/documents/preview/') == 6  # one button per scan
    assert page.count("<iframe") == 1 and '<iframe id="preview" hidden' in page  # one viewer, empty
    assert not re.search(r"<iframe[^>]*\ssrc=", page)
    assert "Tekan Pratinjau di samping dokumen" in page


def test_the_final_verification_finds_the_permit_number_in_the_uploaded_permit(app, desk):
    application = desk.register("SK_PENELITIAN")
    desk.up_to_the_permit(application)
    number = f"503/{uuid.uuid4().hex[:6]}/SK/2026"
    submit(app, "bo", application, number=number, issued_on="2026-11-20", handed_over_to="Pemohon",
           document=(io.BytesIO(text_pdf(f"SURAT KETERANGAN PENELITIAN\nNomor : {number}")), "sk.pdf"))
    assert scan_checks(app, "kasi", application)["permit_number"] == [number, "Ditemukan IZIN, halaman 1"]


def test_a_time_typed_on_a_form_is_office_time(app, desk):
    application = desk.register("IZIN_KLINIK")
    desk.ok("fo", application, "fo_input", risk_level="tinggi")
    desk.ok("fo", application, "berita_dokumen")
    desk.ok("bo", application, "bo_upload")
    desk.ok("kasi", application, "kasi_verification", outcome="complete", checked=desk.ticks(application))
    submit(app, "kasi", application, scheduled_at="2026-11-27T09:00", location="Jl. Sudirman",
           bap_document=(io.BytesIO(text_pdf("BERITA ACARA PEMERIKSAAN")), "bap.pdf"))
    with app.app_context():
        survey = app.appbuilder.session.get(Application, application).surveys[0]
        assert survey.scheduled_at == dt.datetime(2026, 11, 27, 2, 0)  # 09:00 WIB


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
    assert f"/application/{application}" in page and "<td>Input FO</td>" in page  # the step by its short label
    assert web(app, "kabid").get("/sla-breaches/").status_code == 200
    assert web(app, "fo").get("/sla-breaches/").status_code in (302, 403)


def test_the_application_list_and_record_link_to_the_page_and_to_the_form_when_i_may_act(app, desk):
    application = desk.register("KARTU_AK1")
    with app.app_context():
        number = app.appbuilder.session.get(Application, application).registration_number
    listed = f"/applications/list/?_flt_0_registration_number={number}"
    for username, may_act in (("fo", True), ("kasi", False)):
        for page in (web(app, username).get(listed), web(app, username).get(f"/applications/show/{application}")):
            html = page.get_data(as_text=True)
            assert page.status_code == 200 and f'href="/application/{application}"' in html, username
            assert (f'href="/tasks/{application}"' in html) is may_act, username


def test_a_role_without_identity_is_offered_no_preview_of_identity_scans(app, desk):
    """Kadis may not open KTP or NPWP scans: the step page says so instead of a Preview that is refused."""
    application = desk.register("SK_PENELITIAN")
    for username, step in (("fo", "fo_input"), ("fo", "berita_dokumen"), ("bo", "bo_upload")):
        desk.ok(username, application, step)
    scans = {code: desk.upload("bo", application, code) for code in ("KTP", "NPWP", "SURAT_PERMOHONAN")}
    desk.ok("kasi", application, "kasi_verification", outcome="complete", checked=desk.ticks(application))

    page = web(app, "kadis").get(f"/tasks/{application}").get_data(as_text=True)
    assert f'data-preview="/documents/preview/{scans["SURAT_PERMOHONAN"]}' in page
    for code in ("KTP", "NPWP"):
        assert f"/documents/preview/{scans[code]}" not in page
    assert page.count("dokumen identitas: peran Anda tidak boleh membukanya") == 2
