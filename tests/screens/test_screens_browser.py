"""The everyday screens in Chromium (with CSRF on, as in production): the home pages of FO, Kasi and Admin,
a list and a record read finished, a time typed in WIB saved unchanged, and the error pages."""

import datetime as dt
import re

import pytest
from playwright import sync_api as playwright_api

from app.models import Application, AssistanceLog
from tests.browser import log_in
from tests.conftest import api_token
from tests.desk import Desk

expect = playwright_api.expect
# What a finished screen never shows: Python's None/True/False, step codes, UTC with microseconds, FAB's English.
RAW = re.compile(r"\b(None|True|False)\b|SOP-\d{3}/|\d{2}:\d{2}:\d{2}\.\d+|Previous Version|Login Count|"
                 r"\bCancel\b|\bShow\b|\bEdit\b|\bRecord\b")


@pytest.fixture(scope="module")
def desk(csrf_app):
    client = csrf_app.test_client()
    return Desk(csrf_app, client, lambda username: api_token(client, username))


@pytest.fixture(scope="module")
def at_kasi(desk):
    """An application waiting for Kasi's verification."""
    application = desk.register("SK_PENELITIAN")
    for username, step in (("fo", "fo_input"), ("fo", "berita_dokumen"), ("bo", "bo_upload")):
        desk.ok(username, application, step)
    return application


def visible(page) -> str:
    return page.locator("body").inner_text()


def test_the_front_office_home_page(page, at_kasi):
    log_in(page, "fo")
    page.goto("/")
    expect(page.locator("#inbox-count")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Panggil antrean berikutnya"))).to_have_count(3)
    page.click("#new-application")
    page.wait_for_url(re.compile(r"/counter/intake/"))


def test_the_kasi_home_page_leads_to_the_next_verification(page, at_kasi):
    log_in(page, "kasi")
    page.goto("/")
    assert int(page.locator("#inbox-count").inner_text()) >= 1
    page.click("#next-task")
    page.wait_for_url(re.compile(r"/tasks/\d+$"))
    assert not re.search(r"\d{3,} menit", visible(page))  # working days and hours, not 13440 minutes


def test_the_admin_home_page_shows_system_health(page):
    log_in(page, "admin_test")
    page.goto("/")
    expect(page.locator("#storage")).to_contain_text("Berfungsi")
    expect(page.locator("#worker")).to_contain_text("tugas dalam antrean")
    assert "Statistik Pengguna" not in visible(page) and "gstatic" not in page.content()


def test_a_time_typed_in_wib_is_shown_in_wib_and_saved_unchanged(page, csrf_app):
    # Surveys are written by their step alone: the assistance log is the generic screen with a typed time.
    log_in(page, "admin_test")
    page.goto("/assistance-log/add")
    page.select_option("#channel", "oss_rba")
    page.fill("#visitor_name", "Tamu WIB")
    page.fill("#finished_at", "2026-12-03 09:00")
    page.click("form [type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    with csrf_app.app_context():
        log = csrf_app.appbuilder.session.query(AssistanceLog).filter_by(visitor_name="Tamu WIB").one()
        assert log.finished_at == dt.datetime(2026, 12, 3, 2, 0)  # stored in UTC
    page.goto("/assistance-log/list/?_flt_0_visitor_name=Tamu%20WIB")

    listed = visible(page)
    assert "3 Des 2026 09.00" in listed and RAW.findall(listed) == []
    page.goto(f"/assistance-log/show/{log.id}")
    shown = visible(page)
    assert "3 Des 2026 09.00" in shown and RAW.findall(shown) == []

    page.goto(f"/assistance-log/edit/{log.id}")
    expect(page.locator("#finished_at")).to_have_value("2026-12-03 09:00")
    page.click("form [type=submit]")
    page.wait_for_url(lambda url: "/edit/" not in url)
    with csrf_app.app_context():
        session = csrf_app.appbuilder.session
        session.expire_all()
        assert session.get(AssistanceLog, log.id).finished_at == dt.datetime(2026, 12, 3, 2, 0)


def test_the_applications_list_and_a_record_read_finished(page, csrf_app, at_kasi):
    log_in(page, "kasi")
    page.goto("/applications/list/")
    listed = visible(page)
    assert RAW.findall(listed) == [] and "Tidak" in listed
    with csrf_app.app_context():
        number = csrf_app.appbuilder.session.get(Application, at_kasi).registration_number
    page.click(f"text={number}")
    page.wait_for_url(re.compile(rf"/application/{at_kasi}$"))
    page.goto(f"/applications/show/{at_kasi}")
    assert RAW.findall(visible(page)) == []


def test_error_pages_are_indonesian_in_the_layout(page):
    log_in(page, "fo")
    response = page.goto("/tidak-ada-halaman-ini")
    assert response.status == 404
    expect(page.locator("#error-page")).to_contain_text("Halaman tidak ditemukan")
    expect(page.locator(".navbar")).to_be_visible()
    response = page.goto("/audit-log/list/")  # FO may not read the audit log
    assert "Not Found" not in visible(page) and "Forbidden" not in visible(page)
    assert page.request.get("/favicon.ico").status == 200


def test_kasi_opens_the_six_scans_one_preview_at_a_time(page, csrf_app, desk):
    from tests.web.test_workflow_screens import at_kasi_with_six_scans

    application = at_kasi_with_six_scans(csrf_app, desk)
    previews = []
    page.on("request", lambda request: "/documents/preview/" in request.url and previews.append(request.url))
    log_in(page, "kasi")
    page.goto(f"/tasks/{application}")
    expect(page.locator("#step-form")).to_be_visible()
    assert previews == [] and page.locator("#preview").is_hidden()  # nothing loaded with the page
    buttons = page.locator("[data-preview]")
    expect(buttons).to_have_count(6)
    buttons.nth(2).click()
    expect(page.locator("#preview")).to_be_visible()
    assert page.locator("#preview").get_attribute("title") == "nib.pdf"
    buttons.nth(4).click()  # the viewer shows the other scan in place of the first
    expect(page.locator("#preview")).to_have_attribute("title", "surat_permohonan.pdf")
    assert len([url for url in previews if "/documents/preview/" in url]) == 2
    assert page.locator("iframe").count() == 1
