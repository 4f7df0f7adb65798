"""The audit log: every change to a record and every download, written by app/audit.py."""

from flask_appbuilder import Model
from sqlalchemy import Column, Integer, String, Text

from app.models.base import created_at_column


class AuditLog(Model):
    __tablename__ = "audit_log"
    id = Column(Integer, primary_key=True)
    at = created_at_column()
    user_id = Column(Integer, index=True)
    username = Column(String(100))
    action = Column(String(32), nullable=False, index=True)
    entity = Column(String(64), nullable=False, index=True)
    entity_id = Column(String(64))
    detail = Column(Text)
    ip_address = Column(String(64))
