"""The search's upload dates are office days (WIB), typed as YYYY-MM-DD; anything else is refused."""

import datetime as dt

from app.models import Document
from tests.archive.conftest import found_ids, fresh_word
from tests.archive.samples import text_pdf
from tests.conftest import api_token, web_login

# 3 December, 06.00 WIB: still 2 December in UTC.
EARLY_MORNING_UTC = dt.datetime(2026, 12, 2, 23, 0)


def test_a_document_uploaded_early_in_the_morning_counts_for_that_office_day(app, upload, search):
    word = fresh_word()
    document_id = upload("arsip", text_pdf(word), doc_type="BAP").get_json()["id"]
    with app.app_context():
        session = app.appbuilder.session
        session.get(Document, document_id).uploaded_at = EARLY_MORNING_UTC
        session.commit()  # the index follows the row

    assert found_ids(search("arsip", word, date_from="2026-12-03", date_to="2026-12-03")) == {document_id}
    assert found_ids(search("arsip", word, date_to="2026-12-02")) == set()
    assert found_ids(search("arsip", word, date_from="2026-12-04")) == set()


def test_a_date_that_cannot_be_read_is_refused_with_a_clear_error(app):
    client = app.test_client()
    response = client.get("/api/v1/document/search", headers=api_token(client, "arsip"),
                          query_string={"q": "izin", "date_from": "03/12/2026"})
    assert response.status_code == 400
    assert response.get_json()["message"] == {
        "date_from": ["03/12/2026 bukan tanggal: tulis sebagai TTTT-BB-HH."]}

    web_login(client, "arsip")
    page = client.get("/archive/search/", query_string={"q": "izin", "date_to": "kemarin"})
    assert page.status_code == 200
    assert "kemarin bukan tanggal: tulis sebagai TTTT-BB-HH." in page.get_data(as_text=True)
