"""Registration numbers under concurrent registrations over the API (the race `make load` found)."""

import threading

import pytest

from tests.conftest import api_token
from tests.records.helpers import INDIVIDUAL, unique_nik


@pytest.mark.parametrize("app", ["postgresql"], indirect=True)
def test_concurrent_registrations_each_get_their_own_number(app):
    client = app.test_client()
    headers = api_token(client, "fo")
    from app.models import Service

    with app.app_context():
        service = app.appbuilder.session.query(Service.id).filter_by(code="SS_RESTORAN").scalar()
    applicants = [client.post("/api/v1/applicant/", headers=headers, json={
        "kind": INDIVIDUAL, "name": f"Pemohon {n}", "nik": unique_nik()}).get_json()["id"] for n in range(12)]
    barrier, statuses = threading.Barrier(len(applicants)), []

    def register(applicant_id):
        own = app.test_client()
        barrier.wait()
        statuses.append(own.post("/api/v1/application/", headers=headers,
                                 json={"applicant": applicant_id, "service": service}).status_code)

    threads = [threading.Thread(target=register, args=(a,)) for a in applicants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * len(applicants)
