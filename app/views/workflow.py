"""The screens of the workflow: the inbox, a step's form (the verification screen for Kasi/Kabid),
the application page with its timeline, and the SLA breaches."""

import datetime as dt

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext, lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from marshmallow import fields
from sqlalchemy import func

from app.archive import intake
from app.archive.crosscheck import crosscheck
from app.errors import UserError
from app.models import Application, ArchiveClassification, DocumentType, SopStep, StepHistory
from app.identity.documents import may_open_file
from app.security.permissions import Resource
from app.security.scope import current_user, limit_to_scope, may_see_identity
from app.views.base import appbuilder, request_sector_scope
from app.views.formatting import register_filters as register_formatting_filters
from app.views.people import shown_identity
from app.workflow.calendar import to_utc
from app.workflow.context import context_of
from app.workflow.engine import complete_step
from app.workflow.step_data import DOCUMENTS, OUTCOME_LABELS, schema_for
from app.workflow.inbox import task_page
from app.workflow.labels import label_at
from app.workflow.timeline import due, timeline


# The steps whose form is a verification of the record against its scans.
VERIFICATION_FORMS = ("kasi_verification", "verification")
SCAN_CHECK_LABELS = {"nik": _l("NIK"), "npwp": _l("NPWP"), "nib": _l("NIB"), "permit_number": _l("Permit number")}


class CsrfOnly(FlaskForm):
    """The custom forms' protection against cross-site posts (their fields are checked by the step's schema)."""


def outcome(name) -> str:
    """A step's outcome as the screens name it (the flow's names are codes)."""
    return str(OUTCOME_LABELS.get(name, name or ""))


def register_filters(flask_app) -> None:
    register_formatting_filters(flask_app)
    flask_app.add_template_filter(outcome)
    flask_app.add_template_filter(label_at, "step_label_at")


class WorkflowView(BaseView):
    method_permission_name = {"inbox": "read", "step": "read", "breaches": "read"}

    def _application(self, pk) -> Application:
        session = self.appbuilder.session
        application = limit_to_scope(session.query(Application), Application).filter(Application.id == pk).first()
        return application or abort(404)


