"""A permit after issue: its page (validity, status, QR code, history), revocation and correction, the
expiry filter of the permit list, FO's and BO's reminders, and the public authenticity check (/cek/)."""

from __future__ import annotations

import datetime as dt

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi, expose as expose_api, protect
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext, lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import false
from wtforms import ValidationError

from app.models import NotificationTemplate, OutboxMessage, Permit
from app.notify.links import check_link
from app.notify.outbox import mask_recipient
from app.notify.templates import TemplateError, check_placeholders
from app.permits import changes
from app.permits.check import TamperedCode, UnknownCode, permit_for_code, qr_svg
from app.permits.reminders import WINDOWS, due_reminders, expiring_within
from app.permits.validity import (
    VALID_WHILE_OPERATING, ValidityError, check_validity, office_today, status_on, validity_text,
)
from app.security.networks import public_lookup_limit
from app.security.permissions import CAN_EDIT, CAN_READ, Resource
from app.security.scope import limit_to_scope, may_see_identity
from app.views.base import GuardedView, appbuilder, csrf_for_browser_session, request_sector_scope
from app.views.catalogue import READ_ONLY
from app.views.labels import LABELS
from app.views.formatting import office_time
from app.views.workflow import CsrfOnly

MAX_WINDOW_DAYS = 3660
# The shared labels, and those of the permit's life after issue and of the outbox.
LABELS = {
    **LABELS,
    "revoked_at": _l("Revoked at"),
    "page_link": _l("Open"),
    "event": _l("Event"),
    "subject": _l("Subject"),
    "body": _l("Text"),
    "recipient": _l("Recipient"),
    "state": _l("State"),
    "attempts": _l("Attempts"),
    "next_attempt_at": _l("Next attempt at"),
    "sent_at": _l("Sent at"),
}


# --- the permit list and its API: validity checked, expiry filter --------------------------------------
class ExpiresWithinDays(BaseFilter):
    name = _l("Expires within (days)")
    arg_name = "expires_within"

    def apply(self, query, value):
        try:
            days = int(value)
        except (TypeError, ValueError):
            return query.filter(false())
        return expiring_within(query, max(0, min(days, MAX_WINDOW_DAYS)), office_today())


class NotBeforeIssue:
    """The form's check of the expiry date against the issue date typed beside it."""

    def __call__(self, form, field):
        try:
            check_validity(form.issued_on.data, field.data)
        except ValidityError as error:
            raise ValidationError(str(error)) from error


class ChecksValidity:
    """A permit saved by a form or the API: its expiry date may not precede its issue date."""

    def pre_add(self, item):
        check_validity(item.issued_on, item.valid_until)
        super().pre_add(item)  # type: ignore[misc]  # a mixin

    def pre_update(self, item):
        check_validity(item.issued_on, item.valid_until)
        super().pre_update(item)  # type: ignore[misc]  # a mixin



class ExpiryFilter:
    """Adds "expires within (days)" to the list's valid_until filters, and 30/60/90-day links above the list."""

    list_template = "sigap/permit_list.html"

    def _init_properties(self):  # a mixin on a ModelView: FAB's attributes are there at run time
        super()._init_properties()  # type: ignore[misc]
        expiry = ExpiresWithinDays("valid_until", self.datamodel)  # type: ignore[attr-defined]
        # FAB looks a request's filter up by its index among all of the column's filters, and offers the search's.
        all_filters = self._filters  # type: ignore[attr-defined]
        for filters in (all_filters.get_search_filters(), all_filters._all_filters):
            filters.setdefault("valid_until", []).append(expiry)
        index = len(all_filters._all_filters["valid_until"]) - 1
        self.extra_args = {**(getattr(self, "extra_args", None) or {}),
                           "expiry_links": [(days, f"?_flt_{index}_valid_until={days}") for days in WINDOWS]}


def _date(value) -> str:
    return f"{value:%d-%m-%Y}" if value else "-"


PERMIT_FORMATTERS = {
    "issued_on": _date,
    "valid_until": lambda until: _date(until) if until else str(VALID_WHILE_OPERATING),
    "revoked_at": office_time,
    "handed_over_at": office_time,
}


def permit_link(permit) -> Markup:
    return Markup('<a class="btn btn-xs btn-default" href="{}">{}</a>').format(
        url_for("PermitPageView.page", pk=permit.id), gettext("Permit page"))


