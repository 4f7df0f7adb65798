"""FO registers an application: the number, the service's sector and channel, the SOP and its first step."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest

from app.models import Applicant, Application, Service, Sop
from tests.records.helpers import wire

REGISTRATION = re.compile(r"^REG-(\d{4})-(\d{5})$")


@pytest.fixture
def applicant_id(create_applicant):
    response = create_applicant()
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def stored_application(fresh_db, application_id):
    with fresh_db() as session:
        application = session.get(Application, application_id)
        assert application is not None
        return SimpleNamespace(
            registration_number=application.registration_number,
            applicant_id=application.applicant_id,
            service_id=application.service_id,
            sector_id=application.sector_id,
            channel=application.channel,
            sop_id=application.sop_id,
            sop_code=application.sop.code,
            step_code=application.current_step.code if application.current_step else None,
            step_sop_id=application.current_step.sop_id if application.current_step else None,
        )


def current_sop003(fresh_db):
    with fresh_db() as session:
        [sop] = session.query(Sop).filter_by(code="SOP-003", is_current=True).all()
        return SimpleNamespace(id=sop.id, revision=sop.revision)


def service_facts(fresh_db, service_id):
    with fresh_db() as session:
        service = session.get(Service, service_id)
        return SimpleNamespace(sector_id=service.sector_id, channel=service.channel)


def all_services(fresh_db):
    with fresh_db() as session:
        return [s.id for s in session.query(Service).order_by(Service.code)]


def count_applications(fresh_db):
    with fresh_db() as session:
        return session.query(Application).count()


def test_fo_registers_an_application_through_the_api(client, auth, fresh_db, applicant_id, service_id):
    response = client.post("/api/v1/application/", json={"applicant": applicant_id, "service": service_id},
                           headers=auth("fo"))

    assert response.status_code == 201, response.get_json()
    application = stored_application(fresh_db, response.get_json()["id"])
    match = REGISTRATION.match(application.registration_number)
    assert match, application.registration_number
    assert int(match.group(1)) == dt.date.today().year
    assert int(match.group(2)) >= 1
    assert (application.applicant_id, application.service_id) == (applicant_id, service_id)
    service = service_facts(fresh_db, service_id)
    assert application.sector_id == service.sector_id
    assert application.channel == service.channel
    sop = current_sop003(fresh_db)
    assert application.sop_code == "SOP-003"
    assert application.sop_id == sop.id
    assert application.step_code == "fo_input"
    assert application.step_sop_id == sop.id

    # What FO reads back through the API says the same.
    shown = client.get(f"/api/v1/application/{response.get_json()['id']}", headers=auth("fo"))
    assert shown.status_code == 200, shown.get_json()
    result = shown.get_json()["result"]
    assert result["registration_number"] == application.registration_number
    assert result["current_step"]["code"] == "fo_input"
    assert result["sop"] == {"code": "SOP-003", "revision": sop.revision}


def test_sector_and_channel_follow_each_service(client, auth, fresh_db, applicant_id):
    """Not one fixed sector: two services of different sectors give two different sectors."""
    services = all_services(fresh_db)
    facts = {sid: service_facts(fresh_db, sid) for sid in services}
    first = services[0]
    other = next(sid for sid in services if facts[sid].sector_id != facts[first].sector_id)
    for service_id in (first, other):
        response = client.post("/api/v1/application/", json={"applicant": applicant_id, "service": service_id},
                               headers=auth("fo"))
        assert response.status_code == 201, response.get_json()
        application = stored_application(fresh_db, response.get_json()["id"])
        assert (application.sector_id, application.channel) == (facts[service_id].sector_id,
                                                                 facts[service_id].channel)


def test_the_next_application_gets_the_next_number(client, auth, applicant_id, service_id, fresh_db):
    headers = auth("fo")
    numbers = []
    for _ in range(2):
        response = client.post("/api/v1/application/", json={"applicant": applicant_id, "service": service_id},
                               headers=headers)
        assert response.status_code == 201, response.get_json()
        numbers.append(stored_application(fresh_db, response.get_json()["id"]).registration_number)
    first, second = (REGISTRATION.match(number) for number in numbers)
    assert first.group(1) == second.group(1)
    assert int(second.group(2)) == int(first.group(2)) + 1


def test_registration_number_typed_by_the_client_is_not_accepted(client, auth, fresh_db, applicant_id, service_id):
    response = client.post(
        "/api/v1/application/",
        json={"applicant": applicant_id, "service": service_id, "registration_number": "REG-1999-99999"},
        headers=auth("fo"),
    )
    assert response.status_code in (400, 422)
    assert "registration_number" in response.get_json()["message"]


def test_kasi_cannot_register_an_application(client, auth, fresh_db, applicant_id, service_id):
    before = count_applications(fresh_db)
    response = client.post("/api/v1/application/", json={"applicant": applicant_id, "service": service_id},
                           headers=auth("kasi"))
    assert response.status_code == 403, response.get_json()
    assert count_applications(fresh_db) == before


def test_fo_registers_an_application_through_the_web_form(login, fresh_db, applicant_id, service_id):
    client = login("fo")
    before = count_applications(fresh_db)
    # A browser always sends the risk level: FAB's select for it has no blank choice.
    risk_level = wire(Application.__table__.c.risk_level)
    response = client.post("/applications/add",
                           data={"applicant": applicant_id, "service": service_id, "risk_level": risk_level})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert count_applications(fresh_db) == before + 1
    with fresh_db() as session:
        newest = (session.query(Application).filter_by(applicant_id=applicant_id)
                  .order_by(Application.id.desc()).first())
        assert REGISTRATION.match(newest.registration_number)
        assert newest.current_step.code == "fo_input"
        assert newest.sop.code == "SOP-003" and newest.sop.is_current
        assert newest.problem_flag is False  # the checkbox left unticked


def test_web_form_problem_flag_ticked_is_stored(login, fresh_db, applicant_id, service_id):
    client = login("fo")
    risk_level = wire(Application.__table__.c.risk_level)
    response = client.post("/applications/add", data={
        "applicant": applicant_id, "service": service_id, "risk_level": risk_level, "problem_flag": "y",
        "problem_note": "Server OSS gangguan",
    })
    assert response.status_code == 302
    with fresh_db() as session:
        newest = (session.query(Application).filter_by(applicant_id=applicant_id)
                  .order_by(Application.id.desc()).first())
        assert (newest.problem_flag, newest.problem_note) == (True, "Server OSS gangguan")


@pytest.mark.parametrize("field", ["applicant", "service"])
def test_unknown_applicant_or_service_is_refused_with_a_message(
    client, auth, fresh_db, indonesian, applicant_id, service_id, field
):
    """Not a server error, and no blank applicant or service made up for the unknown id."""
    missing = 10**9 + 7
    body = {"applicant": applicant_id, "service": service_id, field: missing}
    before = count_applications(fresh_db)

    response = client.post("/api/v1/application/", json=body, headers=auth("fo"))

    assert response.status_code in (400, 422), response.get_json()
    assert response.get_json()["message"] == {field: [indonesian["Not a valid choice"]]}
    assert count_applications(fresh_db) == before
    model = {"applicant": Applicant, "service": Service}[field]
    with fresh_db() as session:
        assert session.get(model, missing) is None
