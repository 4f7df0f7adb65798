"""Working-time arithmetic across weekends, holidays, cuti bersama, closures and office hours."""

import datetime as dt

from hypothesis import given, settings, strategies as st

from app.models import CalendarDay
from app.workflow.calendar import national_holidays, office_calendar
from app.workflow.clock import WorkCalendar

HOLIDAYS = national_holidays(range(2025, 2028))
OFFICE = WorkCalendar(holidays=HOLIDAYS)
SIX_DAYS = WorkCalendar(weekdays=frozenset(range(6)), holidays=HOLIDAYS)

moments = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 1)).map(
    lambda m: m.replace(second=0, microsecond=0))
calendars = st.sampled_from([OFFICE, SIX_DAYS, WorkCalendar(opens=dt.time(7, 30), closes=dt.time(15, 30))])


@given(calendars, moments, moments, moments)
def test_working_time_adds_up_across_any_split(calendar, a, b, c):
    a, b, c = sorted([a, b, c])
    assert calendar.working_minutes(a, c) == calendar.working_minutes(a, b) + calendar.working_minutes(b, c)


@settings(deadline=None)
@given(calendars, moments, st.integers(min_value=0, max_value=30 * 8 * 60))
def test_a_deadline_is_exactly_its_working_minutes_away(calendar, start, minutes):
    deadline = calendar.add_working_minutes(start, minutes)
    assert calendar.working_minutes(start, deadline) == minutes
    assert calendar.is_working_day(deadline.date())
    opens, closes = calendar.office_hours(deadline.date())
    assert opens <= deadline <= closes


@given(calendars, moments)
def test_no_working_time_on_a_day_off_or_outside_office_hours(calendar, moment):
    day = moment.date()
    opens, closes = calendar.office_hours(day)
    whole_day = calendar.working_minutes(dt.datetime.combine(day, dt.time()), dt.datetime.combine(day, dt.time()) +
                                         dt.timedelta(days=1))
    assert whole_day == (calendar.day_minutes if calendar.is_working_day(day) else 0)
    assert calendar.working_minutes(closes, dt.datetime.combine(day, dt.time(23, 59))) == 0


def test_weekend_and_national_holidays_and_cuti_bersama_are_days_off():
    assert not OFFICE.is_working_day(dt.date(2026, 11, 28))  # Saturday
    assert SIX_DAYS.is_working_day(dt.date(2026, 11, 28))
    assert not OFFICE.is_working_day(dt.date(2026, 8, 17))  # Independence Day (PUBLIC)
    assert not OFFICE.is_working_day(dt.date(2026, 3, 20))  # Idul Fitri cuti bersama (GOVERNMENT)
    assert OFFICE.is_working_day(dt.date(2026, 11, 26))


def test_friday_afternoon_to_monday_morning_counts_only_office_hours():
    friday = dt.datetime(2026, 11, 27, 15, 0)
    monday = dt.datetime(2026, 11, 30, 9, 30)
    assert OFFICE.working_minutes(friday, monday) == 60 + 90
    assert OFFICE.add_working_minutes(friday, 90) == dt.datetime(2026, 11, 30, 8, 30)


def test_admin_closures_and_extra_working_days_override_the_week():
    closure = dt.date(2026, 11, 26)
    saturday = dt.date(2026, 11, 28)
    calendar = WorkCalendar(holidays=HOLIDAYS, overrides={closure: False, saturday: True})
    assert not calendar.is_working_day(closure)
    assert calendar.is_working_day(saturday)
    assert calendar.working_minutes(dt.datetime(2026, 11, 26, 8), dt.datetime(2026, 11, 26, 16)) == 0


def test_the_office_calendar_is_kept_per_request_and_rebuilt_when_a_day_changes(app):
    closure = dt.date(2031, 1, 6)  # a Monday
    with app.app_context():
        session = app.appbuilder.session
        kept = office_calendar(session)
        assert office_calendar(session) is kept  # the inbox asks once per open file
        session.add(CalendarDay(day=closure, is_working=False, description="Banjir"))
        session.flush()
        assert not office_calendar(session).is_working_day(closure)
        session.rollback()
        assert office_calendar(session).is_working_day(closure)
