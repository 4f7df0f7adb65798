"""The service catalogue and the SOPs (read-only: SOPs change by a new revision in sops.yaml)."""

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app.models import ArchiveClassification, DocumentType, Sector, Service, ServiceRequirement, Sop, SopStep
from app.security.permissions import Resource
from app.views.base import GuardedApi, GuardedView
from app.views.labels import LABELS

READ_ONLY = {"can_read"}


class SectorView(GuardedView):
    route_base = "/sectors"
    record_name = _l("Sector")
    datamodel = SQLAInterface(Sector)
    class_permission_name = Resource.SECTOR
    label_columns = LABELS
    list_columns = ["code", "name", "agency_name"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = ["code", "name", "agency_name"]


class ServiceRequirementView(GuardedView):
    route_base = "/service-requirements"
    record_name = _l("Service requirement")
    datamodel = SQLAInterface(ServiceRequirement)
    class_permission_name = Resource.SERVICE
    label_columns = LABELS
    list_columns = ["position", "description", "document_type", "mandatory"]
    add_columns = edit_columns = ["service", *list_columns]


class ServiceView(GuardedView):
    route_base = "/services"
    record_name = _l("Service")
    datamodel = SQLAInterface(Service)
    class_permission_name = Resource.SERVICE
    label_columns = LABELS
    related_views = [ServiceRequirementView]
    list_columns = ["code", "name", "channel", "sector", "output_type", "standard_days"]
    add_columns = edit_columns = [
        "code", "name", "channel", "is_permit", "sector", "output_type", "standard_days",
        "archive_classification",
    ]
    show_columns = edit_columns
    search_columns = ["code", "name", "channel", "sector", "is_permit"]


class DocumentTypeView(GuardedView):
    route_base = "/document-types"
    record_name = _l("Document type")
    datamodel = SQLAInterface(DocumentType)
    class_permission_name = Resource.DOCUMENT_TYPE
    label_columns = LABELS
    list_columns = add_columns = edit_columns = show_columns = ["code", "name"]
    search_columns = ["code", "name"]


class ArchiveClassificationView(GuardedView):
    route_base = "/archive-classifications"
    record_name = _l("Archive classification")
    datamodel = SQLAInterface(ArchiveClassification)
    class_permission_name = Resource.ARCHIVE_CLASSIFICATION
    label_columns = LABELS
    list_columns = ["code", "name", "active_years", "inactive_years", "disposition"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = ["code", "name", "disposition"]


class SopStepView(GuardedView):
    route_base = "/sop-steps"
    record_name = _l("SOP step")
    datamodel = SQLAInterface(SopStep)
    class_permission_name = Resource.SOP
    base_permissions = READ_ONLY
    label_columns = LABELS
    list_columns = ["position", "code", "label", "activity", "actors", "standard_minutes", "output"]
    show_columns = ["sop", *list_columns, "public_label", "requirement", "note"]
    base_order = ("position", "asc")


class SopView(GuardedView):
    route_base = "/sops"
    record_name = _l("SOP")
    datamodel = SQLAInterface(Sop)
    class_permission_name = Resource.SOP
    base_permissions = READ_ONLY
    label_columns = LABELS
    related_views = [SopStepView]
    list_columns = ["code", "revision", "number", "name", "is_current"]
    show_columns = [
        "code", "revision", "number", "name", "channel", "created_on", "revised_on", "approved_on",
        "approver", "is_current",
    ]
    search_columns = ["code", "is_current"]


class SectorApi(GuardedApi):
    resource_name = "sector"
    datamodel = SQLAInterface(Sector)
    class_permission_name = Resource.SECTOR
    label_columns = LABELS
    list_columns = show_columns = add_columns = edit_columns = ["code", "name", "agency_name"]


class ServiceApi(GuardedApi):
    resource_name = "service"
    datamodel = SQLAInterface(Service)
    class_permission_name = Resource.SERVICE
    label_columns = LABELS
    list_columns = ["id", "code", "name", "channel", "is_permit", "sector.code", "output_type", "standard_days"]
    show_columns = [*list_columns, "archive_classification.code", "requirements.description"]
    add_columns = edit_columns = ServiceView.add_columns


class DocumentTypeApi(GuardedApi):
    resource_name = "document_type"
    datamodel = SQLAInterface(DocumentType)
    class_permission_name = Resource.DOCUMENT_TYPE
    label_columns = LABELS
    list_columns = show_columns = add_columns = edit_columns = ["code", "name"]


class SopApi(GuardedApi):
    resource_name = "sop"
    datamodel = SQLAInterface(Sop)
    class_permission_name = Resource.SOP
    base_permissions = READ_ONLY
    label_columns = LABELS
    list_columns = [
        "id", "code", "revision", "number", "name", "channel", "is_current", "approver",
        "steps.code", "steps.position", "steps.activity", "steps.actors", "steps.standard_minutes",
    ]
    show_columns = list_columns
