"""What queues a message, caught once at the session's flush (like the audit trail), so the workflow engine,
the screens and the API emit events without importing this package:

    a new application                                   -> registered (with the status link)
    a step answered "needs fix"                         -> needs_fix (with the reason)
    a permit recorded and not yet handed over           -> permit_ready
    a permit handed over (recorded so, or later)        -> survey_invitation
    the daily expiry scan (tasks.py)                    -> permit_expiring
"""

from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.models import Applicant, Application, NotifyEvent, Permit, Service, StepHistory
from app.notify import links
from app.notify.outbox import queue_message
from app.permits.validity import validity_text

NEEDS_FIX = "needs_fix"


def listen() -> None:
    # First among the flush hooks, so that the audit trail records the messages queued here too.
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush, insert=True)


def _before_flush(session: Session, _context, _instances) -> None:
    if not has_app_context() or "sigap_notify" not in current_app.extensions:
        return
    with session.no_autoflush:
        for instance in list(session.new):
            if isinstance(instance, Application):
                notify(session, instance, NotifyEvent.registered)
            elif isinstance(instance, StepHistory) and instance.outcome == NEEDS_FIX:
                notify(session, instance.application, NotifyEvent.needs_fix, reason=instance.note,
                       occasion=instance.finished_at.isoformat())
            elif isinstance(instance, Permit):
                _permit_recorded(session, instance)
        for instance in list(session.dirty):
            if isinstance(instance, Permit) and _just_handed_over(instance):
                _permit_recorded(session, instance)


def _just_handed_over(permit: Permit) -> bool:
    history = inspect(permit).attrs.handed_over_at.history
    return bool(history.added and history.added[0]) and not (history.deleted and history.deleted[0])


def _permit_recorded(session, permit: Permit) -> None:
    application = permit.application or session.get(Application, permit.application_id)
    if permit.handed_over_at is None:
        notify(session, application, NotifyEvent.permit_ready, permit=permit)
    else:
        notify(session, application, NotifyEvent.survey_invitation, permit=permit,
               survey_link=links.survey_link(application))


def notify(session, application, event: NotifyEvent, permit: Permit | None = None, occasion: str = "",
           **values) -> None:
    """Queue ``event``'s message for the application's applicant (once per event, application and occasion)."""
    applicant = application.applicant or session.get(Applicant, application.applicant_id or 0)
    service = application.service or session.get(Service, application.service_id or 0)
    if applicant is None or not application.registration_number:
        return  # not a whole application yet: its insert will fail on its own
    values.update(
        name=applicant.name, registration_number=application.registration_number,
        service=service.name if service else "", status_link=links.status_link(application),
    )
    if permit is not None:
        values.update(permit_number=permit.number, valid_until=validity_text(permit))
    key = ":".join(part for part in (event.name, application.registration_number, occasion) if part)
    queue_message(session, application, applicant, event, key, values)
