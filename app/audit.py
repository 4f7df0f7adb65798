"""The audit trail: every change to a record and every download, with who did it and from where.

Changes are caught once, at the session's flush, so no screen or endpoint can forget them. Step
history and the audit log itself are append-only: an update or delete of either is refused.

Entries form a hash chain (see app/models/audit.py): each is appended under a lock on the chain head,
so concurrent writers queue up instead of forking the chain, and `flask sigap audit-verify` walks it.
"""

import datetime as dt
import enum
import hashlib
import json
from dataclasses import dataclass

import click
from flask import current_app, has_request_context, request
from flask.cli import with_appcontext
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import event, func, insert, inspect, select, update
from sqlalchemy.orm import Session

from app.models import AuditChainHead, AuditLog, PermitEvent, StepHistory
from app.models.base import utcnow

APPEND_ONLY = (StepHistory, AuditLog, PermitEvent)
# Bookkeeping columns FAB touches at every login; changing them alone is not worth an entry. A new
# password gets an entry of its own, without the hash.
QUIET_COLUMNS = {"last_login", "login_count", "fail_login_count", "changed_on", "password"}
GENESIS = "0" * 64
HEAD_ID = 1
# What an entry's hash covers, besides the hash of the entry before it.
HASHED_COLUMNS = ("at", "user_id", "username", "action", "entity", "entity_id", "detail", "ip_address")


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


def _entry(action: str, entity: str, entity_id, detail: dict | None, actor=None) -> dict:
    user_id, username = actor or _actor()
    return {
        "at": utcnow(),
        "user_id": user_id,
        "username": username,
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "detail": json.dumps(detail, default=_plain, ensure_ascii=False) if detail else None,
        "ip_address": _ip(),
    }


def _canonical(value):
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(timespec="microseconds")
    return value


def entry_hash(row, prev_hash: str) -> str:
    content = [_canonical(row[column]) for column in HASHED_COLUMNS] + [prev_hash]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def _append(connection, rows: list[dict]) -> None:
    """Chain and insert rows. Updating the head row first takes the lock that queues other writers until
    this transaction ends (a row lock on PostgreSQL, the write lock on SQLite)."""
    head = AuditChainHead.__table__
    locked = connection.execute(update(head).where(head.c.id == HEAD_ID).values(last_hash=head.c.last_hash))
    if not locked.rowcount:  # a database made without the migrations
        connection.execute(insert(head).values(id=HEAD_ID, last_hash=GENESIS))
    previous = connection.execute(select(head.c.last_hash).where(head.c.id == HEAD_ID)).scalar_one()
    for row in rows:
        row["prev_hash"] = previous
        row["entry_hash"] = previous = entry_hash(row, previous)
    # One row at a time: the ids must follow the chain's order.
    for row in rows:
        connection.execute(insert(AuditLog.__table__).values(**row))
    connection.execute(update(head).where(head.c.id == HEAD_ID).values(last_hash=previous))


def _append_and_commit(session, entry: dict) -> None:
    _append(session.connection(), [entry])
    session.commit()


def record(action: str, instance, detail: dict | None = None) -> None:
    """Audit an event that changes nothing in the database (a download, a preview), and commit it."""
    session = current_app.appbuilder.session
    add(session, action, instance, detail)
    session.commit()


def login(user) -> None:
    """A successful login, on the web or through the API (once each)."""
    _append_and_commit(current_app.appbuilder.session,
                       _entry("login", "User", user.id, None, actor=(user.id, user.username)))


def login_failed(username: str, user, reason: str) -> None:
    """A refused login: wrong password, unknown or inactive account, or one locked after failures."""
    _append_and_commit(current_app.appbuilder.session, _entry(
        "login_failed", "User", user.id if user else None, {"reason": reason},
        actor=(user.id if user else None, (username or "")[:100]),
    ))


def add(session: Session, action: str, instance, detail: dict | None = None) -> None:
    """Audit an event inside the caller's transaction: the entry commits with what it records (an upload)."""
    _append(session.connection(), [_entry(action, type(instance).__name__, inspect(instance).identity[0], detail)])


def _changes(instance) -> dict:
    changed = {}
    for attr in inspect(instance).attrs:
        if attr.key in QUIET_COLUMNS or not attr.history.has_changes():
            continue
        if attr.key in instance.__mapper__.columns:
            changed[attr.key] = attr.history.added[0] if attr.history.added else None
    return changed


def _role_change(user) -> dict | None:
    """The roles a user held before and after this flush, when they changed."""
    history = inspect(user).attrs.roles.history
    if not history.has_changes():
        return None
    before = [role.name for role in (*history.unchanged, *history.deleted)]
    after = [role.name for role in (*history.unchanged, *history.added)]
    return {"roles": {"before": sorted(before), "after": sorted(after)}} if sorted(before) != sorted(after) else None


def _user_events(user) -> list[tuple[str, object, dict | None]]:
    events = []
    if inspect(user).attrs.password.history.has_changes():
        events.append(("password_change", user, None))
    roles = _role_change(user)
    if roles:
        events.append(("roles_change", user, roles))
    return events


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
            if isinstance(instance, User):
                pending.extend(_user_events(instance))
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
        _append(session.connection(), rows)


# --- Verification --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BrokenEntry:
    entry_id: int | None
    reason: str


def verify_chain(connection, progress=lambda _done: None) -> tuple[int, BrokenEntry | None, str]:
    """Walks the chain in id order: (entries checked, the first broken entry or None, the newest hash)."""
    table = AuditLog.__table__
    previous, checked, last_id = GENESIS, 0, None
    rows = connection.execution_options(yield_per=1000).execute(select(table).order_by(table.c.id)).mappings()
    for row in rows:
        if row["prev_hash"] != previous:
            return checked, BrokenEntry(row["id"], "does not follow the entry before it: one was deleted, "
                                                   "inserted or moved"), previous
        if entry_hash(row, previous) != row["entry_hash"]:
            return checked, BrokenEntry(row["id"], "its content was changed"), previous
        previous, last_id, checked = row["entry_hash"], row["id"], checked + 1
        progress(1)
    head = connection.execute(select(AuditChainHead.last_hash).where(AuditChainHead.id == HEAD_ID)).scalar()
    if (head or GENESIS) != previous:
        return checked, BrokenEntry(last_id, "entries after it were deleted"), previous
    return checked, None, previous


@click.command("audit-verify")
@with_appcontext
def audit_verify_command():
    """Check that no audit log entry was changed, deleted or reordered; exit 1 at the first broken one."""
    connection = current_app.appbuilder.session.connection()
    total = connection.execute(select(func.count()).select_from(AuditLog.__table__)).scalar_one()
    with click.progressbar(length=total, label="Checking the audit log") as bar:
        checked, broken, newest = verify_chain(connection, bar.update)
    if broken:
        click.echo(f"Audit log broken at entry {broken.entry_id}: {broken.reason} "
                   f"({checked} entries before it are intact).", err=True)
        raise SystemExit(1)
    # Kept outside the database, the newest hash also exposes a chain rebuilt from scratch.
    click.echo(f"Audit log intact: {checked} entries, newest hash {newest}.")


def init_app(_flask_app) -> None:
    # On every session class, so that scripts and the CLI are audited like the screens.
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
