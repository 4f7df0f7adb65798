"""A new application: its registration number, derived fields and the SOP revision it runs under."""

import datetime as dt

from sqlalchemy import func, text

from app.models import Application, Sop
from app.models.base import utcnow
from app.workflow.flow import flow_of

SIGAP_SOP_CODE = "SOP-003"
REGISTRATION_LOCK = 0x5167_4150  # any constant: "SIGAP"-ish, one lock for all numbers


def next_registration_number(session, today: dt.date | None = None) -> str:
    """REG-<year>-<sequence>, numbered per year.

    On PostgreSQL a transaction-scoped advisory lock makes concurrent registrations (several gunicorn
    workers) take numbers one after another: each waits until the previous one commits, then reads its
    number. Without it two read the same maximum and one failed on the unique number (`make load`)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": REGISTRATION_LOCK})
    year = (today or dt.date.today()).year
    prefix = f"REG-{year}-"
    last = (
        session.query(func.max(Application.registration_number))
        .filter(Application.registration_number.like(f"{prefix}%"))
        .scalar()
    )
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:05d}"


def current_sop(session, code: str = SIGAP_SOP_CODE) -> Sop:
    sop = session.query(Sop).filter_by(code=code, is_current=True).one_or_none()
    if sop is None:
        raise LookupError(f"{code} is not loaded: run `flask sigap init`.")
    return sop


def prepare_new_application(session, application: Application) -> None:
    """Fill what the clerk does not type: number, sector and channel of the service, SOP and first step."""
    application.registration_number = application.registration_number or next_registration_number(session)
    application.sector_id = application.service.sector_id
    application.channel = application.service.channel
    application.sop = current_sop(session)
    first = flow_of(application.sop).first
    application.current_node = first.id
    application.current_step = next(step for step in application.sop.steps if step.code == first.step_code)
    application.step_started_at = utcnow()
