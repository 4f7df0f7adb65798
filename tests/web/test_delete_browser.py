"""Finding 8 in Chromium (CSRF on, as in production): FAB's delete button on a list, now that deletes are
POST only, still deletes after the confirmation, and the show page's action still runs."""

import re

from playwright import sync_api as playwright_api

from app.models import Applicant
from tests.browser import log_in
from tests.conftest import api_token
from tests.desk import Desk
from tests.records.helpers import INDIVIDUAL, unique_name, unique_nik

expect = playwright_api.expect


def test_finding_8_delete_button_on_a_list_deletes_after_confirming(page, csrf_app):  # noqa: F811
    client = csrf_app.test_client()
    name = unique_name()
    response = client.post("/api/v1/applicant/", headers=api_token(client, "fo"),
                           json={"kind": INDIVIDUAL, "name": name, "nik": unique_nik()})
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["id"]
    log_in(page, "admin_test")
    page.goto(f"/applicants/list/?_flt_0_name={name}")
    page.click(f"[id='btn-delete-/applicants/delete/{pk}']")
    page.click("#modal-confirm-ok")
    page.wait_for_url(re.compile(r"/applicants/list/"))
    expect(page.locator(".alert-success")).to_contain_text("Data berhasil dihapus")
    with csrf_app.app_context():
        assert csrf_app.appbuilder.session.get(Applicant, pk) is None


def test_finding_8_action_button_on_a_record_runs(page, csrf_app):  # noqa: F811
    client = csrf_app.test_client()
    desk = Desk(csrf_app, client, lambda username: api_token(client, username))
    document = desk.upload("fo", desk.register("SK_PENELITIAN"), "KTP")
    log_in(page, "admin_test")
    page.goto(f"/documents/show/{document}")
    page.click("[id='btn-action-DocumentView.action-retry']")
    expect(page.locator(".alert-info")).to_contain_text("dokumen diantrekan untuk dibaca ulang")
