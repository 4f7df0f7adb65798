"""Notifications to applicants: the Admin's text templates and the outbox the worker sends from."""

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from app.models.base import LabelledEnum, created_at_column, enum_column


class NotifyEvent(LabelledEnum):
    registered = _l("Application registered")
    needs_fix = _l("Application needs a fix")
    permit_ready = _l("Permit ready for hand-over")
    survey_invitation = _l("Survey invitation after hand-over")
    permit_expiring = _l("Permit expiring")


class NotifyChannel(LabelledEnum):
    email = _l("E-mail")
    whatsapp = _l("WhatsApp")


class OutboxState(LabelledEnum):
    queued = _l("Queued")
    sent = _l("Sent")
    failed = _l("Failed")


class NotificationTemplate(Model):
    """The Indonesian text of one event's message; {placeholders} are filled when it is queued."""

    __tablename__ = "notification_template"
    id = Column(Integer, primary_key=True)
    event = enum_column(NotifyEvent, nullable=False, unique=True)
    subject = Column(String(200), nullable=False)
    body = Column(Text, nullable=False)

    def __repr__(self) -> str:
        return str(self.event)


class OutboxMessage(Model):
    __tablename__ = "outbox_message"
    __table_args__ = {"sqlite_autoincrement": True}
    id = Column(Integer, primary_key=True)
    # One message per event, object and channel (e.g. "registered:application:12:email"): queued once.
    key = Column(String(120), nullable=False, unique=True)
    application_id = Column(Integer, ForeignKey("application.id"), nullable=False, index=True)
    application = relationship("Application")
    event = enum_column(NotifyEvent, nullable=False)
    channel = enum_column(NotifyChannel, nullable=False)
    recipient = Column(String(200), nullable=False)
    subject = Column(String(200), nullable=False)
    body = Column(Text, nullable=False)
    state = enum_column(OutboxState, nullable=False, default=OutboxState.queued, index=True)
    reason = Column(Text)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, index=True)
    sent_at = Column(DateTime)
    created_at = created_at_column()
