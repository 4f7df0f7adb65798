"""Roles as data: each role is a list of (action, resource) pairs, synced by `flask sigap init`.

A role lists only actions a view of the resource exposes (its base_permissions; Identity and PermitReminder
are asked for by the code itself): what a view does not offer, such as writing the records a workflow step
alone writes, is the view's to decide, and is not repeated here (tests/security/test_role_matrix.py).

Admin is not listed: Flask-AppBuilder gives AUTH_ROLE_ADMIN every permission there is.
Menu access follows from read access (app/security/sync.py), so it is not listed either.
"""

from app.security.permissions import CAN_CREATE, CAN_EDIT, CAN_READ, Resource as R

ADMIN = "Admin"
TECHNICAL_TEAM = "Tim Teknis"


def read(*resources: R) -> list[tuple[str, str]]:
    return [(CAN_READ, r) for r in resources]


def write(*resources: R) -> list[tuple[str, str]]:
    """Read, create and edit (not delete: records are corrected, not removed)."""
    return [(action, r) for r in resources for action in (CAN_READ, CAN_CREATE, CAN_EDIT)]


# What every signed-in user has from FAB itself: their own profile and password, the API docs.
SELF_SERVICE = [
    ("can_userinfo", "UserDBModelView"),
    ("resetmypassword", "UserDBModelView"),
    ("can_this_form_get", "ResetMyPasswordView"),
    ("can_this_form_post", "ResetMyPasswordView"),
    ("can_this_form_get", "UserInfoEditView"),
    ("can_this_form_post", "UserInfoEditView"),
    ("can_get", "OpenApi"),
    ("can_show", "SwaggerView"),
]
CATALOGUE = read(R.SECTOR, R.SERVICE, R.DOCUMENT_TYPE, R.SOP)
CASE_FILE = read(R.APPLICATION, R.DOCUMENT, R.STEP_HISTORY, R.PERMIT, R.INBOX)
# Revoking or correcting an issued permit is a decision under a decree: the section head, the division head
# and the head of office (and Admin, who holds everything). Clerks who record permits may not.
PERMIT_DECISIONS = [(CAN_EDIT, R.PERMIT_DECISION)]

# What each role's work needs, by the SOPs.
DUTIES: dict[str, list[tuple[str, str]]] = {
    "FO": CATALOGUE
    + CASE_FILE
    + write(R.APPLICANT, R.BUSINESS, R.APPLICATION, R.QUEUE_TICKET, R.ASSISTANCE_LOG)
    + [(CAN_CREATE, R.DOCUMENT), (CAN_CREATE, R.COUNTER_INTAKE)]
    + read(R.IDENTITY, R.PERMIT_REMINDER, R.OUTBOX),
    "BO": CATALOGUE
    + CASE_FILE
    + read(R.APPLICANT, R.BUSINESS, R.IDENTITY, R.PERMIT_REMINDER, R.OUTBOX)
    + write(R.PERMIT)
    # BO completes an application's technical data; only FO registers one (SOP-003 step 2).
    + [(CAN_EDIT, R.APPLICATION), (CAN_CREATE, R.DOCUMENT)],
    "Kasi": CATALOGUE
    + CASE_FILE
    + read(
        R.APPLICANT, R.BUSINESS, R.IDENTITY, R.CALENDAR, R.SLA_REPORT, R.OUTBOX,
        R.VERIFICATION, R.SURVEY, R.RECOMMENDATION,
    )
    # Kasi verifies and corrects an application; only FO registers one (SOP-003 step 2).
    + [(CAN_EDIT, R.APPLICATION), (CAN_CREATE, R.DOCUMENT)]
    + PERMIT_DECISIONS,
    "Kabid": CATALOGUE
    + CASE_FILE
    + read(
        R.APPLICANT, R.BUSINESS, R.IDENTITY, R.CALENDAR, R.SLA_REPORT, R.REPORT,
        R.VERIFICATION, R.SURVEY, R.RECOMMENDATION,
    )
    + PERMIT_DECISIONS,
    "Kadis": CATALOGUE
    + CASE_FILE
    + read(R.APPLICANT, R.BUSINESS, R.VERIFICATION, R.SURVEY, R.RECOMMENDATION, R.REPORT)
    + [(CAN_EDIT, R.APPLICATION)]
    + PERMIT_DECISIONS,
    # Sees only its own sector's applications and documents (app/security/scope.py).
    TECHNICAL_TEAM: read(
        R.SERVICE, R.DOCUMENT_TYPE, R.SOP, R.APPLICATION, R.DOCUMENT, R.SURVEY, R.RECOMMENDATION, R.INBOX,
    )
    + [(CAN_CREATE, R.DOCUMENT)],
    "Arsip": CATALOGUE
    + CASE_FILE
    + read(R.APPLICANT, R.BUSINESS, R.ARCHIVE_CLASSIFICATION, R.IDENTITY)
    + write(R.DOCUMENT, R.PERMIT),
    "Dalaks": read(R.SERVICE, R.SECTOR, R.SOP, R.APPLICATION, R.DOCUMENT, R.PERMIT, R.BUSINESS, R.INBOX)
    + [(CAN_EDIT, R.PERMIT)],
    "Pimpinan": CATALOGUE
    + CASE_FILE
    + read(
        R.APPLICANT, R.BUSINESS, R.VERIFICATION, R.SURVEY, R.RECOMMENDATION,
        R.QUEUE_TICKET, R.ASSISTANCE_LOG, R.CALENDAR, R.ARCHIVE_CLASSIFICATION, R.SLA_REPORT, R.OUTBOX, R.REPORT,
    )
    # Produces the monthly report (SOP-003 step 10).
    + [(CAN_CREATE, R.REPORT)],
}

ROLES: dict[str, list[tuple[str, str]]] = {role: duties + SELF_SERVICE for role, duties in DUTIES.items()}

# Roles whose users see only the sector they are assigned to (UserSector).
SECTOR_SCOPED_ROLES = frozenset({TECHNICAL_TEAM})
