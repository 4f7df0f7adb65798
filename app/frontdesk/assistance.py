"""The assistance log (Buku Pencatatan Bantuan): SOP-001/002 steps 2-6 of a helpdesk session, timed as
they happen, against the decree's 1.5 hours (5 working days when OSS / siCantik had a problem)."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext

from app.identity import parse_nik, parse_npwp
from app.identity.errors import IdentityError
from app.models import AssistanceEntry, Sop
from app.models.base import utcnow
from app.workflow import calendar
from app.workflow.engine import StepDataInvalid

DONE, REJECTED = "done", "rejected"


def assistance_sop(session, log) -> Sop:
    """The current SOP whose assistance covers the session's channel."""
    for sop in session.query(Sop).filter_by(is_current=True):
        if log.channel.name in ((sop.flow or {}).get("assistance") or {}).get("channels", []):
            return sop
    raise LookupError(f"No SOP assists {log.channel.name}.")


def assistance_steps(session, log) -> list:
    sop = assistance_sop(session, log)
    codes = sop.flow["assistance"]["steps"]
    return sorted((s for s in sop.steps if s.code in codes), key=lambda s: s.position)


def record_step(session, log, step_code: str, data: dict, now: dt.datetime | None = None) -> AssistanceEntry:
    """One step done with the applicant; an invalid NIK or NPWP rejects the registration, with the reason."""
    now = now or utcnow()
    sop = assistance_sop(session, log)
    step = next((s for s in assistance_steps(session, log) if s.code == step_code), None)
    if step is None:
        raise StepDataInvalid({"step": [gettext("Not a valid choice")]})
    result, reason = DONE, data.get("note") or None
    if step.code == sop.flow["assistance"]["identity_check"]:
        problem = identity_problem(data.get("nik"), data.get("npwp"))
        if problem:
            result, reason = REJECTED, problem
    started = log.entries[-1].finished_at if log.entries else log.started_at
    entry = AssistanceEntry(log=log, step=step, started_at=min(started, now), finished_at=now, result=result,
                            reason=reason)
    session.add(entry)
    session.flush()
    return entry


def identity_problem(nik, npwp) -> str | None:
    try:
        parse_nik(nik or "")
        if npwp:
            parse_npwp(npwp)
    except IdentityError as error:
        return str(error.message)
    return None


def assistance_time(session, log, now: dt.datetime | None = None) -> dict:
    """The session's working time so far against the decree's limit."""
    end = log.finished_at or (log.entries[-1].finished_at if log.entries else None) or now or utcnow()
    sop = assistance_sop(session, log)
    if log.problem_flag:
        limit = calendar.office_calendar(session).working_days_as_minutes(
            sop.rules["assistance_problem_working_days"])
    else:
        limit = sop.rules["assistance_normal_minutes"]
    actual = calendar.working_minutes(session, log.started_at, end)
    return {"working_minutes": actual, "standard_minutes": limit, "met_standard": actual <= limit}
