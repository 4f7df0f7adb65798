"""Past days' step figures rolled up once, per day and per whole month, so that a year's dashboard reads a
few thousand rows instead of a million. Step history is append-only and each row is written when its step
is done, so a past office day's figures never change; today's are read from the rows themselves. A row
written afterwards for a past day (a script, a correction) drops that day's and that month's rollups,
which the next read builds again.

Days are office days (WIB): a step belongs to the day its ``finished_at`` falls on in office time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import Date, and_, case, cast, event, func, literal_column, or_
from sqlalchemy.orm import Session

from app.models import Application, ReportDay, ReportSlaDay, ReportStepDay, StepHistory
from app.models.base import utcnow
from app.reports.period import Period, month_of
from app.workflow.calendar import to_local

DIMENSIONS = {
    "step": StepHistory.step_id,
    "role": StepHistory.actor_role,
    "officer": StepHistory.user_id,
    "service": Application.service_id,
}
DAY = dt.timedelta(days=1)


def _offset_hours() -> float:
    """The office's offset from UTC (Indonesian time zones keep no daylight saving)."""
    zone = ZoneInfo(current_app.config["OFFICE_TIMEZONE"])
    return dt.datetime.now(zone).utcoffset().total_seconds() / 3600


def _local_day(session):
    hours = _offset_hours()
    if session.get_bind().dialect.name == "sqlite":
        return func.date(StepHistory.finished_at, f"{hours:+g} hours")
    return cast(StepHistory.finished_at + literal_column(f"interval '{hours:g} hours'"), Date)


def _today() -> dt.date:
    return to_local(utcnow()).date()


def step_histogram(session, period: Period) -> dict[int, list[tuple[int, int]]]:
    """Per step id, (working minutes, how many steps took them) in the period."""
    past, recent = _split(session, period)
    histogram = defaultdict(lambda: defaultdict(int))
    if past:
        for step_id, minutes, count in (
                session.query(ReportStepDay.step_id, ReportStepDay.working_minutes, func.sum(ReportStepDay.steps))
                .filter(_rolled(ReportStepDay, past))
                .group_by(ReportStepDay.step_id, ReportStepDay.working_minutes)):
            histogram[step_id][minutes] += int(count)
    if recent:
        for _day, step_id, minutes, count in _histogram_rows(session, recent):
            histogram[step_id][minutes] += count
    return {step_id: sorted(bins.items()) for step_id, bins in histogram.items()}


def sla_totals(session, period: Period) -> dict[str, dict[str, list[int]]]:
    """Per dimension (step, role, officer, service) and its key (as text): [timed steps, within standard]."""
    past, recent = _split(session, period)
    totals = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    if past:
        for dimension, key, timed, met in (
                session.query(ReportSlaDay.dimension, ReportSlaDay.key, func.sum(ReportSlaDay.timed),
                              func.sum(ReportSlaDay.met))
                .filter(_rolled(ReportSlaDay, past))
                .group_by(ReportSlaDay.dimension, ReportSlaDay.key)):
            totals[dimension][key][0] += int(timed)
            totals[dimension][key][1] += int(met)
    if recent:
        for dimension in DIMENSIONS:
            for _day, key, timed, met in _sla_rows(session, recent, dimension):
                totals[dimension][key][0] += timed
                totals[dimension][key][1] += met
    return totals


def _split(session, period: Period) -> tuple[Period | None, Period | None]:
    """The period's past days (rolled up, built now where missing) and its days from today on (raw)."""
    today = _today()
    past = Period(period.start, min(period.end, today - DAY)) if period.start < today else None
    recent = Period(max(period.start, today), period.end) if period.end >= today else None
    if past:
        build(session, past)
    return past, recent


def _whole_months(period: Period) -> list[Period]:
    months, start = [], period.start if period.start.day == 1 else month_of(period.start).end + DAY
    while start <= period.end and month_of(start).end <= period.end:
        months.append(month_of(start))
        start = month_of(start).end + DAY
    return months


def _edges(period: Period) -> list[Period]:
    """The period's days outside its whole months (none, one or two runs)."""
    months = _whole_months(period)
    if not months:
        return [period]
    edges = [Period(period.start, months[0].start - DAY), Period(months[-1].end + DAY, period.end)]
    return [edge for edge in edges if edge.start <= edge.end]


def _rolled(table, past: Period):
    """Rows of ``table`` covering ``past``: its whole months' rows, and its other days' rows."""
    months = [month.start for month in _whole_months(past)]
    parts = [and_(table.span == "day", table.day >= edge.start, table.day <= edge.end) for edge in _edges(past)]
    if months:
        parts.append(and_(table.span == "month", table.day.in_(months)))
    return or_(*parts)


def build(session, period: Period) -> int:
    """Roll up the period's days and whole months not rolled up yet (all past); returns how many were built."""
    built = {(day, span) for day, span in session.query(ReportDay.day, ReportDay.span).filter(
        ReportDay.day >= period.start, ReportDay.day <= period.end)}
    months = [month for month in _whole_months(period) if (month.start, "month") not in built]
    days = [day for run in [*_edges(period), *months] for day in _days(run) if (day, "day") not in built]
    for run in _runs(days):
        _build_run(session, run)
    for month in months:
        _build_month(session, month)
    return len(days) + len(months)


