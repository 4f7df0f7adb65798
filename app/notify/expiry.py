"""The applicant's "permit expiring" message: queued once per permit and expiry date, when the permit enters
the reminder window on the working-day calendar (the same window as FO's and BO's reminders)."""

from __future__ import annotations

import datetime as dt

from app.models import NotifyEvent
from app.notify import links
from app.notify.events import notify
from app.permits.reminders import due_reminders


def queue_expiry_messages(session, today: dt.date) -> int:
    reminders = due_reminders(session, today)
    for reminder in reminders:
        permit = reminder.permit
        notify(session, permit.application, NotifyEvent.permit_expiring, permit=permit,
               occasion=permit.valid_until.isoformat(), check_link=links.check_link(permit))
    return len(reminders)
