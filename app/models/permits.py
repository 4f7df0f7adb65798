"""A permit's life after issue: its history of revocations and corrections (append-only)."""

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import backref, relationship

from app.models.base import LabelledEnum, created_at_column, enum_column


class PermitAction(LabelledEnum):
    revoked = _l("Revoked")
    corrected = _l("Corrected")


class PermitEvent(Model):
    """One revocation or correction of an issued permit: why, under which decree, by whom. Never edited."""

    __tablename__ = "permit_event"
    id = Column(Integer, primary_key=True)
    permit_id = Column(Integer, ForeignKey("permit.id"), nullable=False, index=True)
    permit = relationship("Permit", backref=backref("events", order_by="PermitEvent.id", viewonly=True))
    action = enum_column(PermitAction, nullable=False)
    reason = Column(Text, nullable=False)
    decree_number = Column(String(100), nullable=False)
    # For a correction: {field: [before, after]} as text.
    changes = Column(JSON)
    user_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False)
    user = relationship("User")
    at = created_at_column()
