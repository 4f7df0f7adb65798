"""The front desk: queue tickets and the helpdesk assistance log (Buku Pencatatan Bantuan)."""

from flask_appbuilder import Model
from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from app.models.base import created_at_column, enum_column
from app.models.catalogue import Channel


class QueueTicket(Model):
    """A queue number, numbered per day and counter (A-001)."""

    __tablename__ = "queue_ticket"
    __table_args__ = (UniqueConstraint("service_date", "counter_code", "number"),)
    id = Column(Integer, primary_key=True)
    service_date = Column(Date, nullable=False)
    counter_code = Column(String(4), nullable=False)
    number = Column(Integer, nullable=False)
    service_id = Column(Integer, ForeignKey("service.id"))
    service = relationship("Service")
    issued_at = created_at_column()
    called_at = Column(DateTime)
    served_at = Column(DateTime)
    finished_at = Column(DateTime)
    served_by_id = Column(Integer, ForeignKey("ab_user.id"))
    served_by = relationship("User")
    # The application registered from this ticket at the counter (app/frontdesk/counter.py).
    application_id = Column(Integer, ForeignKey("application.id"), index=True)
    application = relationship("Application")

    @property
    def ticket_code(self) -> str:
        return f"{self.counter_code}-{self.number:03d}"

    @property
    def waiting_minutes(self) -> int | None:
        return _minutes(self.issued_at, self.called_at)

    @property
    def service_minutes(self) -> int | None:
        return _minutes(self.served_at, self.finished_at)

    def __repr__(self) -> str:
        return self.ticket_code


class AssistanceLog(Model):
    """One helpdesk session helping an applicant through OSS RBA or siCantik."""

    __tablename__ = "assistance_log"
    id = Column(Integer, primary_key=True)
    channel = enum_column(Channel, nullable=False)
    queue_ticket_id = Column(Integer, ForeignKey("queue_ticket.id"))
    queue_ticket = relationship(QueueTicket)
    applicant_id = Column(Integer, ForeignKey("applicant.id"))
    applicant = relationship("Applicant")
    visitor_name = Column(String(200), nullable=False)
    topic = Column(Text)
    started_at = created_at_column()
    finished_at = Column(DateTime)
    helped_by_id = Column(Integer, ForeignKey("ab_user.id"))
    helped_by = relationship("User")
    # OSS / siCantik had a data or process problem: 5 working days instead of 1.5 hours.
    problem_flag = Column(Boolean, nullable=False, default=False)
    entries = relationship("AssistanceEntry", back_populates="log", order_by="AssistanceEntry.id")


class AssistanceEntry(Model):
    """One SOP step done during a helpdesk session, with its times and result."""

    __tablename__ = "assistance_entry"
    id = Column(Integer, primary_key=True)
    log_id = Column(Integer, ForeignKey("assistance_log.id"), nullable=False, index=True)
    log = relationship(AssistanceLog, back_populates="entries")
    step_id = Column(Integer, ForeignKey("sop_step.id"), nullable=False)
    step = relationship("SopStep")
    started_at = Column(DateTime, nullable=False)
    finished_at = Column(DateTime)
    result = Column(String(64))
    reason = Column(Text)


def _minutes(start, end) -> int | None:
    return int((end - start).total_seconds() // 60) if start and end else None
