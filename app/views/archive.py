"""The archive's screens and endpoints: search, multi-file upload, retry, and the identity cross-check."""

import datetime as dt
from dataclasses import asdict
from urllib.parse import urlencode

from flask import current_app, flash, redirect, request, url_for
from flask_appbuilder import BaseView, ModelRestApi, expose
from flask_appbuilder.actions import action
from flask_appbuilder.api import protect, safe
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext, lazy_gettext as _l
from flask_wtf.csrf import generate_csrf
from sqlalchemy import false, or_
from whoosh import index as whoosh_index

from app.archive.crosscheck import crosscheck
from app.archive.search import FILTER_FIELDS, SearchRequest
from app.archive.tasks import get_archive, retry
from app.errors import BadInput, UserError
from app.models import Application, ArchiveRecord, DocumentType, ExtractionState, Sector, Service
from app.permits.validity import office_today
from app.workflow.calendar import to_utc
from app.security.permissions import METHOD_PERMISSIONS, Resource
from app.security.scope import limit_to_scope, may_see_identity, may_see_sector
from app.views.base import GuardedView, appbuilder, request_sector_scope, sector_scope
from app.views.catalogue import READ_ONLY
from app.views.formatting import application_link
from app.views.labels import LABELS
from app.views.searches import related_search

MAX_PAGE_SIZE = 100


def search_request(args) -> SearchRequest:
    """The query string of the search page and API, under the current user's permissions."""
    return SearchRequest(
        text=args.get("q", ""),
        filters={name: args.get(name) for name in FILTER_FIELDS},
        uploaded_from=_office_day_bound(args, "date_from", dt.time.min),
        uploaded_until=_office_day_bound(args, "date_to", dt.time.max),
        page=max(1, args.get("page", 1, type=int)),
        page_size=min(MAX_PAGE_SIZE, max(1, args.get("page_size", 20, type=int))),
        sector_scope=request_sector_scope(),
        may_see_identity=may_see_identity(),
    )


def _office_day_bound(args, name: str, moment: dt.time):
    """The day typed as `name` (an office day, WIB) as the stored (UTC) time it starts or ends at."""
    value = args.get(name)
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise BadInput(gettext("%(value)s is not a date: write it as YYYY-MM-DD.", value=value[:20]), name)
    return to_utc(dt.datetime.combine(day, moment))


class SearchUnavailable(UserError):
    status = 503

    def __init__(self):
        super().__init__(gettext("The search index cannot be read at the moment. Please try again later or "
                                 "contact the administrator."))


def run_search(args):
    """The page of hits. Whoosh reads any query (an unbalanced quote or bracket is taken literally), so
    a failure here is the index itself: told as such, not as a typing mistake."""
    try:
        return get_archive().searcher().search(search_request(args))
    except (OSError, whoosh_index.IndexError) as error:
        current_app.logger.exception("The search index cannot be read")
        raise SearchUnavailable() from error


class ArchiveScreen(BaseView):
    """A screen of the archive, under the Document permissions."""

    class_permission_name = Resource.DOCUMENT
    method_permission_name = METHOD_PERMISSIONS

    @staticmethod
    def ordered(model, scope_column: str | None = None) -> list:
        """Rows by name; with `scope_column`, only those of the user's sector (a technical team is not
        offered filters that can only ever find nothing)."""
        query = appbuilder().session.query(model)
        if scope_column:
            query = limit_to_scope(query, model, scope_column)
        return query.order_by(model.name).all()


class ArchiveSearchView(ArchiveScreen):
    route_base = "/archive/search"
    default_view = "search"

    @expose("/")
    @has_access
    def search(self):
        page, error = None, None
        if request.args.get("q") is not None:
            try:
                page = run_search(request.args)
            except UserError as refused:  # a date that cannot be read, or the index unavailable
                error = str(refused)
        return self.render_template(
            "sigap/archive_search.html", page=page, error=error, args=request.args,
            document_types=self.ordered(DocumentType), services=self.ordered(Service, "sector_id"),
            sectors=self.ordered(Sector, "id"), states=list(ExtractionState), query_string=_query_string,
        )


def _query_string(args, page: int) -> str:
    return urlencode({**args.to_dict(), "page": page})


class ArchiveUploadView(ArchiveScreen):
    """Many files at once, dropped or chosen, each sent to the API with its own progress bar."""

    route_base = "/archive/upload"
    default_view = "upload"

    @expose("/")
    @has_access
    def upload(self):
        session = appbuilder().session
        applications = limit_to_scope(session.query(Application), Application).order_by(
            Application.created_at.desc()).limit(200).all()
        return self.render_template(
            "sigap/archive_upload.html", applications=applications,
            document_types=self.ordered(DocumentType), max_upload_mb=current_app.config["MAX_UPLOAD_MB"],
            # FAB protects forms one by one (no global CSRFProtect), so no csrf_token() in templates.
            csrf=generate_csrf(),
        )


