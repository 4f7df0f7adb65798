"""Leadership screens: the dashboard, the list behind each figure, the monthly report (SOP-003 step 10),
the report's files, the letterhead settings, and the report's fixed API points."""

from __future__ import annotations

import datetime as dt
from typing import NoReturn
from urllib.parse import urlencode

from flask import Response, abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi, protect
from flask_babel import gettext, lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app import audit
from app.errors import UserError
from app.models import Channel, RiskLevel
from app.models.base import utcnow
from app.reports import monthly, settings
from app.reports.charts import svg
from app.reports.figures import summary
from app.reports.pdf import report_pdf
from app.reports.period import Period, PeriodError, month_of, parse_period, this_month
from app.reports.queries import BASES, STATUS_GROUPS, Selection, applications, steps
from app.reports.tables import report_tables, shown
from app.reports.xlsx import report_workbook
from app.security.permissions import Resource
from app.views.workflow import CsrfOnly
from app.workflow.calendar import to_local

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportRequestRefused(UserError):
    """A period, figure or format the dashboard does not have (answered by the one error mapping)."""


def _refuse(message: str) -> NoReturn:
    raise ReportRequestRefused(message)


def _period() -> Period:
    """The period the request asks for (this month by default); a bad one is refused with 400."""
    try:
        return parse_period(request.args.get("start"), request.args.get("end"), this_month(utcnow()))
    except PeriodError as error:
        _refuse(str(error))


def _format() -> str:
    kind = request.args.get("format", "xlsx")
    if kind not in ("xlsx", "pdf"):
        _refuse(gettext("The format must be xlsx or pdf."))
    return kind


def _selection() -> Selection:
    """The figure's filter from the list URL; anything not of the dashboard's own making is a 400."""
    args = request.args
    basis = args.get("basis", "received")
    ints: dict[str, int | None] = {}
    for name in ("service", "sector", "step", "officer", "timed"):
        value = args.get(name)
        if value is not None and not value.isdigit():
            _refuse(gettext("This link names a figure the dashboard does not have."))
        ints[name] = int(value) if value is not None else None
    checks = ((basis in BASES), args.get("status") in (None, *STATUS_GROUPS),
              args.get("channel") in (None, *Channel.__members__), args.get("risk_level") in (None, *RiskLevel.__members__),
              args.get("met") in (None, "0", "1"))
    if not all(checks):
        _refuse(gettext("This link names a figure the dashboard does not have."))
    met = args.get("met")
    return Selection(basis=basis, status=args.get("status"), channel=args.get("channel"),
                     risk_level=args.get("risk_level"), node=args.get("node"), nodes=tuple(args.getlist("nodes")),
                     role=args.get("role"), met=None if met is None else met == "1",
                     service=ints["service"], sector=ints["sector"], step=ints["step"], officer=ints["officer"],
                     timed=bool(ints["timed"]))


def _printed_by(user) -> str:
    return f"{user.first_name} {user.last_name}".strip() or user.username


def report_files(session, period: Period, user, kind: str, figures: dict | None = None) -> Response:
    """The report of ``period`` as XLSX or PDF (from frozen ``figures`` when given), audited as a download."""
    now = utcnow()
    figures = figures or summary(session, period, now)
    tables = report_tables(figures, lambda selection: None)
    printed_at = to_local(now)
    stem = f"laporan-sigap-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if kind == "xlsx":
        data, mimetype = report_workbook(tables, period, _printed_by(user), printed_at), XLSX
    else:
        title = gettext("SIGAP service report")
        data = report_pdf(tables, period, settings.letterhead(session), title, _printed_by(user), printed_at)
        mimetype = "application/pdf"
    audit.record("export", user, {"report": stem, "format": kind})
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{stem}.{kind}"'})


