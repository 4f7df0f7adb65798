"""`flask sigap reports prebuild`: the dashboard's rollups built ahead, so that no reader waits for them;
the worker runs it every night (app/reports/tasks.py)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from app.reports import rollup


@click.group("reports")
def reports_group():
    """Leadership reports."""


@reports_group.command("prebuild")
@with_appcontext
@click.option("--year", type=int, help="A calendar year (e.g. 2026); by default the last twelve months.")
def prebuild_command(year):
    """Roll up the past days and months the dashboard reads (what is already rolled up is kept)."""
    months = rollup.prebuild_months(year)
    built = 0
    with click.progressbar(months, label="Rolling up", item_show_func=_month) as bar:
        for month in bar:
            built += prebuild(month)
    click.echo(f"Rolled up: {built} days and months ({len(months)} months checked).")


def prebuild(month) -> int:
    """One month's rollups, committed on their own (an interrupted run keeps the months done)."""
    from app.extensions import db

    with Session(db.engine) as session:
        built = rollup.build(session, month)
        session.commit()
    return built


def _month(month) -> str:
    return month.start.strftime("%Y-%m") if month else ""
