"""The multi-file upload page (app/static/sigap/upload.js) in a real browser, with CSRF protection on.

The other tests switch CSRF off and never run JavaScript; here Chromium logs in, chooses two files,
drops a third, watches each request's progress bar finish, and finds the documents listed.
"""

import base64
import io
import secrets
import threading

import pytest
from playwright import sync_api as playwright_api

from app import create_app
from app.cli import initialise
from tests.archive.samples import text_pdf
from tests.conftest import PASSWORD, _create_users, api_token

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def csrf_app(s3_server, tmp_path_factory):
    """SIGAP on SQLite with CSRF enabled, as in production."""
    folder = tmp_path_factory.mktemp("browser")
    flask_app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'sigap.db'}",
        "WTF_CSRF_ENABLED": True,
        "S3_ENDPOINT": s3_server.endpoint, "S3_LOCAL": False, "S3_ACCESS_KEY": s3_server.access_key,
        "S3_SECRET_KEY": s3_server.secret_key, "S3_BUCKET": f"sigap-browser-{secrets.token_hex(3)}",
        "SIGAP_INDEX_DIR": str(folder / "index"), "HUEY_SQLITE_PATH": str(folder / "huey.db"),
        "HUEY_IMMEDIATE": True,
        # Every browser test logs in from 127.0.0.1 (tests/security checks the production limit).
        "AUTH_RATE_LIMIT": "10000 per minute",
    })
    with flask_app.app_context():
        initialise()
        _create_users(flask_app)
    return flask_app


@pytest.fixture(scope="module")
def served(csrf_app):
    """The app behind werkzeug's server in a thread."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, csrf_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, served):
    context = browser.new_context(base_url=served)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def _pdf_file(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": text_pdf(f"Berkas {name}")}


# What another site's page could send with the user's cookie: no CSRF token.
FORGED_POST = """() => fetch("/api/v1/document/", {method: "POST", body: new FormData()}).then(r => r.status)"""

DROP = """([name, base64]) => {
    const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, {type: "application/pdf"}));
    const zone = document.getElementById("sigap-dropzone");
    for (const type of ["dragenter", "dragover", "drop"]) {
        zone.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }
}"""


def test_files_chosen_and_dropped_are_uploaded_with_csrf_and_listed(page):
    page.goto("/login/")
    page.fill("#username", "arsip")
    page.fill("#password", PASSWORD)
    page.click("[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto("/archive/upload/")
    assert page.evaluate(FORGED_POST) == 400  # the session cookie alone does not let a write through
    stored_text = page.get_attribute("#sigap-upload", "data-stored")
    names = [f"pilih-{secrets.token_hex(3)}.pdf", f"pilih-{secrets.token_hex(3)}.pdf"]
    page.set_input_files("#sigap-files", [_pdf_file(name) for name in names])
    dropped = f"seret-{secrets.token_hex(3)}.pdf"
    page.evaluate(DROP, [dropped, base64.b64encode(_pdf_file(dropped)["buffer"]).decode()])
    rows = page.locator("#sigap-queue tbody tr")
    playwright_api.expect(rows).to_have_count(3)
    for row in rows.all():
        playwright_api.expect(row.locator(".progress-bar")).to_have_class("progress-bar progress-bar-success")
        playwright_api.expect(row.locator(".progress-bar")).to_have_text("100%")
        playwright_api.expect(row.locator("td").nth(2)).to_have_text(stored_text)
    page.goto("/documents/list/")
    for name in [*names, dropped]:
        playwright_api.expect(page.get_by_text(name)).to_be_visible()


def test_api_clients_with_a_bearer_token_need_no_csrf_token(csrf_app):
    client = csrf_app.test_client()
    data = {"file": (io.BytesIO(text_pdf("Token")), "token.pdf"), "document_type": "KTP"}
    response = client.post("/api/v1/document/", headers=api_token(client, "arsip"), data=data)
    assert response.status_code == 201, response.get_json()
