"""The archivist's step in Chromium (CSRF on, as in production): from the inbox to the form, the service's
classification offered with its retention, refused while the archive is incomplete (the form kept), finished
once every required scan is read, then found in the archived files list by where the paper file is kept."""

import re

from playwright import sync_api as playwright_api

from tests.browser import log_in
from tests.screens.test_screens_browser import desk, visible  # noqa: F401 (fixture)
from tests.workflow.test_step_decisions import to_the_archive

expect = playwright_api.expect


def test_the_archivist_records_the_file_once_the_archive_is_complete(page, desk):
    application = to_the_archive(desk)
    log_in(page, "arsip")
    page.goto("/tasks/")
    page.click(f"a[href$='/tasks/{application}']")
    expect(page.locator("h2")).to_contain_text("Arsip digital")
    expect(page.locator("#classification option:checked")).to_contain_text(
        "500.16.7.4 Pelayanan Non Perizinan (aktif 2 tahun, inaktif 5 tahun, Dinilai Kembali)")

    page.fill("#room", "Ruang Arsip Utara")
    page.fill("#shelf", "Rak 4")
    page.fill("#box", "Boks U-17")
    page.click("#step-form [type=submit]")
    expect(page.locator(".alert-danger")).to_contain_text("Arsip belum lengkap: Surat Permohonan: belum diunggah")
    expect(page.locator("#room")).to_have_value("Ruang Arsip Utara")  # what was typed stays

    desk.upload_required("arsip", application)
    page.click("#step-form [type=submit]")
    page.wait_for_url(re.compile(r"/tasks/$"))
    assert "Langkah tercatat." in visible(page)

    page.goto("/archived-files/list/?_flt_0_location=utara")
    row = page.locator("table tr", has_text="Ruang Arsip Utara / Rak 4 / Boks U-17")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("500.16.7.4")
