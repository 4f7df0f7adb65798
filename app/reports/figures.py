"""The dashboard's figures for a period, aggregated by the database (GROUP BY), never row by row in Python.

One plain dict (JSON-ready) feeds the page, the API, the XLSX and the PDF, so they all show the same
numbers. Every figure carries the Selection (app/reports/queries.py) of the applications behind it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import case, func

from app.models import Application, Channel, Permit, RiskLevel, Sector, Service, SopStep
from app.reports.period import Period
from app.reports import rollup
from app.reports.queries import OPEN, STATUS_GROUPS
from app.skm.ikm import ikm_summary
from app.workflow.calendar import to_local
from app.workflow.labels import label_at, node_of, step_label

OLDEST_OPEN = 20
P90 = 90  # percent


def summary(session, period: Period, now: dt.datetime) -> dict:
    return {
        "period": period.as_args(),
        "generated_at": now.isoformat(),
        "applications": applications(session, period),
        "permits_issued": permits_issued(session, period),
        "backlog": backlog(session),
        "step_times": step_times(session, period),
        "sla": sla(session, period),
        "oldest_open": oldest_open(session, now),
        "ikm": ikm_summary(session, period),
    }


# --- applications received, by outcome -------------------------------------------------------------

def applications(session, period: Period) -> dict:
    """Applications received in the period by their outcome now, per service, channel, risk level and sector."""
    outcome = {group: func.sum(case((Application.status.in_(statuses), 1), else_=0))
               for group, statuses in STATUS_GROUPS.items()}
    rows = (session.query(Application.service_id, Application.channel, Application.risk_level,
                          Application.sector_id, func.count(), *outcome.values())
            .filter(Application.created_at >= period.utc_start, Application.created_at < period.utc_end)
            .group_by(Application.service_id, Application.channel, Application.risk_level, Application.sector_id)
            .all())
    services = {s.id: s for s in session.query(Service)}
    sectors = {s.id: s for s in session.query(Sector)}
    dimensions = {
        "service": lambda row: (row[0], services[row[0]].name),
        "channel": lambda row: (row[1].name, str(row[1])),
        "risk_level": lambda row: (row[2].name if row[2] else None, str(row[2]) if row[2] else "-"),
        "sector": lambda row: (row[3], sectors[row[3]].name),
    }
    result = {"total": _outcome_counts(rows)}
    for name, key_of in dimensions.items():
        grouped = defaultdict(list)
        for row in rows:
            grouped[key_of(row)].append(row)
        result[f"by_{name}"] = sorted(
            ({"key": key, "label": label, **_outcome_counts(group)} for (key, label), group in grouped.items()),
            key=lambda item: (-item["received"], item["label"]))
    return result


def _outcome_counts(rows) -> dict:
    counts = {"received": sum(row[4] for row in rows)}
    for position, group in enumerate(STATUS_GROUPS, start=5):
        counts[group] = sum(int(row[position] or 0) for row in rows)
    return counts


def permits_issued(session, period: Period) -> dict:
    rows = (session.query(Application.service_id, func.count())
            .join(Permit, Permit.application_id == Application.id)
            .filter(Permit.issued_on >= period.start, Permit.issued_on <= period.end)
            .group_by(Application.service_id).all())
    names = dict(session.query(Service.id, Service.name))
    by_service = sorted(({"key": service_id, "label": names[service_id], "count": count}
                         for service_id, count in rows), key=lambda item: (-item["count"], item["label"]))
    return {"total": sum(count for _, count in rows), "by_service": by_service}


# --- the backlog now ----------------------------------------------------------------------------------

def backlog(session) -> dict:
    """Open applications by the step (flow node) they wait at, and by the role that must act."""
    rows = (session.query(Application.sop_id, Application.current_node, Application.current_step_id, func.count())
            .filter(Application.status.in_(OPEN))
            .group_by(Application.sop_id, Application.current_node, Application.current_step_id).all())
    steps = _steps(session, {row[2] for row in rows})
    by_node, by_role = {}, defaultdict(lambda: {"count": 0, "nodes": set()})
    for sop_id, node_id, step_id, count in rows:
        step = steps.get(step_id)
        roles = _node_roles(step, node_id)
        entry = by_node.setdefault(node_id, {"key": node_id, "label": _node_label(step, node_id),
                                             "step": _step_code(step), "roles": roles, "count": 0})
        entry["count"] += count
        for role in roles:
            by_role[role]["count"] += count
            by_role[role]["nodes"].add(node_id)
    return {
        "total": sum(row[3] for row in rows),
        "by_step": sorted(by_node.values(), key=lambda item: -item["count"]),
        "by_role": sorted(({"key": role, "label": role, "count": value["count"], "nodes": sorted(value["nodes"])}
                           for role, value in by_role.items()), key=lambda item: -item["count"]),
    }


def _node_roles(step, node_id: str | None) -> list[str]:
    """Who acts at a node: the flow's narrowing for that node, else the SOP step's actors."""
    if step is None:
        return []
    node = node_of(step, node_id)
    return list(node.actors) if node and node.actors else step.actor_roles


def _node_label(step, node_id: str | None) -> str:
    return label_at(step, node_id) if step else (node_id or "-")


def _steps(session, ids) -> dict:
    ids = {step_id for step_id in ids if step_id is not None}
    return {step.id: step for step in session.query(SopStep).filter(SopStep.id.in_(ids))} if ids else {}


def _step_code(step) -> str:
    return f"{step.sop.code}/{step.code}" if step else "-"


# --- working time per step, and SLA compliance ---------------------------------------------------------

def step_times(session, period: Period) -> list[dict]:
    """Per SOP step (of the revision it ran under): count, average and 90th percentile (nearest rank) of the
    working minutes, beside the step's standard from the SOP data. Read from a histogram (steps per
    distinct duration) that past days keep rolled up (app/reports/rollup.py), not from the rows themselves."""
    histogram = rollup.step_histogram(session, period)
    steps = _steps(session, histogram)
    rows = []
    for step_id, bins in histogram.items():
        step = steps[step_id]
        count = sum(n for _, n in bins)
        rows.append({
            "key": step_id, "step": _step_code(step), "label": step_label(step), "position": step.position,
            "sop_revision": step.sop.revision, "count": count,
            "average_minutes": round(sum(minutes * n for minutes, n in bins) / count, 2),
            "p90_minutes": nearest_rank(bins, P90), "standard_minutes": step.standard_minutes,
        })
    return sorted(rows, key=lambda row: (row["step"].split("/")[0], row["position"], row["sop_revision"]))


def nearest_rank(bins, percent: int) -> int:
    """The smallest value with at least ``percent`` % of all values at or below it; ``bins`` is (value, count)."""
    ordered = sorted(bins)
    rank = -(-sum(n for _, n in ordered) * percent // 100)  # ceil(percent/100 * count), in integers
    seen = 0
    for value, count in ordered:
        seen += count
        if seen >= rank:
            return value
    raise ValueError("empty histogram")


def sla(session, period: Period) -> dict:
    """Share of timed steps (those with a standard) that met it, per step, role, service and officer."""
    totals = rollup.sla_totals(session, period)
    steps = _steps(session, {int(key) for key in totals["step"]})
    services = dict(session.query(Service.id, Service.name))
    officer_ids = {int(key) for key in totals["officer"]}
    users = {user.id: user for user in session.query(User).filter(User.id.in_(officer_ids))} if officer_ids else {}
    labels = {
        "step": lambda key: f"{_step_code(steps[key])} — {step_label(steps[key])}",
        "role": lambda key: key,
        "officer": lambda key: f"{users[key].first_name} {users[key].last_name} ({users[key].username})"
        if key in users else "-",
        "service": lambda key: services.get(key, "-"),
    }
    return {name: _compliance(totals[name], labels[name], int if name != "role" else str) for name in labels}


def _compliance(totals: dict, label, key_type) -> list[dict]:
    rows = []
    for key, (timed, met) in totals.items():
        key = key_type(key)
        rows.append({"key": key, "label": label(key), "timed": timed, "met": met,
                     "compliance": round(100 * met / timed, 2)})
    return sorted(rows, key=lambda item: (item["compliance"], item["label"]))


# --- the oldest open files ------------------------------------------------------------------------------

def oldest_open(session, now: dt.datetime) -> list[dict]:
    rows = (session.query(Application.id, Application.registration_number, Application.created_at,
                          Application.status, Application.current_node, Service.name)
            .join(Service, Service.id == Application.service_id)
            .filter(Application.status.in_(OPEN))
            .order_by(Application.created_at.asc(), Application.id).limit(OLDEST_OPEN).all())
    return [{"key": pk, "registration_number": number, "registered_at": to_local(created).isoformat(),
             "age_days": (now - created).days, "status": status.name, "status_label": str(status),
             "node": node, "service": service}
            for pk, number, created, status, node, service in rows]


def dimension_labels() -> dict:
    """Labels of the enum dimensions, for the list page's heading."""
    return {"channel": {c.name: str(c) for c in Channel}, "risk_level": {r.name: str(r) for r in RiskLevel}}
