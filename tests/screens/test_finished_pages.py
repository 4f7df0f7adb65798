"""Every list and record page a clerk opens reads finished: "-", Ya/Tidak, office time, sizes, labels, Indonesian."""

import io
import re
import uuid

import pytest

from app.models import Document, DocumentType
from app.views import MENU
from app.views.base import GuardedView
from tests.archive.samples import text_pdf
from tests.web.pages import visible_text
from tests.web.test_workflow_screens import web

RAW = re.compile(r"\b(None|True|False)\b|SOP-\d{3}/|\d{2}:\d{2}:\d{2}\.\d+|Previous Version|Login Count|\bCancel\b")


def raw_values(text: str) -> list[str]:
    return [match.group(0) for match in RAW.finditer(text)]


GENERIC_SCREENS = [entry.view for entry in MENU if issubclass(entry.view, GuardedView)]


def _upload(app, application_id, word="KTP"):
    with app.app_context():
        ktp = app.appbuilder.session.query(DocumentType).filter_by(code="KTP").one().id
    response = web(app, "bo").post("/documents/upload/form", data={
        "application": str(application_id), "document_type": str(ktp),
        "file": (io.BytesIO(text_pdf(f"KARTU TANDA PENDUDUK {word}")), "ktp.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        return app.appbuilder.session.query(Document).filter_by(application_id=application_id).one().id


@pytest.fixture
def filled(app, desk):
    """An application part-way through its steps, with a scan, so that every list has rows."""
    application = desk.register("KARTU_AK1")
    desk.ok("fo", application, "fo_input", risk_level="tinggi")
    return application, _upload(app, application)


@pytest.mark.parametrize("view", GENERIC_SCREENS, ids=lambda view: view.__name__)
def test_a_list_and_its_first_record_read_finished(app, filled, view):
    admin = web(app, "admin_test")
    listed = admin.get(f"{view.route_base}/list/")
    assert listed.status_code == 200
    html = listed.get_data(as_text=True)
    assert raw_values(visible_text(html)) == []
    first = re.search(rf'href="{re.escape(view.route_base)}/show/(\d+)', html)
    if first:
        shown = visible_text(admin.get(f"{view.route_base}/show/{first.group(1)}").get_data(as_text=True))
        assert raw_values(shown) == []


def test_every_column_label_is_translated(app):
    """A column without a label of its own gets FAB's English prettified name ("Previous Version")."""
    unlabelled = {}
    for view in app.appbuilder.baseviews:
        if isinstance(view, GuardedView):
            columns = {*view.list_columns, *view.show_columns, *view.search_columns,
                       *(view.add_columns if "can_create" in view.base_permissions else []),
                       *(view.edit_columns if "can_edit" in view.base_permissions else [])}
            missing = sorted(c for c in columns if isinstance(view.label_columns.get(c), str))
            if missing:
                unlabelled[type(view).__name__] = missing
    assert unlabelled == {}


def test_a_document_shows_its_size_type_preview_download_and_versions(app, filled):
    _application, document = filled
    # The scan is a KTP: its file is shown to a role that may see NIK and NPWP (issue 8, finding 6).
    page = web(app, "arsip").get(f"/documents/show/{document}").get_data(as_text=True)
    text = visible_text(page)
    assert re.search(r"\b\d+(,\d)? (B|KB)\b", text) and "KTP" in text
    assert f'src="/documents/preview/{document}"' in page
    assert f'id="download" href="/documents/file/{document}"' in page
    assert 'id="versions"' in page and "v1" in text


def test_the_audit_log_names_actions_and_records_in_words(app, filled):
    text = visible_text(web(app, "admin_test").get("/audit-log/list/").get_data(as_text=True))
    assert "Dibuat" in text and "Permohonan" in text
    assert not re.search(r"\b(create|update|Application|Document)\b", text)


def test_archive_search_hits_name_the_document_type_and_open_the_application_page(app, desk):
    application = desk.register("KARTU_AK1")
    word = f"penanda{uuid.uuid4().hex[:8]}"
    _upload(app, application, word)
    page = web(app, "arsip").get(f"/archive/search/?q={word}").get_data(as_text=True)  # a KTP: needs Identity
    assert "Kartu Tanda Penduduk (KTP)" in visible_text(page)
    assert f'href="/application/{application}"' in page
