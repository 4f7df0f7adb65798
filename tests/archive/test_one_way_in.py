"""One way in: the same hostile file through every entry point (upload screen, multi-file page, API, step
form, `import-scans`) is refused with the same Indonesian sentence, and nothing is stored."""

import html
import io
import re

import pytest

from app.models import Application, Document, DocumentType
from tests.archive.samples import text_pdf
from tests.archive.test_cli import run
from tests.archive.test_intake import flate_bomb
from tests.conftest import api_token
from tests.web.test_workflow_screens import web

NAME = "izin.pdf"
HOSTILE = {
    # HTML named .pdf and sent as application/pdf
    "html named .pdf": (lambda: b"<html><body><script>alert(1)</script></body></html>\n" * 20,
                        f"{NAME} bukan berkas PDF, JPEG, PNG, atau TIFF."),
    "decompression bomb": (lambda: flate_bomb(2),
                           f"PDF {NAME} mengembang menjadi data yang jauh lebih besar dari ukurannya"),
}


def page_text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def api_message(response) -> str:
    assert response.status_code == 400, response.get_json()
    return response.get_json()["message"]["file"][0]


@pytest.fixture
def at_permit_form(app, desk):
    """An application at BO's permit step (a form with a file), with a permit scan already stored."""
    application = desk.register("SK_PENELITIAN")
    desk.up_to_the_permit(application)
    return application, desk.upload("bo", application, "IZIN")


def entry_points(app, application_id, tmp_path):
    """Each entry point as (name, send(content) -> the sentence the user got)."""
    with app.app_context():
        izin = app.appbuilder.session.query(DocumentType).filter_by(code="IZIN").one().id

    def upload_screen(content):
        page = web(app, "bo").post("/documents/upload/form", content_type="multipart/form-data", data={
            "application": str(application_id), "document_type": str(izin),
            "file": (io.BytesIO(content), NAME, "application/pdf")}, follow_redirects=True)
        return page_text(page)

    def multi_file_page(content):  # the page's script posts each file to the API with the session cookie
        client = web(app, "bo")
        assert client.get("/archive/upload/").status_code == 200
        return api_message(client.post("/api/v1/document/", data={
            "file": (io.BytesIO(content), NAME, "application/pdf"), "document_type": "IZIN",
            "application": str(application_id)}))

    def api(content):
        client = app.test_client()
        return api_message(client.post("/api/v1/document/", headers=api_token(client, "bo"), data={
            "file": (io.BytesIO(content), NAME, "application/pdf"), "document_type": "IZIN",
            "application": str(application_id)}))

    def step_form(content):
        page = web(app, "bo").post(f"/tasks/{application_id}", content_type="multipart/form-data", data={
            "number": "503/1/SK/2026", "issued_on": "2026-11-20", "handed_over_to": "Pemohon",
            "document": (io.BytesIO(content), NAME, "application/pdf")})
        assert page.status_code == 422
        return page_text(page)

    def import_scans(content):
        folder = tmp_path / f"scans-{len(content)}"
        folder.mkdir(exist_ok=True)
        (folder / NAME).write_bytes(content)
        result = run(app, "import-scans", str(folder), "--type", "IZIN")
        assert "stored: 0, skipped: 0, refused: 1" in result.output, result.output
        return result.output

    return [upload_screen, multi_file_page, api, step_form, import_scans]


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_file_is_refused_alike_at_every_entry_point_and_nothing_is_stored(
        app, at_permit_form, stored, tmp_path, kind):
    application_id, previous = at_permit_form
    make, sentence = HOSTILE[kind]
    content, before = make(), stored()
    for send in entry_points(app, application_id, tmp_path):
        assert sentence in send(content), send.__name__
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