class InboxView(WorkflowView):
    route_base = "/tasks"
    class_permission_name = Resource.INBOX
    default_view = "inbox"
    # The oldest tasks first, a page at a time: a long inbox is not drawn whole (issue 9: lists ≤ 300 ms).
    page_size = 50

    @expose("/")
    @has_access
    def inbox(self):
        page = max(request.args.get("page", 1, type=int), 1)
        start = (page - 1) * self.page_size
        total, tasks = task_page(self.appbuilder.session, self.appbuilder.sm.current_user, start,
                                 start + self.page_size)
        pages = max(1, -(-total // self.page_size))
        return self.render_template("sigap/inbox.html", tasks=tasks, total=total, page=page, pages=pages)

    @expose("/<int:pk>", methods=["GET", "POST"])
    @has_access
    def step(self, pk):
        """The current step's form beside the record and its scanned documents."""
        application = self._application(pk)
        context = context_of(application)
        node = context.node
        if context.acting_role(self.appbuilder.sm.current_user) is None:
            flash(gettext("Your role may not complete this step."), "warning")
            return redirect(url_for("ApplicationPageView.page", pk=pk))
        errors: dict[str, list[str]] = {}
        csrf = CsrfOnly()
        if request.method == "POST":
            errors = self._submit(application, node) if csrf.validate_on_submit() else {"": [gettext("Send again.")]}
            if not errors:
                flash(gettext("Step recorded."), "success")
                return redirect(url_for("InboxView.inbox"))
        page = self.render_template("sigap/step.html", application=application, node=node, due=due(application),
                                    fields=form_fields(application, node), errors=errors, csrf=csrf,
                                    typed=request.form, file_rows=FILE_ROWS,
                                    nik_shown=shown_identity(application.applicant.nik),
                                    may_open_file=may_open_file, may_see_identity=may_see_identity(),
                                    checks=self._scan_checks(application, node))
        return page, 422 if errors else 200

    def _scan_checks(self, application, node) -> list[dict]:
        """For Kasi's and Kabid's verifications: each number typed into the record, found in its scan or not."""
        if node.form not in VERIFICATION_FORMS:
            return []
        checks = crosscheck(self.appbuilder.session, application, may_see_identity())
        documents = {document.id: document for document in application.documents}
        return [{**check, "label": SCAN_CHECK_LABELS[check["field"]], "document": documents.get(check["document_id"])}
                for check in checks]

    def _submit(self, application, node) -> dict:
        session = self.appbuilder.session
        try:
            data = self._form_data(application, node)
            complete_step(application, node.step_code, self.appbuilder.sm.current_user, data)
        except UserError as error:  # shown on the form again, beside its field
            session.rollback()  # with it the files chosen on the form: the previous versions stay current
            refusal = error.by_field()
            if not isinstance(refusal, dict):
                return {"": [refusal]}
            # What no field of the form shows (the archive's missing documents) leads the form.
            shown = schema_for(node).fields
            return {(name if name in shown else ""): messages for name, messages in refusal.items()}
        session.commit()
        return {}

    def _form_data(self, application, node) -> dict:
        data: dict = {}
        for name, field in schema_for(node).fields.items():
            if name in DOCUMENTS.get(node.form, {}) and isinstance(field, fields.List):
                data[name] = self._uploads(application, name, DOCUMENTS[node.form][name])
            elif name in DOCUMENTS.get(node.form, {}):
                data[name] = self._upload(application, name, DOCUMENTS[node.form][name])
            elif isinstance(field, fields.List):
                data[name] = request.form.getlist(name)
            elif request.form.get(name):
                typed = request.form[name]
                data[name] = _office_time_as_utc(typed) if isinstance(field, fields.DateTime) else typed
        return {k: v for k, v in data.items() if v is not None}

    def _upload(self, application, name, types):
        upload = request.files.get(name)
        if not upload or not upload.filename:
            return None
        return self._accept(application, name, upload, request.form.get(f"{name}_type") or types[0], types)

    def _uploads(self, application, name, types) -> list:
        """Several files, each beside its own document type (rows of the form, in order; empty rows skipped)."""
        rows = zip(request.files.getlist(name), request.form.getlist(f"{name}_type"))
        return [self._accept(application, name, upload, code, types) for upload, code in rows if upload.filename]

    def _accept(self, application, name, upload, code, types):
        """Files ``upload`` as a document of type ``code``, one of the step's ``types`` (none named: any type)."""
        session = self.appbuilder.session
        if types and code not in types:  # a step files only its own kinds of document
            raise intake.UploadRefused(gettext("The document type %(type)s cannot be uploaded at this step "
                                               "(allowed: %(allowed)s).", type=code, allowed=", ".join(types)), name)
        document_type = session.query(DocumentType).filter_by(code=code).one_or_none()
        if document_type is None:
            raise UserError(gettext("Choose the document type of %(file)s.", file=upload.filename), name)
        document = intake.accept(session, upload.stream, upload.filename, document_type=document_type,
                                 application=application, uploaded_by=self.appbuilder.sm.current_user,
                                 sector_scope=request_sector_scope(), field=name)
        return document.id


def _office_time_as_utc(typed: str) -> str:
    """A time typed on a form is office time; records keep UTC, as the API sends it."""
    try:
        return to_utc(dt.datetime.fromisoformat(typed)).isoformat()
    except ValueError:
        return typed  # the step's schema says what is wrong with it


class BreachesView(WorkflowView):
    """Steps that missed their standard, and how many per step and per role (for Kasi and Kabid)."""

    route_base = "/sla-breaches"
    class_permission_name = Resource.SLA_REPORT
    default_view = "breaches"

    @expose("/")
    @has_access
    def breaches(self):
        session = self.appbuilder.session
        missed = session.query(StepHistory).filter(StepHistory.met_standard.is_(False))
        per_node = (missed.with_entities(StepHistory.node, func.min(StepHistory.step_id), func.count())
                    .group_by(StepHistory.node).order_by(func.count().desc()).all())
        per_step = [(label_at(session.get(SopStep, step_id), node), count) for node, step_id, count in per_node]
        per_role = (missed.with_entities(StepHistory.actor_role, func.count()).group_by(StepHistory.actor_role)
                    .order_by(func.count().desc()).all())
        latest = missed.order_by(StepHistory.finished_at.desc()).limit(100).all()
        return self.render_template("sigap/breaches.html", per_step=per_step, per_role=per_role, latest=latest)


class ApplicationPageView(WorkflowView):
    """An application's page: its timeline (actual against standard), documents, recommendations, permit."""

    route_base = "/application"
    class_permission_name = Resource.APPLICATION
    method_permission_name = {"page": "read"}

    @expose("/<int:pk>")
    @has_access
    def page(self, pk):
        application = self._application(pk)
        documents = [d for d in application.documents if d.is_current]
        may_act = context_of(application).acting_role(self.appbuilder.sm.current_user) is not None
        return self.render_template("sigap/application.html", application=application, documents=documents,
                                    timeline=timeline(application), may_act=may_act)


def application_links(application) -> Markup:
    """One click from a list or record to the application's page, and to its step form when the user may act."""
    links = [(url_for("ApplicationPageView.page", pk=application.id), gettext("Timeline"), "btn-default")]
    if context_of(application).acting_role(current_user()):
        links.append((url_for("InboxView.step", pk=application.id), gettext("Complete step"), "btn-primary"))
    return Markup(" ").join(Markup('<a class="btn btn-xs {}" href="{}">{}</a>').format(css, url, label)
                            for url, label, css in links)


# The decision and its reason lead the form; the free note closes it.
FIELD_ORDER = {"outcome": 0, "reason": 1, "note": 3}


def form_fields(application, node) -> list[dict]:
    """The step form's fields, described for the template (from the same schema the API checks)."""
    described = []
    for name, field in sorted(schema_for(node).fields.items(), key=lambda item: FIELD_ORDER.get(item[0], 2)):
        meta = field.metadata
        kind = _kind(name, field, node)
        described.append({"name": name, "label": meta.get("label", name), "kind": kind,
                          "required": field.required, "choices": _choices(application, name, meta),
                          "default": _default(application, name)})
    return described


# How many files the step form's several-files control offers at once.
FILE_ROWS = 5


def _kind(name, field, node) -> str:
    if name in DOCUMENTS.get(node.form, {}):
        return "files" if isinstance(field, fields.List) else "file"
    if field.metadata.get("checklist"):
        return "checklist"
    if field.metadata.get("choices"):
        return "select"
    return {fields.DateTime: "datetime-local", fields.Date: "date"}.get(type(field), "text")


def _choices(application, name, meta) -> list[tuple[str, str]]:
    if name == "received":
        return [(r.description, r.description) for r in application.service.requirements]
    if name == "checked":
        return [(str(r.id), r.description + (" *" if r.mandatory else "")) for r in application.service.requirements]
    if name == "documents":
        return [(str(t.code), str(t.name)) for t in _catalogue(DocumentType)]
    if name == "classification":
        return [(str(c.code), classification_choice(c)) for c in _catalogue(ArchiveClassification)]
    choices = meta.get("choices") or []
    return [(getattr(c, "name", c), str(getattr(c, "value", OUTCOME_LABELS.get(c, c)))) for c in choices]


def _catalogue(model) -> list:
    return appbuilder().session.query(model).order_by(model.code).all()


def classification_choice(classification) -> str:
    """A classification with the retention and disposition it sets, as the archivist chooses it."""
    return gettext("%(code)s %(name)s (active %(active)s years, inactive %(inactive)s years, %(disposition)s)",
                   code=classification.code, name=classification.name, active=classification.active_years,
                   inactive=classification.inactive_years, disposition=classification.disposition)


def _default(application, name) -> str:
    """What a field starts with: the archive classification of the service's catalogue entry."""
    classification = application.service.archive_classification
    return classification.code if name == "classification" and classification else ""

