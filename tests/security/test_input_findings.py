"""Security findings on broken and hostile input: state changes only by POST with the CSRF token (8),
bad requests answered 4xx in Indonesian naming the field (15), control characters, long filenames and
e-mail addresses (16)."""

import io
import re
import uuid

import pytest

from app.models import Applicant, Document
from app.views import APIS
from app.views.base import GuardedApi
from tests.archive.samples import text_pdf
from tests.conftest import api_token, web_login
from tests.records.helpers import INDIVIDUAL, unique_name, unique_nik

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*? value="([^"]+)"')
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


# --- 15: every bad request a 4xx with an Indonesian message naming the field -------------------------

RESOURCES = [api.resource_name for api in APIS if issubclass(api, GuardedApi)]
# Those that take writes: a read-only one routes no POST or PUT (405, tests/security/test_api_fuzz.py).
WRITABLE = [api.resource_name for api in APIS
            if issubclass(api, GuardedApi) and (api.base_permissions is None or "can_create" in api.base_permissions)]
NO_SQL = re.compile(r"SQL|sqlite|psycopg|IntegrityError|Traceback|INSERT|UPDATE|constraint", re.I)


def admin_api(app):
    client = app.test_client()
    return client, api_token(client, "admin_test")


def assert_refused(response, status, field, sentence):
    body = response.get_json()
    assert response.status_code == status, body
    assert body["message"][field] == [sentence]
    assert not NO_SQL.search(response.get_data(as_text=True))


@pytest.mark.parametrize("resource", WRITABLE)
@pytest.mark.parametrize("body", ["[1, 2]", "null", '"str"', "{broken"])
def test_finding_15_a_body_that_is_not_a_json_object_is_refused(app, resource, body):
    client, headers = admin_api(app)
    for send, path in ((client.post, f"/api/v1/{resource}/"), (client.put, f"/api/v1/{resource}/1")):
        response = send(path, data=body, content_type="application/json", headers=headers)
        assert_refused(response, 400, "body", "Isi permintaan harus berupa objek JSON berisi kolom-kolom data.")


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("query", ["(filters:!((col:", "((("])
def test_finding_15_a_broken_rison_query_is_refused_naming_q(app, resource, query):
    client, headers = admin_api(app)
    response = client.get(f"/api/v1/{resource}/", query_string={"q": query}, headers=headers)
    assert_refused(response, 400, "q", "Parameter q tidak dapat dibaca: tulis dalam format rison atau JSON.")


def test_finding_15_an_unknown_related_record_is_refused_without_sql(app, desk):
    application = desk.register("SK_PENELITIAN", risk_level="rendah")
    client, headers = admin_api(app)
    response = client.put(f"/api/v1/application/{application}", json={"business": 99999}, headers=headers)
    assert_refused(response, 422, "business", "Pilihan tidak valid")


def test_finding_15_a_required_related_record_left_empty_is_named(app, desk):
    client, headers = admin_api(app)
    response = client.post("/api/v1/application/", headers=headers,
                           json={"applicant": None, "service": desk.service_id("SK_PENELITIAN")})
    assert_refused(response, 422, "applicant", "Data wajib diisi.")


def test_finding_15_a_duplicate_permit_number_is_refused_naming_the_number(app, desk):
    client, headers = admin_api(app)
    first, second = desk.register("SK_PENELITIAN"), desk.register("SK_PENELITIAN")
    number = f"IZ-{unique_nik()}"
    permit = {"number": number, "permit_type": "Izin Penelitian", "issued_on": "2026-11-20"}
    assert client.post("/api/v1/permit/", json={"application": first, **permit}, headers=headers).status_code == 201
    response = client.post("/api/v1/permit/", json={"application": second, **permit}, headers=headers)
    assert_refused(response, 409, "number", "Sudah tercatat: data lain sudah memakai nilai ini.")


def test_finding_15_schema_refusals_are_in_indonesian(app):
    client, headers = admin_api(app)
    response = client.post("/api/v1/applicant/", json={"kind": INDIVIDUAL, "nik": unique_nik(), "name": None,
                                                       "unknown": 1}, headers=headers)
    body = response.get_json()
    assert response.status_code == 422, body
    assert body["message"]["name"] == ["Kolom ini tidak boleh kosong."]
    assert body["message"]["unknown"] == ["Kolom tidak dikenal: kolom ini tidak dapat dikirim di sini."]


