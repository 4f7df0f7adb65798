""""Tugas saya": what waits for a user's role (and sector), oldest first, with the time left."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import and_, func, or_

from app.models import Application, ApplicationStatus
from app.security.scope import limit_to_scope
from app.workflow.context import WorkflowContext, clock_started, context_of
from app.workflow.flow import Node
from app.workflow.timeline import Due, due

OPEN = (ApplicationStatus.in_progress, ApplicationStatus.waiting_applicant)
# Where a file waits in the flows: its SOP revision, its track and its node.
PLACE = (Application.sop_id, Application.track, Application.current_node)


@dataclass(frozen=True)
class Task:
    application: Application
    role: str
    context: WorkflowContext

    @cached_property
    def due(self) -> Due:
        """Worked out when read (calendar arithmetic): the inbox shows one page of a long list."""
        return due(self.application, context=self.context)


def tasks_for(session, user) -> list[Task]:
    return task_page(session, user)[1]


def task_page(session, user, start: int = 0, stop: int | None = None) -> tuple[int, list[Task]]:
    """How many files wait for ``user``, and the tasks from ``start`` to ``stop`` among them: oldest first,
    paused ones (waiting on the applicant) after those whose clock runs. Only the page's files are loaded."""
    open_files = limit_to_scope(session.query(Application).filter(Application.status.in_(OPEN)), Application)
    places = _places_acted_on(session, open_files, user)
    if not places:
        return 0, []
    waiting = open_files.filter(or_(*(and_(*(column == value for column, value in zip(PLACE, place)))
                                      for place in places)))  # == None compiles to IS NULL

    def oldest_first(row) -> tuple:
        started = clock_started(places[tuple(row[1:4])][1], *row[4:7])
        return started is None, started or row[7]

    rows = sorted(waiting.with_entities(Application.id, *PLACE, Application.step_started_at, Application.problem_flag,
                                        Application.problem_solved_at, Application.created_at), key=oldest_first)
    page = [row[0] for row in rows[start:stop]]
    loaded = {application.id: application for application in (
        waiting if stop is None else session.query(Application).filter(Application.id.in_(page or [0])))}
    tasks = [(loaded[pk], places[tuple(row[1:4])][0]) for pk, row in zip(page, rows[start:stop])]
    return len(rows), [Task(application, role, context_of(application)) for application, role in tasks]


def _places_acted_on(session, open_files, user) -> dict[tuple, tuple[str, Node]]:
    """The places where ``user`` acts, with the role they act under and the node, decided once per place from
    one file waiting there (the role depends on the place and the user's sector, which the scope fixes)."""
    first_ids = [first_id for (first_id,) in open_files.with_entities(func.min(Application.id)).group_by(*PLACE)]
    places = {}
    for sample in session.query(Application).filter(Application.id.in_(first_ids)) if first_ids else []:
        context = context_of(sample)
        role = context.acting_role(user)
        if role:
            places[tuple(getattr(sample, column.key) for column in PLACE)] = (role, context.node)
    return places
