"""An application's timeline: each completed step against its standard, the current step's deadline,
and the decree's SIGAP input rule. Read by the API, the application page and the inbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.models.base import utcnow
from app.workflow import calendar
from app.workflow.context import WorkflowContext, context_of
from app.workflow.labels import step_label


@dataclass(frozen=True)
class Due:
    """Where the current step stands against its standard."""

    node: str
    step: object
    actors: tuple[str, ...]
    started_at: dt.datetime | None
    standard_minutes: int | None
    deadline: dt.datetime | None
    minutes_left: int | None  # negative: overdue
    label: str = ""

    @property
    def overdue(self) -> bool:
        return self.minutes_left is not None and self.minutes_left < 0


def due(application, now: dt.datetime | None = None, context: WorkflowContext | None = None) -> Due | None:
    context = context or context_of(application)
    node = context.node
    if node is None:
        return None
    now = now or utcnow()
    started, standard = context.step_started, context.standard_minutes
    label = step_label(context.step, node)
    if started is None or standard is None:
        return Due(node.id, context.step, context.actors(), started, standard, None, None, label)
    deadline = calendar.deadline(context.session, started, standard)
    left = standard - calendar.working_minutes(context.session, started, now)
    if now > deadline:
        left = min(left, -1)
    return Due(node.id, context.step, context.actors(), started, standard, deadline, left, label)


def input_rule(context: WorkflowContext) -> dict | None:
    """Registration to the end of the SIGAP input, against 1 hour (or 1 working day after a solved problem)."""
    application, rule = context.application, context.flow.input_rule
    if not rule:
        return None
    done = next((h for h in application.history if h.node == rule["until"]), None)
    if application.problem_flag:
        name, start = rule["problem_standard"], application.problem_solved_at
        limit = context.calendar.working_days_as_minutes(context.rules[name])
    else:
        name, start, limit = rule["standard"], application.created_at, context.rules[rule["standard"]]
    actual = None
    if done is not None and start is not None:
        actual = calendar.working_minutes(context.session, min(start, done.finished_at), done.finished_at)
    return {"rule": name, "standard_minutes": limit, "working_minutes": actual,
            "met_standard": None if actual is None else actual <= limit}


def history_row(history, context: WorkflowContext) -> dict:
    return {
        "node": history.node, "step": history.step.code, "sop": history.step.sop.code,
        "sop_revision": history.sop_revision, "activity": history.step.activity,
        "label": step_label(history.step, context.node_named(history.node)), "actor_role": history.actor_role,
        "user": history.user.username if history.user else None, "started_at": _iso(history.started_at),
        "finished_at": _iso(history.finished_at), "working_minutes": history.working_minutes,
        "standard_minutes": history.standard_minutes, "met_standard": history.met_standard,
        "outcome": history.outcome, "note": history.note,
    }


def timeline(application, now: dt.datetime | None = None) -> dict:
    context = context_of(application)
    current = due(application, now, context)
    return {
        "registration_number": application.registration_number,
        "status": application.status.name,
        "track": application.track,
        "steps": [history_row(h, context) for h in application.history],
        "current": None if current is None else {
            "node": current.node, "step": current.step.code, "activity": current.step.activity, "label": current.label,
            "actors": list(current.actors),
            "started_at": _iso(current.started_at), "standard_minutes": current.standard_minutes,
            "deadline": _iso(current.deadline), "minutes_left": current.minutes_left, "overdue": current.overdue,
        },
        "breaches": sum(1 for h in application.history if h.met_standard is False),
        "input_rule": input_rule(context),
    }


def _iso(moment):
    return moment.isoformat() if moment else None
