"""Loads the SOPs from sops.yaml. A revision, once loaded, is fixed: a change needs a new revision."""

from pathlib import Path

import yaml

from app.models import Channel, Sop, SopStep
from app.security.roles import ROLES
from app.workflow.flow import FlowError, parse_flow

SOPS_FILE = Path(__file__).with_name("sops.yaml")
SOP_FIELDS = ("number", "name", "created_on", "revised_on", "approved_on", "approver")
STEP_FIELDS = ("code", "activity", "label", "public_label", "requirement", "standard_minutes", "output", "note")
# Names, not the decree's text nor its routing: a stored revision takes them from the file again.
LABEL_FIELDS = ("label", "public_label")
# The applicant acts in person at the counter: an actor of the SOPs, but no role of SIGAP's.
APPLICANT = "Pemohon"


class SopRevisionChanged(ValueError):
    pass


class UnknownActor(ValueError):
    """A step names an actor that is neither the applicant nor a role of app/security/roles.py."""


def check_actors(entries: list[dict]) -> None:
    known = {APPLICANT, *ROLES}
    for entry in entries:
        for step in entry["steps"]:
            unknown = set(step["actors"]) - known
            if unknown:
                raise UnknownActor(f"{entry['code']} step {step['code']}: no role {', '.join(sorted(unknown))}.")


def read_sops(path: Path = SOPS_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def rules_for(code: str, rules: dict) -> dict:
    """The values of the rules that apply to the SOP `code`."""
    return {name: rule["value"] for name, rule in rules.items() if code in rule["applies_to"]}


def _new_sop(entry: dict, rules: dict) -> Sop:
    sop = Sop(
        code=entry["code"],
        revision=entry["revision"],
        channel=Channel[entry["channel"]] if entry.get("channel") else None,
        flow=entry.get("flow"),
        rules=rules,
        **{field: entry.get(field) for field in SOP_FIELDS},
    )
    sop.steps = [
        SopStep(position=position, actors=", ".join(step["actors"]),
                **{field: step.get(field) for field in STEP_FIELDS})
        for position, step in enumerate(entry["steps"], start=1)
    ]
    return sop


def _same(sop: Sop, entry: dict, rules: dict) -> bool:
    stored = [(s.code, s.actor_roles, s.standard_minutes, s.activity) for s in sop.steps]
    wanted = [(s["code"], s["actors"], s.get("standard_minutes"), s["activity"]) for s in entry["steps"]]
    # A revision stored before its rules were (migration 0004) takes them from the file once.
    same_rules = sop.rules is None or sop.rules == rules
    same_flow = _unlabelled(sop.flow) == _unlabelled(entry.get("flow"))
    return stored == wanted and same_rules and same_flow and all(getattr(sop, f) == entry.get(f) for f in SOP_FIELDS)


def _unlabelled(flow: dict | None) -> dict | None:
    """The flow without its nodes' labels."""
    if not flow:
        return flow
    tracks = [{**track, "nodes": [{k: v for k, v in node.items() if k not in LABEL_FIELDS} for node in track["nodes"]]}
              for track in flow.get("tracks", [])]
    return {**flow, "tracks": tracks}


def _relabel(sop: Sop, entry: dict) -> None:
    """The file's labels on a stored revision (of its steps and of its flow's nodes)."""
    by_code = {step["code"]: step for step in entry["steps"]}
    for step in sop.steps:
        for name in LABEL_FIELDS:
            setattr(step, name, by_code[step.code].get(name))
    sop.flow = entry.get("flow")


def _check_flow(session, entry: dict) -> None:
    """Every node of the flow names a step of this revision, or of a borrowed SOP's current revision."""
    if not entry.get("flow"):
        return
    own = {step["code"] for step in entry["steps"]}
    for track in parse_flow(entry["flow"]).tracks:
        for node in track.nodes:
            found = node.step_code in own if node.sop_code is None else (
                session.query(SopStep).join(SopStep.sop)
                .filter(Sop.code == node.sop_code, Sop.is_current.is_(True), SopStep.code == node.step_code).count())
            if not found:
                raise FlowError(f"{entry['code']} track {track.code}: no step {node.sop_code or ''}/{node.step_code}.")


def load_sops(session, path: Path = SOPS_FILE) -> None:
    """Add revisions not yet stored and make the highest revision of each SOP the current one."""
    sops = read_sops(path)
    check_actors(sops["sops"])
    for entry in sops["sops"]:
        rules = rules_for(entry["code"], sops["rules"])
        stored = session.query(Sop).filter_by(code=entry["code"], revision=entry["revision"]).one_or_none()
        if stored is None:
            session.add(_new_sop(entry, rules))
        elif _same(stored, entry, rules):
            stored.rules = rules
            _relabel(stored, entry)
        else:
            raise SopRevisionChanged(
                f"{entry['code']} revision {entry['revision']} differs from the stored one: "
                "give the change a new revision number."
            )
        session.flush()
        revisions = session.query(Sop).filter_by(code=entry["code"]).all()
        newest = max(r.revision for r in revisions)
        for revision in revisions:
            revision.is_current = revision.revision == newest
        _check_flow(session, entry)
    session.commit()
