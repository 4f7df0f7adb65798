"""The home page: what waits for the user's role, and one click to the next piece of work.

Everyone sees their inbox (count, overdue, due today) and the applications they last worked on; the
front office its queue and a new application; the Admin the health of OCR, the worker and the store.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, send_from_directory
from flask_appbuilder import IndexView, expose
from sqlalchemy import func

from app.archive.ocr import ocr_problem
from app.archive.tasks import get_archive, unreadable_without_ocr
from app.frontdesk.queue import COUNTERS
from app.models import Application, Document, ExtractionState, StepHistory
from app.models.base import utcnow
from app.security.permissions import CAN_CREATE, CAN_EDIT, Resource
from app.security.scope import is_sector_scoped, limit_to_scope, scoped_sector_id
from app.storage import StorageError, get_store
from app.views.base import appbuilder
from app.views.workflow import CsrfOnly
from app.workflow.calendar import to_local
from app.workflow.inbox import tasks_for

RECENT = 5
# Documents still waiting this long after upload mean nobody is reading the queue.
WORKER_SILENT_AFTER = dt.timedelta(minutes=10)


@dataclass
class SystemHealth:
    ocr_problem: str | None
    unreadable_without_ocr: int
    failed_extractions: int
    queued_tasks: int | None
    stalled_documents: int
    storage_error: str | None


@dataclass
class Home:
    tasks: list
    overdue: list
    due_today: list
    per_step: list
    recent: list
    counters: list = field(default_factory=list)
    may_register: bool = False
    without_sector: bool = False
    health: SystemHealth | None = None


class SigapIndexView(IndexView):
    index_template = "sigap/index.html"

    @expose("/")
    def index(self):
        user = self.appbuilder.sm.current_user
        if not user or not user.is_authenticated:
            return self.render_template(self.index_template, home=None)
        return self.render_template(self.index_template, home=home_of(user), csrf=CsrfOnly())

    @expose("/favicon.ico")
    def favicon(self):
        return send_from_directory(str(current_app.static_folder), "favicon.ico", mimetype="image/vnd.microsoft.icon")


def home_of(user) -> Home:
    session = appbuilder().session
    sm = appbuilder().sm
    tasks = tasks_for(session, user)
    today = to_local(utcnow()).date()
    running = [t for t in tasks if t.due.deadline is not None]
    return Home(
        tasks=tasks,
        overdue=[t for t in running if t.due.overdue],
        due_today=[t for t in running if not t.due.overdue and _on_day(t.due.deadline, today)],
        per_step=Counter(t.due.label for t in tasks).most_common(),
        recent=recently_touched(session, user),
        counters=sorted(set(COUNTERS.values())) if sm.has_access(CAN_EDIT, Resource.QUEUE_TICKET) else [],
        may_register=sm.has_access(CAN_CREATE, Resource.COUNTER_INTAKE),
        without_sector=is_sector_scoped(user) and scoped_sector_id(user) is None,
        health=system_health(session) if is_admin(user) else None,
    )


def _on_day(moment: dt.datetime | None, day: dt.date) -> bool:
    return moment is not None and to_local(moment).date() == day


def is_admin(user) -> bool:
    return any(role.name == current_app.config["AUTH_ROLE_ADMIN"] for role in user.roles)


def recently_touched(session, user) -> list[Application]:
    """The applications whose steps the user finished last, newest first."""
    last_touch: Any = func.max(StepHistory.finished_at)
    rows = (limit_to_scope(session.query(Application), Application)
            .join(StepHistory, StepHistory.application_id == Application.id)
            .filter(StepHistory.user_id == user.id)
            .group_by(Application.id).order_by(last_touch.desc()).limit(RECENT))
    return rows.all()


def system_health(session) -> SystemHealth:
    failed = session.query(func.count(Document.id)).filter(Document.extraction_state == ExtractionState.failed)
    stalled = session.query(func.count(Document.id)).filter(
        Document.extraction_state == ExtractionState.waiting, Document.uploaded_at < utcnow() - WORKER_SILENT_AFTER)
    return SystemHealth(
        ocr_problem=ocr_problem(current_app.config["OCR_LANGUAGES"]),
        unreadable_without_ocr=unreadable_without_ocr(session).count(),
        failed_extractions=failed.scalar(),
        queued_tasks=_queued_tasks(),
        stalled_documents=stalled.scalar(),
        storage_error=_storage_error(),
    )


def _queued_tasks() -> int | None:
    try:
        return get_archive().huey.pending_count()  # type: ignore[attr-defined]
    except Exception:  # the queue's own store (Redis, SQLite) is unreachable: shown as unknown
        current_app.logger.exception("huey queue unreadable")
        return None


def _storage_error() -> str | None:
    try:
        get_store().exists("sigap-health-check")
    except StorageError as error:
        return str(error)
    return None