@pytest.mark.parametrize("screen,view", [("applicants", "ApplicantView"), ("businesses", "BusinessView"),
                                         ("applications", "ApplicationView"), ("documents", "DocumentView"),
                                         ("permits", "PermitView")])
@pytest.mark.parametrize("argument", ["psize", "page"])
def test_finding_15_a_page_or_page_size_that_is_not_a_number_is_a_400_page(app, screen, view, argument):
    browser = app.test_client()
    web_login(browser, "admin_test")
    response = browser.get(f"/{screen}/list/?{argument}_{view}=abc")
    assert response.status_code == 400
    assert f"{argument}_{view} harus berupa bilangan bulat." in response.get_data(as_text=True)


def test_finding_15_an_order_that_is_not_a_column_is_ignored(app):
    browser = app.test_client()
    web_login(browser, "admin_test")
    response = browser.get("/applicants/list/?_oc_ApplicantView=name; drop&_od_ApplicantView=zz")
    assert response.status_code == 200


def test_finding_15_an_unknown_list_action_is_a_400_page(app, admin_browser):
    token = page_csrf_token(admin_browser, "/applicants/add")
    response = admin_browser.post("/documents/action_post", data={"action": "nope", "rowid": "1",
                                                                  "csrf_token": token})
    assert response.status_code == 400
    assert "Tindakan tidak dikenal: nope." in response.get_data(as_text=True)


# --- 16: control characters, long filenames, e-mail addresses ---------------------------------------

HOSTILE = {"nul": "\x00", "bel": "\x07", "escape": "\x1b", "c1": "\x85", "rlo": "\u202e", "isolate": "\u2066"}


def refused_text(field: str) -> str:
    return (f"{field} berisi karakter kendali atau pengubah arah teks (seperti NUL, BEL atau right-to-left "
            "override). Ketik ulang tanpa karakter itu.")


