"""Error pages in SIGAP's layout and in Indonesian; JSON for the API; the favicon; no Google Charts page."""

import pytest

from tests.web.pages import visible_text
from tests.web.test_workflow_screens import web


def test_an_unknown_page_is_an_indonesian_page_in_the_layout(app):
    response = web(app, "fo").get("/no-such-page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert 'id="error-page"' in page and "Halaman tidak ditemukan" in visible_text(page)
    assert "Kembali ke beranda" in page and "Not Found" not in page
    assert "navbar" in page  # the app's menu around it


def test_an_unknown_api_path_answers_json(app):
    response = app.test_client().get("/api/v1/no-such-resource/")
    assert response.status_code == 404 and response.is_json
    assert "tidak ada" in response.get_json()["message"]


def test_a_record_out_of_reach_gets_the_indonesian_page(app):
    response = web(app, "fo").get("/documents/show/999999999")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_the_rate_limit_page_is_indonesian(app):
    client = app.test_client()
    codes = [client.post("/status/", data={"number": "REG-0", "nik4": "0000"}).status_code for _ in range(12)]
    assert codes[-1] == 429
    page = client.post("/status/", data={"number": "REG-0", "nik4": "0000"}).get_data(as_text=True)
    assert "Terlalu banyak permintaan" in page and "Too Many Requests" not in page


def test_a_server_error_is_an_indonesian_page_and_nothing_half_written(app, monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setitem(app.view_functions, "SigapIndexView.index", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = app.test_client().get("/")
    assert response.status_code == 500
    assert "Terjadi kesalahan" in response.get_data(as_text=True)


def test_the_favicon_is_served(app):
    response = app.test_client().get("/favicon.ico")
    assert response.status_code == 200 and response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.parametrize("path", ["/userstatschartview/chart/", "/userstatschartview/chart"])
def test_the_google_charts_user_statistics_are_gone(app, path):
    admin = web(app, "admin_test")
    assert admin.get(path).status_code == 404
    assert "userstatschartview" not in admin.get("/").get_data(as_text=True).lower()
    assert "Statistik Pengguna" not in admin.get("/").get_data(as_text=True)
