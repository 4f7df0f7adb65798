""""Tugas saya": what waits for a user's role (and sector), oldest first, with the time left."""

from __future__ import annotations

from dataclasses import dataclass

from app.models import Application, ApplicationStatus
from app.security.scope import limit_to_scope
from app.workflow.context import context_of
from app.workflow.timeline import Due, due

OPEN = (ApplicationStatus.in_progress, ApplicationStatus.waiting_applicant)


@dataclass(frozen=True)
class Task:
    application: Application
    role: str
    due: Due


def tasks_for(session, user) -> list[Task]:
    query = limit_to_scope(session.query(Application).filter(Application.status.in_(OPEN)), Application)
    tasks = []
    for application in query:
        context = context_of(application)
        role = context.acting_role(user)
        if role:
            tasks.append(Task(application, role, due(application, context=context)))
    # Oldest first; paused ones (waiting on the applicant) after those whose clock runs.
    return sorted(tasks, key=lambda t: (t.due.started_at is None, t.due.started_at or t.application.created_at))
