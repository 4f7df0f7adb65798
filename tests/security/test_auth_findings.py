"""Security probe findings about accounts and sessions (issue 8): tokens bound to the account (7), logins
and account changes audited (9), brute-force guard and password policy (10), CSRF only waived for a real
bearer token (13), browser protections on every response (14). Run on SQLite and PostgreSQL."""

import json
import secrets

import pytest
from flask_appbuilder.cli import fab
from sqlalchemy import update

from app import create_app
from app.models import AttemptGuard, AuditLog, User
from app.models.base import utcnow
from app.security.passwords import PasswordRejected
from tests.conftest import PASSWORD
from tests.records.helpers import INDIVIDUAL, unique_name, unique_nik

NEW_PASSWORD = "Bukan-Sandi-Lama-7"
# An endpoint Kasi may use and Dalaks may not (the working-day calendar).
KASI_ONLY = "/api/v1/calendar_day/"
KASI_ONLY_PAGE = "/calendar/list/"
AUDIT_LOG_API = "/api/v1/audit_log/"


def unique(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(4)}"


def add_user(app, role: str, username: str | None = None) -> tuple[int, str]:
    username = username or unique("u")
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.add_user(username, "Uji", "Akun", f"{username}@test.local", sm.find_role(role), password=PASSWORD)
        assert user, "user not created"
        return user.id, username


def change_user(app, user_id: int, **values) -> None:
    with app.app_context():
        session = app.appbuilder.session
        user = session.get(User, user_id)
        for key, value in values.items():
            setattr(user, key, value)
        session.commit()


def delete_user(app, user_id: int) -> None:
    with app.app_context():
        session = app.appbuilder.session
        session.delete(session.get(User, user_id))
        session.commit()


def api_login(client, username, password=PASSWORD, address="127.0.0.1"):
    return client.post("/api/v1/security/login", environ_base={"REMOTE_ADDR": address},
                       json={"username": username, "password": password, "provider": "db", "refresh": True})


