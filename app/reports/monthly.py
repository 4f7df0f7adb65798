"""SOP-003 step 10 as a step: the month's leadership report. Opening it starts the step's clock;
producing it freezes the month's figures and records the step in the step history, timed in working
minutes against the standard of the SOP revision in force (sops.yaml, never a number written here)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import object_session

from app.models import MonthlyReport, SopStep, StepHistory
from app.reports.figures import summary
from app.reports.period import Period
from app.workflow import calendar
from app.workflow.registration import current_sop

STEP_CODE = "leadership_report"


class ReportNotAllowed(Exception):
    """The user holds none of the step's actor roles."""


class ReportNotDue(Exception):
    """The month has not ended, or its report was already produced."""


def report_step(session) -> SopStep:
    return next(step for step in current_sop(session).steps if step.code == STEP_CODE)


def acting_role(session, user) -> str | None:
    held = {role.name for role in user.roles}
    return next((role for role in report_step(session).actor_roles if role in held), None)


def find(session, period: Period) -> MonthlyReport | None:
    return session.query(MonthlyReport).filter_by(period_start=period.start).one_or_none()


def open_report(session, period: Period, user, now: dt.datetime) -> MonthlyReport | None:
    """The month's report; the first time one of the step's actors opens it, its clock starts."""
    report = find(session, period)
    if report is None and acting_role(session, user):
        report = MonthlyReport(period_start=period.start, period_end=period.end, started_at=now,
                               started_by_id=user.id)
        session.add(report)
        session.flush()
    return report


def produce(session, report: MonthlyReport, user, now: dt.datetime, today: dt.date) -> StepHistory:
    """Freeze the month's figures and complete step 10. Raises ReportNotAllowed or ReportNotDue."""
    role = acting_role(session, user)
    if role is None:
        raise ReportNotAllowed()
    if report.produced_at is not None or report.period_end >= today:
        raise ReportNotDue()
    period = Period(report.period_start, report.period_end)
    step = report_step(session)
    started = min(report.started_at, now)
    working = calendar.working_minutes(session, started, now)
    standard = step.standard_minutes
    history = StepHistory(
        step=step, node=STEP_CODE, actor_role=role, user_id=user.id, started_at=started, finished_at=now,
        sop_revision=step.sop.revision, standard_minutes=standard, working_minutes=working,
        met_standard=None if standard is None else working <= standard, outcome="done",
        data={"period_start": period.start.isoformat(), "period_end": period.end.isoformat()},
    )
    session.add(history)
    session.flush()
    report.figures = summary(session, period, now)
    report.produced_at, report.produced_by_id, report.step_history_id = now, user.id, history.id
    object_session(report).flush()
    return history
