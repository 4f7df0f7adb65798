"""One way in: the same hostile file through every entry point (upload screen, multi-file page, API, step
form, `import-scans`) is refused with the same Indonesian sentence, and nothing is stored."""

import html
import io
import json
import re
import uuid

import pytest

from app.models import Application, Document, DocumentType
from tests.archive.samples import text_pdf
from tests.archive.test_cli import run
from tests.archive.test_intake import flate_bomb
from tests.conftest import api_token
from tests.web.test_workflow_screens import web

NAME, PDF = "izin.pdf", "application/pdf"
HOSTILE = {
    # HTML named .pdf and sent as application/pdf
    "html named .pdf": (lambda: b"<html><body><script>alert(1)</script></body></html>\n" * 20,
                        f"{NAME} bukan berkas PDF, JPEG, PNG, atau TIFF."),
    "decompression bomb": (lambda: flate_bomb(2),
                           f"PDF {NAME} mengembang menjadi data yang jauh lebih besar dari ukurannya"),
}


def page_text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


@pytest.fixture
def at_permit_form(app, desk):
    """An application at BO's permit step (a form with a file), with a permit scan already stored."""
    application = desk.register("SK_PENELITIAN")
    desk.up_to_the_permit(application)
    return application, desk.upload("bo", application, "IZIN")


def entry_points(app, application_id, tmp_path):
    """Each entry point as send(content, name, media type) -> what the user was told; one login each.

    The step form is sent without the permit number, so that the step fails even when the file is
    accepted: whatever intake stored for it must then be gone again."""
    with app.app_context():
        izin = app.appbuilder.session.query(DocumentType).filter_by(code="IZIN").one().id
    screen, api_client = web(app, "bo"), app.test_client()
    token = api_token(api_client, "bo")

    def upload_screen(content, name=NAME, media_type=PDF):
        page = screen.post("/documents/upload/form", content_type="multipart/form-data", data={
            "application": str(application_id), "document_type": str(izin),
            "file": (io.BytesIO(content), name, media_type)}, follow_redirects=True)
        assert page.status_code == 200
        return page_text(page)

    def multi_file_page(content, name=NAME, media_type=PDF):  # its script posts each file with the cookie
        assert screen.get("/archive/upload/").status_code == 200
        return api_answer(screen.post("/api/v1/document/", data={
            "file": (io.BytesIO(content), name, media_type), "document_type": "IZIN",
            "application": str(application_id)}))

    def api(content, name=NAME, media_type=PDF):
        return api_answer(api_client.post("/api/v1/document/", headers=token, data={
            "file": (io.BytesIO(content), name, media_type), "document_type": "IZIN",
            "application": str(application_id)}))

    def step_form(content, name=NAME, media_type=PDF):
        page = screen.post(f"/tasks/{application_id}", content_type="multipart/form-data", data={
            "issued_on": "2026-11-20", "handed_over_to": "Pemohon",
            "document": (io.BytesIO(content), name, media_type)})
        assert page.status_code == 422
        return page_text(page)

    def import_scans(content, name=NAME, media_type=PDF):
        folder = tmp_path / f"scans-{uuid.uuid4().hex}"
        folder.mkdir()
        (folder / name).write_bytes(content)
        return run(app, "import-scans", str(folder), "--type", "IZIN").output

    return [upload_screen, multi_file_page, api, step_form, import_scans]


def api_answer(response) -> str:
    """The refusal's sentence (400), or the stored document as JSON (201)."""
    assert response.status_code in (201, 400), response.get_json()
    body = response.get_json()
    return body["message"]["file"][0] if response.status_code == 400 else json.dumps(body)


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_file_is_refused_alike_at_every_entry_point_and_nothing_is_stored(
        app, at_permit_form, stored, tmp_path, kind):
    application_id, previous = at_permit_form
    make, sentence = HOSTILE[kind]
    content, before = make(), stored()
    for send in entry_points(app, application_id, tmp_path):
        told = send(content)
        assert sentence in told, send.__name__
        if send.__name__ == "import_scans":
            assert "stored: 0, skipped: 0, refused: 1" in told, told
        assert stored() == before, send.__name__
    with app.app_context():
        assert app.appbuilder.session.get(Application, application_id).permit is None
        assert app.appbuilder.session.get(Document, previous).is_current


def test_a_step_form_that_fails_keeps_the_previous_version_and_stores_nothing(app, at_permit_form, stored):
    application_id, previous = at_permit_form
    before = stored()
    page = web(app, "bo").post(f"/tasks/{application_id}", content_type="multipart/form-data", data={
        "issued_on": "2026-11-20", "handed_over_to": "Pemohon",  # the permit number is missing
        "document": (io.BytesIO(text_pdf("SURAT KETERANGAN PENELITIAN")), "sk.pdf")})
    assert page.status_code == 422
    assert stored() == before
    with app.app_context():
        session = app.appbuilder.session
        assert session.get(Document, previous).is_current
        assert session.get(Application, application_id).permit is None
