"""The public survey form (no login), the Admin's survey periods, and the hand-over receipt carrying the survey's link."""

from flask import Response, abort, current_app, request
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import limit
from flask_babel import format_decimal, lazy_gettext as _l

from app import audit
from app.frontdesk.handover import handover_receipt_pdf
from app.models import Application, SkmPeriod
from app.models.base import utcnow
from app.models.skm import SKM_ELEMENTS, Education, Occupation, Sex
from app.security.permissions import Resource
from app.security.scope import limit_to_scope
from app.skm.links import application_id_of
from app.skm.survey import (
    SCORES, AlreadyAnswered, AnswersInvalid, SurveyClosed, error_text, has_answered, open_period, record_response,
)
from app.memo import per_request
from app.skm.ikm import ikm_by_period
from app.views.base import GuardedView, WithComputedColumns, appbuilder
from app.views.formatting import NOTHING
from app.views.labels import LABELS
from app.views.workflow import CsrfOnly
from app.workflow.calendar import to_local


class SkmFormView(BaseView):
    """Anyone holding the printed link answers once; the page names the service only, nothing personal."""

    route_base = "/skm"

    @expose("/<token>", methods=["GET", "POST"])
    @limit(lambda: current_app.config["SURVEY_RATE_LIMIT"], methods=["POST"])
    def form(self, token):
        session = self.appbuilder.session
        application_id = application_id_of(token)
        application = session.get(Application, application_id) if application_id else None
        if application is None:
            abort(404)
        today = to_local(utcnow()).date()
        state, errors, csrf = "form", {}, CsrfOnly()
        if has_answered(session, application.id):
            state = "answered"
        elif open_period(session, today) is None:
            state = "closed"
        elif request.method == "POST":
            state, errors = self._submit(application, today, csrf)
        return self.render_template(
            "sigap/reports/survey.html", state=state, errors=errors, csrf=csrf, service=application.service.name,
            elements=SKM_ELEMENTS, scores=SCORES, answers=request.form, choices={
                "sex": Sex, "education": Education, "occupation": Occupation})

    def _submit(self, application, today, csrf):
        session = self.appbuilder.session
        if not csrf.validate_on_submit():
            return "form", {"": _l("The page has expired. Reload it and try again.")}
        try:
            record_response(session, application, request.form.to_dict(), today)
        except SurveyClosed:
            return "closed", {}
        except AlreadyAnswered:
            return "answered", {}
        except AnswersInvalid as error:
            session.rollback()
            return "form", error_text(error.errors)
        session.commit()
        return "thanks", {}


def period_ikm(period: SkmPeriod) -> dict | None:
    """The period's IKM (None without responses), all periods computed once per request."""
    return per_request("sigap_ikm_by_period", lambda: ikm_by_period(appbuilder().session)).get(period.id)


def respondents(period: SkmPeriod) -> int:
    index = period_ikm(period)
    return index["respondents"] if index else 0


def ikm_shown(period: SkmPeriod) -> str:
    """The converted score the regulation's way (two decimals) with its grade: "80,56 (B, Baik)"."""
    index = period_ikm(period)
    if index is None:
        return NOTHING
    return f"{format_decimal(index['score'], format='#,##0.00')} ({index['grade']}, {index['grade_label']})"


class SkmPeriodView(GuardedView):
    """The Admin opens a survey period and closes it; responses come only while one is open. Each period
    shows its IKM (PermenPANRB 14/2017, app/skm/ikm.py) and how many answered."""

    route_base = "/skm-periods"
    record_name = _l("Survey period")
    datamodel = WithComputedColumns(SkmPeriod, {"respondents": respondents, "ikm": ikm_shown})
    class_permission_name = Resource.SKM_PERIOD
    label_columns = {**LABELS, "name": _l("Name"), "starts_on": _l("Starts on"), "ends_on": _l("Ends on"),
                     "is_open": _l("Open"), "respondents": _l("Respondents"),
                     "ikm": _l("Satisfaction index (IKM)")}
    list_columns = show_columns = ["name", "starts_on", "ends_on", "is_open", "respondents", "ikm"]
    add_columns = edit_columns = ["name", "starts_on", "ends_on", "is_open"]
    base_order = ("starts_on", "desc")


class HandoverReceiptView(BaseView):
    """The receipt printed when the permit is handed over at the counter (with the survey's QR code)."""

    route_base = "/handover-receipt"
    class_permission_name = Resource.PERMIT
    method_permission_name = {"pdf": "read"}

    @expose("/<int:pk>.pdf")
    @has_access
    def pdf(self, pk):
        session = self.appbuilder.session
        application = limit_to_scope(session.query(Application), Application).filter(Application.id == pk).first()
        if application is None or application.permit is None or application.permit.handed_over_at is None:
            abort(404)
        audit.record("download", application.permit, {"document": "handover_receipt"})
        return Response(handover_receipt_pdf(application), mimetype="application/pdf", headers={
            "Content-Disposition": f'inline; filename="tanda-terima-{application.registration_number}.pdf"'})
