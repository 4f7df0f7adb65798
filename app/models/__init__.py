"""SIGAP's data model. Importing this package registers every table on FAB's Model.metadata."""

# FAB's user, which records point to as "User" (who uploaded, verified, served).
from flask_appbuilder.security.sqla.models import User  # noqa: F401

from app.models.application import (
    Application,
    ApplicationStatus,
    ArchiveRecord,
    Permit,
    Recommendation,
    RecommendationDecision,
    RiskLevel,
    StepHistory,
    SurveySchedule,
    Verification,
    VerificationResult,
)
from app.models.audit import AuditChainHead, AuditLog
from app.models.calendar import CalendarDay
from app.models.catalogue import (
    ArchiveClassification,
    Channel,
    Disposition,
    DocumentType,
    Sector,
    Service,
    ServiceRequirement,
)
from app.models.document import Document, DocumentPage, ExtractionState
from app.models.frontdesk import AssistanceEntry, AssistanceLog, QueueTicket
from app.models.guard import AttemptGuard, UserStamp
from app.models.notify import NotificationTemplate, NotifyChannel, NotifyEvent, OutboxMessage, OutboxState
from app.models.people import Applicant, ApplicantKind, Business, BusinessScale, KbliEdition
from app.models.permits import PermitAction, PermitEvent
from app.models.reporting import MonthlyReport, OfficeSettings, ReportDay, ReportSlaDay, ReportStepDay
from app.models.security import UserSector
from app.models.skm import SkmPeriod, SkmResponse
from app.models.sop import Sop, SopStep

__all__ = [
    "Applicant", "ApplicantKind", "Application", "ApplicationStatus", "ArchiveClassification", "ArchiveRecord",
    "AssistanceEntry", "AssistanceLog", "AttemptGuard", "AuditChainHead", "AuditLog", "Business",
    "BusinessScale", "CalendarDay",
    "Channel", "Disposition", "Document", "DocumentPage", "DocumentType", "ExtractionState", "KbliEdition",
    "MonthlyReport", "OfficeSettings", "Permit", "QueueTicket", "Recommendation", "RecommendationDecision",
    "ReportDay", "ReportSlaDay", "ReportStepDay", "RiskLevel", "Sector",
    "Service", "ServiceRequirement", "SkmPeriod", "SkmResponse", "Sop", "SopStep", "StepHistory",
    "SurveySchedule", "UserSector", "UserStamp", "Verification", "VerificationResult",
    "NotificationTemplate", "NotifyChannel", "NotifyEvent", "OutboxMessage", "OutboxState", "PermitAction",
    "PermitEvent",
]