# --- a permit's page, its QR code, its revocation and correction --------------------------------------
class PermitPageView(BaseView):
    route_base = "/permit"
    class_permission_name = Resource.PERMIT
    method_permission_name = {"page": "read", "qr": "read"}

    def _permit(self, pk) -> Permit:
        query = limit_to_scope(self.appbuilder.session.query(Permit), Permit, "application")
        return query.filter(Permit.id == pk).first() or abort(404)

    @expose("/<int:pk>")
    @has_access
    def page(self, pk):
        permit = self._permit(pk)
        may_decide = self.appbuilder.sm.has_access(CAN_EDIT, Resource.PERMIT_DECISION)
        return self.render_template(
            "sigap/permit.html", permit=permit, status=status_on(permit, office_today()),
            validity=validity_text(permit), check_url=check_link(permit), may_decide=may_decide,
            csrf=CsrfOnly(), correctable=changes.CORRECTABLE)

    @expose("/<int:pk>/qr.svg")
    @has_access
    def qr(self, pk):
        """The QR code of the public check, to print on the permit (?download=1 saves it)."""
        permit = self._permit(pk)
        headers = {}
        if request.args.get("download"):
            headers["Content-Disposition"] = f'attachment; filename="qr-{_safe(str(permit.number))}.svg"'
        return Response(qr_svg(check_link(permit)), mimetype="image/svg+xml", headers=headers)


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)


class PermitDecisionView(BaseView):
    """Revocation and correction: a decision under a decree, for the roles that hold PermitDecision."""

    route_base = "/permit-decision"
    class_permission_name = Resource.PERMIT_DECISION
    method_permission_name = {"revoke": "edit", "correct": "edit"}

    def _decide(self, pk, decide):
        session = self.appbuilder.session
        permit = limit_to_scope(session.query(Permit), Permit, "application").filter(Permit.id == pk).first()
        if permit is None:
            abort(404)
        if not CsrfOnly().validate_on_submit():
            flash(gettext("The page has expired. Reload it and try again."), "danger")
            return redirect(url_for("PermitPageView.page", pk=pk))
        try:
            decide(permit, self.appbuilder.sm.current_user, request.form)
        except ValidityError as error:
            session.rollback()
            flash(str(error), "danger")
        else:
            session.commit()
            flash(gettext("Recorded in the permit's history."), "success")
        return redirect(url_for("PermitPageView.page", pk=pk))

    @expose("/<int:pk>/revoke", methods=["POST"])
    @has_access
    def revoke(self, pk):
        return self._decide(pk, lambda permit, user, form: changes.revoke(
            permit, user, form.get("reason"), form.get("decree_number")))

    @expose("/<int:pk>/correct", methods=["POST"])
    @has_access
    def correct(self, pk):
        return self._decide(pk, lambda permit, user, form: changes.correct(
            permit, user, form.get("reason"), form.get("decree_number"), _corrected_values(form)))


def _corrected_values(form) -> dict:
    """The fields typed into the correction form (an emptied expiry date: valid while the business operates)."""
    values = {}
    for key in ("number", "permit_type"):
        if form.get(key, "").strip():
            values[key] = form[key].strip()
    if form.get("issued_on", "").strip():
        values["issued_on"] = _parse_date("issued_on", form["issued_on"])
    if "valid_until" in form:
        values["valid_until"] = _parse_date("valid_until", form["valid_until"])
    return values


def _parse_date(field: str, typed: str) -> dt.date | None:
    if not typed.strip():
        return None
    try:
        return dt.date.fromisoformat(typed.strip())
    except ValueError as error:
        raise ValidityError(field, gettext("Not a valid date.")) from error


class PermitDecisionApi(BaseApi):
    """Revocation and correction over the API, under the same permission (PermitDecision) and scope as the page."""

    resource_name = "permit_decision"
    class_permission_name = Resource.PERMIT_DECISION
    method_permission_name = {"revoke": "edit", "correct": "edit"}
    allow_browser_login = True

    def create_blueprint(self, appbuilder, *args, **kwargs):
        blueprint = super().create_blueprint(appbuilder, *args, **kwargs)
        blueprint.before_request(csrf_for_browser_session)
        return blueprint

    def _decide(self, pk, decide):
        session = self.appbuilder.session
        permit = limit_to_scope(session.query(Permit), Permit, "application").filter(Permit.id == pk).first()
        if permit is None:
            return self.response_404()
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return self.response_400(message=gettext("Send the decision as a JSON object."))
        try:
            event = decide(permit, self.appbuilder.sm.current_user, body)
        except ValidityError as error:
            session.rollback()
            return self.response_422(message={error.field: [str(error)]})
        session.commit()
        return self.response(200, id=event.id, action=event.action.name, changes=event.changes,
                             status=status_on(permit, office_today()).name)

    @expose_api("/<int:pk>/revoke", methods=["POST"])
    @protect()
    def revoke(self, pk):
        """Revoke an issued permit (pencabutan).
        ---
        post:
          parameters:
          - in: path
            schema:
              type: integer
            name: pk
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    reason: {type: string}
                    decree_number: {type: string}
                  required: [reason, decree_number]
          responses:
            200:
              description: Recorded in the permit's history
            400:
              $ref: '#/components/responses/400'
            404:
              $ref: '#/components/responses/404'
            422:
              description: Missing reason or decree number, or already revoked, by field
        """
        return self._decide(pk, lambda permit, user, body: changes.revoke(
            permit, user, _text(body, "reason"), _text(body, "decree_number")))

    @expose_api("/<int:pk>/correct", methods=["POST"])
    @protect()
    def correct(self, pk):
        """Correct an issued permit's number, type or dates; valid_until null: valid while the business operates.
        ---
        post:
          parameters:
          - in: path
            schema:
              type: integer
            name: pk
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    reason: {type: string}
                    decree_number: {type: string}
                    number: {type: string}
                    permit_type: {type: string}
                    issued_on: {type: string, format: date}
                    valid_until: {type: string, format: date, nullable: true}
                  required: [reason, decree_number]
          responses:
            200:
              description: Recorded in the permit's history, with what changed
            400:
              $ref: '#/components/responses/400'
            404:
              $ref: '#/components/responses/404'
            422:
              description: Invalid or missing values, by field
        """
        return self._decide(pk, lambda permit, user, body: changes.correct(
            permit, user, _text(body, "reason"), _text(body, "decree_number"), _api_values(body)))


