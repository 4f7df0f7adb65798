"""Permits nearing their expiry date: the list's 30/60/90-day filter, and the reminders FO and BO see,
due a set number of working days (office calendar: weekends, holidays, cuti bersama, closures) before expiry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app

from app.models import Application, Permit
from app.workflow.calendar import office_calendar

WINDOWS = (30, 60, 90)


def expiring_within(query, days: int, today: dt.date):
    """Permits in force whose expiry date falls within the next ``days`` calendar days."""
    return query.filter(Permit.revoked_at.is_(None), Permit.valid_until.isnot(None),
                        Permit.valid_until >= today, Permit.valid_until <= today + dt.timedelta(days=days))


def working_days_left(session, today: dt.date, until: dt.date) -> int:
    """Working days from ``today`` (counted) up to ``until`` (not counted)."""
    calendar = office_calendar(session)
    minutes = calendar.working_minutes(dt.datetime.combine(today, dt.time.min), dt.datetime.combine(until, dt.time.min))
    return minutes // calendar.day_minutes


@dataclass(frozen=True)
class Reminder:
    permit: Permit
    working_days_left: int


def reminder_horizon(session, today: dt.date, working_days: int) -> dt.date:
    """The last expiry date with at most ``working_days`` working days left from ``today``: the next working
    day after that many (a permit expiring then has exactly that many left)."""
    calendar = office_calendar(session)
    end = calendar.add_working_minutes(dt.datetime.combine(today, dt.time.min), (working_days + 1) * calendar.day_minutes)
    return end.date()


def due_reminders(session, today: dt.date, sector_id: int | None = None) -> list[Reminder]:
    """Permits in force expiring within PERMIT_REMINDER_WORKING_DAYS working days, soonest first; in one
    sector's applications when ``sector_id`` is given (0: none), else in all."""
    horizon = reminder_horizon(session, today, current_app.config["PERMIT_REMINDER_WORKING_DAYS"])
    query = expiring_within(session.query(Permit), (horizon - today).days, today)
    if sector_id is not None:
        query = query.filter(Permit.application.has(Application.sector_id == sector_id))
    return [Reminder(permit, working_days_left(session, today, permit.valid_until))
            for permit in query.order_by(Permit.valid_until)]
