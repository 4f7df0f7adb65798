"""A technical team sees only its own sector's applications and documents, in screens and API."""

import io
import uuid

import pytest

from app.models import Applicant, ApplicantKind, Application, DocumentType, Service, UserSector
from app.storage.documents import store_document
from app.workflow.registration import prepare_new_application
from tests.conftest import PASSWORD


def _application(session, sector_code):
    service = session.query(Service).join(Service.sector).filter_by(code=sector_code).first()
    applicant = Applicant(kind=ApplicantKind.individual, name=f"Pemohon {uuid.uuid4().hex[:6]}",
                          nik="1377014502900001")
    application = Application(applicant=applicant, service=service)
    prepare_new_application(session, application)
    session.add(application)
    session.commit()
    return application


@pytest.fixture
def two_sectors(app):
    """An application with one scanned document in PUPR, and one in KESEHATAN (a BAP: a technical team
    may not open identity documents at all)."""
    with app.app_context():
        session = app.appbuilder.session
        bap = session.query(DocumentType).filter_by(code="BAP").one()
        made = {}
        for code in ("PUPR", "KESEHATAN"):
            application = _application(session, code)
            document = store_document(session, io.BytesIO(f"scan {code}".encode()), filename="bap.pdf",
                                      media_type="application/pdf", document_type=bap, application=application)
            session.commit()
            made[code] = (application.id, application.registration_number, document.id)
        return made


def _api_headers(client, username):
    token = client.post("/api/v1/security/login", json={
        "username": username, "password": PASSWORD, "provider": "db", "refresh": False,
    }).get_json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_api_lists_and_shows_only_own_sector(app, two_sectors):
    client = app.test_client()
    headers = _api_headers(client, "teknis_pupr")
    own_id, own_number, own_doc = two_sectors["PUPR"]
    other_id, other_number, other_doc = two_sectors["KESEHATAN"]
    listed = client.get("/api/v1/application/?q=(page_size:100)", headers=headers).get_json()
    numbers = {row["registration_number"] for row in listed["result"]}
    assert own_number in numbers and other_number not in numbers
    assert {row["sector"]["code"] for row in listed["result"]} == {"PUPR"}
    assert client.get(f"/api/v1/application/{own_id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/application/{other_id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/document/{own_doc}/file", headers=headers).data == b"scan PUPR"
    assert client.get(f"/api/v1/document/{other_doc}/file", headers=headers).status_code == 404
    documents = client.get("/api/v1/document/?q=(page_size:100)", headers=headers).get_json()["result"]
    assert own_doc in {d["id"] for d in documents} and other_doc not in {d["id"] for d in documents}


def test_screens_show_only_own_sector(app, two_sectors):
    client = app.test_client()
    client.post("/login/", data={"username": "teknis_kesehatan", "password": PASSWORD})
    own_id, own_number, own_doc = two_sectors["KESEHATAN"]
    other_id, other_number, other_doc = two_sectors["PUPR"]
    page = client.get("/applications/list/?psize_ApplicationView=100").get_data(as_text=True)
    assert own_number in page and other_number not in page
    assert client.get(f"/applications/show/{own_id}").status_code == 200
    assert client.get(f"/applications/show/{other_id}").status_code == 404
    assert client.get(f"/documents/file/{own_doc}").data == b"scan KESEHATAN"
    assert client.get(f"/documents/file/{other_doc}").status_code == 404


def test_other_roles_see_every_sector(app, two_sectors):
    client = app.test_client()
    headers = _api_headers(client, "kasi")
    for application_id, _number, document_id in two_sectors.values():
        assert client.get(f"/api/v1/application/{application_id}", headers=headers).status_code == 200
        assert client.get(f"/api/v1/document/{document_id}/file", headers=headers).status_code == 200


def test_team_member_without_a_sector_sees_nothing(app, two_sectors):
    with app.app_context():
        sm = app.appbuilder.sm
        username = f"teknis_{uuid.uuid4().hex[:6]}"
        sm.add_user(username, "Tanpa", "Sektor", f"{username}@test.local", sm.find_role("Tim Teknis"),
                    password=PASSWORD)
        assert app.appbuilder.session.query(UserSector).join(UserSector.user).filter_by(username=username).count() == 0
    client = app.test_client()
    headers = _api_headers(client, username)
    assert client.get("/api/v1/application/", headers=headers).get_json()["count"] == 0
    for application_id, _number, document_id in two_sectors.values():
        assert client.get(f"/api/v1/application/{application_id}", headers=headers).status_code == 404


def test_team_cannot_attach_a_recommendation_to_another_sector(app, two_sectors):
    # A recommendation is written by its step alone (issue 8, finding 11): the generic API takes none, in any sector.
    client = app.test_client()
    headers = _api_headers(client, "teknis_pupr")
    for code in ("KESEHATAN", "PUPR"):
        response = client.post("/api/v1/recommendation/", headers=headers,
                               json={"application": two_sectors[code][0], "decision": "approve", "reason": "ok"})
        assert response.status_code in (403, 405)


def test_team_cannot_upload_to_another_sector(app, two_sectors):
    client = app.test_client()
    headers = _api_headers(client, "teknis_pupr")
    other_id = two_sectors["KESEHATAN"][0]
    response = client.post("/api/v1/document/", headers=headers, data={
        "file": (io.BytesIO(b"rekomendasi"), "rekom.pdf"), "document_type": "SURAT_REKOMENDASI",
        "application": str(other_id),
    })
    assert response.status_code == 400
