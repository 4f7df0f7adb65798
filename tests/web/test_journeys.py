"""Whole applications carried through the real screens in Chromium, each role logged in in turn: from the queue
ticket and FO's add form, through the upload screen, Kasi's verification beside the previewed scan, the
technical team's recommendation, the permit and the archive, to the archive search finding the application
by a word of its scanned page. Only the app and its object store are reachable (the office may be offline);
each screen's screenshot is kept under test-artifacts/ when a journey fails."""

from __future__ import annotations

import re
import secrets
import string
import uuid
from dataclasses import dataclass

import pypdfium2
import pytest
from playwright import sync_api as playwright_api

from app.frontdesk.queue import COUNTERS
from app.models import Applicant, Application, ApplicationStatus, Service
from tests.archive.samples import text_pdf
from tests.browser import TIMEOUT_MS, live_app, log_in, only_origins, serving
from tests.records.helpers import INDIVIDUAL, unique_nik
from tests.web.step_form import fill_step, submit_step

expect = playwright_api.expect


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def office(request, s3_server, tmp_path_factory):
    """The app served on each database, and where its object store answers (scans are previewed from there)."""
    flask_app, close = live_app(request.param, s3_server, tmp_path_factory)
    with serving(flask_app) as url:
        yield flask_app, url, f"http://{s3_server.endpoint}"
    close()


@dataclass(frozen=True)
class Filed:
    """The application a journey carries, as the screens name it."""

    id: int
    number: str
    nik: str


class Desk:
    """The office's browsers, one per user, each logged in when the user first acts; a screenshot after every
    screen, and after each the check that no screen asked another host for anything."""

    def __init__(self, app, open_page, screens):
        self.app, self.open_page, self.screens = app, open_page, screens
        self.pages: dict = {}
        self.refused: list[str] = []
        self.user = None

    @property
    def page(self):
        return self.pages[self.user]

    def shot(self, label: str) -> None:
        self.screens.shot(self.page, f"{self.user}-{label}")
        assert self.refused == [], f"requests to other hosts: {self.refused}"

    def as_user(self, username: str) -> None:
        if username not in self.pages:
            self.pages[username] = self.open_page(self.refused)
            log_in(self.pages[username], username)
        self.user = username

    def query(self, model, read=lambda row: row, **criteria):
        """What `read` takes from the one row of `model` matching `criteria`, read afresh."""
        with self.app.app_context():
            session = self.app.appbuilder.session
            session.expire_all()
            return read(session.query(model).filter_by(**criteria).one())

    def step(self, username: str, application: Filed, label: str, look=None, **answers) -> None:
        """Opens the application from the user's task list, checks the screen with `look` (given the page)
        when told to, and completes its current step."""
        self.as_user(username)
        self.open_task(application)
        if look:
            look(self.page)
        fill_step(self.page, **answers)
        self.shot(f"{label}-filled")
        submit_step(self.page)
        self.shot(f"{label}-done")

    def open_task(self, application: Filed) -> None:
        self.page.goto("/tasks/")
        row = self.page.locator("#tasks tr", has_text=application.number)
        # Not waiting for every scan's preview frame to load: only Kasi's verification looks at them.
        with self.page.expect_navigation(wait_until="domcontentloaded"):
            row.get_by_role("link", name="Buka").click()
        expect(self.page.locator("h2")).to_contain_text(application.number)


@pytest.fixture
def desk(browser, office, screens):
    app, url, store = office
    contexts = []

    def open_page(refused):
        context = browser.new_context(base_url=url, viewport={"width": 1366, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        only_origins(context, url, store, refused=refused)
        return context.new_page()

    kept = Desk(app, open_page, screens)
    yield kept
    if not screens.passed and kept.user:
        screens.shot(kept.page, "at-failure")
    for context in contexts:
        context.close()


def a_word() -> str:
    """A word found on one scanned page only."""
    return "berkas" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))


