"""An application's record: its step history, verifications, survey, recommendation and permit."""

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import backref, relationship

from app.models.base import LabelledEnum, created_at_column, enum_column
from app.models.catalogue import Channel, Disposition


class RiskLevel(LabelledEnum):
    rendah = _l("Low")
    menengah_rendah = _l("Medium-low")
    menengah_tinggi = _l("Medium-high")
    tinggi = _l("High")


class ApplicationStatus(LabelledEnum):
    in_progress = _l("In progress")
    waiting_applicant = _l("Waiting for the applicant")
    rejected = _l("Rejected")
    stopped = _l("Stopped: incomplete files")
    done = _l("Done")


class VerificationResult(LabelledEnum):
    valid = _l("Valid")
    not_valid = _l("Not valid")


class RecommendationDecision(LabelledEnum):
    approve = _l("Approve")
    needs_fix = _l("Needs fix")
    reject = _l("Reject")


class Application(Model):
    __tablename__ = "application"
    # A sector's team's list, newest first (migration 0008); the whole list reads ix_application_report.
    __table_args__ = (Index("ix_application_sector_created", "sector_id", "created_at"),)
    id = Column(Integer, primary_key=True)
    registration_number = Column(String(40), unique=True, nullable=False)
    applicant_id = Column(Integer, ForeignKey("applicant.id"), nullable=False)
    applicant = relationship("Applicant")
    business_id = Column(Integer, ForeignKey("business.id"))
    business = relationship("Business")
    service_id = Column(Integer, ForeignKey("service.id"), nullable=False)
    service = relationship("Service")
    # Copied from the service so that a technical team's scope is one indexed column.
    sector_id = Column(Integer, ForeignKey("sector.id"), nullable=False, index=True)
    sector = relationship("Sector")
    channel = enum_column(Channel, nullable=False)
    risk_level = enum_column(RiskLevel)
    nib = Column(String(13), index=True)
    sop_id = Column(Integer, ForeignKey("sop.id"), nullable=False)
    sop = relationship("Sop")
    current_step_id = Column(Integer, ForeignKey("sop_step.id"))
    current_step = relationship("SopStep")
    status = enum_column(ApplicationStatus, nullable=False, default=ApplicationStatus.in_progress)
    problem_flag = Column(Boolean, nullable=False, default=False)
    problem_note = Column(Text)
    # When a flagged problem was solved: the SIGAP input is then due within one working day.
    problem_solved_at = Column(DateTime)
    # Where the application is in its SOP's flow (app/workflow/flow.py): the track and the node.
    track = Column(String(32))
    current_node = Column(String(64))
    # When the current step's clock started; empty while waiting on the applicant (the clock is paused).
    step_started_at = Column(DateTime)
    created_at = created_at_column()
    history = relationship("StepHistory", back_populates="application", order_by="StepHistory.id")
    documents = relationship("Document", back_populates="application")

    def __repr__(self) -> str:
        return self.registration_number


class StepHistory(Model):
    """One completed step. Rows are written once and never edited (see app/audit.py)."""

    __tablename__ = "step_history"
    id = Column(Integer, primary_key=True)
    # Empty for a step done per period rather than per file (SOP-003 step 10, app/models/reporting.py).
    application_id = Column(Integer, ForeignKey("application.id"), index=True)
    application = relationship(Application, back_populates="history")
    step_id = Column(Integer, ForeignKey("sop_step.id"), nullable=False)
    step = relationship("SopStep")
    actor_role = Column(String(64), nullable=False)
    user_id = Column(Integer, ForeignKey("ab_user.id"))
    user = relationship("User")
    started_at = Column(DateTime, nullable=False)
    finished_at = Column(DateTime, nullable=False)
    sop_revision = Column(Integer, nullable=False)
    standard_minutes = Column(Integer)
    working_minutes = Column(Integer, nullable=False)
    met_standard = Column(Boolean)
    outcome = Column(String(64))
    note = Column(Text)
    node = Column(String(64))
    # The step's data as submitted (after validation).
    data = Column(JSON)


# The record's parts are read from the application (backrefs, view-only) and written on their own rows.


