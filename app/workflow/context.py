"""One application's workflow, worked out once and then read by the engine, the timeline, the inbox and
the public status page: its SOP revision's flow, the node it waits at and that node's SOP step, the
office calendar, and the time rules of its revision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy.orm import Session, object_session

from app.models import Application, ApplicationStatus, Sop, SopStep
from app.security.scope import may_see_sector
from app.workflow import calendar
from app.workflow.clock import WorkCalendar
from app.workflow.flow import Flow, Node, flow_of

CLOSED = (ApplicationStatus.rejected, ApplicationStatus.stopped, ApplicationStatus.done)


@dataclass
class WorkflowContext:
    application: Application
    session: Session
    flow: Flow
    node: Node | None  # None once the application is closed

    @cached_property
    def calendar(self) -> WorkCalendar:
        return calendar.office_calendar(self.session)

    @property
    def rules(self) -> dict:
        return self.application.sop.rules

    @cached_property
    def step(self) -> SopStep | None:
        return None if self.node is None else self.step_of(self.node)

    def step_of(self, node: Node) -> SopStep:
        """The node's SOP step: the application's own SOP revision, or the current revision of a borrowed SOP."""
        if node.sop_code is None:
            return next(step for step in self.application.sop.steps if step.code == node.step_code)
        return (self.session.query(SopStep).join(SopStep.sop)
                .filter(Sop.code == node.sop_code, Sop.is_current.is_(True), SopStep.code == node.step_code).one())

    def node_named(self, node_id: str | None) -> Node | None:
        """A node of the application's track by its id (a step history row's ``node``)."""
        if self.application.track is None or node_id is None:
            return None
        return next((node for node in self.flow.track(self.application.track).nodes if node.id == node_id), None)

    def actors(self, node: Node | None = None) -> tuple[str, ...]:
        node = node or self.node
        if node is None:
            return ()
        return node.actors or tuple((self.step if node is self.node else self.step_of(node)).actor_roles)

    def acting_role(self, user, node: Node | None = None) -> str | None:
        """The role under which ``user`` may complete the node (current by default) in their sector, if any."""
        node = node or self.node
        if node is None or user is None or not may_see_sector(self.application.sector_id, user):
            return None
        held = {role.name for role in user.roles}
        return next((role for role in self.actors(node) if role in held), None)

    @cached_property
    def standard_minutes(self) -> int | None:
        """The current step's standard in working minutes: the SOP's, the service's days, or the problem rule's."""
        application, node = self.application, self.node
        if node is None:
            return None
        if application.problem_flag and node.problem_standard:
            return self.calendar.working_days_as_minutes(self.rules[node.problem_standard])
        if node.standard == "service_days":
            return self.calendar.working_days_as_minutes(application.service.standard_days)
        return self.step.standard_minutes

    @property
    def step_started(self) -> dt.datetime | None:
        """When the current step's clock started (None while paused, waiting on the applicant)."""
        application = self.application
        return clock_started(self.node, application.step_started_at, application.problem_flag,
                             application.problem_solved_at)


def clock_started(node: Node | None, step_started_at, problem_flag: bool, problem_solved_at) -> dt.datetime | None:
    """When the clock of the step at ``node`` started: after a solved problem, not before its solution."""
    if node and problem_flag and node.problem_standard and problem_solved_at:
        return max(step_started_at or problem_solved_at, problem_solved_at)
    return step_started_at


def context_of(application: Application) -> WorkflowContext:
    flow = flow_of(application.sop)
    node = None
    if application.status not in CLOSED:
        node = flow.first if application.track is None else flow.track(application.track).node(application.current_node)
    return WorkflowContext(application, object_session(application), flow, node)
