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
from app.models import ApplicationStatus, Document, StepHistory
from app.models.base import utcnow
from app.workflow import calendar
from app.workflow.context import CLOSED, WorkflowContext, context_of
from app.workflow.flow import CONTINUE, Node, Outcome, Track
from app.workflow.step_data import CHECKS, DOCUMENTS, schema_for
from app.workflow.step_effects import apply_effect

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


def complete_step(application, step_code: str, user, data: dict, now: dt.datetime | None = None) -> StepHistory:
    """Complete the current step with its data; raises NotCurrentStep, NotAllowed or StepDataInvalid."""
    now = now or utcnow()
    context = context_of(application)
    if not any(context.acting_role(user, other) for other in _nodes_of_step(context, step_code)):
        raise NotAllowed()
    node = context.node
    if node is None or node.step_code != step_code:
        raise NotCurrentStep()
    role = context.acting_role(user)
    if role is None:
        raise NotAllowed()
    values = _validated(application, node, data)
    apply_effect(node.form, application, values, user, now)
    track = _track(context)
    history = _record(context, role, user, values, now)
    _move(context, track, node.outcomes.get(values.get("outcome", CONTINUE), Outcome()), now)
    context.session.flush()
    return history


def _nodes_of_step(context: WorkflowContext, step_code: str) -> list[Node]:
    """The nodes of the application's track (every track before one is chosen) that run this step."""
    flow, track_code = context.flow, context.application.track
    tracks = [flow.track(track_code)] if track_code else flow.tracks
    return [node for track in tracks for node in track.nodes if node.step_code == step_code]


def _validated(application, node: Node, data: dict) -> dict:
    try:
        values = schema_for(node).load(data)
    except ValidationError as error:
        raise StepDataInvalid(error.messages) from error
    errors = {}
    for name, types in DOCUMENTS.get(node.form, {}).items():
        ids = values[name] if isinstance(values[name], list) else [values[name]]
        if not all(_document_of(application, document_id, types) for document_id in ids):
            errors[name] = [gettext("Upload the document (%(types)s) to this application first.",
                                    types=", ".join(types)) if types else
                            gettext("Upload the documents to this application first.")]
    errors = errors or CHECKS.get(node.form, lambda *_: {})(application, values)
    if errors:
        raise StepDataInvalid(errors)
    return values


def _document_of(application, document_id, types: tuple[str, ...]) -> bool:
    """The document exists, belongs to the application and is of one of the types (any, when none is given)."""
    document = object_session(application).get(Document, document_id)
    return (document is not None and document.application_id == application.id
            and (not types or document.document_type.code in types))


def _track(context: WorkflowContext) -> Track:
    application, flow = context.application, context.flow
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


def _record(context: WorkflowContext, role: str, user, values: dict, now: dt.datetime) -> StepHistory:
    application, step = context.application, context.step
    started = min(context.step_started or values.get("fix_received_at") or now, now)
    working = calendar.working_minutes(context.session, started, now)
    standard = context.standard_minutes
    history = StepHistory(
        application=application, step=step, node=context.node.id, actor_role=role, user_id=user.id,
        started_at=started, finished_at=now, sop_revision=step.sop.revision, standard_minutes=standard,
        working_minutes=working, met_standard=None if standard is None else working <= standard,
        outcome=values.get("outcome", CONTINUE), note=values.get("reason") or values.get("note"),
        data=_plain(values),
    )
    context.session.add(history)
    return history


def _move(context: WorkflowContext, track: Track, outcome: Outcome, now: dt.datetime) -> None:
    application = context.application
    target = track.node(outcome.to) if outcome.to else track.after(context.node.id)
    status = outcome.status or ApplicationStatus.in_progress
    if status in CLOSED or target is None:
        application.status = status if status in CLOSED else ApplicationStatus.done
        application.current_node = application.current_step = application.step_started_at = None
        return
    application.status = status
    application.current_node = target.id
    application.current_step = context.step_of(target)
    application.step_started_at = None if status is ApplicationStatus.waiting_applicant else now


def _plain(values: dict) -> dict:
    """The step's data as JSON (dates as ISO text)."""
    def plain(value):
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        return value.name if isinstance(value, enum.Enum) else value
    return {key: plain(value) for key, value in values.items() if value not in (None, [], "")}
