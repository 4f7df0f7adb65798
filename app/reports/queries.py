"""Which applications (or completed steps) stand behind each figure of the dashboard: one query per kind of figure, shared by
the counts (app/reports/figures.py) and the list a figure links to, so the two always agree."""

from __future__ import annotations

from dataclasses import dataclass

from app.models import Application, ApplicationStatus, Permit, StepHistory
from app.reports.period import Period

OPEN = (ApplicationStatus.in_progress, ApplicationStatus.waiting_applicant)
# The dashboard's outcome columns: waiting for the applicant's fix is still in progress.
STATUS_GROUPS = {
    "in_progress": OPEN,
    "done": (ApplicationStatus.done,),
    "rejected": (ApplicationStatus.rejected,),
    "stopped": (ApplicationStatus.stopped,),
}
BASES = ("received", "issued", "open", "steps")


@dataclass(frozen=True)
class Selection:
    """A figure's filter, as the list URL carries it (every field optional but the basis)."""

    basis: str = "received"
    status: str | None = None
    service: int | None = None
    channel: str | None = None
    risk_level: str | None = None
    sector: int | None = None
    node: str | None = None
    nodes: tuple[str, ...] = ()
    step: int | None = None
    role: str | None = None
    officer: int | None = None
    met: bool | None = None
    timed: bool = False  # only steps that have a standard (the SLA figures)


def applications(session, period: Period, selection: Selection):
    """The query of the applications behind a figure, oldest open first or newest first."""
    query = session.query(Application)
    basis = selection.basis
    if basis == "received":
        query = query.filter(Application.created_at >= period.utc_start, Application.created_at < period.utc_end)
    elif basis == "issued":
        query = query.join(Permit, Permit.application_id == Application.id).filter(
            Permit.issued_on >= period.start, Permit.issued_on <= period.end)
    elif basis == "open":
        query = query.filter(Application.status.in_(OPEN))
    if selection.status:
        query = query.filter(Application.status.in_(STATUS_GROUPS[selection.status]))
    if selection.node:
        query = query.filter(Application.current_node == selection.node)
    if selection.nodes:
        query = query.filter(Application.current_node.in_(selection.nodes))
    for column, value in ((Application.service_id, selection.service), (Application.channel, selection.channel),
                          (Application.risk_level, selection.risk_level), (Application.sector_id, selection.sector)):
        if value is not None:
            query = query.filter(column == value)
    order = Application.created_at.asc() if basis == "open" else Application.created_at.desc()
    return query.order_by(order, Application.id)


def steps(session, period: Period, selection: Selection):
    """The completed steps behind a step figure (each names its application, if it is of one), newest first."""
    query = (session.query(StepHistory).outerjoin(Application, Application.id == StepHistory.application_id)
             .filter(*steps_in(period)))
    if selection.service is not None:
        query = query.filter(Application.service_id == selection.service)
    for column, value in ((StepHistory.step_id, selection.step), (StepHistory.actor_role, selection.role),
                          (StepHistory.user_id, selection.officer)):
        if value is not None:
            query = query.filter(column == value)
    if selection.met is not None:
        query = query.filter(StepHistory.met_standard.is_(selection.met))
    else:
        query = query.filter(StepHistory.met_standard.is_not(None)) if selection.timed else query
    return query.order_by(StepHistory.finished_at.desc(), StepHistory.id)


def steps_in(period: Period):
    """The step-history rows finished in the period (the base of the step figures)."""
    return (StepHistory.finished_at >= period.utc_start, StepHistory.finished_at < period.utc_end)
