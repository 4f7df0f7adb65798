"""Each track end to end through the API (the scripts of tests/tracks.py): only each step's role may act,
and the timeline, SLA flags and audit entries that result."""

import dataclasses

import pytest

from app.models import Application
from tests.tracks import SCRIPTS, FIX_RECEIVED_AT, TICKS, Upload, backdate, check_timeline, oss_high_risk_needs_fix


def play(desk, script) -> int:
    """Registers an application of the script's service and plays its steps; returns the application id."""
    application = desk.register(script.service)
    if script.started_at:
        backdate(desk.app, application, script.started_at)
    for step in script.played():
        if step.scans:
            desk.upload_required(step.user, application)
        data = {name: desk.upload(step.user, application, value.document_type) if isinstance(value, Upload)
                else desk.ticks(application) if value is TICKS else value for name, value in step.data.items()}
        response = desk.step(step.user, application, step.step, **data)
        assert response.status_code == step.status, (step, response.get_json())
    return application


def needs_fix_kept_with_its_reason_and_timed_from_the_fix(app, application, rows):
    fix = next(row for row in rows if row["outcome"] == "needs_fix")
    assert fix["note"] == "Gambar teknis kurang" and fix["actor_role"] == "Tim Teknis"
    assessment = next(row for row in rows if row["node"] == "technical_assessment")
    assert assessment["standard_minutes"] == 14 * 8 * 60  # the service's 14 working days of 8 hours
    resumed = [row for row in rows if row["node"] == "bo_upload"][1]
    assert resumed["started_at"] == FIX_RECEIVED_AT  # the paused clock restarts when the fix arrives
    with app.app_context():
        record = app.appbuilder.session.get(Application, application)
        assert [(r.decision.name, r.reason) for r in record.recommendations] == [
            ("needs_fix", "Gambar teknis kurang"), ("approve", None)]
        assert record.recommendations[0].request_letter_number == "REK/1/2026"
        assert [s.bap_document.document_type.code for s in record.surveys] == ["BAP", "BAP"]
        assert [v.result.name for v in record.verifications] == ["valid", "valid"]
        assert record.permit.forwarded_to_supervision_at is not None


def borrowed_steps_keep_their_sop(_app, _application, rows):
    assert {row["sop"] for row in rows} == {"SOP-003", "SOP-002"}
    kadis = next(row for row in rows if row["node"] == "kadis_approval")
    assert (kadis["sop"], kadis["standard_minutes"], kadis["actor_role"]) == ("SOP-002", 5, "Kadis")


def the_hand_over_is_sop_001s_step(_app, _application, rows):
    assert (rows[-1]["node"], rows[-1]["sop"]) == ("supervision_handover", "SOP-001")


def the_rejection_keeps_its_reason(_app, _application, rows):
    assert (rows[-1]["outcome"], rows[-1]["note"]) == ("reject", "Tidak sesuai tata ruang")


# What each track shows beyond what every track shows.
MORE_CHECKS = {
    "oss_low_risk": the_hand_over_is_sop_001s_step,
    "oss_high_risk_needs_fix": needs_fix_kept_with_its_reason_and_timed_from_the_fix,
    "oss_rejection": the_rejection_keeps_its_reason,
    "sicantik": borrowed_steps_keep_their_sop,
}


@pytest.mark.parametrize("make_script", SCRIPTS, ids=lambda make_script: make_script.__name__)
def test_each_track_through_the_api(app, desk, make_script):
    script = make_script()
    application = play(desk, script)
    timeline = desk.timeline(application)
    check_timeline(app, script, timeline)
    assert timeline["current"] is None
    MORE_CHECKS.get(make_script.__name__, lambda *_: None)(app, application, timeline["steps"])


def test_needs_fix_pauses_the_clock_until_the_fix_is_received(desk):
    script = oss_high_risk_needs_fix()
    until = next(n for n, step in enumerate(script.steps) if step.data.get("outcome") == "needs_fix")
    timeline = desk.timeline(play(desk, dataclasses.replace(script, steps=script.steps[:until + 1])))
    assert timeline["status"] == "waiting_applicant"
    assert timeline["current"]["node"] == "bo_upload" and timeline["current"]["started_at"] is None


def test_incomplete_files_stop_the_application(desk):
    application = desk.register("IZIN_REKLAME")
    desk.ok("fo", application, "fo_input")
    desk.ok("fo", application, "berita_dokumen")
    desk.ok("bo", application, "bo_upload")
    timeline = desk.ok("kasi", application, "kasi_verification", outcome="incomplete",
                       reason="Gambar teknis tidak dilengkapi")["application"]
    assert timeline["status"] == "stopped"
    assert desk.step("kabid", application, "kabid_verification", outcome="valid").status_code == 409