def web_login(client, username, password=PASSWORD, address="127.0.0.1"):
    return client.post("/login/", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def tokens_of(client, username) -> tuple[dict, dict]:
    response = api_login(client, username)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    return ({"Authorization": f"Bearer {body['access_token']}"},
            {"Authorization": f"Bearer {body['refresh_token']}"})


def refreshed(client, refresh_headers) -> int:
    return client.post("/api/v1/security/refresh", headers=refresh_headers).status_code


def audit_rows(app, **filters) -> list[AuditLog]:
    with app.app_context():
        session = app.appbuilder.session
        rows = session.query(AuditLog).filter_by(**filters).order_by(AuditLog.id).all()
        session.expunge_all()
        return rows


# --- 7: tokens bound to the account -----------------------------------------------------------------


def test_finding_7_deleted_user_token_refused(app, client):
    """u1 (Dalaks) is deleted and u2 (Kasi) created: u1's access and refresh tokens open nothing of u2's."""
    u1_id, u1 = add_user(app, "Dalaks")
    access, refresh = tokens_of(client, u1)
    assert client.get(KASI_ONLY, headers=access).status_code in (401, 403)  # Dalaks may not
    delete_user(app, u1_id)
    u2_id, u2 = add_user(app, "Kasi")
    assert u2_id > u1_id, "a deleted user's id was given to a new user"
    assert client.get(KASI_ONLY, headers=tokens_of(client, u2)[0]).status_code == 200
    assert client.get(KASI_ONLY, headers=access).status_code == 401
    assert refreshed(client, refresh) == 401


def test_finding_7_password_change_ends_tokens_and_sessions(app, client):
    user_id, username = add_user(app, "Kasi")
    access, refresh = tokens_of(client, username)
    browser = app.test_client()
    assert web_login(browser, username).status_code == 302
    assert browser.get(KASI_ONLY_PAGE).status_code == 200
    with app.app_context():
        app.appbuilder.sm.reset_password(user_id, NEW_PASSWORD)
    assert client.get(KASI_ONLY, headers=access).status_code == 401
    assert refreshed(client, refresh) == 401
    assert browser.get(KASI_ONLY_PAGE).status_code == 302  # back to the login page
    assert api_login(client, username, NEW_PASSWORD).status_code == 200


def test_finding_7_deactivated_and_reactivated_user_token_refused(app, client):
    user_id, username = add_user(app, "Kasi")
    access, refresh = tokens_of(client, username)
    assert client.get(KASI_ONLY, headers=access).status_code == 200
    change_user(app, user_id, active=False)
    assert client.get(KASI_ONLY, headers=access).status_code == 401
    change_user(app, user_id, active=True)
    assert client.get(KASI_ONLY, headers=access).status_code == 401
    assert refreshed(client, refresh) == 401
    assert client.get(KASI_ONLY, headers=tokens_of(client, username)[0]).status_code == 200


def test_finding_7_token_refreshed_before_a_change_is_refused_too(app, client):
    user_id, username = add_user(app, "Kasi")
    _access, refresh = tokens_of(client, username)
    renewed = client.post("/api/v1/security/refresh", headers=refresh).get_json()["access_token"]
    assert client.get(KASI_ONLY, headers={"Authorization": f"Bearer {renewed}"}).status_code == 200
    with app.app_context():
        app.appbuilder.sm.reset_password(user_id, NEW_PASSWORD)
    assert client.get(KASI_ONLY, headers={"Authorization": f"Bearer {renewed}"}).status_code == 401


# --- 9: audit gaps ----------------------------------------------------------------------------------


def test_finding_9_failed_logins_logged_web_and_api(app, client):
    _user_id, username = add_user(app, "Kasi")
    assert web_login(client, username, "salah-sandi-1").status_code == 302
    assert api_login(client, username, "salah-sandi-2").status_code == 401
    nobody = unique("tidak_ada")
    assert api_login(client, nobody, "salah-sandi-3").status_code == 401
    rows = audit_rows(app, action="login_failed", username=username)
    assert len(rows) == 2 and all(row.ip_address == "127.0.0.1" for row in rows)
    assert [json.loads(row.detail)["reason"] for row in rows] == ["invalid", "invalid"]
    assert len(audit_rows(app, action="login_failed", username=nobody)) == 1


def test_finding_9_api_login_counted_once_web_login_once(app, client):
    user_id, username = add_user(app, "Kasi")
    tokens_of(client, username)
    assert [(r.username, r.entity_id) for r in audit_rows(app, action="login", user_id=user_id)] == [
        (username, str(user_id))]
    assert web_login(app.test_client(), username).status_code == 302
    assert len(audit_rows(app, action="login", user_id=user_id)) == 2
    with app.app_context():
        assert app.appbuilder.session.get(User, user_id).login_count == 2


def test_finding_9_password_change_logged_self_and_by_admin(app):
    user_id, username = add_user(app, "Kasi")
    own = app.test_client()
    web_login(own, username)
    response = own.post("/resetmypassword/form", data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})
    assert response.status_code == 302
    admin = app.test_client()
    web_login(admin, "admin_test")
    again = NEW_PASSWORD + "-2"
    response = admin.post(f"/resetpassword/form?pk={user_id}", data={"password": again, "conf_password": again})
    assert response.status_code == 302
    rows = audit_rows(app, action="password_change", entity="User", entity_id=str(user_id))
    assert [row.username for row in rows] == [username, "admin_test"]
    assert all(row.detail is None for row in rows)  # never the hash
    assert api_login(app.test_client(), username, again).status_code == 200


def test_finding_9_role_change_logged_with_roles_before_and_after(app):
    user_id, username = add_user(app, "Dalaks")
    with app.app_context():
        sm = app.appbuilder.sm
        kasi, kabid = sm.find_role("Kasi").id, sm.find_role("Kabid").id
    admin = app.test_client()
    web_login(admin, "admin_test")
    response = admin.post(f"/users/edit/{user_id}", data={
        "first_name": "Uji", "last_name": "Akun", "username": username, "active": "y",
        "email": f"{username}@test.local", "roles": [str(kasi), str(kabid)]})
    assert response.status_code == 302
    rows = audit_rows(app, action="roles_change", entity_id=str(user_id))
    assert [(row.username, json.loads(row.detail)) for row in rows] == [
        ("admin_test", {"roles": {"before": ["Dalaks"], "after": ["Kabid", "Kasi"]}})]


# --- 10: brute-force guard and password policy -----------------------------------------------------


@pytest.fixture
def strict_login_limit(app, monkeypatch):
    monkeypatch.setitem(app.config, "AUTH_RATE_LIMIT", "3 per minute")
    yield
    app.appbuilder.sm.limiter.reset()


