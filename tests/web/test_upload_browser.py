"""The multi-file upload page (app/static/sigap/upload.js) in a real browser, with CSRF protection on.

The other tests switch CSRF off and never run JavaScript; here Chromium logs in, chooses two files,
drops a third, watches each request's progress bar finish, and finds the documents listed.
"""

import base64
import io
import secrets

from playwright import sync_api as playwright_api

from tests.archive.samples import text_pdf
from tests.browser import log_in
from tests.conftest import api_token


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
    log_in(page, "arsip")
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
