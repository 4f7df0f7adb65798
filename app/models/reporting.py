"""Leadership reporting: the office's letterhead, and each month's report (SOP-003 step 10)."""

from flask_appbuilder import Model
from sqlalchemy import JSON, Column, Index, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from app.models.application import Application, Permit, StepHistory
from app.models.base import created_at_column


class OfficeSettings(Model):
    """The letterhead printed on reports: one row, edited by the Admin."""

    __tablename__ = "office_settings"
    id = Column(Integer, primary_key=True)
    office_name = Column(String(200), nullable=False)
    address = Column(Text, nullable=False)
    phone = Column(String(100))
    logo = Column(LargeBinary)
    logo_media_type = Column(String(40))
    updated_at = created_at_column()


class MonthlyReport(Model):
    """One month's leadership report. Opening it starts SOP-003 step 10's clock; producing it completes the
    step, recorded in the step history with its working minutes against the SOP's standard."""

    __tablename__ = "monthly_report"
    __table_args__ = (UniqueConstraint("period_start"),)
    id = Column(Integer, primary_key=True)
    period_start = Column(Date, nullable=False)
    period_end = Column(Date, nullable=False)
    started_at = Column(DateTime, nullable=False)
    started_by_id = Column(Integer, ForeignKey("ab_user.id"))
    started_by = relationship("User", foreign_keys=[started_by_id])
    produced_at = Column(DateTime)
    produced_by_id = Column(Integer, ForeignKey("ab_user.id"))
    produced_by = relationship("User", foreign_keys=[produced_by_id])
    step_history_id = Column(Integer, ForeignKey("step_history.id"))
    step_history = relationship("StepHistory")
    # The figures as produced: the month's report stays what the leadership signed off.
    figures = Column(JSON)


# What the dashboard's aggregates read by period (migration 0004): applications by registration time,
# permits by issue date, steps by completion time with every column the step figures group or sum, so
# that both backends answer from the index alone.
Index("ix_application_report", *(Application.__table__.c[name] for name in (
    "created_at", "service_id", "channel", "risk_level", "sector_id", "status")))
Index("ix_application_backlog", *(Application.__table__.c[name] for name in (
    "status", "sop_id", "current_node", "current_step_id")))
Index("ix_permit_report", Permit.__table__.c.issued_on, Permit.__table__.c.application_id)
Index(
    "ix_step_history_report", *(StepHistory.__table__.c[name] for name in (
        "finished_at", "step_id", "actor_role", "user_id", "application_id", "working_minutes", "met_standard"))
)


class ReportDay(Model):
    """A past office day (WIB), or a past month (``span`` "month", ``day`` its first day), whose steps are
    rolled up below. Step history is append-only and a step is recorded when it is done, so a past day's
    rollup stays true; a row written later for a past day (a correction by script) drops that day's and
    that month's rollups (app/reports/rollup.py)."""

    __tablename__ = "report_day"
    day = Column(Date, primary_key=True)
    span = Column(String(5), primary_key=True, default="day")
    built_at = created_at_column()


class ReportStepDay(Model):
    """How many steps of a day took each number of working minutes (the histogram behind the percentiles)."""

    __tablename__ = "report_step_day"
    day = Column(Date, primary_key=True)
    span = Column(String(5), primary_key=True, default="day")
    step_id = Column(Integer, primary_key=True)
    working_minutes = Column(Integer, primary_key=True)
    steps = Column(Integer, nullable=False)


class ReportSlaDay(Model):
    """A day's timed steps and those within standard, per step, role, officer and service."""

    __tablename__ = "report_sla_day"
    day = Column(Date, primary_key=True)
    span = Column(String(5), primary_key=True, default="day")
    dimension = Column(String(8), primary_key=True)
    key = Column(String(64), primary_key=True)
    timed = Column(Integer, nullable=False)
    met = Column(Integer, nullable=False)
