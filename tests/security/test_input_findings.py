"""Security findings on broken and hostile input: state changes only by POST with the CSRF token (8),
bad requests answered 4xx in Indonesian naming the field (15), control characters, long filenames and
e-mail addresses (16)."""

import re

import pytest

from app.models import Applicant, Document
from tests.conftest import api_token, web_login
from tests.records.helpers import INDIVIDUAL, unique_name, unique_nik

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
EXPIRED = "Halaman sudah kedaluwarsa. Muat ulang halaman lalu coba lagi."


def new_applicant(app) -> int:
    client = app.test_client()  # its own client: a kept request context would share `g` with the browser's
    response = client.post("/api/v1/applicant/", headers=api_token(client, "fo"),
                           json={"kind": INDIVIDUAL, "name": unique_name(), "nik": unique_nik()})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def exists(app, model, pk) -> bool:
    with app.app_context():
        return app.appbuilder.session.get(model, pk) is not None


@pytest.fixture
def admin_browser(app, monkeypatch):
    """Admin's cookie session with CSRF protection on, as in production."""
    browser = app.test_client()
    web_login(browser, "admin_test")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return browser


def page_csrf_token(browser, path: str) -> str:
    """The token a SIGAP page puts in the forms FAB posts deletes and actions with."""
    match = CSRF_FIELD.search(browser.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


# --- 8: state changes only by POST with the CSRF token ----------------------------------------------


def test_finding_8_delete_over_get_is_refused_and_the_record_stays(app, admin_browser):
    pk = new_applicant(app)
    response = admin_browser.get(f"/applicants/delete/{pk}", headers={"Referer": "https://evil.example/"})
    assert response.status_code == 405
    assert "Tidak diizinkan dengan cara ini" in response.get_data(as_text=True)
    assert exists(app, Applicant, pk)


def test_finding_8_delete_posted_without_the_csrf_token_is_refused(app, admin_browser):
    pk = new_applicant(app)
    response = admin_browser.post(f"/applicants/delete/{pk}", headers={"Referer": "https://evil.example/"})
    assert response.status_code == 400
    assert EXPIRED in response.get_data(as_text=True)
    assert exists(app, Applicant, pk)


def test_finding_8_delete_posted_with_the_page_csrf_token_deletes(app, admin_browser):
    pk = new_applicant(app)
    token = page_csrf_token(admin_browser, "/applicants/list/")
    response = admin_browser.post(f"/applicants/delete/{pk}", data={"csrf_token": token})
    assert response.status_code == 302
    assert not exists(app, Applicant, pk)


def test_finding_8_actions_over_get_or_without_the_token_are_refused(app, desk, admin_browser):
    document = desk.upload("fo", desk.register("SK_PENELITIAN"), "KTP")
    assert admin_browser.get(f"/documents/action/retry/{document}").status_code == 405
    assert admin_browser.post(f"/documents/action/retry/{document}").status_code == 400
    assert admin_browser.post("/documents/action_post", data={"action": "retry", "rowid": str(document)}
                              ).status_code == 400
    assert exists(app, Document, document)


def test_finding_8_actions_posted_with_the_page_csrf_token_run(app, desk, admin_browser):
    document = desk.upload("fo", desk.register("SK_PENELITIAN"), "KTP")
    token = page_csrf_token(admin_browser, f"/documents/show/{document}")
    response = admin_browser.post(f"/documents/action/retry/{document}", data={"csrf_token": token},
                                  follow_redirects=True)
    assert response.status_code == 200
    assert "dokumen diantrekan untuk dibaca ulang" in response.get_data(as_text=True)
    response = admin_browser.post("/documents/action_post", follow_redirects=True,
                                  data={"action": "retry", "rowid": str(document), "csrf_token": token})
    assert "dokumen diantrekan untuk dibaca ulang" in response.get_data(as_text=True)


def test_finding_8_fab_user_screen_deletes_only_by_post_with_the_token(app, admin_browser):
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.add_user("hapus_saya", "Hapus", "Saya", "hapus_saya@test.local", sm.find_role("FO"),
                           password="Rahasia-123-panjang")
        pk = user.id
    assert admin_browser.get(f"/users/delete/{pk}").status_code == 405
    assert admin_browser.post(f"/users/delete/{pk}").status_code == 400
    with app.app_context():
        assert app.appbuilder.sm.get_user_by_id(pk) is not None
    token = page_csrf_token(admin_browser, "/users/list/")
    assert admin_browser.post(f"/users/delete/{pk}", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert app.appbuilder.sm.get_user_by_id(pk) is None