class Verification(Model):
    __tablename__ = "verification"
    id = Column(Integer, primary_key=True)
    application_id = Column(Integer, ForeignKey("application.id"), nullable=False, index=True)
    application = relationship(Application, backref=backref("verifications", order_by="Verification.id", viewonly=True))
    step_id = Column(Integer, ForeignKey("sop_step.id"), nullable=False)
    step = relationship("SopStep")
    result = enum_column(VerificationResult, nullable=False)
    reason = Column(Text)
    verified_by_id = Column(Integer, ForeignKey("ab_user.id"))
    verified_by = relationship("User")
    verified_at = created_at_column()


class SurveySchedule(Model):
    """A field survey scheduled by Kasi, and the BAP (berita acara pemeriksaan) that records it."""

    __tablename__ = "survey_schedule"
    id = Column(Integer, primary_key=True)
    application_id = Column(Integer, ForeignKey("application.id"), nullable=False, index=True)
    application = relationship(Application, backref=backref("surveys", order_by="SurveySchedule.id", viewonly=True))
    scheduled_at = Column(DateTime, nullable=False)
    location = Column(Text, nullable=False)
    team = Column(Text)
    bap_document_id = Column(Integer, ForeignKey("document.id"))
    bap_document = relationship("Document")
    bap_summary = Column(Text)
    created_at = created_at_column()


class Recommendation(Model):
    """The technical agency's recommendation, requested by Kasi with a letter."""

    __tablename__ = "recommendation"
    id = Column(Integer, primary_key=True)
    application_id = Column(Integer, ForeignKey("application.id"), nullable=False, index=True)
    application = relationship(Application, backref=backref("recommendations", order_by="Recommendation.id", viewonly=True))
    sector_id = Column(Integer, ForeignKey("sector.id"), nullable=False)
    sector = relationship("Sector")
    request_letter_number = Column(String(100))
    requested_at = Column(DateTime)
    decision = enum_column(RecommendationDecision)
    reason = Column(Text)
    document_id = Column(Integer, ForeignKey("document.id"))
    document = relationship("Document")
    decided_by_id = Column(Integer, ForeignKey("ab_user.id"))
    decided_by = relationship("User")
    decided_at = Column(DateTime)


class Permit(Model):
    __tablename__ = "permit"
    id = Column(Integer, primary_key=True)
    application_id = Column(Integer, ForeignKey("application.id"), nullable=False, unique=True)
    application = relationship(Application, backref=backref("permit", uselist=False, viewonly=True))
    number = Column(String(100), unique=True, nullable=False)
    permit_type = Column(String(200), nullable=False)
    issued_on = Column(Date, nullable=False)
    valid_until = Column(Date, index=True)
    document_id = Column(Integer, ForeignKey("document.id"))
    document = relationship("Document")
    handed_over_at = Column(DateTime)
    handed_over_to = Column(String(200))
    forwarded_to_supervision_at = Column(DateTime)
    # Set by a revocation (its decree and reason are in permit_event); a revoked permit stays on record.
    revoked_at = Column(DateTime)

    def __repr__(self) -> str:
        return self.number


class ArchiveRecord(Model):
    """The archivist's record of a finished file (SOP-003 "Arsip Digital"): its classification, the retention
    and disposition that classification sets, and where the paper file is kept."""

    __tablename__ = "archive_record"
    id = Column(Integer, primary_key=True)
    application_id = Column(Integer, ForeignKey("application.id"), nullable=False, unique=True)
    application = relationship(Application, backref=backref("archive_record", uselist=False, viewonly=True))
    classification_id = Column(Integer, ForeignKey("archive_classification.id"), nullable=False, index=True)
    classification = relationship("ArchiveClassification")
    # End of the active retention (then the file moves to the records centre) and of the inactive one (then the
    # disposition is carried out): the retention due dates the archive list filters on.
    active_until = Column(Date, nullable=False, index=True)
    inactive_until = Column(Date, nullable=False, index=True)
    disposition = enum_column(Disposition, nullable=False)
    room = Column(String(100), nullable=False)
    shelf = Column(String(50), nullable=False)
    box = Column(String(50), nullable=False)
    archived_by_id = Column(Integer, ForeignKey("ab_user.id"))
    archived_by = relationship("User")
    archived_at = created_at_column()

    @property
    def location(self) -> str:
        return f"{self.room} / {self.shelf} / {self.box}"

    def __repr__(self) -> str:
        return f"{self.classification.code if self.classification else ''} {self.location}"
