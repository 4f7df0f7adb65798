"""Working time: office hours on working days, without weekends, holidays, cuti bersama or closures.

Pure arithmetic on naive local datetimes; app/workflow/calendar.py builds a WorkCalendar from the
configuration, the `holidays` package and the Admin's calendar_day rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

MINUTE = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class WorkCalendar:
    opens: dt.time = dt.time(8, 0)
    closes: dt.time = dt.time(16, 0)
    # Weekday numbers (Monday 0) the office works.
    weekdays: frozenset[int] = frozenset(range(5))
    # Holidays and cuti bersama, and the Admin's own days: False closes a day, True opens one.
    holidays: frozenset[dt.date] = frozenset()
    overrides: dict[dt.date, bool] = field(default_factory=dict)

    def __post_init__(self):
        if self.closes <= self.opens:
            raise ValueError("Office hours must close after they open.")

    @property
    def day_minutes(self) -> int:
        return _minutes(dt.datetime.combine(dt.date.min, self.closes) - dt.datetime.combine(dt.date.min, self.opens))

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() in self.weekdays and day not in self.holidays

    def office_hours(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return dt.datetime.combine(day, self.opens), dt.datetime.combine(day, self.closes)

    def working_minutes(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole working minutes between two moments (0 when end is not after start)."""
        total = dt.timedelta()
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                opens, closes = self.office_hours(day)
                overlap = min(end, closes) - max(start, opens)
                if overlap > dt.timedelta():
                    total += overlap
            day += dt.timedelta(days=1)
        return _minutes(total)

    def add_working_minutes(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """The moment ``minutes`` working minutes after ``start`` (a deadline)."""
        remaining = dt.timedelta(minutes=minutes)
        day = start.date()
        for _ in range(3660):  # ten years of closed days is a broken calendar, not a deadline
            if self.is_working_day(day):
                opens, closes = self.office_hours(day)
                begin = max(start, opens)
                if begin < closes:
                    if begin + remaining <= closes:
                        return begin + remaining
                    remaining -= closes - begin
            day += dt.timedelta(days=1)
        raise ValueError("No working day within ten years: check the calendar.")

    def working_days_as_minutes(self, days: int) -> int:
        return days * self.day_minutes


def _minutes(delta: dt.timedelta) -> int:
    return int(delta // MINUTE)
