"""A known data set in March 2019 (a month no other test touches), whose figures are worked out by hand
in the tests: seven applications of two services, twelve timed steps, two permits, three survey answers."""

import datetime as dt
from dataclasses import dataclass

import pytest

from app.models import Application, ApplicationStatus, Permit, SkmPeriod, SkmResponse, StepHistory
from app.models.skm import SKM_ELEMENTS
from app.workflow.registration import current_sop
from app.workflow.sop_loader import read_sops
from tests.conftest import api_token
from tests.desk import Desk

MARCH = {"start": "2019-03-01", "end": "2019-03-31"}
CLINIC, AK1 = "IZIN_KLINIK", "KARTU_AK1"
# (service, status, registered at in UTC). WIB is UTC+7: the last one is 1 April in the office.
APPLICATIONS = {
    "a1": (CLINIC, ApplicationStatus.done, dt.datetime(2019, 3, 4, 2, 0)),
    "a2": (CLINIC, ApplicationStatus.in_progress, dt.datetime(2019, 3, 5, 3, 0)),
    "a3": (CLINIC, ApplicationStatus.waiting_applicant, dt.datetime(2019, 3, 6, 3, 0)),
    "a4": (AK1, ApplicationStatus.rejected, dt.datetime(2019, 3, 7, 3, 0)),
    "a5": (AK1, ApplicationStatus.stopped, dt.datetime(2019, 3, 8, 3, 0)),
    "a7": (CLINIC, ApplicationStatus.in_progress, dt.datetime(2019, 2, 28, 23, 0)),  # 1 March 06:00 WIB
    "a6": (AK1, ApplicationStatus.done, dt.datetime(2019, 3, 31, 17, 30)),  # 1 April 00:30 WIB
}
# BO's upload (standard 10 minutes in sops.yaml): (application, officer, working minutes).
BO_UPLOADS = [("a1", "bo", 5), ("a1", "bo", 8), ("a1", "bo", 10), ("a1", "bo", 12), ("a1", "bo", 30), ("a1", "bo", 7),
              ("a4", "admin_test", 9), ("a4", "admin_test", 11), ("a4", "admin_test", 3), ("a4", "admin_test", 10)]
# Kasi's verification (standard 15 minutes).
KASI_CHECKS = [("a2", "kasi", 15), ("a2", "kasi", 16)]
SURVEY = {"a1": [4] * 9, "a2": [3] * 9, "a4": [2, 3, 4, 1, 2, 3, 4, 3, 2]}


@dataclass
class Dataset:
    ids: dict
    steps: dict  # step code -> SopStep id


def _user_id(flask_app, username):
    return flask_app.appbuilder.sm.find_user(username=username).id


@pytest.fixture(scope="session")
def march(app):
    """Made once per database (the session's apps share it)."""
    client = app.test_client()
    desk = Desk(app, client, lambda username: api_token(client, username))
    ids = {name: desk.register(service) for name, (service, _, _) in APPLICATIONS.items()}
    with app.app_context():
        session = app.appbuilder.session
        for name, (_, status, created) in APPLICATIONS.items():
            application = session.get(Application, ids[name])
            application.created_at, application.status = created, status
            if status not in (ApplicationStatus.in_progress, ApplicationStatus.waiting_applicant):
                application.current_node = application.current_step_id = application.step_started_at = None
        steps = {step.code: step for step in current_sop(session).steps}
        for rows, code, role in ((BO_UPLOADS, "bo_upload", "BO"), (KASI_CHECKS, "kasi_verification", "Kasi")):
            step = steps[code]
            for number, (name, username, minutes) in enumerate(rows):
                finished = dt.datetime(2019, 3, 12, 3, 0) + dt.timedelta(hours=number)
                session.add(StepHistory(
                    application_id=ids[name], step_id=step.id, node=code, actor_role=role,
                    user_id=_user_id(app, username), started_at=finished - dt.timedelta(minutes=minutes),
                    finished_at=finished, sop_revision=step.sop.revision, standard_minutes=step.standard_minutes,
                    working_minutes=minutes, met_standard=minutes <= step.standard_minutes, outcome="done"))
        session.add(Permit(application_id=ids["a1"], number="IZ-2019-LAPORAN-1", permit_type="Izin Klinik",
                           issued_on=dt.date(2019, 3, 15)))
        session.add(Permit(application_id=ids["a6"], number="IZ-2019-LAPORAN-2", permit_type="Kartu AK1",
                           issued_on=dt.date(2019, 4, 1)))
        period = SkmPeriod(name="SKM 2019 (data uji)", starts_on=dt.date(2019, 1, 1), ends_on=dt.date(2019, 12, 31),
                           is_open=False)
        session.add(period)
        session.flush()
        for name, scores in SURVEY.items():
            application = session.get(Application, ids[name])
            session.add(SkmResponse(application_id=application.id, service_id=application.service_id,
                                    sector_id=application.sector_id, period_id=period.id,
                                    submitted_at=dt.datetime(2019, 3, 20, 3, 0),
                                    **dict(zip(SKM_ELEMENTS, scores))))
        session.commit()
        step_ids = {code: steps[code].id for code in ("bo_upload", "kasi_verification")}
    return Dataset(ids, step_ids)


def yaml_standard(code: str) -> int:
    """The standard of an SOP-003 step as sops.yaml states it (what the dashboard must show beside it)."""
    sop = next(sop for sop in read_sops()["sops"] if sop["code"] == "SOP-003")
    return next(step["standard_minutes"] for step in sop["steps"] if step["code"] == code)
