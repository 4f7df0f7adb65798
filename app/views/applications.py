"""Applications and their record: steps, verifications, surveys, recommendations, permits."""

from flask import abort, redirect, request, url_for
from flask_appbuilder import expose as expose_page, has_access
from flask_appbuilder.api import expose, protect
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext, lazy_gettext as _l

from app.identity.forms import ValidNib
from app.identity.schema import validate_nib
from app.models import Application, Permit, Recommendation, StepHistory, SurveySchedule, Verification
from app.security.permissions import METHOD_PERMISSIONS, Resource
from app.security.scope import limit_to_scope
from app.views.base import EagerInterface, GuardedApi, GuardedView, WithComputedColumns, sector_scope
from app.views.catalogue import READ_ONLY
from app.views.formatting import registration_link, working_time
from app.views.labels import LABELS
from app.views.permits import (
    LABELS as PERMIT_LABELS, PERMIT_FORMATTERS, ChecksValidity, ExpiresWithinDays, ExpiryFilter, NotBeforeIssue,
    permit_link,
)
from app.views.searches import related_search
from app.views.workflow import application_links
from app.workflow.context import context_of
from app.workflow.engine import complete_step
from app.workflow.registration import prepare_new_application
from app.workflow.timeline import history_row, timeline as application_timeline

APPLICATION_LIST = [
    "registration_number", "applicant", "service", "channel", "risk_level", "current_step", "status",
    "problem_flag",
]
APPLICATION_ADD = ["applicant", "business", "service", "risk_level", "nib", "problem_flag", "problem_note"]
APPLICATION_EDIT = ["business", "risk_level", "nib", "problem_flag", "problem_note"]
# What a clerk types to find a record in the daily lists, through its application.
SEARCHES_VIA_APPLICATION = {
    "registration_number": related_search(("application",), "registration_number"),
    "applicant_name": related_search(("application", "applicant"), "name"),
    "applicant_nik": related_search(("application", "applicant"), "nik", exact_digits=True),
    "service": related_search(("application", "service"), "name"),
}


class PreparesApplication:
    def pre_add(self, item):
        prepare_new_application(self.datamodel.session, item)  # type: ignore[attr-defined]  # a mixin
        super().pre_add(item)  # type: ignore[misc]


class StepHistoryView(GuardedView):
    route_base = "/step-history"
    record_name = _l("Step history")
    datamodel = EagerInterface(StepHistory, eager=("application", "step", "user"))
    class_permission_name = Resource.STEP_HISTORY
    base_permissions = READ_ONLY
    base_filters = sector_scope("application")
    label_columns = LABELS
    list_columns = [
        "application", "step", "actor_role", "user", "started_at", "finished_at", "working_minutes",
        "standard_minutes", "met_standard",
    ]
    show_columns = [*list_columns, "sop_revision", "outcome", "note"]
    formatters_columns = {"working_minutes": working_time, "standard_minutes": working_time}
    search_columns = [*SEARCHES_VIA_APPLICATION, "actor_role", "met_standard", "finished_at"]
    related_searches = SEARCHES_VIA_APPLICATION


# Verifications, surveys and recommendations are written by their step alone (/tasks/<id>, step_effects.py):
# generic CRUD would record a decision with no decider, letter or BAP while the step is still open.
class VerificationView(GuardedView):
    route_base = "/verifications"
    record_name = _l("Verification")
    datamodel = EagerInterface(Verification, eager=("application", "step", "verified_by"))
    class_permission_name = Resource.VERIFICATION
    base_permissions = READ_ONLY
    base_filters = sector_scope("application")
    label_columns = LABELS
    list_columns = ["application", "step", "result", "reason", "verified_by", "verified_at"]
    show_columns = list_columns
    search_columns = [*SEARCHES_VIA_APPLICATION, "step", "result", "verified_at"]
    related_searches = SEARCHES_VIA_APPLICATION


class SurveyView(GuardedView):
    route_base = "/surveys"
    record_name = _l("Survey and BAP")
    datamodel = EagerInterface(SurveySchedule, eager=("application", "bap_document"))
    class_permission_name = Resource.SURVEY
    base_permissions = READ_ONLY
    base_filters = sector_scope("application")
    label_columns = LABELS
    list_columns = ["application", "scheduled_at", "location", "team", "bap_document"]
    show_columns = [*list_columns, "bap_summary", "created_at"]
    search_columns = [*SEARCHES_VIA_APPLICATION, "scheduled_at", "location", "team"]
    related_searches = SEARCHES_VIA_APPLICATION