class RetryAction:
    """The Document screen's action: queue failed extractions again."""

    @action("retry", _l("Retry extraction"), icon="fa-refresh", multiple=True, single=True)
    def retry(self, documents):
        documents = [d for d in (documents if isinstance(documents, list) else [documents])
                     if d is not None and may_see_sector(d.sector_id)]
        session = appbuilder().session
        for document in documents:
            retry(session, document)
        flash(gettext("%(count)s document(s) queued for extraction again.", count=len(documents)), "info")
        return redirect(request.referrer or url_for(f"{type(self).__name__}.list"))


class ArchiveApi(ModelRestApi):
    """Endpoints of DocumentApi for the archive (mixed in, so they share its permissions and scope)."""

    @expose("/search", methods=["GET"])
    @protect()
    def search(self):
        """Search the archive (Whoosh syntax), under the caller's permissions.
        ---
        get:
          parameters:
          - {in: query, name: q, schema: {type: string}, description: 'words, "phrases", AND/OR/NOT, prefix*'}
          - {in: query, name: document_type, schema: {type: string}}
          - {in: query, name: service, schema: {type: string}}
          - {in: query, name: sector, schema: {type: string}}
          - {in: query, name: state, schema: {type: string}}
          - {in: query, name: date_from, schema: {type: string, format: date}}
          - {in: query, name: date_to, schema: {type: string, format: date}}
          - {in: query, name: page, schema: {type: integer, minimum: 1}}
          - {in: query, name: page_size, schema: {type: integer, minimum: 1, maximum: 100}}
          responses:
            200:
              description: hits with snippets and the matching page
            400:
              description: a date that cannot be read
            503:
              description: the search index cannot be read
        """
        return self.response(200, **asdict(run_search(request.args)))

    @expose("/crosscheck/<int:application_id>", methods=["GET"])
    @protect()
    @safe
    def crosscheck(self, application_id):
        """NIK, NPWP, NIB and permit number of an application, looked up in the text of its scans.
        ---
        get:
          parameters:
          - {in: path, name: application_id, required: true, schema: {type: integer}}
          responses:
            200:
              description: one check per field, found or not, with the document and page
            404:
              $ref: '#/components/responses/404'
        """
        session = appbuilder().session
        application = limit_to_scope(session.query(Application), Application).filter(
            Application.id == application_id).first()
        if application is None:
            return self.response_404()
        return self.response(200, result=crosscheck(session, application, may_see_identity()))

    @expose("/<int:pk>/retry", methods=["POST"])
    @protect()
    @safe
    def retry(self, pk):
        """Queue a document's extraction again (after a failure).
        ---
        post:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            202:
              description: queued
            404:
              $ref: '#/components/responses/404'
        """
        document = self.datamodel.get(pk, self._base_filters)
        if document is None:
            return self.response_404()
        retry(appbuilder().session, document)
        return self.response(202, message=gettext("Queued for extraction."))


def preview_anchor(url: str) -> str:
    """PDF viewers open a link ending in #page=N at that page."""
    page = request.args.get("page", type=int)
    return f"{url}#page={page}" if page else url


# --- the archived files: what the archivist recorded at SOP-003's "Arsip Digital" ----------------------
class DueWithinDays(BaseFilter):
    """A retention date reached by today plus so many days (past ones included: overdue for transfer or disposal)."""

    name = _l("Due within (days)")
    arg_name = "due_within"

    def apply(self, query, value):
        try:
            days = max(0, min(int(value), MAX_DUE_DAYS))
        except (TypeError, ValueError):
            return query.filter(false())
        return query.filter(getattr(self.model, self.column_name) <= office_today() + dt.timedelta(days=days))


class LocationContains(BaseFilter):
    """Room, shelf or box: a clerk types what is written on the shelf or the box."""

    name = _l("Contains")
    arg_name = "ct"

    def apply(self, query, value):
        pattern = f"%{value}%"
        return query.filter(or_(*(getattr(self.model, part).ilike(pattern) for part in ("room", "shelf", "box"))))


MAX_DUE_DAYS = 36600


class ArchiveRecordView(GuardedView):
    """The archived files, filtered by classification, retention due and where the paper file is kept.
    Written by the archivist's step only (app/workflow/step_effects.py)."""

    route_base = "/archived-files"
    record_name = _l("Archived file")
    datamodel = SQLAInterface(ArchiveRecord)
    class_permission_name = Resource.DOCUMENT
    base_permissions = READ_ONLY
    base_filters = sector_scope("application")
    label_columns = {**LABELS, "classification": _l("Archive classification"),
                     "active_until": _l("Active retention until"), "inactive_until": _l("Inactive retention until"),
                     "room": _l("Room"), "shelf": _l("Shelf"), "box": _l("Box"), "location": _l("Location"),
                     "archived_by": _l("Archived by"), "archived_at": _l("Archived at")}
    list_columns = ["application", "classification", "active_until", "inactive_until", "disposition", "location"]
    show_columns = [*list_columns, "room", "shelf", "box", "archived_by", "archived_at"]
    search_columns = ["registration_number", "classification", "disposition", "active_until", "inactive_until",
                      "location"]
    related_searches = {
        "registration_number": related_search(("application",), "registration_number"),
        "active_until": DueWithinDays,
        "inactive_until": DueWithinDays,
        "location": LocationContains,
    }
    formatters_columns = {"application": application_link}
    base_order = ("active_until", "asc")
