"""Spreadsheets: the report (a sheet per table) and any list screen's rows, with real numbers and dates."""

from __future__ import annotations

import datetime as dt
import io
import re

from flask_babel import gettext
from openpyxl import Workbook

from app.reports.period import Period
from app.reports.tables import Table

SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def report_workbook(tables: list[Table], period: Period, printed_by: str, printed_at: dt.datetime) -> bytes:
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.key))
        sheet.append([str(table.title)])
        sheet.append([gettext("Period"), period.start, period.end])
        sheet.append([])
        sheet.append([str(column.label) for column in table.columns])
        for row in table.rows:
            sheet.append([cell.value for cell in row])
    _colophon(workbook, printed_by, printed_at)
    return _saved(workbook)


def rows_workbook(title: str, header: list[str], rows, printed_by: str, printed_at: dt.datetime) -> bytes:
    """One sheet of ``rows`` (an iterable, streamed) under ``header``."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_name(title))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    _colophon(workbook, printed_by, printed_at)
    return _saved(workbook)


def _colophon(workbook, printed_by: str, printed_at: dt.datetime) -> None:
    sheet = workbook.create_sheet(gettext("Printed"))
    sheet.append([gettext("Printed by %(user)s on %(moment)s", user=printed_by,
                          moment=f"{printed_at:%d-%m-%Y %H:%M} WIB")])


def _saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    return SHEET_NAME.sub(" ", name)[:31]

