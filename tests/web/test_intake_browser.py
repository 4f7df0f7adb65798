"""The guided counter intake in Chromium (CSRF on, as in production): a returning applicant with three scans,
from the called ticket on the home page to the berita dokumen, in at most 12 clicks; a refused scan says why
and loses nothing typed."""

import base64
import re

import pytest
from playwright import sync_api as playwright_api

from app.frontdesk import queue
from app.models import Applicant, Application, Business, BusinessScale, KbliEdition, QueueTicket, Service
from tests.archive.samples import text_pdf
from tests.browser import TIMEOUT_MS, log_in
from tests.records.helpers import unique_name, unique_nik

expect = playwright_api.expect
MOST_CLICKS = 12
SCANS = ("KTP", "NPWP", "SURAT_PERMOHONAN")

DROP = """([selector, name, base64]) => {
    const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, {type: "application/pdf"}));
    const zone = document.querySelector(selector);
    for (const type of ["dragenter", "dragover", "drop"]) {
        zone.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }
}"""


class Clerk:
    """The user's actions on the page, counted: each click, each choice of files, each drop (typing is free)."""

    def __init__(self, page):
        self.page, self.clicks = page, 0

    def click(self, selector):
        self.clicks += 1
        self.page.click(selector)

    def choose_files(self, selector, files):
        self.clicks += 1
        self.page.set_input_files(selector, files)

    def drop(self, selector, name, content):
        self.clicks += 1
        self.page.evaluate(DROP, [selector, name, base64.b64encode(content).decode()])


def _pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": text_pdf(f"Pindaian {name}")}


@pytest.fixture
def waiting(csrf_app):
    """A returning applicant with a business, and their ticket waiting at the siCantik counter."""
    with csrf_app.app_context():
        session = csrf_app.appbuilder.session
        applicant = Applicant(kind="individual", name=unique_name(), nik=unique_nik())
        business = Business(applicant=applicant, name=unique_name("Usaha"), nib="9120009876543", kbli="41011",
                            kbli_edition=KbliEdition.kbli_2020, scale=BusinessScale.small)
        session.add_all([applicant, business])
        ticket = queue.issue_ticket(session, session.query(Service).filter_by(code="PBG").one())
        session.commit()
        return {"nik": applicant.nik, "business": business.id, "ticket": ticket.id}


def _called_and_registered(clerk, waiting):
    clerk.page.goto("/")
    clerk.click("form:has(input[name=counter][value=B]) button")
    clerk.page.wait_for_url(re.compile(rf"/counter/intake/\?ticket={waiting['ticket']}$"))
    clerk.page.fill("#nik", waiting["nik"])
    clerk.click("#find-applicant")
    expect(clerk.page.locator("#returning")).to_be_visible()
    clerk.click(f"#business-{waiting['business']}")
    clerk.click("#register-application")
    clerk.page.wait_for_url(re.compile(r"/counter/intake/\d+$"))
    return int(clerk.page.url.rsplit("/", 1)[-1])


def _zone(code):
    return f"tr[data-document-type={code}]"


def test_a_returning_applicant_with_three_scans_in_at_most_12_clicks(page, csrf_app, waiting):
    log_in(page, "fo")
    clerk = Clerk(page)
    application_id = _called_and_registered(clerk, waiting)
    clerk.choose_files(f"{_zone('KTP')} input[type=file]", [_pdf("ktp.pdf")])
    clerk.drop(f"{_zone('NPWP')} .sigap-scan-zone", "npwp.pdf", text_pdf("Pindaian npwp"))
    clerk.choose_files(f"{_zone('SURAT_PERMOHONAN')} input[type=file]", [_pdf("surat-permohonan.pdf")])
    for code in SCANS:
        # Each upload is read inline here (HUEY_IMMEDIATE) before it is answered.
        expect(page.locator(f"{_zone(code)} .progress-bar")).to_have_class("progress-bar progress-bar-success",
                                                                           timeout=TIMEOUT_MS)
        expect(page.locator(f"{_zone(code)} input[name=received]")).to_be_checked()
    clerk.click("#give-berita")
    expect(page.locator("#berita-given")).to_be_visible()
    berita = page.request.get(page.get_attribute("#print-berita", "href"))
    assert berita.status == 200 and berita.headers["content-type"] == "application/pdf"

    assert clerk.clicks <= MOST_CLICKS, clerk.clicks
    with csrf_app.app_context():
        session = csrf_app.appbuilder.session
        application = session.get(Application, application_id)
        assert application.applicant.nik == waiting["nik"] and application.business_id == waiting["business"]
        assert sorted(d.document_type.code for d in application.documents if d.is_current) == sorted(SCANS)
        assert [h.node for h in application.history] == ["fo_input", "berita_dokumen"]
        assert len(application.history[-1].data["received"]) == 3
        ticket = session.get(QueueTicket, waiting["ticket"])
        assert ticket.application_id == application_id and ticket.finished_at is not None


def test_a_refused_scan_says_why_and_keeps_what_was_typed(page, waiting):
    log_in(page, "fo")
    clerk = Clerk(page)
    _called_and_registered(clerk, waiting)
    page.fill("#note", "Asli diperlihatkan")
    page.set_input_files(f"{_zone('KTP')} input[type=file]",
                         [{"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": b"bukan PDF"}])
    line = page.locator(f"{_zone('KTP')} .sigap-scan-lines tr").last
    expect(line.locator(".progress-bar")).to_have_class("progress-bar progress-bar-danger", timeout=TIMEOUT_MS)
    expect(line.locator("td").nth(2)).to_contain_text("ktp.pdf")
    expect(page.locator(f"{_zone('KTP')} input[name=received]")).not_to_be_checked()
    expect(page.locator("#note")).to_have_value("Asli diperlihatkan")
    expect(page.locator("#give-berita")).to_be_enabled()
