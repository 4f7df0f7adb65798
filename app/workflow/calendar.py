"""The office's WorkCalendar: configured hours and week, national holidays, the Admin's closures.

Times are stored in UTC; office hours are local (OFFICE_TIMEZONE), so moments are converted here.

The calendar is built once per request (app context), not per call: the inbox times every open file,
several times each. National holidays depend only on the years (and the `holidays` release), so each
process computes them once. A change to a calendar_day drops the request's calendar at once; other
requests (and other worker processes) read the table afresh anyway.
"""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.models import CalendarDay
from app.workflow.clock import WorkCalendar
from app.memo import forget, per_request

# National holidays (PUBLIC) and cuti bersama (GOVERNMENT) are both days off for the office.
HOLIDAY_CATEGORIES = (holidays.PUBLIC, holidays.GOVERNMENT)
_CACHE_KEY = "sigap_office_calendar"


def national_holidays(years) -> frozenset[dt.date]:
    return _national_holidays(tuple(years))


@lru_cache(maxsize=16)
def _national_holidays(years: tuple[int, ...]) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("ID", years=list(years), categories=HOLIDAY_CATEGORIES))


def office_calendar(session) -> WorkCalendar:
    """The calendar of this request: built on first use, then reused."""
    return per_request(_CACHE_KEY, lambda: build_office_calendar(session))


def build_office_calendar(session) -> WorkCalendar:
    config = current_app.config
    this_year = dt.date.today().year
    overrides = {row.day: row.is_working for row in session.query(CalendarDay)}
    return WorkCalendar(
        opens=dt.time.fromisoformat(config["OFFICE_OPENS"]),
        closes=dt.time.fromisoformat(config["OFFICE_CLOSES"]),
        weekdays=frozenset(range(config["OFFICE_WORKDAYS_PER_WEEK"])),
        holidays=national_holidays(range(this_year - 2, this_year + 2)),
        overrides=overrides,
    )


@event.listens_for(Session, "after_flush")
def _forget_changed_calendar(session, _context) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(row, CalendarDay) for row in changed):
        forget(_CACHE_KEY)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_calendar(_session) -> None:
    forget(_CACHE_KEY)  # it may hold a day whose change was just undone


def to_local(moment: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) moment as naive office-local time."""
    zone = ZoneInfo(current_app.config["OFFICE_TIMEZONE"])
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(zone).replace(tzinfo=None)


def to_utc(moment: dt.datetime) -> dt.datetime:
    zone = ZoneInfo(current_app.config["OFFICE_TIMEZONE"])
    return moment.replace(tzinfo=zone).astimezone(dt.timezone.utc).replace(tzinfo=None)


def working_minutes(session, start: dt.datetime, end: dt.datetime) -> int:
    """Working minutes between two stored (UTC) moments."""
    return office_calendar(session).working_minutes(to_local(start), to_local(end))


def deadline(session, start: dt.datetime, minutes: int) -> dt.datetime:
    """The stored (UTC) moment a standard of ``minutes`` working minutes from ``start`` runs out."""
    return to_utc(office_calendar(session).add_working_minutes(to_local(start), minutes))