def fresh_address() -> str:
    return f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"


@pytest.mark.usefixtures("strict_login_limit")
@pytest.mark.parametrize("login", [web_login, api_login], ids=["web", "api"])
def test_finding_10_login_rate_limited_per_address(app, login):
    _user_id, username = add_user(app, "Kasi")
    address, client = fresh_address(), app.test_client()
    codes = [login(client, unique("tebak"), "salah-sandi-1", address).status_code for _ in range(3)]
    assert 429 not in codes
    refused = login(client, username, PASSWORD, address)
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan" in refused.get_data(as_text=True)
    assert login(client, username, PASSWORD, fresh_address()).status_code in (200, 302)


def test_finding_10_login_limit_shared_by_workers_through_redis(app):
    """Two workers (two app instances) counting in one Redis: attempts on either count against the address."""
    shared = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "S3_ENDPOINT", "S3_ACCESS_KEY",
                                               "S3_SECRET_KEY", "S3_BUCKET", "SIGAP_INDEX_DIR")}
    redis = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0", "RATELIMIT_KEY_PREFIX": unique("sigap-test"),
             "AUTH_RATE_LIMIT": "3 per minute", "TESTING": True, "S3_LOCAL": False}
    first, second = (create_app({**shared, **redis}).test_client() for _ in range(2))
    address = fresh_address()
    assert [api_login(first, unique("tebak"), "salah-sandi-1", address).status_code for _ in range(2)] == [401, 401]
    assert api_login(second, unique("tebak"), "salah-sandi-1", address).status_code == 401
    assert api_login(second, "kasi", PASSWORD, address).status_code == 429


@pytest.mark.parametrize("login", [web_login, api_login], ids=["web", "api"])
def test_finding_10_account_locked_after_failures_from_any_address(app, login):
    user_id, username = add_user(app, "Kasi")
    client = app.test_client()
    for _ in range(app.config["AUTH_LOCKOUT_FAILURES"]):
        login(client, username, "salah-sandi-1", fresh_address())
    # The right password, from a new address, on either door: still refused while locked.
    assert api_login(client, username, PASSWORD, fresh_address()).status_code == 401
    assert web_login(client, username, PASSWORD, fresh_address()).headers["Location"].startswith("/login/")
    assert json.loads(audit_rows(app, action="login_failed", username=username)[-1].detail)["reason"] == "locked"
    with app.app_context():  # the lock-out period passes
        session = app.appbuilder.session
        session.execute(update(AttemptGuard).where(AttemptGuard.target == f"user:{user_id}")
                        .values(locked_until=utcnow()))
        session.commit()
    assert api_login(client, username, PASSWORD, fresh_address()).status_code == 200


@pytest.mark.parametrize("password, reason", [
    ("a", "Kata sandi minimal 10 karakter."),
    ("{username}-2026", "Kata sandi tidak boleh memuat nama pengguna."),
    ("Password123", "Kata sandi ini terlalu umum. Pilih yang lain."),
])
def test_finding_10_password_policy_on_every_form(app, password, reason):
    user_id, username = add_user(app, "Kasi", unique("pengguna"))
    password = password.format(username=username)
    own = app.test_client()
    web_login(own, username)
    page = own.post("/resetmypassword/form", data={"password": password, "conf_password": password})
    assert page.status_code == 200 and reason in page.get_data(as_text=True)
    admin = app.test_client()
    web_login(admin, "admin_test")
    page = admin.post(f"/resetpassword/form?pk={user_id}", data={"password": password, "conf_password": password})
    assert page.status_code == 200 and reason in page.get_data(as_text=True)
    new_name = f"{username}x"
    page = admin.post("/users/add", data={
        "first_name": "Baru", "last_name": "Akun", "username": new_name, "active": "y",
        "email": f"{new_name}@test.local", "roles": [], "password": password.replace(username, new_name),
        "conf_password": password.replace(username, new_name)})
    assert page.status_code == 200 and reason in page.get_data(as_text=True)
    with app.app_context():
        assert app.appbuilder.sm.find_user(username=new_name) is None
    assert api_login(app.test_client(), username, PASSWORD).status_code == 200  # unchanged