@pytest.mark.parametrize("character", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("field", ["name", "address"])
def test_finding_16_control_characters_refused_in_applicant_text(app, character, field):
    client, headers = admin_api(app)
    name = unique_name()
    body = {"kind": INDIVIDUAL, "name": name, "nik": unique_nik(), field: f"Evil{character}fdp.exe"}
    assert_refused(client.post("/api/v1/applicant/", json=body, headers=headers), 422, field, refused_text(field))
    with app.app_context():
        assert app.appbuilder.session.query(Applicant).filter(Applicant.nik == body["nik"]).count() == 0


@pytest.mark.parametrize("character", HOSTILE.values(), ids=HOSTILE.keys())
def test_finding_16_control_characters_refused_in_a_business_name_on_edit(app, character):
    client, headers = admin_api(app)
    applicant = new_applicant(app)
    business = client.post("/api/v1/business/", headers=headers, json={
        "applicant": applicant, "name": unique_name("Usaha"), "kbli": "47111", "kbli_edition": "kbli_2020",
        "scale": "micro"})
    assert business.status_code == 201, business.get_json()
    response = client.put(f"/api/v1/business/{business.get_json()['id']}", json={"name": f"Toko{character}"},
                          headers=headers)
    assert_refused(response, 422, "name", refused_text("name"))


def test_finding_16_tabs_and_new_lines_stay_allowed_in_an_address(app):
    client, headers = admin_api(app)
    body = {"kind": INDIVIDUAL, "name": unique_name(), "nik": unique_nik(), "address": "Jl. Imam Bonjol\r\n\tNo. 5"}
    assert client.post("/api/v1/applicant/", json=body, headers=headers).status_code == 201


@pytest.mark.parametrize("email", ["bukan-email", "a@@b.id", "a b@pariamankota.go.id", "x@-x.id"])
def test_finding_16_applicant_email_validated(app, email):
    client, headers = admin_api(app)
    body = {"kind": INDIVIDUAL, "name": unique_name(), "nik": unique_nik(), "email": email}
    assert_refused(client.post("/api/v1/applicant/", json=body, headers=headers), 422, "email",
                   "Alamat e-mail tidak valid.")
    body["email"] = "pemohon.satu@pariamankota.go.id"
    assert client.post("/api/v1/applicant/", json=body, headers=headers).status_code == 201


@pytest.mark.parametrize("first_name,email", [("Budi\x07", "budi@pariamankota.go.id"), ("Budi", "bukan-email"),
                                              ("Bu\u202edi", "budi@pariamankota.go.id")])
def test_finding_16_user_form_refuses_control_characters_and_bad_email(app, first_name, email):
    browser = app.test_client()
    web_login(browser, "admin_test")
    username = f"u{unique_nik()}"
    with app.app_context():
        role = app.appbuilder.sm.find_role("FO")
        role_id = role.id
    response = browser.post("/users/add", follow_redirects=True, data={
        "first_name": first_name, "last_name": "Test", "username": username, "email": email, "active": "y",
        "roles": str(role_id), "password": "Rahasia-123-panjang", "conf_password": "Rahasia-123-panjang"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Alamat e-mail tidak valid." in page or "berisi karakter kendali" in page
    with app.app_context():
        assert app.appbuilder.sm.find_user(username=username) is None


def upload(app, filename: str):
    client = app.test_client()
    return client.post("/api/v1/document/", headers=api_token(client, "arsip"), data={
        "file": (io.BytesIO(text_pdf(f"Berkas {uuid.uuid4()}")), filename), "document_type": "KTP"})


@pytest.mark.parametrize("character", HOSTILE.values(), ids=HOSTILE.keys())
def test_finding_16_control_characters_refused_in_an_uploaded_filename(app, character):
    before = document_count(app)
    name = f"ktp{character}fdp.exe.pdf"
    response = upload(app, name)
    assert_refused(response, 400, "file", f"Nama berkas {repr(name)[1:-1]} berisi karakter kontrol. Ganti nama "
                                          "berkasnya lalu unggah lagi.")
    assert document_count(app) == before


def test_finding_16_a_300_character_filename_keeps_its_extension(app):
    response = upload(app, "a" * 300 + ".pdf")
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        stored = app.appbuilder.session.get(Document, response.get_json()["id"]).original_filename
    assert len(stored) == 255 and stored.endswith("a.pdf")


def document_count(app) -> int:
    with app.app_context():
        return app.appbuilder.session.query(Document).count()


@pytest.mark.parametrize("resource,field", [("application", "applicant"), ("business", "applicant"),
                                            ("permit", "application"), ("assistance_log", "queue_ticket"),
                                            ("queue_ticket", "service")])
def test_finding_15_a_related_record_sent_as_an_object_is_refused(app, resource, field):
    """Found by the fuzzer (tests/security/test_api_fuzz.py): FAB's schema ended in a 500."""
    client, headers = admin_api(app)
    response = client.post(f"/api/v1/{resource}/", json={field: {"id": 1, "x": {}}}, headers=headers)
    assert_refused(response, 422, field, "Pilihan tidak valid")


@pytest.mark.parametrize("value", ["Address", [], True, 1.5])
def test_finding_15_a_related_record_named_by_something_else_than_an_id_is_refused(app, value):
    """Found by the fuzzer on PostgreSQL, which ends a query for id 'Address' in a 500."""
    client, headers = admin_api(app)
    response = client.post("/api/v1/permit/", json={"application": value, "number": "IZ-1"}, headers=headers)
    assert_refused(response, 422, "application", "Pilihan tidak valid")


@pytest.mark.parametrize("url", ["/api/v1/applicant/{pk}", "/applicants/show/{pk}"])
def test_finding_15_an_id_no_database_can_hold_is_a_404(app, url):
    # Found by Schemathesis: SQLite's driver overflowed on a 27-digit id and the answer was a 500.
    client = app.test_client()
    headers = api_token(client, "admin_test") if url.startswith("/api/") else {}
    if not headers:
        web_login(client, "admin_test")
    for pk in (2 ** 63, 2 ** 70):
        assert client.get(url.format(pk=pk), headers=headers).status_code == 404
    token = api_token(client, "admin_test")
    for pk in (2 ** 70, -132109464157565641805529088):
        assert client.delete(f"/api/v1/applicant/{pk}", headers=token).status_code in (404, 405)
        assert client.put(f"/api/v1/application/{pk}", headers=token, json={"note": "x"}).status_code in (404, 405)
