"""The flow of an SOP revision (sops.yaml `flow`) as objects: tracks of nodes and what outcomes do.

The engine, the screens (inbox, step forms) and the reports all read the flow from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.models import ApplicationStatus
from app.memo import per_request

CONTINUE = "done"


@dataclass(frozen=True)
class Outcome:
    to: str | None = None
    status: ApplicationStatus | None = None


@dataclass(frozen=True)
class Node:
    id: str
    sop_code: str | None  # None: the application's own SOP
    step_code: str
    form: str
    actors: tuple[str, ...] = ()
    standard: str | None = None
    problem_standard: str | None = None
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    # Names of the node where its step's own would not tell it apart (a survey run under Kasi's verification step).
    label: str | None = None
    public_label: str | None = None


@dataclass(frozen=True)
class Track:
    code: str
    when: dict
    nodes: tuple[Node, ...]

    def node(self, node_id: str) -> Node:
        return next(node for node in self.nodes if node.id == node_id)

    def after(self, node_id: str) -> Node | None:
        ids = [node.id for node in self.nodes]
        position = ids.index(node_id) + 1
        return self.nodes[position] if position < len(self.nodes) else None

    def matches(self, facts: dict) -> bool:
        return all(facts.get(key) in allowed for key, allowed in self.when.items())


class FlowError(ValueError):
    """A flow in sops.yaml that cannot be run."""


@dataclass(frozen=True)
class Flow:
    tracks: tuple[Track, ...]
    input_rule: dict

    @property
    def first(self) -> Node:
        return self.tracks[0].nodes[0]

    def track(self, code: str) -> Track:
        return next(track for track in self.tracks if track.code == code)

    def track_for(self, facts: dict) -> Track | None:
        return next((track for track in self.tracks if track.matches(facts)), None)


def _node(data: dict) -> Node:
    sop_code, _, step_code = data.get("step", data["id"]).rpartition("/")
    outcomes = {
        name: Outcome(to=spec.get("to"), status=ApplicationStatus[spec["status"]] if spec.get("status") else None)
        for name, spec in (data.get("outcomes") or {}).items()
    }
    return Node(id=data["id"], sop_code=sop_code or None, step_code=step_code, form=data["form"],
                actors=tuple(data.get("actors", ())), standard=data.get("standard"),
                problem_standard=data.get("problem_standard"), outcomes=outcomes,
                label=data.get("label"), public_label=data.get("public_label"))


def parse_flow(data: dict) -> Flow:
    flow = Flow(
        tracks=tuple(Track(t["code"], t.get("when", {}), tuple(_node(n) for n in t["nodes"]))
                     for t in data.get("tracks", [])),
        input_rule=data.get("input_rule", {}),
    )
    _check(flow)
    return flow


def _check(flow: Flow) -> None:
    """Every track starts where an application starts (before its track is known), and every `to` exists."""
    for track in flow.tracks:
        if track.nodes[0] != flow.first:
            raise FlowError(f"Track {track.code} must start with {flow.first.id}.")
        ids = {node.id for node in track.nodes}
        for node in track.nodes:
            for outcome in node.outcomes.values():
                if outcome.to and outcome.to not in ids:
                    raise FlowError(f"Track {track.code}: {node.id} leads to unknown {outcome.to}.")


def flow_of(sop) -> Flow | None:
    """The SOP's flow, parsed once per request (a loaded revision never changes; the inbox asks per file)."""
    if not (sop.flow and sop.flow.get("tracks")):
        return None
    if sop.id is None:
        return parse_flow(sop.flow)
    return per_request(f"sigap_flow_{sop.id}", lambda: parse_flow(sop.flow))
