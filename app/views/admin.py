"""Administration: the working-day calendar, technical teams' sectors, and the audit log."""

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app.models import AuditLog, CalendarDay, UserSector
from app.security.permissions import Resource
from app.views.base import GuardedApi, GuardedView, entity_label
from app.views.catalogue import READ_ONLY
from app.views.formatting import audit_action
from app.views.labels import LABELS

AUDIT_COLUMNS = ["at", "username", "action", "entity", "entity_id", "ip_address"]


class CalendarDayView(GuardedView):
    route_base = "/calendar"
    record_name = _l("Calendar day")
    datamodel = SQLAInterface(CalendarDay)
    class_permission_name = Resource.CALENDAR
    label_columns = LABELS
    list_columns = ["day", "is_working", "description", "created_by"]
    show_columns = list_columns
    add_columns = edit_columns = ["day", "is_working", "description"]
    search_columns = ["day", "is_working"]
    base_order = ("day", "desc")

    def pre_add(self, item):
        item.created_by = self.appbuilder.sm.current_user


class UserSectorView(GuardedView):
    route_base = "/user-sectors"
    record_name = _l("User sector")
    datamodel = SQLAInterface(UserSector)
    class_permission_name = Resource.USER_SECTOR
    label_columns = LABELS
    list_columns = add_columns = edit_columns = show_columns = ["user", "sector"]


class AuditLogView(GuardedView):
    route_base = "/audit-log"
    record_name = _l("Audit log entry")
    datamodel = SQLAInterface(AuditLog)
    class_permission_name = Resource.AUDIT_LOG
    base_permissions = READ_ONLY
    label_columns = LABELS
    list_columns = AUDIT_COLUMNS
    show_columns = [*AUDIT_COLUMNS, "detail"]
    formatters_columns = {"action": audit_action, "entity": entity_label}
    search_columns = ["at", "username", "action", "entity", "entity_id"]
    base_order = ("at", "desc")


class CalendarDayApi(GuardedApi):
    resource_name = "calendar_day"
    datamodel = SQLAInterface(CalendarDay)
    class_permission_name = Resource.CALENDAR
    label_columns = LABELS
    list_columns = show_columns = ["id", "day", "is_working", "description"]
    add_columns = edit_columns = CalendarDayView.add_columns


class AuditLogApi(GuardedApi):
    resource_name = "audit_log"
    datamodel = SQLAInterface(AuditLog)
    class_permission_name = Resource.AUDIT_LOG
    base_permissions = READ_ONLY
    label_columns = LABELS
    list_columns = show_columns = ["id", *AUDIT_COLUMNS, "detail"]
