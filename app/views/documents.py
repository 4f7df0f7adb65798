"""Scanned documents: list, upload, streamed download and short-lived preview links, all audited."""

from flask import Response, abort, current_app, flash, redirect, request, stream_with_context, url_for
from flask_appbuilder import SimpleFormView, expose
from flask_appbuilder.api import protect
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext, lazy_gettext as _l
from flask_appbuilder.forms import DynamicForm
from flask_wtf.file import FileField, FileRequired
from wtforms.validators import DataRequired

from app import audit
from app.archive import intake
from app.archive.ocr import ocr_problem
from app.archive.tasks import retry, unreadable_without_ocr
from app.errors import Refused
from app.identity.documents import may_open_file
from app.models import Application, Document, DocumentType
from app.security.permissions import METHOD_PERMISSIONS, Resource
from app.security.scope import limit_to_scope, may_see_identity
from app.storage import get_store
from app.storage.documents import stream_document
from app.views.archive import ArchiveApi, RetryAction, preview_anchor
from app.views.applications import SEARCHES_VIA_APPLICATION
from app.views.base import EagerInterface, GuardedApi, GuardedView, appbuilder, request_sector_scope, sector_scope
from app.views.formatting import extraction_reason, file_size
from app.views.workflow import CsrfOnly
from app.views.labels import LABELS

OCTET_STREAM = "application/octet-stream"
DOCUMENT_LIST = [
    "original_filename", "document_type", "application", "version", "size", "uploaded_by", "uploaded_at",
    "extraction_state",
]


def save_upload(file_storage, document_type, application) -> Document:
    """One uploaded file through the intake, by the current user, committed; or raise with a message."""
    session = appbuilder().session
    stream, filename = (file_storage.stream, file_storage.filename) if file_storage else (None, None)
    document = intake.accept(
        session, stream, filename, document_type=document_type, application=application,
        uploaded_by=appbuilder().sm.current_user, sector_scope=request_sector_scope(),
    )
    session.commit()  # a refusal or failure is answered by error_handlers, which rolls back (object and all)
    return document


def served_media_type(document) -> str | None:
    """The type a browser is told: only what intake accepts; anything else (a row stored before intake
    checked every path) as bytes to save, never HTML or SVG for the browser to run."""
    media_type = str(document.media_type)
    return media_type if media_type in intake.ACCEPTED else None


def download_response(document: Document) -> Response:
    """Stream the stored object to the browser, and audit the download."""
    audit.record("download", document, {"filename": document.original_filename})
    return Response(
        stream_with_context(stream_document(document)),
        mimetype=served_media_type(document) or OCTET_STREAM,
        headers={
            "Content-Length": str(document.size),
            "Content-Disposition": f'attachment; filename="{document.id}-v{document.version}"',
            "X-Content-SHA256": document.sha256,
        },
    )


def may_open(document: Document) -> bool:
    """Whether the current user may open the document's file (an identity document needs Identity)."""
    return may_open_file(document.document_type.code, may_see_identity())


def identity_file_refused() -> str:
    return gettext("This is an identity document (KTP or NPWP): only roles that may see NIK and NPWP may open "
                   "its file.")


def versions_of(document: Document) -> list[Document]:
    """Every version of the document's file, newest first."""
    session = appbuilder().session
    versions = [document]
    while versions[-1].previous_version is not None:
        versions.append(versions[-1].previous_version)
    while (later := session.query(Document).filter_by(previous_version_id=versions[0].id).first()) is not None:
        versions.insert(0, later)
    return versions


class DocumentView(RetryAction, GuardedView):
    route_base = "/documents"
    record_name = _l("Document")
    datamodel = EagerInterface(Document, eager=("document_type", "application", "uploaded_by"))
    class_permission_name = Resource.DOCUMENT
    method_permission_name = {**METHOD_PERMISSIONS, "retry_unread": "edit"}
    show_template = "sigap/document_show.html"
    base_permissions = ["can_read", "can_edit"]
    base_filters = sector_scope()
    label_columns = LABELS
    list_columns = DOCUMENT_LIST
    show_columns = [*DOCUMENT_LIST, "media_type", "sha256", "is_current", "previous_version", "extraction_error"]
    edit_columns = ["document_type"]
    formatters_columns = {"size": file_size, "extraction_error": extraction_reason}
    search_columns = ["original_filename", *SEARCHES_VIA_APPLICATION, "document_type", "extraction_state",
                      "uploaded_at", "is_current"]
    related_searches = SEARCHES_VIA_APPLICATION
    base_order = ("uploaded_at", "desc")

    @expose("/show/<int:pk>")
    @has_access
    def show(self, pk):
        """The record with its preview, a download button and its versions."""
        document = self.datamodel.get(pk, self._base_filters) or abort(404)
        title: str = getattr(self, "show_title")
        return self.render_template(self.show_template, pk=pk, title=title, widgets=self._show(pk),
                                    related_views=self._related_views, document=document,
                                    versions=versions_of(document), may_open=may_open(document),
                                    refused=identity_file_refused())

    @expose("/retry-unread", methods=["POST"])
    @has_access
    def retry_unread(self):
        """Read again every scan that failed because OCR was missing, once it is installed."""
        if not CsrfOnly().validate_on_submit():
            abort(400)
        problem = ocr_problem(current_app.config["OCR_LANGUAGES"])
        if problem:
            flash(gettext("OCR is still not available (%(problem)s): nothing was retried.", problem=problem),
                  "danger")
            return redirect(url_for("SigapIndexView.index"))
        session = self.datamodel.session
        documents = limit_to_scope(unreadable_without_ocr(session), Document).all()
        for document in documents:
            retry(session, document)
        flash(gettext("%(count)s documents queued to be read again.", count=len(documents)), "success")
        return redirect(url_for("SigapIndexView.index"))

    @expose("/file/<int:pk>")
    @has_access
    def file(self, pk):
        return download_response(self._openable(pk))

    @expose("/preview/<int:pk>")
    @has_access
    def preview(self, pk):
        document = self._openable(pk)
        media_type = served_media_type(document)
        url = get_store().presigned_url(
            document.object_key,
            current_app.config["PRESIGNED_URL_SECONDS"],
            filename=document.original_filename,
            media_type=media_type or OCTET_STREAM,
            disposition="inline" if media_type else "attachment",
        )
        audit.record("preview", document, {"filename": document.original_filename})
        return redirect(preview_anchor(url))

    def _openable(self, pk):
        """The document whose file is asked for: 404 outside the user's scope, 403 for an identity
        document without the Identity permission."""
        document = self.datamodel.get(pk, self._base_filters) or abort(404)
        if not may_open(document):
            raise Refused(identity_file_refused())
        return document