def register_at_the_counter(desk: Desk, service_code: str, **application) -> Filed:
    """FO gives the applicant a queue ticket, calls and serves it, records the applicant and the application
    on their add forms, and finishes the ticket."""
    desk.as_user("fo")
    page = desk.page
    service_id, counter = desk.query(Service, lambda s: (s.id, COUNTERS[s.channel]), code=service_code)
    page.goto("/queue/")
    page.select_option("#issue select[name=service]", str(service_id))
    with page.expect_navigation():
        page.click("#issue [type=submit]")
    ticket = page.locator("body").inner_text()
    desk.shot("ticket")
    page.goto("/queue/")
    with page.expect_navigation():
        page.get_by_role("button", name=f"Panggil berikutnya di loket {counter}").click()
    code = re.search(rf"({counter}-\d{{3}}): dipanggil", page.locator(".alert-success").inner_text()).group(1)
    assert code in ticket
    serve_ticket(desk, code, "Layani")

    name = f"Pemohon {uuid.uuid4().hex[:8]}"
    nik = unique_nik()
    page.goto("/applicants/add")
    page.select_option("select[name=kind]", INDIVIDUAL)
    page.fill("input[name=name]", name)
    page.fill("input[name=nik]", nik)
    desk.shot("applicant")
    with page.expect_navigation():
        page.click("form [type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()

    applicant_id = desk.query(Applicant, lambda a: a.id, name=name)
    page.goto("/applications/add")
    page.select_option("select[name=applicant]", str(applicant_id))
    page.select_option("select[name=service]", str(service_id))
    for field, value in application.items():
        page.select_option(f"select[name={field}]", value)
    desk.shot("application")
    with page.expect_navigation():
        page.click("form [type=submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    serve_ticket(desk, code, "Selesai")
    return desk.query(Application, lambda a: Filed(a.id, a.registration_number, nik), applicant_id=applicant_id)


def serve_ticket(desk: Desk, code: str, action: str) -> None:
    desk.page.goto("/queue/")
    row = desk.page.locator("#tickets tr", has_text=code)
    with desk.page.expect_navigation():
        row.get_by_role("button", name=action).click()
    expect(desk.page.locator(".alert-success")).to_contain_text(code)
    desk.shot(f"ticket-{action}")


def upload_scan(desk: Desk, application: Filed, document_type: str, content: bytes) -> None:
    """BO drops the scan on the upload screen, for the application, and waits for it to be stored."""
    page = desk.page
    page.goto("/archive/upload/")
    page.select_option("#application", str(application.id))
    page.select_option("#document_type", document_type)
    page.set_input_files("#sigap-files", {"name": f"{document_type.lower()}-scan.pdf", "mimeType": "application/pdf",
                                          "buffer": content})
    bar = page.locator("#sigap-queue tbody tr .progress-bar")
    expect(bar).to_have_text("100%")
    expect(bar).to_have_class("progress-bar progress-bar-success")
    desk.shot(f"upload-{document_type}")


def back_office_uploads(desk: Desk, application: Filed) -> str:
    """BO uploads the applicant's KTP scan (its NIK and a word of its own) and completes the upload step;
    returns the word."""
    word = a_word()
    desk.as_user("bo")
    scan = text_pdf(f"KARTU TANDA PENDUDUK\nNIK : {application.nik}\nKeterangan {word}")
    upload_scan(desk, application, "KTP", scan)
    for document_type in sorted(required_scans(desk, application) - {"KTP"}):  # the archivist checks they are all there
        upload_scan(desk, application, document_type, text_pdf(f"{document_type}\nBerkas pemohon"))
    desk.step("bo", application, "bo-upload")
    return word


def required_scans(desk: Desk, application: Filed) -> set[str]:
    """The document types of the service's mandatory requirements."""
    with desk.app.app_context():
        service = desk.app.appbuilder.session.get(Application, application.id).service
        return {r.document_type.code for r in service.requirements if r.mandatory and r.document_type is not None}


def kasi_verifies_beside_the_scan(desk: Desk, application: Filed, store: str) -> None:
    """The verification screen: the record on the left, the KTP scan previewed from the store on the right,
    the NIK typed at the counter found in it."""

    def look(page):
        expect(page.locator("#scan-checks tr[data-field=nik]")).to_contain_text("Ditemukan KTP, halaman 1")
        # Previews load one at a time, when asked; the scan's comes from the object store.
        with page.expect_event("framenavigated", predicate=lambda frame: frame.url.startswith(store)):
            page.locator("[data-preview]").first.click()
        record, preview = page.locator("#record").bounding_box(), page.locator("iframe#preview").bounding_box()
        assert preview["x"] >= record["x"] + record["width"] and preview["height"] > 300  # beside, not below

    desk.step("kasi", application, "verification", look, outcome="complete",
              request_letter_number=f"REK/{uuid.uuid4().hex[:4]}/2026")


def permit_found(page) -> None:
    """The final verification finds the permit number typed by BO in the permit's scan."""
    expect(page.locator("#scan-checks tr[data-field=permit_number]")).to_contain_text("Ditemukan IZIN, halaman 1")


def permit_pdf(number: str) -> bytes:
    return text_pdf(f"SURAT IZIN\nNomor : {number}")


def archive_finds(desk: Desk, application: Filed, word: str) -> None:
    """The archivist searches the archive for the word of the scanned page and finds the application's scan."""
    desk.as_user("arsip")
    desk.page.goto("/archive/search/")
    desk.page.fill("input[name=q]", word)
    with desk.page.expect_navigation():
        desk.page.press("input[name=q]", "Enter")
    hits = desk.page.locator(".list-group-item")
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("ktp-scan.pdf")
    expect(hits.first).to_contain_text(application.number)
    desk.shot("archive-search")


def closes_the_file(desk: Desk, application: Filed, number: str, last_step: str, handed_over_to: str = "") -> None:
    """BO files the permit (and FO hands it over, when BO records whom to), Kasi and Kabid find it valid,
    the archivist archives the file and Dalaks takes its `last_step`: the application is done."""
    handover = {"handed_over_to": handed_over_to} if handed_over_to else {}
    desk.step("bo", application, "permit", number=number, document=permit_pdf(number), **handover)
    if handed_over_to:
        hands_over_at_the_counter(desk, application, number, handed_over_to)
    desk.step("kasi", application, "final-kasi", permit_found, outcome="valid")
    desk.step("kabid", application, "final-kabid", outcome="valid")
    desk.step("arsip", application, "archive")
    desk.step("dalaks", application, last_step)
    finished(desk, application)


def finished(desk: Desk, application: Filed) -> None:
    assert desk.query(Application, lambda a: a.status, id=application.id) == ApplicationStatus.done
    desk.page.goto(f"/application/{application.id}")
    expect(desk.page.locator("#status")).to_have_text("Selesai")
    desk.shot("finished")


def test_an_oss_high_risk_application_from_the_queue_ticket_to_the_archive(desk, office):
    _app, _url, store = office
    application = register_at_the_counter(desk, "IZIN_KLINIK", risk_level="tinggi")
    desk.step("fo", application, "fo-input")
    desk.step("fo", application, "berita-dokumen")
    word = back_office_uploads(desk, application)
    kasi_verifies_beside_the_scan(desk, application, store)
    desk.step("kasi", application, "survey", location="Jl. Imam Bonjol", bap_document=text_pdf("BERITA ACARA"))
    desk.step("teknis_kesehatan", application, "recommendation", outcome="approve")
    closes_the_file(desk, application, f"503/{uuid.uuid4().hex[:6]}/IZ/2026", "supervision")
    archive_finds(desk, application, word)


def test_a_sicantik_permit_approved_by_kadis_and_handed_over_at_the_counter(desk, office):
    _app, _url, store = office
    application = register_at_the_counter(desk, "PBG")
    desk.step("fo", application, "fo-input")
    desk.step("fo", application, "berita-dokumen")
    word = back_office_uploads(desk, application)
    kasi_verifies_beside_the_scan(desk, application, store)
    desk.step("kabid", application, "kabid-verification", outcome="valid")
    desk.step("kasi", application, "survey", bap_document=text_pdf("BERITA ACARA"))
    desk.step("teknis_pupr", application, "recommendation", outcome="approve")
    desk.step("kadis", application, "approval")
    closes_the_file(desk, application, f"600/{uuid.uuid4().hex[:6]}/PBG/2026", "distribution",
                    handed_over_to="Pemohon sendiri")
    archive_finds(desk, application, word)


def hands_over_at_the_counter(desk: Desk, application: Filed, number: str, receiver: str) -> None:
    """FO prints the hand-over receipt from the application's page: the permit and who received it."""
    desk.as_user("fo")
    desk.page.goto(f"/application/{application.id}")
    desk.shot("handover")
    link = desk.page.get_by_role("link", name="Tanda terima penyerahan (PDF)")
    response = desk.page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(response.body()))
    for shown in (application.number, number, receiver):
        assert shown in text, (shown, text)


def test_a_request_to_another_host_fails_and_is_named(browser, office):
    """The guard every journey runs under: the same server under another host name is refused and recorded."""
    _app, url, store = office
    context = browser.new_context(base_url=url)
    refused = only_origins(context, url, store)
    page = context.new_page()
    assert page.goto("/static/sigap/upload.js").status == 200
    elsewhere = url.replace("127.0.0.1", "localhost") + "/static/sigap/upload.js"
    with pytest.raises(playwright_api.Error, match="ERR_FAILED"):
        page.goto(elsewhere)
    context.close()
    assert refused == [elsewhere]