def _text(body: dict, key: str) -> str:
    value = body.get(key)
    return value if isinstance(value, str) else ""


def _api_values(body: dict) -> dict:
    values: dict[str, object] = {key: _text(body, key).strip() for key in ("number", "permit_type") if key in body}
    for key in ("issued_on", "valid_until"):
        if key in body:
            typed = body[key]
            if typed is not None and not isinstance(typed, str):
                raise ValidityError(key, gettext("Not a valid date."))
            values[key] = _parse_date(key, typed or "")
    return values


# --- "Tugas saya": permits nearing expiry, for the roles that follow them up ---------------------------
def permit_reminders():
    """The current user's reminders (none for roles without PermitReminder)."""
    if not appbuilder().sm.has_access(CAN_READ, Resource.PERMIT_REMINDER):
        return []
    return due_reminders(appbuilder().session, office_today(), request_sector_scope())


def register_globals(flask_app) -> None:
    flask_app.add_template_global(permit_reminders)


# --- the public authenticity check ----------------------------------------------------------------
class PublicCheckView(BaseView):
    """Anyone holding the printed permit: is it genuine, and is it still in force? Nothing personal."""

    route_base = "/cek"

    @expose("/<path:code>")
    @public_lookup_limit("GET")
    def check(self, code):
        try:
            permit = permit_for_code(self.appbuilder.session, code, current_app.config["SECRET_KEY"])
        except TamperedCode:
            return self.render_template("sigap/cek.html", found=None, tampered=True), 404
        except UnknownCode:
            return self.render_template("sigap/cek.html", found=None, tampered=False), 404
        return self.render_template("sigap/cek.html", found=public_facts(permit), tampered=False)


def public_facts(permit) -> dict:
    """Exactly what the public page tells: number, type, the holder's business, issue date, status."""
    business = permit.application.business
    return {
        "number": permit.number,
        "permit_type": permit.permit_type,
        "business": business.name if business else "-",
        "issued_on": _date(permit.issued_on),
        "status": status_on(permit, office_today()),
    }


# --- notifications: the Admin's texts and the outbox -------------------------------------------------
class NotificationTemplateView(GuardedView):
    route_base = "/notification-templates"
    record_name = _l("Message text")
    datamodel = SQLAInterface(NotificationTemplate)
    class_permission_name = Resource.NOTIFICATION_TEMPLATE
    base_permissions = {"can_read", "can_edit"}
    label_columns = LABELS
    list_columns = ["event", "subject"]
    show_columns = ["event", "subject", "body"]
    edit_columns = ["subject", "body"]
    description_columns = {"body": _l("Values in braces are filled in when the message is queued; a value the "
                                      "event does not offer is refused, with the list of those it does.")}

    def pre_update(self, item):
        try:
            check_placeholders(item.event, item.subject, item.body)
        except TemplateError as error:
            raise ValueError(str(error)) from error


class OutboxView(GuardedView):
    """Messages to applicants and what became of them; the recipient is personal data, masked without Identity."""

    route_base = "/outbox"
    record_name = _l("Message to an applicant")
    datamodel = SQLAInterface(OutboxMessage)
    class_permission_name = Resource.OUTBOX
    base_permissions = READ_ONLY
    label_columns = LABELS
    list_columns = ["created_at", "application", "event", "channel", "recipient", "state", "attempts",
                    "next_attempt_at", "reason"]
    show_columns = [*list_columns, "sent_at", "subject", "body"]
    # Not the recipient: a filter on it would tell a masked viewer whose address it is.
    search_columns = ["application", "event", "channel", "state", "created_at"]
    order_columns = ["created_at", "event", "channel", "state", "attempts", "next_attempt_at"]
    base_order = ("created_at", "desc")
    formatters_columns = {
        "recipient": lambda address: address if may_see_identity() else mask_recipient(address),
        "created_at": office_time, "next_attempt_at": office_time,
        "sent_at": office_time, "reason": lambda reason: reason or "-",
    }
