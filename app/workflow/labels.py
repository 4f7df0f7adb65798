"""What a step is called: its short label on the screens (inbox, timeline, step pages, reports) and its public
label on /status/; a node's own label (sops.yaml `flow`) comes first, the decree's activity last."""

from __future__ import annotations


def step_label(step, node=None) -> str:
    return (node is not None and node.label) or step.label or step.activity


def public_label(step, node=None) -> str:
    return (node is not None and node.public_label) or step.public_label or step_label(step, node)
