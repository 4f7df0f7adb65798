"""The vocabulary of permissions: four actions on a small set of resources.

Every view and API of a resource shares one class permission name, and their many methods collapse
onto four actions (the scheme of Airflow 2), so a role reads as a short list of (action, resource).
"""

from enum import StrEnum

CAN_READ = "can_read"
CAN_CREATE = "can_create"
CAN_EDIT = "can_edit"
CAN_DELETE = "can_delete"
MENU_ACCESS = "menu_access"
ALL_ACTIONS = (CAN_READ, CAN_CREATE, CAN_EDIT, CAN_DELETE)

# FAB method name -> action (without the can_ prefix, as FAB wants it).
METHOD_PERMISSIONS = {
    # ModelView
    "list": "read",
    "show": "read",
    "download": "read",
    "file": "read",
    "preview": "read",
    "api": "read",
    "api_read": "read",
    "api_get": "read",
    "api_readvalues": "read",
    "add": "create",
    "api_create": "create",
    "api_column_add": "create",
    "edit": "edit",
    "api_update": "edit",
    "api_column_edit": "edit",
    "action": "edit",
    "action_post": "edit",
    "delete": "delete",
    "muldelete": "delete",
    "api_delete": "delete",
    # ModelRestApi
    "get": "read",
    "get_list": "read",
    "info": "read",
    "post": "create",
    "put": "edit",
    # The archive (app/views/archive.py)
    "search": "read",
    "crosscheck": "read",
    "upload": "create",
    "retry": "edit",
    # Completing a step: whoever may read the application reaches the engine, which checks the
    # step's own role and sector (app/workflow/engine.py).
    "step": "read",
    "timeline": "read",
    # A step done in a helpdesk session adds to its assistance log.
    "entry": "edit",
    # A permit's page, its QR code, its revocation and correction (app/views/permits.py)
    "page": "read",
    "qr": "read",
    "revoke": "edit",
    "correct": "edit",
    # SimpleFormView (upload forms)
    "this_form_get": "create",
    "this_form_post": "create",
}


class Resource(StrEnum):
    APPLICANT = "Applicant"
    BUSINESS = "Business"
    APPLICATION = "Application"
    DOCUMENT = "Document"
    STEP_HISTORY = "StepHistory"
    VERIFICATION = "Verification"
    SURVEY = "Survey"
    RECOMMENDATION = "Recommendation"
    PERMIT = "Permit"
    QUEUE_TICKET = "QueueTicket"
    ASSISTANCE_LOG = "AssistanceLog"
    SECTOR = "Sector"
    SERVICE = "Service"
    DOCUMENT_TYPE = "DocumentType"
    ARCHIVE_CLASSIFICATION = "ArchiveClassification"
    SOP = "Sop"
    CALENDAR = "Calendar"
    AUDIT_LOG = "AuditLog"
    USER_SECTOR = "UserSector"
    # "Tugas saya" and the step forms behind it (each step still checks its own role and sector).
    INBOX = "Inbox"
    # Steps that missed their standard, counted per step and per role.
    SLA_REPORT = "SlaReport"
    # The leadership dashboard, its exports and the monthly report (SOP-003 step 10).
    REPORT = "Report"
    # The letterhead of printed reports, and the public survey's periods (Admin).
    OFFICE_SETTINGS = "OfficeSettings"
    SKM_PERIOD = "SkmPeriod"
    # Not a screen: holding can_read on it shows NIK and NPWP unmasked.
    IDENTITY = "Identity"
    # Revoking or correcting an issued permit (can_edit), with its reason and decree.
    PERMIT_DECISION = "PermitDecision"
    # Permits nearing expiry, shown in "Tugas saya" (can_read).
    PERMIT_REMINDER = "PermitReminder"
    NOTIFICATION_TEMPLATE = "NotificationTemplate"
    # The guided intake at the counter (can_create): the front office's alone, though BO may write applications.
    COUNTER_INTAKE = "CounterIntake"
    OUTBOX = "Outbox"
