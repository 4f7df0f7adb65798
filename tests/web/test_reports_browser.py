"""The leadership dashboard in Chromium with every request to another host failing: the charts are the
server's own SVG, so they still draw (FAB's chart views would need Google's loader and draw nothing)."""

import pytest
from playwright import sync_api as playwright_api

from tests.browser import TIMEOUT_MS, log_in, only_origins
from tests.conftest import api_token
from tests.desk import Desk


@pytest.fixture(scope="module")
def with_applications(csrf_app):
    client = csrf_app.test_client()
    desk = Desk(csrf_app, client, lambda username: api_token(client, username))
    for service in ("IZIN_KLINIK", "KARTU_AK1", "KARTU_AK1"):
        desk.register(service)


@pytest.fixture
def offline_page(browser, served, with_applications):
    context = browser.new_context(base_url=served)
    context.set_default_timeout(TIMEOUT_MS)
    refused = only_origins(context, served)
    yield context.new_page(), refused
    context.close()


def test_the_dashboard_charts_draw_with_no_other_host(offline_page):
    page, refused = offline_page
    log_in(page, "pimpinan")
    page.goto("/reports/")
    charts = page.locator("svg.sigap-chart")
    assert charts.count() >= 5
    bars = page.locator("#table-Per-service svg.sigap-chart rect.bar")
    playwright_api.expect(bars).to_have_count(2)
    widths = [bar.bounding_box()["width"] for bar in bars.all()]
    assert all(width > 0 for width in widths) and max(widths) > min(widths)  # 2 AK1 against 1 clinic
    assert page.locator("#table-Per-service a[href*='/reports/applications']").count() >= 2
    with page.expect_navigation():
        bars.first.click()
    assert "/reports/applications" in page.url and page.locator("#total").inner_text() == "2"
    assert refused == []


def test_the_survey_form_fits_a_phone_screen(browser, served, csrf_app, with_applications):
    import datetime as dt

    from app.models import Application, SkmPeriod
    from app.skm.links import survey_token

    with csrf_app.app_context():
        session = csrf_app.appbuilder.session
        session.add(SkmPeriod(name="SKM ponsel", starts_on=dt.date(2000, 1, 1), ends_on=dt.date(2099, 12, 31),
                              is_open=True))
        session.commit()
        application_id = session.query(Application.id).first()[0]
        token = survey_token(application_id)
    context = browser.new_context(base_url=served, viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(f"/skm/{token}")
    assert page.locator("input[type=radio]").count() == 36
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for element in range(9):
        page.locator("fieldset").nth(element).locator("input[type=radio]").nth(3).check()
    page.click("button[type=submit]")
    playwright_api.expect(page.locator("#thanks")).to_be_visible()
    context.close()
