"""Finding 3 of the security probe: the step form's upload (`POST /tasks/<id>`) skipped every intake check.

As the probe did it: Tim Teknis (KESEHATAN) on its own application at its technical assessment, posting
the step without an outcome (so the step fails) with a hostile file. None is stored; a KTP cannot be
slipped in through the step's document type; an unknown type is a 422 in Indonesian, not a 500; and a
preview never answers HTML or SVG inline (not even for a row stored before intake checked every path).
"""

import io
import urllib.parse
import urllib.request

import pytest

from app.models import Application, Document, DocumentType
from app.storage.documents import store_document
from tests.archive.samples import text_pdf
from tests.archive.test_one_way_in import page_text
from tests.hostile.make_corpus import BY_NAME, NOT_A_SCAN
from tests.hostile.test_corpus import state
from tests.web.test_workflow_screens import web

TEAM = "teknis_kesehatan"
PROBED = ["html", "svg", "empty pdf named .pdf", "encrypted pdf", "tiff pixel bomb", "gif as x-msdownload"]


@pytest.fixture
def at_assessment(app, desk):
    """An IZIN_KLINIK application (sector KESEHATAN) at the technical assessment, with a KTP on file."""
    application = desk.register("IZIN_KLINIK")
    ktp = desk.upload("fo", application, "KTP")
    desk.ok("fo", application, "fo_input", risk_level="tinggi")
    desk.ok("fo", application, "berita_dokumen")
    desk.ok("bo", application, "bo_upload")
    desk.ok("kasi", application, "kasi_verification", outcome="complete", checked=desk.ticks(application),
            request_letter_number="REK/9/2026")
    desk.ok("kasi", application, "kasi_verification", scheduled_at="2026-11-27T09:00:00", location="Jl. Sudirman",
            bap_document=desk.upload("kasi", application, "BAP"))
    return application, ktp


def post_step(app, application_id, content, name, media_type, **form):
    """The step form as the team sends it, without an outcome."""
    return web(app, TEAM).post(f"/tasks/{application_id}", content_type="multipart/form-data", data={
        "document": (io.BytesIO(content), name, media_type), **form})


def still_open(app, application_id, ktp_id) -> bool:
    """The assessment still waits and the applicant's KTP is the one FO uploaded."""
    with app.app_context():
        session = app.appbuilder.session
        session.remove()
        application = session.get(Application, application_id)
        ktp = session.get(Document, ktp_id)
        return "technical_assessment" in str(application.current_node) and ktp.is_current and ktp.version == 1


@pytest.mark.parametrize("name", PROBED)
def test_finding_3_a_hostile_file_on_a_failing_step_is_refused_and_not_stored(app, at_assessment, name):
    application_id, ktp = at_assessment
    hostile = BY_NAME[name]
    before = state(app)
    page = post_step(app, application_id, hostile.make(), hostile.filename, hostile.media_type)
    assert page.status_code == 422
    assert hostile.refused in page_text(page)
    assert state(app) == before
    assert still_open(app, application_id, ktp)


def test_finding_3_a_fake_ktp_does_not_replace_the_real_one(app, at_assessment):
    application_id, ktp = at_assessment
    before = state(app)
    for content, filename in ((BY_NAME["html"].make(), "fake-ktp.html"), (text_pdf("KTP palsu"), "fake-ktp.pdf")):
        for outcome in ({}, {"outcome": "approve"}):  # a failing step, and one that would complete
            page = post_step(app, application_id, content, filename, "text/html", document_type="KTP", **outcome)
            assert page.status_code == 422
            text = page_text(page)
            assert NOT_A_SCAN in text or "Jenis dokumen KTP tidak dapat diunggah pada langkah ini" in text
    assert state(app) == before
    assert still_open(app, application_id, ktp)


def test_finding_3_an_unknown_document_type_is_a_422_in_indonesian(app, at_assessment):
    application_id, ktp = at_assessment
    before = state(app)
    page = post_step(app, application_id, text_pdf("Rekomendasi"), "rekomendasi.pdf", "application/pdf",
                     document_type="TIDAK_ADA", outcome="approve")
    assert page.status_code == 422
    assert ("Jenis dokumen TIDAK_ADA tidak dapat diunggah pada langkah ini (yang diizinkan: SURAT_REKOMENDASI)"
            in page_text(page))
    assert state(app) == before
    assert still_open(app, application_id, ktp)


@pytest.mark.parametrize("media_type, content", [
    ("text/html", b"<html><script>alert(document.domain)</script></html>"),
    ("image/svg+xml", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
])
def test_finding_3_a_preview_never_serves_html_or_svg_inline(app, at_assessment, media_type, content):
    """A row stored before every path went through intake: its preview is bytes to save, never a page."""
    application_id, _ktp = at_assessment
    with app.app_context():
        session = app.appbuilder.session
        legacy = store_document(session, io.BytesIO(content), filename="lama.html", media_type=media_type,
                                document_type=session.query(DocumentType).filter_by(code="SURAT_REKOMENDASI").one(),
                                application=session.get(Application, application_id))
        session.commit()
        legacy_id = legacy.id
    client = web(app, TEAM)
    preview = client.get(f"/documents/preview/{legacy_id}")
    assert preview.status_code == 302
    link = preview.headers["Location"].split("#")[0]
    asked = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    assert asked["response-content-type"] == ["application/octet-stream"]
    with urllib.request.urlopen(link, timeout=10) as answer:  # what the browser gets from S3
        assert answer.headers["Content-Type"] == "application/octet-stream"
        assert answer.headers["Content-Disposition"].startswith("attachment")
    download = client.get(f"/documents/file/{legacy_id}")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.mimetype == "application/octet-stream"
