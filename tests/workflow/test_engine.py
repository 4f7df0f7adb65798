"""The engine's rules through the API: who, which step, what data; and how the clock is kept."""

import datetime as dt

import pytest

from app.models import Application, StepHistory
from app.audit import AppendOnlyError


def test_a_step_out_of_turn_is_409_and_a_wrong_role_403(desk):
    application = desk.register("SS_MINIMARKET")
    assert desk.step("fo", application, "berita_dokumen").status_code == 409
    assert desk.step("bo", application, "fo_input").status_code == 403
    assert desk.step("admin_test", application, "fo_input").status_code == 403
    assert desk.step("fo", application, "no_such_step").status_code == 403
    assert desk.client.post(f"/api/v1/application/{application}/step", headers=desk.headers("fo"),
                            json={}).status_code == 422


def test_oss_without_a_risk_level_cannot_leave_fo_input(desk):
    application = desk.register("SS_MINIMARKET")
    response = desk.step("fo", application, "fo_input")
    assert response.status_code == 422
    assert "risk_level" in response.get_json()["message"]
    assert desk.timeline(application)["steps"] == []


@pytest.mark.parametrize("data, field", [
    ({"scheduled_at": "2026-11-27T09:00:00"}, "location"),
    ({"scheduled_at": "kemarin", "location": "x"}, "scheduled_at"),
    ({"scheduled_at": "2026-11-27T09:00:00", "location": "x", "bap_document": "KTP"}, "bap_document"),
])
def test_invalid_step_data_is_422_by_field(desk, data, field):
    application = desk.register("IZIN_KLINIK")
    desk.ok("fo", application, "fo_input", risk_level="tinggi")
    desk.ok("fo", application, "berita_dokumen")
    desk.ok("bo", application, "bo_upload")
    desk.ok("kasi", application, "kasi_verification", outcome="complete", checked=desk.ticks(application))
    if data.get("bap_document") == "KTP":
        data = {**data, "bap_document": desk.upload("kasi", application, "KTP")}  # a KTP is not a BAP
    response = desk.step("kasi", application, "kasi_verification", **data)
    assert response.status_code == 422
    assert field in response.get_json()["message"]


def test_each_completion_is_timed_against_its_standard_and_kept_unchanged(app, desk):
    application = desk.register("KARTU_AK1")
    desk.ok("fo", application, "fo_input", note="Input SIGAP")
    row = desk.timeline(application)["steps"][0]
    assert (row["step"], row["sop"], row["sop_revision"], row["standard_minutes"]) == ("fo_input", "SOP-003", 1, 10)
    assert row["user"] == "fo" and row["working_minutes"] >= 0 and row["met_standard"] in (True, False)
    with app.app_context():
        session = app.appbuilder.session
        history = session.query(StepHistory).filter_by(application_id=application).one()
        history.note = "diubah"
        with pytest.raises(AppendOnlyError):
            session.flush()
        session.rollback()


def test_a_flagged_problem_gives_one_working_day_after_it_is_solved(app, desk):
    application = desk.register("KARTU_AK1", problem_flag=True, problem_note="OSS gangguan")
    backdate(app, application, dt.datetime(2025, 11, 25, 1, 0))
    timeline = desk.ok("fo", application, "fo_input", problem_solved_at="2025-11-25T03:00:00")["application"]
    assert timeline["steps"][0]["standard_minutes"] == 8 * 60
    assert timeline["steps"][0]["started_at"] == "2025-11-25T03:00:00"  # the clock starts once it is solved
    assert timeline["steps"][0]["met_standard"] is False  # a year later
    assert timeline["input_rule"]["rule"] == "sigap_problem_working_days"


def test_breaches_are_flagged_when_the_standard_is_missed(app, desk):
    application = desk.register("KARTU_AK1")
    backdate(app, application, dt.datetime(2025, 11, 25, 1, 0))
    timeline = desk.ok("fo", application, "fo_input")["application"]
    assert timeline["steps"][0]["met_standard"] is False
    assert timeline["breaches"] == 1


def backdate(app, application_id, moment):
    """As if the current step had started at ``moment``."""
    with app.app_context():
        session = app.appbuilder.session
        session.get(Application, application_id).step_started_at = moment
        session.commit()