def _scoped_applications():
    query = appbuilder().session.query(Application).order_by(Application.created_at.desc())
    return limit_to_scope(query, Application)


def _pk(row):
    return row.id


def _document_types():
    return appbuilder().session.query(DocumentType).order_by(DocumentType.name)


class UploadForm(DynamicForm):
    application = QuerySelectField(
        _l("Application"), query_func=_scoped_applications, get_pk_func=_pk, allow_blank=True, blank_text="—"
    )
    document_type = QuerySelectField(
        _l("Document type"), query_func=_document_types, get_pk_func=_pk, validators=[DataRequired()]
    )
    file = FileField(_l("File"), validators=[FileRequired()])


class DocumentUploadView(SimpleFormView):
    route_base = "/documents/upload"
    class_permission_name = Resource.DOCUMENT
    method_permission_name = METHOD_PERMISSIONS
    form = UploadForm
    form_title = _l("Upload document")

    def form_post(self, form):
        document = save_upload(request.files.get("file"), form.document_type.data, form.application.data)
        flash(gettext("Document %(name)s stored.", name=document.original_filename), "success")
        return redirect(url_for("DocumentView.show", pk=document.id))


class DocumentApi(ArchiveApi, GuardedApi):
    resource_name = "document"
    datamodel = SQLAInterface(Document)
    class_permission_name = Resource.DOCUMENT
    base_permissions = ["can_read", "can_create", "can_edit"]
    base_filters = sector_scope()
    label_columns = LABELS
    list_columns = [
        "id", "original_filename", "document_type.code", "application.registration_number", "version",
        "is_current", "media_type", "size", "sha256", "uploaded_at", "extraction_state",
    ]
    show_columns = list_columns
    # What the multipart upload (post below) names, beside its file; _info offers their choices.
    add_columns = ["document_type", "application"]
    edit_columns = ["document_type"]
    # A document is created by uploading its file (the bytes first, then the record).
    include_route_methods = {"get", "get_list", "info", "put", "post", "file", "search", "crosscheck", "retry"}

    @expose("/<int:pk>/file", methods=["GET"])
    @protect()
    def file(self, pk):
        """Stream a stored document.
        ---
        get:
          parameters:
          - in: path
            schema:
              type: integer
            name: pk
          responses:
            200:
              description: The document's bytes
            403:
              description: An identity document (KTP, NPWP) and the caller may not see NIK and NPWP
            404:
              $ref: '#/components/responses/404'
            503:
              description: The document store cannot be reached
        """
        document = self.datamodel.get(pk, self._base_filters)
        if document is None:
            return self.response_404()
        if not may_open(document):
            raise Refused(identity_file_refused())
        return download_response(document)

    @expose("/", methods=["POST"])
    @protect()
    def post(self):
        """Upload a scanned document (multipart form: file, document_type, application).
        ---
        post:
          requestBody:
            content:
              multipart/form-data:
                schema:
                  type: object
                  properties:
                    file:
                      type: string
                      format: binary
                    document_type:
                      type: string
                      description: document type code, e.g. KTP
                    application:
                      type: integer
                      description: application id
                  required: [file, document_type]
          responses:
            201:
              description: Stored
            400:
              $ref: '#/components/responses/400'
            413:
              description: File too large
            503:
              description: The document store cannot be reached
        """
        session = appbuilder().session
        document_type = session.query(DocumentType).filter_by(code=request.form.get("document_type")).first()
        if document_type is None:
            return self.response_400(message={"document_type": [gettext("Unknown document type.")]})
        application = None
        if request.form.get("application"):
            application = limit_to_scope(session.query(Application), Application).filter(
                Application.id == request.form.get("application", type=int)
            ).first()
            if application is None:
                return self.response_400(message={"application": [gettext("Unknown application.")]})
        document = save_upload(request.files.get("file"), document_type, application)
        return self.response(201, id=document.id, sha256=document.sha256, size=document.size,
                             version=document.version)
