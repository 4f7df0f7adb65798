"""The outbox's worker tasks, on the archive's huey (one worker process runs both, `flask sigap worker`):
a send after each commit that queued messages, a sweep every minute (retries come due), and the daily scan
that queues "permit expiring" messages."""

from __future__ import annotations

from flask import current_app, has_app_context
from huey import crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.models import OutboxMessage, OutboxState
from app.notify.expiry import queue_expiry_messages
from app.notify.outbox import deliver_due
from app.permits.validity import office_today

EXTENSION_KEY = "sigap_notify"
PENDING_KEY = "sigap_notify_pending"


def init_app(flask_app) -> None:
    from app.archive.tasks import _private_session, get_archive

    with flask_app.app_context():
        huey = get_archive().huey

    def deliver() -> None:
        with flask_app.app_context():
            with _private_session() as session:
                deliver_due(session)

    def scan_expiring() -> None:
        with flask_app.app_context():
            with _private_session() as session:
                queue_expiry_messages(session, office_today())
                session.commit()
            deliver()

    tasks = {
        "deliver": huey.task(name="notify_deliver")(deliver),
        "sweep": huey.periodic_task(crontab(minute="*"), name="notify_sweep")(deliver),
        "expiring": huey.periodic_task(crontab(hour="7", minute="0"), name="notify_expiring")(scan_expiring),
    }
    flask_app.extensions[EXTENSION_KEY] = tasks
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _forget)


def _after_flush(session: Session, _context) -> None:
    if any(isinstance(o, OutboxMessage) and o.state is OutboxState.queued for o in session.new):
        session.info[PENDING_KEY] = True


def _after_commit(session: Session) -> None:
    if session.info.pop(PENDING_KEY, False) and has_app_context() and EXTENSION_KEY in current_app.extensions:
        current_app.extensions[EXTENSION_KEY]["deliver"]()


def _forget(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)
