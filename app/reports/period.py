"""A report period: whole days from ``start`` to ``end`` (inclusive) in office time (WIB)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext

from app.workflow.calendar import to_local, to_utc

# A longer period is refused: a dashboard of decades is a mistyped year, not a question.
MAX_DAYS = 3 * 366


class PeriodError(ValueError):
    """Dates that do not make a period; the message says why, in the user's language."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def utc_start(self) -> dt.datetime:
        return to_utc(dt.datetime.combine(self.start, dt.time()))

    @property
    def utc_end(self) -> dt.datetime:
        """The first moment after the period (exclusive bound)."""
        return to_utc(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time()))

    def as_args(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def month_of(day: dt.date) -> Period:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return Period(first, following - dt.timedelta(days=1))


def this_month(now_utc: dt.datetime) -> Period:
    return month_of(to_local(now_utc).date())


def parse_period(start: str | None, end: str | None, default: Period) -> Period:
    """The period typed as YYYY-MM-DD dates; both empty gives ``default``. Raises PeriodError."""
    if not start and not end:
        return default
    if not start or not end:
        raise PeriodError(gettext("Give both the start and the end date (YYYY-MM-DD)."))
    try:
        period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    except ValueError:
        raise PeriodError(gettext("Dates must be written YYYY-MM-DD, e.g. 2026-11-01.")) from None
    if period.end < period.start:
        raise PeriodError(gettext("The end date is before the start date."))
    if (period.end - period.start).days >= MAX_DAYS:
        raise PeriodError(gettext("A period may be at most three years long."))
    return period