class RecommendationView(GuardedView):
    route_base = "/recommendations"
    record_name = _l("Recommendation")
    datamodel = EagerInterface(Recommendation, eager=("application", "sector"))
    class_permission_name = Resource.RECOMMENDATION
    base_permissions = READ_ONLY
    base_filters = sector_scope()
    label_columns = LABELS
    list_columns = ["application", "sector", "request_letter_number", "requested_at", "decision", "decided_at"]
    show_columns = [*list_columns, "reason", "document", "decided_by"]
    search_columns = [*SEARCHES_VIA_APPLICATION, "sector", "request_letter_number", "requested_at", "decision"]
    related_searches = SEARCHES_VIA_APPLICATION


class PermitView(ExpiryFilter, ChecksValidity, GuardedView):
    route_base = "/permits"
    record_name = _l("Permit")
    # The link to the permit's page (validity, status, QR code, history), computed by the screen.
    datamodel = WithComputedColumns(Permit, {"page_link": permit_link}, eager=("application",))
    class_permission_name = Resource.PERMIT
    base_filters = sector_scope("application")
    label_columns = PERMIT_LABELS
    list_columns = ["number", "permit_type", "application", "issued_on", "valid_until", "revoked_at",
                    "handed_over_at", "page_link"]
    show_columns = [*list_columns, "handed_over_to", "forwarded_to_supervision_at", "document"]
    add_columns = [
        "application", "number", "permit_type", "issued_on", "valid_until", "handed_over_at",
        "handed_over_to", "forwarded_to_supervision_at",
    ]
    # Number, type and validity of an issued permit change only by a correction, with its reason and decree.
    edit_columns = ["handed_over_at", "handed_over_to", "forwarded_to_supervision_at"]
    search_columns = ["number", *SEARCHES_VIA_APPLICATION, "permit_type", "issued_on", "valid_until"]
    related_searches = SEARCHES_VIA_APPLICATION
    formatters_columns = PERMIT_FORMATTERS
    validators_columns = {"valid_until": [NotBeforeIssue()]}


class ApplicationView(PreparesApplication, GuardedView):
    route_base = "/applications"
    record_name = _l("Application")
    datamodel = WithComputedColumns(Application, {"links": application_links},
                                    eager=("applicant", "service", "current_step"))
    class_permission_name = Resource.APPLICATION
    base_filters = sector_scope()
    label_columns = LABELS
    related_views = [StepHistoryView, VerificationView, SurveyView, RecommendationView, PermitView]
    list_columns = [*APPLICATION_LIST, "links"]
    show_columns = ["links", *APPLICATION_LIST, "business", "nib", "sector", "sop", "problem_note", "created_at"]
    order_columns = ["registration_number", "channel", "risk_level", "status", "problem_flag", "created_at"]
    add_columns = APPLICATION_ADD
    edit_columns = APPLICATION_EDIT
    search_columns = ["registration_number", "applicant_name", "applicant_nik", "service", "channel", "risk_level",
                      "status", "problem_flag", "created_at"]
    related_searches = {
        "applicant_name": related_search(("applicant",), "name"),
        "applicant_nik": related_search(("applicant",), "nik", exact_digits=True),
    }
    formatters_columns = {"registration_number": registration_link}
    method_permission_name = {**METHOD_PERMISSIONS, "page_of": "read"}
    validators_columns = {"nib": [ValidNib()]}
    base_order = ("created_at", "desc")

    @expose_page("/page/<path:number>")
    @has_access
    def page_of(self, number):
        """The application's own page, from its registration number (the lists link here)."""
        query = limit_to_scope(self.datamodel.session.query(Application), Application)
        application = query.filter_by(registration_number=number).first() or abort(404)
        return redirect(url_for("ApplicationPageView.page", pk=application.id))


