"""The audit trail: every change to a record and every download, with who did it and from where.

Changes are caught once, at the session's flush, so no screen or endpoint can forget them. Step
history and the audit log itself are append-only: an update or delete of either is refused.
"""

import enum
import json

from flask import current_app, has_request_context, request
from flask_login import user_logged_in
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.models import AuditLog, StepHistory

APPEND_ONLY = (StepHistory, AuditLog)
# Bookkeeping columns FAB touches at every login; changing them alone is not worth an entry.
QUIET_COLUMNS = {"last_login", "login_count", "fail_login_count", "changed_on", "password"}


class AppendOnlyError(RuntimeError):
    pass


def _actor() -> tuple[int | None, str]:
    try:
        user = current_app.appbuilder.sm.current_user
    except (RuntimeError, AttributeError):
        user = None
    if user:
        return user.id, user.username
    return None, "system"


def _ip() -> str | None:
    return request.remote_addr if has_request_context() else None


def _plain(value):
    return value.value if isinstance(value, enum.Enum) else str(value)


def _entry(action: str, entity: str, entity_id, detail: dict | None) -> dict:
    user_id, username = _actor()
    return {
        "user_id": user_id,
        "username": username,
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "detail": json.dumps(detail, default=_plain, ensure_ascii=False) if detail else None,
        "ip_address": _ip(),
    }


def record(action: str, instance, detail: dict | None = None) -> None:
    """Audit an event that changes nothing in the database (a download, a preview), and commit it."""
    session = current_app.appbuilder.session
    add(session, action, instance, detail)
    session.commit()


def add(session: Session, action: str, instance, detail: dict | None = None) -> None:
    """Audit an event inside the caller's transaction: the entry commits with what it records (an upload)."""
    session.add(AuditLog(**_entry(action, type(instance).__name__, inspect(instance).identity[0], detail)))


def _changes(instance) -> dict:
    changed = {}
    for attr in inspect(instance).attrs:
        if attr.key in QUIET_COLUMNS or not attr.history.has_changes():
            continue
        if attr.key in instance.__mapper__.columns:
            changed[attr.key] = attr.history.added[0] if attr.history.added else None
    return changed


def _before_flush(session: Session, _context, _instances) -> None:
    for instance in list(session.dirty) + list(session.deleted):
        if isinstance(instance, APPEND_ONLY) and (instance in session.deleted or session.is_modified(instance)):
            raise AppendOnlyError(f"{type(instance).__name__} rows are never changed or deleted.")
    pending = session.info.setdefault("sigap_audit", [])
    for instance in session.dirty:
        if not isinstance(instance, AuditLog) and session.is_modified(instance):
            changes = _changes(instance)
            if changes:
                pending.append(("update", instance, changes))
    for instance in session.deleted:
        pending.append(("delete", instance, None))
    for instance in session.new:
        if not isinstance(instance, AuditLog):
            pending.append(("create", instance, None))


def _after_flush(session: Session, _context) -> None:
    pending = session.info.pop("sigap_audit", [])
    rows = []
    for action, instance, detail in pending:
        identity = inspect(instance).mapper.primary_key_from_instance(instance)
        if action == "create":
            detail = {c.key: getattr(instance, c.key) for c in instance.__mapper__.column_attrs
                      if c.key not in QUIET_COLUMNS and getattr(instance, c.key) is not None}
        rows.append(_entry(action, type(instance).__name__, identity[0], detail))
    if rows:
        session.connection().execute(AuditLog.__table__.insert(), rows)


def _login(_sender, user, **_kwargs) -> None:
    session = current_app.appbuilder.session
    session.add(AuditLog(**_entry("login", "User", user.id, None)))
    session.commit()


def init_app(flask_app) -> None:
    # On every session class, so that scripts and the CLI are audited like the screens.
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
    user_logged_in.connect(_login, flask_app)
