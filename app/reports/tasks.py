"""The worker rolls up the day that just ended, every night, so the dashboard's first reader does not."""

from __future__ import annotations

from huey import crontab

# 00:30 WIB (the worker's clock is UTC): the office day before is over and its steps are all written.
NIGHTLY = crontab(hour="17", minute="30")


def init_app(flask_app) -> None:
    from app.archive.tasks import get_archive
    from app.reports.commands import prebuild
    from app.reports.rollup import prebuild_months

    def prebuild_reports() -> None:
        with flask_app.app_context():
            for month in prebuild_months():
                prebuild(month)

    with flask_app.app_context():
        huey = get_archive().huey
    flask_app.extensions["sigap_reports_prebuild"] = huey.periodic_task(NIGHTLY, name="reports-prebuild")(
        prebuild_reports)