def test_finding_10_password_policy_on_the_cli_and_service_paths(app):
    with app.app_context():
        sm = app.appbuilder.sm
        with pytest.raises(PasswordRejected, match="Kata sandi minimal 10 karakter"):
            name = unique("cli")
            sm.add_user(name, "A", "B", f"{name}@test.local", sm.find_role("Kasi"), password="pendek")
        with pytest.raises(PasswordRejected, match="terlalu umum"):
            sm.reset_password(sm.find_user(username="kasi").id, "bismillah123")
    name = unique("cli")
    result = app.test_cli_runner().invoke(fab, [
        "create-user", "--role", "Kasi", "--username", name, "--firstname", "A", "--lastname", "B",
        "--email", f"{name}@test.local", "--password", "a"])
    assert result.exit_code == 1 and "Error: Kata sandi minimal 10 karakter." in result.output
    with app.app_context():
        assert app.appbuilder.sm.find_user(username=name) is None


# --- 13: CSRF waived only for a valid bearer token -------------------------------------------------


def applicant() -> dict:
    return {"kind": INDIVIDUAL, "name": unique_name(), "nik": unique_nik()}


FORGED_TOKEN = "Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl"


@pytest.mark.parametrize("authorization", ["x", "Bearer x", FORGED_TOKEN, "Basic Zm86Zm9v"])
def test_finding_13_authorization_header_without_valid_token_keeps_csrf(app, monkeypatch, authorization):
    _user_id, username = add_user(app, "FO")
    browser = app.test_client()
    assert web_login(browser, username).status_code == 302
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = browser.post("/api/v1/applicant/", json=applicant(), headers={"Authorization": authorization})
    assert response.status_code == 400
    assert response.get_json()["message"] == "Halaman sudah kedaluwarsa. Muat ulang halaman lalu coba lagi."


def test_finding_13_valid_bearer_token_needs_no_csrf_token(app, monkeypatch):
    _user_id, username = add_user(app, "FO")
    client = app.test_client()
    access, _refresh = tokens_of(client, username)
    assert web_login(client, username).status_code == 302  # the cookie session too, as a browser would have
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/api/v1/applicant/", json=applicant(), headers=access)
    assert response.status_code == 201, response.get_json()


# --- 14: browser protections ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/login/", "/status/", "/api/v1/calendar_day/",
                                  "/static/appbuilder/css/bootstrap.min.css", "/tidak-ada/"])
def test_finding_14_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    assert "http" not in policy.replace(f"frame-src 'self' http://{client.application.config['S3_ENDPOINT']}", "")
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_finding_14_session_cookie_samesite_lax_and_secure_when_configured(app, monkeypatch):
    cookie = web_login(app.test_client(), "kasi").headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie and "Secure" not in cookie
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    cookie = web_login(app.test_client(), "kasi").headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie and "Secure" in cookie


# --- 17: the public status page, per registration number ------------------------------------------


def test_finding_17_status_number_locked_after_misses_from_many_addresses(app, desk):
    from tests.frontdesk.test_counter import registration

    app.appbuilder.sm.limiter.reset()
    application = desk.register("KARTU_AK1")
    number, nik, _name = registration(app, application)
    wrong = [f"{n:04d}" for n in range(10) if f"{n:04d}" != nik[-4:]]
    client = app.test_client()
    for guess in wrong[:app.config["STATUS_LOCKOUT_FAILURES"]]:
        page = client.post("/status/", data={"number": number, "nik4": guess},
                           environ_base={"REMOTE_ADDR": fresh_address()})
        assert page.status_code == 200 and 'id="found"' not in page.get_data(as_text=True)
    page = client.post("/status/", data={"number": number.lower(), "nik4": nik[-4:]},
                       environ_base={"REMOTE_ADDR": fresh_address()}).get_data(as_text=True)
    assert 'id="found"' not in page
    assert "Terlalu banyak percobaan yang salah untuk nomor registrasi ini" in page
    with app.app_context():  # the lock-out period passes
        session = app.appbuilder.session
        session.execute(update(AttemptGuard).where(AttemptGuard.target == number.upper())
                        .values(locked_until=utcnow()))
        session.commit()
    page = client.post("/status/", data={"number": number, "nik4": nik[-4:]},
                       environ_base={"REMOTE_ADDR": fresh_address()}).get_data(as_text=True)
    assert 'id="found"' in page