class ReportView(BaseView):
    route_base = "/reports"
    class_permission_name = Resource.REPORT
    method_permission_name = {"dashboard": "read", "applications": "read", "export": "read", "month": "read",
                              "produce": "create", "month_file": "read"}
    default_view = "dashboard"

    def _link(self, period: Period):
        # Built once per page, not per cell: url_for for each of a thousand cells cost a tenth of a second.
        listing = url_for("ReportView.applications")
        page = url_for("ApplicationPageView.page", pk=0).removesuffix("0")

        def link(selection: dict) -> str:
            if "application" in selection:
                return f"{page}{selection['application']}"
            args = {**period.as_args(), **{key: value for key, value in selection.items() if value is not None}}
            return f"{listing}?{urlencode(args, doseq=True)}"
        return link

    @expose("/")
    @has_access
    def dashboard(self):
        period = _period()
        figures = summary(self.appbuilder.session, period, utcnow())
        self.appbuilder.session.commit()  # the past days rolled up while counting (app/reports/rollup.py)
        return self.render_template("sigap/reports/dashboard.html", period=period, figures=figures,
                                    tables=report_tables(figures, self._link(period)), link=self._link(period),
                                    month=month_of(period.start))

    @expose("/applications")
    @has_access
    def applications(self):
        """The applications behind one figure of the dashboard (no applicant's name or number shown)."""
        period, selection = _period(), _selection()
        find = steps if selection.basis == "steps" else applications
        query = find(self.appbuilder.session, period, selection)
        page = max(request.args.get("page", 1, type=int) or 1, 1)
        total = query.count()
        rows = query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE).all()
        return self.render_template("sigap/reports/applications.html", period=period, rows=rows, total=total,
                                    page=page, pages=max(1, -(-total // PAGE_SIZE)), selection=selection)

    @expose("/export")
    @has_access
    def export(self):
        return report_files(self.appbuilder.session, _period(), self.appbuilder.sm.current_user, _format())

    @expose("/month/<int:year>/<int:number>")
    @has_access
    def month(self, year, number):
        """The month's report: opened here (the step's clock starts), produced with one button."""
        session = self.appbuilder.session
        period = _month(year, number)
        report = monthly.open_report(session, period, self.appbuilder.sm.current_user, utcnow())
        session.commit()
        may_produce = monthly.acting_role(session, self.appbuilder.sm.current_user) is not None
        return self.render_template("sigap/reports/month.html", period=period, report=report,
                                    may_produce=may_produce, step=monthly.report_step(session), csrf=CsrfOnly(),
                                    ended=period.end < to_local(utcnow()).date())

    @expose("/month/<int:year>/<int:number>", methods=["POST"])
    @has_access
    def produce(self, year, number):
        session = self.appbuilder.session
        period = _month(year, number)
        if not CsrfOnly().validate_on_submit():
            abort(400)
        report = monthly.find(session, period) or abort(404)
        try:
            history = monthly.produce(session, report, self.appbuilder.sm.current_user, utcnow(),
                                      to_local(utcnow()).date())
        except monthly.ReportNotAllowed:
            session.rollback()
            flash(gettext("Your role may not complete this step."), "warning")
        except monthly.ReportNotDue:
            session.rollback()
            flash(gettext("This month's report cannot be produced (the month has not ended, or it is done)."),
                  "warning")
        else:
            session.commit()
            flash(gettext("Report produced in %(minutes)s working minutes (standard %(standard)s).",
                          minutes=history.working_minutes, standard=history.standard_minutes), "success")
        return redirect(url_for("ReportView.month", year=year, number=number))

    @expose("/month/<int:year>/<int:number>.<kind>")
    @has_access
    def month_file(self, year, number, kind):
        """The produced month's report, from the figures frozen when it was produced."""
        period = _month(year, number)
        report = monthly.find(self.appbuilder.session, period)
        if kind not in ("xlsx", "pdf") or report is None or report.figures is None:
            abort(404)
        figures: dict = report.figures  # type: ignore[assignment]  # the JSON column's value
        return report_files(self.appbuilder.session, period, self.appbuilder.sm.current_user, kind, figures)


def _month(year: int, number: int) -> Period:
    try:
        return month_of(dt.date(year, number, 1))
    except ValueError:
        abort(404)


class LetterheadForm(FlaskForm):
    office_name = StringField(_l("Office name"), validators=[DataRequired(), Length(max=200)])
    address = TextAreaField(_l("Address"), validators=[DataRequired(), Length(max=1000)])
    phone = StringField(_l("Telephone"), validators=[Length(max=100)])
    logo = FileField(_l("Logo (PNG or JPEG, at most 512 KB)"))


class LetterheadView(BaseView):
    """The Admin's letterhead for printed reports."""

    route_base = "/reports/letterhead"
    class_permission_name = Resource.OFFICE_SETTINGS
    method_permission_name = {"edit": "edit"}
    default_view = "edit"

    @expose("/", methods=["GET", "POST"])
    @has_access
    def edit(self):
        session = self.appbuilder.session
        current = settings.letterhead(session)
        form = LetterheadForm(data=current)
        if form.validate_on_submit():
            upload = request.files.get("logo")
            try:
                settings.save(session, form.office_name.data, form.address.data, form.phone.data,
                              upload.read() if upload and upload.filename else None)
            except settings.LogoInvalid as error:
                session.rollback()
                form.logo.errors = [str(error)]
            else:
                session.commit()
                flash(gettext("Letterhead saved."), "success")
                return redirect(url_for("LetterheadView.edit"))
        return self.render_template("sigap/reports/letterhead.html", form=form, has_logo=bool(current["logo"]))


class ReportApi(BaseApi):
    resource_name = "report"
    class_permission_name = Resource.REPORT
    method_permission_name = {"summary": "read", "export": "read"}
    allow_browser_login = True
    openapi_spec_tag = "Report"

    @expose("/summary", methods=["GET"])
    @protect()
    def summary(self):
        """The dashboard's figures for a period, as the page shows them.
        ---
        get:
          parameters:
          - {in: query, name: start, schema: {type: string, format: date}, description: first day (WIB)}
          - {in: query, name: end, schema: {type: string, format: date}, description: last day (WIB)}
          responses:
            200:
              description: The figures, including the satisfaction index (ikm)
            400:
              $ref: '#/components/responses/400'
            401:
              $ref: '#/components/responses/401'
        """
        figures = summary(self.appbuilder.session, _period(), utcnow())
        self.appbuilder.session.commit()  # the past days rolled up while counting (app/reports/rollup.py)
        return self.response(200, **figures)

    @expose("/export", methods=["GET"])
    @protect()
    def export(self):
        """The report for a period as a file.
        ---
        get:
          parameters:
          - {in: query, name: start, schema: {type: string, format: date}}
          - {in: query, name: end, schema: {type: string, format: date}}
          - {in: query, name: format, schema: {type: string, enum: [xlsx, pdf]}}
          responses:
            200:
              description: The XLSX workbook or the PDF
            400:
              $ref: '#/components/responses/400'
            401:
              $ref: '#/components/responses/401'
        """
        return report_files(self.appbuilder.session, _period(), self.appbuilder.sm.current_user, _format())


def register_filters(flask_app) -> None:
    flask_app.add_template_filter(shown, "report_value")
    flask_app.add_template_filter(svg, "chart_svg")
