"""Every list screen a clerk uses daily exports what it shows to XLSX: the same filters, order, base
filters (a technical team's sector) and columns, with NIK and NPWP masked as on the screen."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from flask import Response, abort, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.urltools import get_filter_args, get_order_args
from flask_babel import gettext
from flask_login import current_user
from markupsafe import Markup

from app import audit
from app.models.base import utcnow
from app.reports.xlsx import rows_workbook
from app.security.permissions import CAN_READ
from app.views import applications, documents, people
from app.workflow.calendar import to_local

EXPORTABLE = {
    "applications": applications.ApplicationView,
    "permits": applications.PermitView,
    "documents": documents.DocumentView,
    "applicants": people.ApplicantView,
}
MAX_ROWS = 20_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(value):
    """A list value as a spreadsheet cell: numbers and dates stay numbers and dates (in office time)."""
    if value is None or isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, dt.datetime):
        return to_local(value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


class ListExportView(BaseView):
    """Each export asks the list screen's own read permission, then runs the screen's own query."""

    route_base = "/export"

    def _screen(self, name: str):
        screen_class = EXPORTABLE.get(name) or abort(404)
        return next(view for view in self.appbuilder.baseviews if type(view) is screen_class)

    @expose("/<name>.xlsx")
    def export(self, name):
        screen = self._screen(name)
        if not current_user.is_authenticated:
            return redirect(url_for(f"{self.appbuilder.sm.auth_view.endpoint}.login", next=request.url))
        if not self.appbuilder.sm.has_access(CAN_READ, screen.class_permission_name):
            abort(403)
        get_filter_args(screen._filters)
        order_column, direction = get_order_args().get(type(screen).__name__, screen.base_order or ("", ""))
        filters = screen._filters.get_joined_filters(screen._base_filters)
        count, items = screen.datamodel.query(filters, order_column, direction, page=0, page_size=MAX_ROWS)
        if count > MAX_ROWS:
            return Response(gettext("More than %(count)s rows: narrow the filter first.", count=MAX_ROWS),
                            status=400, mimetype="text/plain")
        columns = [column for column in screen.list_columns if column != "links"]
        header = [str(screen.label_columns.get(column, column)) for column in columns]
        values = screen.datamodel.get_values(items, columns)
        rows = ([cell(_plain(row[column])) for column in columns] for row in values)
        user = self.appbuilder.sm.current_user
        data = rows_workbook(str(screen.list_title), header, rows, user.username, to_local(utcnow()))
        audit.record("export", user, {"list": name, "rows": count})
        return Response(data, mimetype=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})


def _plain(value):
    return str(value.striptags()) if isinstance(value, Markup) else value


def list_export_url() -> str | None:
    """For the list template: this list screen's export link, with the filters it shows."""
    endpoint = request.endpoint or ""
    for name, screen_class in EXPORTABLE.items():
        if endpoint == f"{screen_class.__name__}.list":
            filters: dict[str, Any] = request.args.to_dict()
            return url_for("ListExportView.export", name=name, **filters)
    return None
