"""The workflow engine: an application moves through its SOP's flow one completed step at a time.

Everything about steps (order, actors, forms, standards, what outcomes do) comes from the flow in
sops.yaml (app/workflow/flow.py); this module applies it and records each completion, timed.
"""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import gettext
from marshmallow import ValidationError
from sqlalchemy.orm import object_session

from app.errors import UserError
from app.models import ApplicationStatus, Document, Sop, SopStep, StepHistory
from app.models.base import utcnow
from app.security.scope import may_see_sector
from app.workflow import calendar
from app.workflow.flow import CONTINUE, Node, Outcome, Track, flow_of
from app.workflow.step_data import DOCUMENTS, schema_for
from app.workflow.step_effects import apply_effect

CLOSED = (ApplicationStatus.rejected, ApplicationStatus.stopped, ApplicationStatus.done)


class NotAllowed(UserError):
    """The user's role (or sector) may not complete this step."""

    status = 403

    def __init__(self):
        super().__init__(gettext("Your role may not complete this step."))


class NotCurrentStep(UserError):
    """The step is not the one the application waits for."""

    status = 409

    def __init__(self):
        super().__init__(gettext("This is not the application's current step."))


class StepDataInvalid(UserError):
    """The step's data, refused field by field."""

    status = 422

    def __init__(self, errors: dict):
        super().__init__(" ".join(str(message) for messages in errors.values() for message in _as_list(messages)))
        self.errors = errors

    def by_field(self) -> dict:
        return self.errors


def _as_list(messages) -> list:
    return messages if isinstance(messages, list) else [messages]


def rule_value(sop: Sop, name: str):
    """A time rule of the decree, as the SOP revision was loaded with it."""
    return sop.rules[name]


def current_node(application) -> Node | None:
    if application.status in CLOSED:
        return None
    flow = flow_of(application.sop)
    if application.track is None:
        return flow.first
    return flow.track(application.track).node(application.current_node)


def step_of(application, node: Node) -> SopStep:
    """The node's SOP step: the application's own SOP revision, or the current revision of a borrowed SOP."""
    if node.sop_code is None:
        return next(step for step in application.sop.steps if step.code == node.step_code)
    session = object_session(application)
    return (session.query(SopStep).join(SopStep.sop)
            .filter(Sop.code == node.sop_code, Sop.is_current.is_(True), SopStep.code == node.step_code).one())


def actors(application, node: Node) -> tuple[str, ...]:
    return node.actors or tuple(step_of(application, node).actor_roles)


def acting_role(user, application, node: Node | None) -> str | None:
    """The role under which ``user`` may complete ``node`` (in their sector), if any."""
    if node is None or user is None or not may_see_sector(application.sector_id, user):
        return None
    held = {role.name for role in user.roles}
    return next((role for role in actors(application, node) if role in held), None)


def standard_minutes(application, node: Node) -> int | None:
    """The step's standard in working minutes: the SOP's, the service's days, or the problem rule's days."""
    session = object_session(application)
    if application.problem_flag and node.problem_standard:
        return calendar.office_calendar(session).working_days_as_minutes(rule_value(application.sop, node.problem_standard))
    if node.standard == "service_days":
        return calendar.office_calendar(session).working_days_as_minutes(application.service.standard_days)
    return step_of(application, node).standard_minutes


def step_started(application, node: Node) -> dt.datetime | None:
    """When the current step's clock started (None while paused, waiting on the applicant)."""
    started = application.step_started_at
    if application.problem_flag and node.problem_standard and application.problem_solved_at:
        started = max(started or application.problem_solved_at, application.problem_solved_at)
    return started


def complete_step(application, step_code: str, user, data: dict, now: dt.datetime | None = None) -> StepHistory:
    """Complete the current step with its data; raises NotCurrentStep, NotAllowed or StepDataInvalid."""
    now = now or utcnow()
    node = current_node(application)
    if not any(acting_role(user, application, other) for other in _nodes_of_step(application, step_code)):
        raise NotAllowed()
    if node is None or node.step_code != step_code:
        raise NotCurrentStep()
    role = acting_role(user, application, node)
    if role is None:
        raise NotAllowed()
    values = _validated(application, node, data)
    apply_effect(node.form, application, values, user, now)
    track = _track(application)
    history = _record(application, node, role, user, values, now)
    _move(application, track, node, node.outcomes.get(values.get("outcome", CONTINUE), Outcome()), now)
    object_session(application).flush()
    return history


def _nodes_of_step(application, step_code: str) -> list[Node]:
    """The nodes of the application's track (every track before one is chosen) that run this step."""
    flow = flow_of(application.sop)
    tracks = [flow.track(application.track)] if application.track else flow.tracks
    return [node for track in tracks for node in track.nodes if node.step_code == step_code]


def _validated(application, node: Node, data: dict) -> dict:
    try:
        values = schema_for(node).load(data)
    except ValidationError as error:
        raise StepDataInvalid(error.messages) from error
    errors = {}
    for name, types in DOCUMENTS.get(node.form, {}).items():
        document = object_session(application).get(Document, values[name])
        if document is None or document.application_id != application.id or document.document_type.code not in types:
            errors[name] = [gettext("Upload the document (%(types)s) to this application first.",
                                    types=", ".join(types))]
    if errors:
        raise StepDataInvalid(errors)
    return values


def _track(application) -> Track:
    flow = flow_of(application.sop)
    if application.track:
        return flow.track(application.track)
    facts = {
        "channel": application.channel.name,
        "risk_level": application.risk_level.name if application.risk_level else None,
        "is_permit": application.service.is_permit,
    }
    track = flow.track_for(facts)
    if track is None:
        raise StepDataInvalid({"risk_level": [gettext("Give the risk level of this business.")]})
    application.track = track.code
    return track


def _record(application, node: Node, role: str, user, values: dict, now: dt.datetime) -> StepHistory:
    step = step_of(application, node)
    started = step_started(application, node) or values.get("fix_received_at") or now
    started = min(started, now)
    working = calendar.working_minutes(object_session(application), started, now)
    standard = standard_minutes(application, node)
    history = StepHistory(
        application=application, step=step, node=node.id, actor_role=role, user_id=user.id,
        started_at=started, finished_at=now, sop_revision=step.sop.revision, standard_minutes=standard,
        working_minutes=working, met_standard=None if standard is None else working <= standard,
        outcome=values.get("outcome", CONTINUE), note=values.get("reason") or values.get("note"),
        data=_plain(values),
    )
    object_session(application).add(history)
    return history


def _move(application, track: Track, node: Node, outcome: Outcome, now: dt.datetime) -> None:
    target = track.node(outcome.to) if outcome.to else track.after(node.id)
    status = outcome.status or ApplicationStatus.in_progress
    if status in CLOSED or target is None:
        application.status = status if status in CLOSED else ApplicationStatus.done
        application.current_node = application.current_step = application.step_started_at = None
        return
    application.status = status
    application.current_node = target.id
    application.current_step = step_of(application, target)
    application.step_started_at = None if status is ApplicationStatus.waiting_applicant else now


def _plain(values: dict) -> dict:
    """The step's data as JSON (dates as ISO text)."""
    def plain(value):
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        return value.name if isinstance(value, enum.Enum) else value
    return {key: plain(value) for key, value in values.items() if value not in (None, [], "")}