def prebuild_months(year: int | None = None) -> list[Period]:
    """The months to roll up ahead of the dashboard, each clipped to yesterday (today is read raw): a calendar
    year, or by default the months a one-year period ending today reaches."""
    yesterday = _today() - DAY
    start = dt.date(year, 1, 1) if year else month_of(yesterday - dt.timedelta(days=366)).start
    last = min(dt.date(year, 12, 31), yesterday) if year else yesterday
    months = []
    while start <= last:
        months.append(Period(start, min(month_of(start).end, last)))
        start = month_of(start).end + DAY
    return months


def _days(period: Period) -> list[dt.date]:
    return [period.start + DAY * n for n in range((period.end - period.start).days + 1)]


def _runs(days: list[dt.date]) -> list[Period]:
    runs = []
    for day in days:
        if runs and runs[-1].end + DAY == day:
            runs[-1] = Period(runs[-1].start, day)
        else:
            runs.append(Period(day, day))
    return runs


def _build_run(session, run: Period) -> None:
    histogram = [{"day": _date(day), "span": "day", "step_id": step_id, "working_minutes": minutes, "steps": count}
                 for day, step_id, minutes, count in _histogram_rows(session, run)]
    sla = [{"day": _date(day), "span": "day", "dimension": dimension, "key": key, "timed": timed, "met": met}
           for dimension in DIMENSIONS for day, key, timed, met in _sla_rows(session, run, dimension)]
    days = [{"day": day, "span": "day", "built_at": utcnow()} for day in _days(run)]
    _insert(session, histogram, sla, days)


def _build_month(session, month: Period) -> None:
    """A month's rows summed from its days' rows (built just before)."""
    histogram = [{"day": month.start, "span": "month", "step_id": step_id, "working_minutes": minutes,
                  "steps": int(count)}
                 for step_id, minutes, count in (
                     session.query(ReportStepDay.step_id, ReportStepDay.working_minutes, func.sum(ReportStepDay.steps))
                     .filter(ReportStepDay.span == "day", ReportStepDay.day >= month.start,
                             ReportStepDay.day <= month.end)
                     .group_by(ReportStepDay.step_id, ReportStepDay.working_minutes))]
    sla = [{"day": month.start, "span": "month", "dimension": dimension, "key": key, "timed": int(timed),
            "met": int(met)}
           for dimension, key, timed, met in (
               session.query(ReportSlaDay.dimension, ReportSlaDay.key, func.sum(ReportSlaDay.timed),
                             func.sum(ReportSlaDay.met))
               .filter(ReportSlaDay.span == "day", ReportSlaDay.day >= month.start, ReportSlaDay.day <= month.end)
               .group_by(ReportSlaDay.dimension, ReportSlaDay.key))]
    _insert(session, histogram, sla, [{"day": month.start, "span": "month", "built_at": utcnow()}])


def _insert(session, histogram: list, sla: list, marks: list) -> None:
    for table, rows in ((ReportStepDay, histogram), (ReportSlaDay, sla), (ReportDay, marks)):
        if rows:
            session.execute(table.__table__.insert(), rows)


def _histogram_rows(session, period: Period):
    day = _local_day(session)
    return [(day_, step_id, minutes, count) for day_, step_id, minutes, count in (
        session.query(day, StepHistory.step_id, StepHistory.working_minutes, func.count())
        .filter(StepHistory.finished_at >= period.utc_start, StepHistory.finished_at < period.utc_end)
        .group_by(day, StepHistory.step_id, StepHistory.working_minutes))]


def _sla_rows(session, period: Period, dimension: str):
    day, key = _local_day(session), DIMENSIONS[dimension]
    query = (session.query(day, key, func.count(), func.sum(case((StepHistory.met_standard.is_(True), 1), else_=0)))
             .filter(StepHistory.finished_at >= period.utc_start, StepHistory.finished_at < period.utc_end,
                     StepHistory.met_standard.is_not(None), key.is_not(None)))
    if dimension == "service":
        query = query.join(Application, Application.id == StepHistory.application_id)
    return [(day_, str(value), int(timed), int(met or 0)) for day_, value, timed, met in query.group_by(day, key)]


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


@event.listens_for(Session, "after_flush")
def _drop_rebuilt_days(session, _context) -> None:
    """A step written for a past day (never by the engine, which writes "now") drops that day's rollup."""
    finished = [row.finished_at for row in session.new if isinstance(row, StepHistory) and row.finished_at]
    if not finished or not has_app_context():
        return
    today = _today()
    days = {day for day in (to_local(moment).date() for moment in finished) if day < today}
    stale = days | {day.replace(day=1) for day in days}  # the day's rows, and its month's
    for table in (ReportDay, ReportStepDay, ReportSlaDay) if days else ():
        columns = table.__table__.c
        session.connection().execute(table.__table__.delete().where(or_(
            and_(columns.span == "day", columns.day.in_(days)),
            and_(columns.span == "month", columns.day.in_(stale)))))
