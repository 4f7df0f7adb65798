"""The step screens a clerk works in: each step by its short label (inbox, step page, timeline) and by its public
label on /status/; Kasi's ticks, Kadis's decision, BO's files and the archivist's record on their forms; the
archived files list and its filters."""

import io
import uuid

import pytest

from app.models import Application, ArchiveRecord, Document
from tests.archive.samples import text_pdf
from tests.tracks import ARCHIVE
from tests.web.pages import table_rows, visible_text
from tests.web.test_workflow_screens import web
from tests.workflow.test_step_decisions import to_kadis, to_the_archive


def at_the_survey(desk):
    application = desk.register("IZIN_KLINIK")
    desk.ok("fo", application, "fo_input", risk_level="tinggi")
    desk.ok("fo", application, "berita_dokumen")
    desk.ok("bo", application, "bo_upload")
    desk.ok("kasi", application, "kasi_verification", outcome="complete", checked=desk.ticks(application))
    return application


def number_and_nik(app, application_id):
    with app.app_context():
        application = app.appbuilder.session.get(Application, application_id)
        return application.registration_number, application.applicant.nik


def post_form(client, application_id, data):
    return client.post(f"/tasks/{application_id}", data=data, content_type="multipart/form-data")


def test_kasis_survey_and_verification_read_as_two_steps_on_every_screen(app, desk):
    application = at_the_survey(desk)
    kasi = web(app, "kasi")
    inbox = visible_text(kasi.get("/tasks/").get_data(as_text=True))
    assert "Survei dan BAP" in inbox and "Kasi Melakukan verifikasi" not in inbox
    form = kasi.get(f"/tasks/{application}").get_data(as_text=True)
    assert "— Survei dan BAP</h2>" in form

    page = kasi.get(f"/application/{application}").get_data(as_text=True)
    labels = {attrs["data-node"]: cells[0] for attrs, cells in table_rows(page, "timeline")}
    assert labels["kasi_verification"] == "Verifikasi Kasi" and labels["fo_input"] == "Input FO"
    assert "Survei dan BAP</strong>" in page


def test_the_public_status_page_shows_public_labels_not_the_decree_wording(app, desk):
    application = at_the_survey(desk)
    number, nik = number_and_nik(app, application)
    app.appbuilder.sm.limiter.reset()
    page = app.test_client().post("/status/", data={"number": number, "nik4": nik[-4:]}).get_data(as_text=True)
    assert table_rows(page, "found")[-1][1] == ["Survei lapangan"]  # the current step
    text = visible_text(page)
    for public in ("Pendaftaran permohonan", "Penyerahan berita dokumen", "Pengolahan berkas", "Verifikasi berkas"):
        assert public in text
    for internal in ("Petugas FO", "pengimputan", "Kasi Melakukan", "menupload", "Verifikasi Kasi"):
        assert internal not in text


