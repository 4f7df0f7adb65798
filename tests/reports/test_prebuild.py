"""The dashboard's rollups built ahead: by `flask sigap reports prebuild` and by the worker every night."""

import datetime as dt

from app.archive.tasks import get_archive
from app.models import ReportDay, ReportSlaDay, ReportStepDay
from app.reports.period import Period
from app.reports.rollup import _today, build
from tests.conftest import api_token
from tests.reports.conftest import MARCH

YEAR_2019 = Period(dt.date(2019, 1, 1), dt.date(2019, 12, 31))


def _forget_rollups(app, period: Period) -> None:
    with app.app_context():
        session = app.appbuilder.session
        for table in (ReportStepDay, ReportSlaDay, ReportDay):
            session.query(table).filter(table.day >= period.start, table.day <= period.end).delete()
        session.commit()


def test_prebuild_rolls_a_year_up_ahead_with_a_progress_bar(app, client, march):
    _forget_rollups(app, YEAR_2019)
    result = app.test_cli_runner().invoke(args=["sigap", "reports", "prebuild", "--year", "2019"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Rolling up")  # the progress bar (drawn in full on a terminal)
    assert "Rolled up: 377 days and months (12 months checked)." in result.output  # 365 days + 12 months
    with app.app_context():
        session = app.appbuilder.session
        march_uploads = session.query(ReportStepDay.steps).filter_by(
            span="month", day=dt.date(2019, 3, 1), step_id=march.steps["bo_upload"]).all()
        assert sum(steps for (steps,) in march_uploads) == 10  # the ten BO uploads of the data set
        assert build(session, YEAR_2019) == 0  # nothing left for the dashboard's first reader to build
    figures = client.get("/api/v1/report/summary", query_string=MARCH, headers=api_token(client, "pimpinan"))
    upload = next(row for row in figures.get_json()["step_times"] if row["key"] == march.steps["bo_upload"])
    assert (upload["count"], upload["p90_minutes"]) == (10, 12)


def test_a_second_prebuild_keeps_what_is_built(app, march):
    app.test_cli_runner().invoke(args=["sigap", "reports", "prebuild", "--year", "2019"])
    result = app.test_cli_runner().invoke(args=["sigap", "reports", "prebuild", "--year", "2019"])
    assert "Rolled up: 0 days and months" in result.output


def test_the_worker_rolls_up_the_day_just_ended_every_night(app):
    with app.app_context():
        huey = get_archive().huey
        due = {moment: [task.name for task in huey.read_periodic(moment)]
               for moment in (dt.datetime(2026, 11, 30, 17, 30), dt.datetime(2026, 11, 30, 18, 30))}
        at_night, later = due.values()
        assert "reports-prebuild" in at_night and "reports-prebuild" not in later  # 00:30 WIB only
        yesterday = _today() - dt.timedelta(days=1)
    _forget_rollups(app, Period(yesterday, yesterday))
    app.extensions["sigap_reports_prebuild"]()  # what the consumer calls when it is due (inline in tests)
    with app.app_context():
        assert app.appbuilder.session.get(ReportDay, (yesterday, "day")) is not None
