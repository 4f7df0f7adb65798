"""The office's WorkCalendar: configured hours and week, national holidays, the Admin's closures.

Times are stored in UTC; office hours are local (OFFICE_TIMEZONE), so moments are converted here.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
from flask import current_app

from app.models import CalendarDay
from app.workflow.clock import WorkCalendar

# National holidays (PUBLIC) and cuti bersama (GOVERNMENT) are both days off for the office.
HOLIDAY_CATEGORIES = (holidays.PUBLIC, holidays.GOVERNMENT)


def national_holidays(years) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("ID", years=list(years), categories=HOLIDAY_CATEGORIES))


def office_calendar(session, years=None) -> WorkCalendar:
    config = current_app.config
    this_year = dt.date.today().year
    years = years or range(this_year - 2, this_year + 2)
    overrides = {row.day: row.is_working for row in session.query(CalendarDay)}
    return WorkCalendar(
        opens=dt.time.fromisoformat(config["OFFICE_OPENS"]),
        closes=dt.time.fromisoformat(config["OFFICE_CLOSES"]),
        weekdays=frozenset(range(config["OFFICE_WORKDAYS_PER_WEEK"])),
        holidays=national_holidays(years),
        overrides=overrides,
    )


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