class ApplicationApi(PreparesApplication, GuardedApi):
    resource_name = "application"
    datamodel = SQLAInterface(Application)
    class_permission_name = Resource.APPLICATION
    base_filters = sector_scope()
    label_columns = LABELS
    list_columns = [
        "id", "registration_number", "applicant.name", "service.code", "service.name", "channel",
        "risk_level", "current_step.code", "status", "problem_flag", "sector.code", "created_at",
    ]
    show_columns = [*list_columns, "business.name", "nib", "sop.code", "sop.revision", "problem_note"]
    add_columns = APPLICATION_ADD
    edit_columns = APPLICATION_EDIT
    search_columns = ["registration_number", "channel", "risk_level", "status", "problem_flag"]
    validators_columns = {"nib": validate_nib}
    order_columns = ["registration_number", "created_at"]

    @expose("/<int:pk>/step", methods=["POST"])
    @protect()
    def step(self, pk):
        """Complete the application's current step.
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
                    step:
                      type: string
                      description: the step code (GET /api/v1/sop/), then the step's own data
                  required: [step]
          responses:
            200:
              description: The step is recorded; the application's new state
            403:
              description: The caller's role or sector may not complete this step
            404:
              $ref: '#/components/responses/404'
            409:
              description: Not the application's current step
            422:
              description: Invalid step data, by field
        """
        # Unscoped lookup: another sector's team is told 403 (its sector may not), like any wrong role.
        application = self.datamodel.get(pk)
        if application is None:
            return self.response_404()
        body = dict(request.get_json(silent=True) or {})
        step_code = body.pop("step", None)
        if not step_code:
            return self.response_422(message={"step": [gettext("Missing data for required field.")]})
        history = complete_step(application, step_code, self.appbuilder.sm.current_user, body)
        self.datamodel.session.commit()
        return self.response(200, step=history_row(history, context_of(application)), application=application_timeline(application))

    @expose("/<int:pk>/timeline", methods=["GET"])
    @protect()
    def timeline(self, pk):
        """The application's steps with standard and actual working minutes and SLA flags.
        ---
        get:
          parameters:
          - in: path
            schema:
              type: integer
            name: pk
          responses:
            200:
              description: The timeline
            404:
              $ref: '#/components/responses/404'
        """
        application = self.datamodel.get(pk, self._base_filters)
        if application is None:
            return self.response_404()
        return self.response(200, **application_timeline(application))


class ApplicationPartApi(GuardedApi):
    """A REST resource for one part of an application's record, scoped like the application."""

    base_filters = sector_scope("application")
    label_columns = LABELS


class StepHistoryApi(ApplicationPartApi):
    resource_name = "step_history"
    datamodel = SQLAInterface(StepHistory)
    class_permission_name = Resource.STEP_HISTORY
    base_permissions = READ_ONLY
    list_columns = show_columns = [
        "id", "application.registration_number", "step.code", "actor_role", "started_at", "finished_at",
        "working_minutes", "standard_minutes", "met_standard", "sop_revision", "outcome", "note",
    ]
    add_columns: list[str] = []
    edit_columns: list[str] = []


class VerificationApi(ApplicationPartApi):
    resource_name = "verification"
    datamodel = SQLAInterface(Verification)
    class_permission_name = Resource.VERIFICATION
    base_permissions = READ_ONLY
    list_columns = show_columns = [
        "id", "application.registration_number", "step.code", "result", "reason", "verified_at",
    ]


class SurveyApi(ApplicationPartApi):
    resource_name = "survey"
    datamodel = SQLAInterface(SurveySchedule)
    class_permission_name = Resource.SURVEY
    base_permissions = READ_ONLY
    list_columns = show_columns = [
        "id", "application.registration_number", "scheduled_at", "location", "team", "bap_summary",
    ]


class RecommendationApi(ApplicationPartApi):
    resource_name = "recommendation"
    datamodel = SQLAInterface(Recommendation)
    class_permission_name = Resource.RECOMMENDATION
    base_permissions = READ_ONLY
    base_filters = sector_scope()
    list_columns = show_columns = [
        "id", "application.registration_number", "sector.code", "request_letter_number", "requested_at",
        "decision", "reason", "decided_at",
    ]


class PermitApi(ChecksValidity, ApplicationPartApi):
    resource_name = "permit"
    # The link to the permit's page (validity, status, QR code, history), computed by the screen.
    datamodel = WithComputedColumns(Permit, {"page_link": permit_link})
    class_permission_name = Resource.PERMIT
    label_columns = PERMIT_LABELS
    list_columns = show_columns = [
        "id", "application.registration_number", "number", "permit_type", "issued_on", "valid_until",
        "revoked_at", "handed_over_at", "handed_over_to", "forwarded_to_supervision_at",
    ]
    add_columns = PermitView.add_columns
    edit_columns = PermitView.edit_columns
    search_columns = ["number", "permit_type", "issued_on", "valid_until"]
    search_filters = {"valid_until": [ExpiresWithinDays]}
