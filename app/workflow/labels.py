"""What a step is called: its short label on the screens (inbox, timeline, step pages, reports) and its public
label on /status/; a node's own label (sops.yaml `flow`) comes first, the decree's activity last."""

from __future__ import annotations

from app.workflow.flow import flow_of


def step_label(step, node=None) -> str:
    return (node is not None and node.label) or step.label or step.activity


def public_label(step, node=None) -> str:
    return (node is not None and node.public_label) or step.public_label or step_label(step, node)


def node_of(step, node_id: str | None):
    """The node of that id in the flow of the step's SOP revision (any track: a node id means one thing there)."""
    flow = flow_of(step.sop)
    return next((node for track in (flow.tracks if flow else ()) for node in track.nodes if node.id == node_id), None)


def label_at(step, node_id: str | None) -> str:
    """The short label of a step done at the node of that id (a step history row's, a backlog's)."""
    return step_label(step, node_of(step, node_id))
