"""The dashboard's figures as titled tables, each with its chart: what the page, the XLSX (a sheet per
table) and the PDF all show. A cell keeps its real value (number or date) and the selection of the
applications behind it; ``link`` turns a selection into a URL (None in the files)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from flask_babel import lazy_gettext as _l

from app.reports.charts import Bar, Chart, COLOURS

OUTCOMES = (
    ("received", _l("Received")),
    ("in_progress", _l("In progress")),
    ("done", _l("Finished")),
    ("rejected", _l("Rejected")),
    ("stopped", _l("Stopped")),
)
DIMENSIONS = (
    ("service", _l("Applications by service")),
    ("channel", _l("Applications by channel")),
    ("risk_level", _l("Applications by risk level")),
    ("sector", _l("Applications by sector")),
)
SLA_GROUPS = (
    ("step", _l("SLA compliance by step")),
    ("role", _l("SLA compliance by role")),
    ("service", _l("SLA compliance by service")),
    ("officer", _l("SLA compliance by officer")),
)


@dataclass(frozen=True)
class Cell:
    value: object
    selection: dict | None = None


@dataclass(frozen=True)
class Column:
    label: object
    kind: str = "number"  # number, percent, text, datetime


@dataclass
class Table:
    key: str  # the sheet name
    title: object
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    chart: Chart | None = None


def shown(value) -> str:
    """A cell as the page and the PDF print it (the XLSX keeps the value itself)."""
    if value is None:
        return "-"
    if isinstance(value, dt.datetime):
        return f"{value:%d-%m-%Y %H:%M}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def report_tables(figures: dict, link: Callable[[dict], str | None]) -> list[Table]:
    return [
        _totals(figures),
        *(_by_dimension(figures["applications"], name, title, link) for name, title in DIMENSIONS),
        _permits(figures["permits_issued"], link),
        _backlog(figures["backlog"], "by_step", _l("Backlog by step (now)"), link),
        _backlog(figures["backlog"], "by_role", _l("Backlog by role (now)"), link),
        _step_times(figures["step_times"], link),
        *(_sla(figures["sla"][name], name, title, link) for name, title in SLA_GROUPS),
        _oldest(figures["oldest_open"]),
        *_ikm(figures["ikm"]),
    ]


def _totals(figures: dict) -> Table:
    total = figures["applications"]["total"]
    rows = [[Cell(str(label)), Cell(total[key], {"basis": "received", "status": None if key == "received" else key})]
            for key, label in OUTCOMES]
    rows.append([Cell(str(_l("Permits issued"))), Cell(figures["permits_issued"]["total"], {"basis": "issued"})])
    rows.append([Cell(str(_l("Open now (backlog)"))), Cell(figures["backlog"]["total"], {"basis": "open"})])
    return Table("Ringkasan", _l("Summary"), [Column(_l("Figure"), "text"), Column(_l("Count"))], rows)


def _by_dimension(applications: dict, name: str, title, link) -> Table:
    rows = []
    for item in applications[f"by_{name}"]:
        base = {"basis": "received", name: item["key"]}
        rows.append([Cell(item["label"])] + [Cell(item[key], {**base, "status": None if key == "received" else key})
                                             for key, _ in OUTCOMES])
    chart = Chart(str(title), [Bar(row[0].value, row[1].value, link(row[1].selection)) for row in rows])
    return Table(f"Per {name}", title, [Column(_l("Group"), "text")] + [Column(label) for _, label in OUTCOMES],
                 rows, chart)


def _permits(permits: dict, link) -> Table:
    rows = [[Cell(item["label"]), Cell(item["count"], {"basis": "issued", "service": item["key"]})]
            for item in permits["by_service"]]
    chart = Chart(str(_l("Permits issued by service")),
                  [Bar(row[0].value, row[1].value, link(row[1].selection)) for row in rows], COLOURS[1])
    return Table("Izin terbit", _l("Permits issued by service"),
                 [Column(_l("Service"), "text"), Column(_l("Permits issued"))], rows, chart)


def _backlog(backlog: dict, key: str, title, link) -> Table:
    rows = []
    for item in backlog[key]:
        selection = {"basis": "open", "node": item["key"]} if key == "by_step" else {"basis": "open",
                                                                                     "nodes": item["nodes"]}
        label = f"{item['step']} — {item['label']}" if key == "by_step" else item["label"]
        extra = [Cell(", ".join(item["roles"]))] if key == "by_step" else []
        rows.append([Cell(label), *extra, Cell(item["count"], selection)])
    columns = [Column(_l("Step") if key == "by_step" else _l("Role"), "text")]
    if key == "by_step":
        columns.append(Column(_l("Role"), "text"))
    chart = Chart(str(title), [Bar(row[0].value, row[-1].value, link(row[-1].selection)) for row in rows], COLOURS[2])
    return Table("Antrean langkah" if key == "by_step" else "Antrean peran", title,
                 [*columns, Column(_l("Waiting"))], rows, chart)


def _step_times(steps: list[dict], link) -> Table:
    rows = []
    for item in steps:
        selection = {"basis": "steps", "step": item["key"]}
        rows.append([Cell(f"{item['step']} — {item['label']}"), Cell(item["sop_revision"]), Cell(item["count"], selection),
                     Cell(item["average_minutes"]), Cell(item["p90_minutes"]), Cell(item["standard_minutes"])])
    chart = Chart(str(_l("90th percentile of working minutes per step (red mark: the standard)")),
                  [Bar(row[0].value, row[4].value, link(row[2].selection), reference=row[5].value) for row in rows])
    return Table("Waktu per langkah", _l("Working time per step"), [
        Column(_l("Step"), "text"), Column(_l("SOP revision")), Column(_l("Steps done")),
        Column(_l("Average minutes")), Column(_l("90th percentile minutes")), Column(_l("Standard minutes"))],
        rows, chart)


def _sla(items: list[dict], name: str, title, link) -> Table:
    rows = []
    for item in items:
        selection = {"basis": "steps", name: item["key"], "timed": 1}
        rows.append([Cell(item["label"]), Cell(item["timed"], selection),
                     Cell(item["met"], {**selection, "met": 1}), Cell(item["compliance"])])
    chart = Chart(str(title), [Bar(row[0].value, row[3].value, link(row[1].selection), shown=f"{row[3].value:g} %")
                               for row in rows], COLOURS[1], maximum=100)
    return Table(f"SLA {name}", title, [Column(_l("Group"), "text"), Column(_l("Timed steps")),
                                        Column(_l("Within standard")), Column(_l("Compliance (%)"), "percent")],
                 rows, chart)


def _oldest(items: list[dict]) -> Table:
    rows = [[Cell(item["registration_number"], {"application": item["key"]}), Cell(item["service"]),
             Cell(item["status_label"]), Cell(item["node"] or "-"),
             Cell(dt.datetime.fromisoformat(item["registered_at"])), Cell(item["age_days"])] for item in items]
    return Table("Berkas terlama", _l("The 20 oldest open applications"), [
        Column(_l("Registration number"), "text"), Column(_l("Service"), "text"), Column(_l("Status"), "text"),
        Column(_l("Waiting at"), "text"), Column(_l("Registered at"), "datetime"), Column(_l("Age (days)"))], rows)


def _ikm(ikm: dict) -> list[Table]:
    overall = ikm["overall"]
    groups = [("IKM layanan", _l("Satisfaction index (IKM) by service"), ikm["by_service"]),
              ("IKM unit", _l("Satisfaction index (IKM) by unit"), ikm["by_unit"])]
    tables = [_ikm_table("IKM", _l("Satisfaction index (IKM) of the office"),
                         [{"label": str(_l("Whole office")), **overall}] if overall else [])]
    tables += [_ikm_table(key, title, items) for key, title, items in groups]
    if overall:
        tables.append(Table("IKM unsur", _l("Average score per element (NRR)"),
                            [Column(_l("Element"), "text"), Column(_l("NRR"))],
                            [[Cell(ikm["elements"][element]), Cell(value)] for element, value in overall["nrr"].items()],
                            Chart(str(_l("Average score per element (NRR)")),
                                  [Bar(ikm["elements"][element], value) for element, value in overall["nrr"].items()],
                                  COLOURS[4], maximum=4)))
    return tables


def _ikm_table(key: str, title, items: list[dict]) -> Table:
    rows = [[Cell(item["label"]), Cell(item["respondents"]), Cell(round(item["ikm"], 4)), Cell(item["score"]),
             Cell(f"{item['grade']} ({item['grade_label']})")] for item in items]
    chart = Chart(str(title), [Bar(row[0].value, row[3].value) for row in rows], COLOURS[4], maximum=100)
    return Table(key, title, [Column(_l("Group"), "text"), Column(_l("Respondents")), Column(_l("IKM (1-4)")),
                              Column(_l("Score (25-100)")), Column(_l("Grade"), "text")], rows, chart)
