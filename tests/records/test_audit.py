"""The audit trail: who created, changed, downloaded and logged in; step history never rewritten."""

import datetime as dt
import hashlib
import io
import json
import secrets

import pytest

from app.audit import AppendOnlyError
from app.models import Application, AuditLog, StepHistory
from tests.archive.samples import text_pdf
from tests.records.helpers import unique_name


def rison_value(value) -> str:
    return f"'{value}'" if isinstance(value, str) else str(value)


def audit_rows_api(client, headers, **filters):
    """The audit log as the administrator reads it through the API, filtered on equal columns."""
    rison = ",".join(f"(col:{col},opr:eq,value:{rison_value(value)})" for col, value in filters.items())
    query = f"(filters:!({rison}),order_column:id,order_direction:asc,page_size:100)"
    response = client.get(f"/api/v1/audit_log/?q={query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["result"]


def audit_rows_db(fresh_db, **filters):
    with fresh_db() as session:
        return [
            {"id": row.id, "username": row.username, "action": row.action, "entity": row.entity,
             "entity_id": row.entity_id, "user_id": row.user_id, "ip_address": row.ip_address,
             "detail": row.detail}
            for row in session.query(AuditLog).filter_by(**filters).order_by(AuditLog.id)
        ]


@pytest.fixture
def application_id(client, auth, create_applicant, service_id):
    applicant = create_applicant()
    assert applicant.status_code == 201, applicant.get_json()
    response = client.post("/api/v1/application/",
                           json={"applicant": applicant.get_json()["id"], "service": service_id},
                           headers=auth("fo"))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


# --- Changes to records --------------------------------------------------------------------------


def test_creating_and_updating_an_applicant_is_audited_with_the_actor(client, auth, create_applicant):
    fo = auth("fo")
    admin = auth("admin_test")
    created = create_applicant(headers=fo)
    assert created.status_code == 201, created.get_json()
    applicant_id = created.get_json()["id"]

    rows = audit_rows_api(client, admin, entity="Applicant", entity_id=str(applicant_id))
    assert [(r["action"], r["username"]) for r in rows] == [("create", "fo")]
    assert json.loads(rows[0]["detail"])["name"] == created.get_json()["result"]["name"]

    new_phone = f"0812{secrets.randbelow(10**8):08d}"
    updated = client.put(f"/api/v1/applicant/{applicant_id}", json={"phone": new_phone}, headers=fo)
    assert updated.status_code == 200, updated.get_json()

    rows = audit_rows_api(client, admin, entity="Applicant", entity_id=str(applicant_id))
    assert [(r["action"], r["username"]) for r in rows] == [("create", "fo"), ("update", "fo")]
    assert json.loads(rows[1]["detail"]) == {"phone": new_phone}


def test_an_update_by_another_user_names_that_user(client, auth, create_applicant, fresh_db):
    created = create_applicant()
    assert created.status_code == 201
    applicant_id = created.get_json()["id"]
    admin = auth("admin_test")
    response = client.put(f"/api/v1/applicant/{applicant_id}", json={"address": unique_name("Jl.")},
                          headers=admin)
    assert response.status_code == 200, response.get_json()
    rows = audit_rows_db(fresh_db, entity="Applicant", entity_id=str(applicant_id))
    assert [(r["action"], r["username"]) for r in rows] == [("create", "fo"), ("update", "admin_test")]


def test_audit_log_is_not_open_to_front_office(client, auth):
    response = client.get("/api/v1/audit_log/", headers=auth("fo"))
    assert response.status_code in (401, 403)


def test_registering_an_application_is_audited(client, auth, fresh_db, application_id):
    rows = audit_rows_db(fresh_db, entity="Application", entity_id=str(application_id))
    assert [(r["action"], r["username"]) for r in rows] == [("create", "fo")]
    assert json.loads(rows[0]["detail"])["registration_number"].startswith("REG-")


# --- Append-only step history --------------------------------------------------------------------


@pytest.fixture
def step_history_id(fresh_db, application_id):
    with fresh_db() as session:
        application = session.get(Application, application_id)
        started = dt.datetime(2026, 1, 5, 8, 0)
        row = StepHistory(
            application_id=application.id, step_id=application.current_step_id, actor_role="FO",
            started_at=started, finished_at=started + dt.timedelta(minutes=7),
            sop_revision=application.sop.revision, standard_minutes=10, working_minutes=7,
            met_standard=True, outcome="done", note="entered",
        )
        session.add(row)
        session.commit()
        return row.id


def test_step_history_row_cannot_be_updated(fresh_db, step_history_id):
    with fresh_db() as session:
        row = session.get(StepHistory, step_history_id)
        row.note = "rewritten"
        with pytest.raises(AppendOnlyError):
            session.commit()
        session.rollback()
    with fresh_db() as session:
        assert session.get(StepHistory, step_history_id).note == "entered"


def test_step_history_row_cannot_be_deleted(fresh_db, step_history_id):
    with fresh_db() as session:
        session.delete(session.get(StepHistory, step_history_id))
        with pytest.raises(AppendOnlyError):
            session.commit()
        session.rollback()
    with fresh_db() as session:
        assert session.get(StepHistory, step_history_id) is not None


def test_step_history_is_written_to_the_audit_log_on_creation(fresh_db, step_history_id):
    rows = audit_rows_db(fresh_db, entity="StepHistory", entity_id=str(step_history_id))
    assert [r["action"] for r in rows] == ["create"]


def test_audit_log_rows_cannot_be_changed_or_deleted(fresh_db, create_applicant):
    created = create_applicant()
    assert created.status_code == 201
    [row] = audit_rows_db(fresh_db, entity="Applicant", entity_id=str(created.get_json()["id"]))
    with fresh_db() as session:
        session.get(AuditLog, row["id"]).username = "someone else"
        with pytest.raises(AppendOnlyError):
            session.commit()
        session.rollback()
        session.delete(session.get(AuditLog, row["id"]))
        with pytest.raises(AppendOnlyError):
            session.commit()
    assert audit_rows_db(fresh_db, id=row["id"])[0]["username"] == "fo"


def test_step_history_api_offers_no_way_to_change_a_row(client, auth, step_history_id):
    admin = auth("admin_test")
    put = client.put(f"/api/v1/step_history/{step_history_id}", json={"note": "x"}, headers=admin)
    delete = client.delete(f"/api/v1/step_history/{step_history_id}", headers=admin)
    assert put.status_code in (403, 404, 405)
    assert delete.status_code in (403, 404, 405)
    shown = client.get(f"/api/v1/step_history/{step_history_id}", headers=admin)
    assert shown.status_code == 200
    assert shown.get_json()["result"]["note"] == "entered"


# --- Downloads -----------------------------------------------------------------------------------


def upload(client, headers, application_id, content: bytes, filename="ktp.pdf"):
    return client.post(
        "/api/v1/document/",
        data={"file": (io.BytesIO(content), filename, "application/pdf"), "document_type": "KTP",
              "application": str(application_id)},
        content_type="multipart/form-data",
        headers=headers,
    )


def test_downloading_a_document_returns_its_bytes_and_is_audited(client, auth, fresh_db, application_id):
    fo = auth("fo")
    content = text_pdf(f"KTP terpindai {secrets.token_hex(512)}")
    uploaded = upload(client, fo, application_id, content)
    assert uploaded.status_code == 201, uploaded.get_json()
    document_id = uploaded.get_json()["id"]
    assert uploaded.get_json()["sha256"] == hashlib.sha256(content).hexdigest()
    assert [r["action"] for r in audit_rows_db(fresh_db, entity="Document", entity_id=str(document_id))
            if r["action"] in ("upload", "download")] == ["upload"]

    response = client.get(f"/api/v1/document/{document_id}/file", headers=fo)

    assert response.status_code == 200
    assert response.data == content
    assert response.headers["X-Content-SHA256"] == hashlib.sha256(content).hexdigest()
    downloads = [r for r in audit_rows_db(fresh_db, entity="Document", entity_id=str(document_id))
                 if r["action"] == "download"]
    assert [(r["username"], json.loads(r["detail"])["filename"]) for r in downloads] == [("fo", "ktp.pdf")]

    # Each download is one more row.
    assert client.get(f"/api/v1/document/{document_id}/file", headers=auth("kasi")).data == content
    downloads = [r for r in audit_rows_db(fresh_db, entity="Document", entity_id=str(document_id))
                 if r["action"] == "download"]
    assert [r["username"] for r in downloads] == ["fo", "kasi"]


def test_a_refused_download_is_not_audited_as_one(client, auth, fresh_db, application_id):
    """A technical team of another sector gets 404 and no download row is written."""
    uploaded = upload(client, auth("fo"), application_id, text_pdf(secrets.token_hex(32)))
    assert uploaded.status_code == 201, uploaded.get_json()
    document_id = uploaded.get_json()["id"]
    with fresh_db() as session:
        sector_code = session.get(Application, application_id).sector.code
    outsider = "teknis_kesehatan" if sector_code != "KESEHATAN" else "teknis_pupr"
    response = client.get(f"/api/v1/document/{document_id}/file", headers=auth(outsider))
    assert response.status_code == 404
    assert [r for r in audit_rows_db(fresh_db, entity="Document", entity_id=str(document_id))
            if r["action"] == "download"] == []


# --- Logins --------------------------------------------------------------------------------------


def login_rows(fresh_db, username):
    return [r for r in audit_rows_db(fresh_db, action="login", username=username)]


def test_web_login_is_audited(login, fresh_db, app):
    before = login_rows(fresh_db, "kasi")
    login("kasi")
    after = login_rows(fresh_db, "kasi")
    assert len(after) == len(before) + 1
    newest = after[-1]
    assert newest["entity"] == "User"
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="kasi")
        assert newest["user_id"] == user.id
        assert newest["entity_id"] == str(user.id)
    assert newest["ip_address"]


def test_failed_login_is_not_audited_as_a_login(client, fresh_db):
    before = login_rows(fresh_db, "kabid")
    client.post("/login/", data={"username": "kabid", "password": "wrong-" + secrets.token_hex(4)})
    assert login_rows(fresh_db, "kabid") == before
