"""The assistance log: SOP-001/002 steps 2-6 of a helpdesk session, timed; an invalid NIK or NPWP rejects
the account registration with its reason."""

import pytest

from app.models import AssistanceLog
from tests.records.helpers import legacy_npwp, unique_nik
from tests.web.test_workflow_screens import web


def new_log(desk, channel="oss_rba", **extra):
    response = desk.client.post("/api/v1/assistance_log/", headers=desk.headers("fo"),
                                json={"channel": channel, "visitor_name": "Budi", **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def entry(desk, log, step, **data):
    return desk.client.post(f"/api/v1/assistance_log/{log}/entry", headers=desk.headers("fo"),
                            json={"step": step, **data})


def test_a_session_records_each_step_as_it_happens(desk):
    log = new_log(desk)
    first = entry(desk, log, "queue_information").get_json()
    second = entry(desk, log, "account_registration", nik=unique_nik(), npwp=legacy_npwp(True)).get_json()
    assert (first["result"], second["result"]) == ("done", "done")
    assert second["started_at"] == first["finished_at"]
    assert second["session"]["standard_minutes"] == 90


@pytest.mark.parametrize("data", [{"nik": "123"}, {"nik": "1377014502900001", "npwp": "12"}])
def test_an_invalid_nik_or_npwp_rejects_the_registration_with_the_reason(desk, data):
    log = new_log(desk, "sicantik")
    response = entry(desk, log, "account_registration", **data)
    assert response.status_code == 201
    assert response.get_json()["result"] == "rejected" and response.get_json()["reason"]


def test_only_the_sessions_sop_steps_are_accepted(desk):
    log = new_log(desk, "sicantik")
    assert entry(desk, log, "business_data_entry").status_code == 422  # SOP-001's, not siCantik's
    assert entry(desk, log, "application_data_entry").status_code == 201


def test_a_flagged_problem_allows_five_working_days(desk):
    log = new_log(desk, problem_flag=True)
    assert entry(desk, log, "queue_information").get_json()["session"]["standard_minutes"] == 5 * 8 * 60


def test_the_session_screen_records_a_rejected_registration(app, desk):
    log = new_log(desk)
    fo = web(app, "fo")
    assert "account_registration" in fo.get(f"/assistance-session/{log}").get_data(as_text=True)
    fo.post(f"/assistance-session/{log}", data={"step": "account_registration", "nik": "9999"})
    with app.app_context():
        [only] = app.appbuilder.session.get(AssistanceLog, log).entries
        assert only.result == "rejected" and only.reason
    # Kasi is not the front desk: the step is refused and nothing is added to the log.
    assert web(app, "kasi").post(f"/assistance-session/{log}", data={"step": "queue_information"}).status_code in (
        302, 403)
    with app.app_context():
        assert len(app.appbuilder.session.get(AssistanceLog, log).entries) == 1