def test_a_positive_kasi_decision_without_the_ticks_keeps_the_form_and_says_what_is_missing(app, desk):
    application = desk.register("SK_PENELITIAN")
    for username, step in (("fo", "fo_input"), ("fo", "berita_dokumen"), ("bo", "bo_upload")):
        desk.ok(username, application, step)
    ticks = desk.ticks(application)
    response = post_form(web(app, "kasi"), application, {"outcome": "complete", "checked": [str(ticks[0])],
                                                           "note": "dicek di loket"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Centang setiap persyaratan wajib, atau tulis alasan keputusan ini. Belum dicentang:" in page
    assert "KTP peneliti" in page
    assert f'value="{ticks[0]}" checked' in page and 'value="dicek di loket"' in page  # what was typed stays
    with app.app_context():
        assert app.appbuilder.session.get(Application, application).current_node == "kasi_verification"


def test_kadis_decides_on_the_form_and_a_return_needs_its_reason(app, desk):
    application = to_kadis(desk)
    kadis = web(app, "kadis")
    form = kadis.get(f"/tasks/{application}").get_data(as_text=True)
    assert "Kembalikan ke tahap sebelumnya" in form and "Setujui" in form and "Tolak" in form
    refused = post_form(kadis, application, {"outcome": "return"})
    assert refused.status_code == 422 and "Isikan alasannya." in refused.get_data(as_text=True)
    returned = post_form(kadis, application, {"outcome": "return", "reason": "Proposal belum lengkap"})
    assert returned.status_code == 302
    with app.app_context():
        record = app.appbuilder.session.get(Application, application)
        assert (record.current_node, record.history[-1].note) == ("kasi_verification", "Proposal belum lengkap")


def bo_at_the_upload(desk):
    application = desk.register("SK_PENELITIAN")
    desk.ok("fo", application, "fo_input")
    desk.ok("fo", application, "berita_dokumen")
    return application


def pdf(word):
    return io.BytesIO(text_pdf(f"{word} {uuid.uuid4()}")), f"{word.lower()}.pdf"


def test_bo_uploads_several_files_each_with_its_type_in_the_step_form(app, desk):
    application = bo_at_the_upload(desk)
    bo = web(app, "bo")
    form = bo.get(f"/tasks/{application}").get_data(as_text=True)
    assert form.count('type="file" name="documents"') >= 3 and 'name="documents_type"' in form
    response = post_form(bo, application, {"documents": [pdf("KTP"), pdf("Proposal"), (io.BytesIO(b""), "")],
                                           "documents_type": ["KTP", "LAINNYA", "KTP"]})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    with app.app_context():
        record = app.appbuilder.session.get(Application, application)
        assert sorted(d.document_type.code for d in record.documents) == ["KTP", "LAINNYA"]
        assert sorted(record.history[-1].data["documents"]) == sorted(d.id for d in record.documents)
        assert record.current_node == "kasi_verification"


def test_a_refused_file_keeps_the_bo_form_says_why_and_stores_nothing(app, desk):
    application = bo_at_the_upload(desk)
    response = post_form(web(app, "bo"), application, {
        "documents": [pdf("KTP"), (io.BytesIO(b"just some text, no scan"), "catatan.txt")],
        "documents_type": ["KTP", "LAINNYA"], "note": "berkas dari sicantik"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="step-form"' in page
    assert "catatan.txt" in page and 'value="berkas dari sicantik"' in page
    assert 'class="form-group has-error"' in page
    with app.app_context():
        session = app.appbuilder.session
        assert session.query(Document).filter_by(application_id=application).count() == 0
        assert session.get(Application, application).current_node == "bo_upload"


def test_the_archivists_form_offers_the_services_classification_and_refuses_an_incomplete_archive(app, desk):
    application = to_the_archive(desk)
    arsip = web(app, "arsip")
    form = arsip.get(f"/tasks/{application}").get_data(as_text=True)
    assert '<option value="500.16.7.4" selected>' in form
    assert "aktif 2 tahun, inaktif 5 tahun" in form and 'name="room"' in form and 'name="box"' in form

    refused = post_form(arsip, application, {"classification": "500.16.7.4", **ARCHIVE})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Arsip belum lengkap: Surat Permohonan: belum diunggah;" in page
    assert 'value="Ruang Arsip 1"' in page
    with app.app_context():
        assert app.appbuilder.session.query(ArchiveRecord).filter_by(application_id=application).count() == 0

    desk.upload_required("arsip", application)
    assert post_form(arsip, application, {"classification": "500.16.7.4", **ARCHIVE}).status_code == 302
    with app.app_context():
        record = app.appbuilder.session.query(ArchiveRecord).filter_by(application_id=application).one()
        assert (record.room, record.shelf, record.box) == (ARCHIVE["room"], ARCHIVE["shelf"], ARCHIVE["box"])


@pytest.fixture
def two_archived(app, desk):
    """Two archived files: one kept under the service's classification, one under another, in other rooms."""
    first, second = to_the_archive(desk), to_the_archive(desk)
    desk.archive(first, room="Ruang Arsip Timur", shelf="Rak 1", box="Boks A-01")
    desk.archive(second, classification="500.16.7.2", room="Ruang Arsip Barat", shelf="Rak 9", box="Boks Z-99")
    return [number_and_nik(app, application)[0] for application in (first, second)]


def list_numbers(client, query):
    page = client.get(f"/archived-files/list/?{query}").get_data(as_text=True)
    assert "Daftar Berkas arsip" in page or "Berkas arsip" in page
    return page


def test_the_archived_files_list_filters_by_classification_retention_due_and_location(app, two_archived):
    first, second = two_archived
    arsip = web(app, "arsip")
    everything = list_numbers(arsip, "")
    assert first in everything and second in everything and "Ruang Arsip Timur / Rak 1 / Boks A-01" in everything

    by_location = list_numbers(arsip, "_flt_0_location=timur")
    assert first in by_location and second not in by_location

    with app.app_context():
        from app.models import ArchiveClassification
        other = app.appbuilder.session.query(ArchiveClassification).filter_by(code="500.16.7.2").one().id
    by_class = list_numbers(arsip, f"_flt_0_classification={other}")
    assert second in by_class and first not in by_class

    # 500.16.7.4 keeps files active 2 years, 500.16.7.2 3 years: due within 800 days finds only the first.
    due = list_numbers(arsip, "_flt_0_active_until=800")
    assert first in due and second not in due
    assert second in list_numbers(arsip, "_flt_0_active_until=1200")
