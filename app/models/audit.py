"""The audit log: every change to a record and every download, written by app/audit.py.

Entries are hash-chained: each stores the hash of its content and of the entry before it, and the
chain head holds the newest hash, so an edit, a deletion or a reordering done outside SIGAP (plain SQL)
is found by `flask sigap audit-verify`.
"""

from flask_appbuilder import Model
from sqlalchemy import Column, Index, Integer, String, Text

from app.models.base import created_at_column


class AuditLog(Model):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)  # the list, newest first (migration 0008)
    id = Column(Integer, primary_key=True)
    at = created_at_column()
    user_id = Column(Integer, index=True)
    username = Column(String(100))
    action = Column(String(32), nullable=False, index=True)
    entity = Column(String(64), nullable=False, index=True)
    entity_id = Column(String(64))
    detail = Column(Text)
    ip_address = Column(String(64))
    prev_hash = Column(String(64))
    entry_hash = Column(String(64))


class AuditChainHead(Model):
    """One row: the hash of the newest entry. Writers lock it, so two of them never fork the chain."""

    __tablename__ = "audit_chain_head"
    id = Column(Integer, primary_key=True)
    last_hash = Column(String(64), nullable=False)
