"""The flow in sops.yaml: every track runnable, every form and outcome known, a broken flow refused."""

import copy

import pytest

from app.models import Sop
from app.workflow.flow import FlowError, parse_flow
from app.workflow.step_data import OUTCOME_LABELS, SCHEMAS
from app.workflow.sop_loader import UnknownActor, load_sops, read_sops
from tests.cli.test_init import write_sops


def sigap_flow():
    return next(entry for entry in read_sops()["sops"] if entry["code"] == "SOP-003")["flow"]


def test_every_node_has_a_form_and_every_outcome_a_label():
    for track in parse_flow(sigap_flow()).tracks:
        for node in track.nodes:
            assert node.form in SCHEMAS, (track.code, node.id)
            assert set(node.outcomes) <= set(OUTCOME_LABELS), (track.code, node.id)


def test_tracks_cover_the_seed_branches():
    flow = parse_flow(sigap_flow())
    pick = lambda **facts: flow.track_for({"is_permit": True, **facts}).code  # noqa: E731
    assert pick(channel="oss_rba", risk_level="rendah") == pick(channel="oss_rba", risk_level="menengah_rendah")
    assert pick(channel="oss_rba", risk_level="tinggi") == "oss_high_risk"
    assert pick(channel="sicantik", risk_level=None) == "sicantik"
    assert flow.track_for({"channel": "non_perizinan", "is_permit": False}).code == "non_permit"
    assert flow.track_for({"channel": "oss_rba", "risk_level": None, "is_permit": True}) is None


def test_an_outcome_leading_nowhere_is_refused():
    broken = copy.deepcopy(sigap_flow())
    broken["tracks"][1]["nodes"][5]["outcomes"]["needs_fix"]["to"] = "nowhere"
    with pytest.raises(FlowError, match="nowhere"):
        parse_flow(broken)


def test_a_flow_naming_a_missing_step_is_not_loaded(app, tmp_path):
    sops = read_sops()["sops"]
    entry = copy.deepcopy(next(e for e in sops if e["code"] == "SOP-003"))
    entry["code"], entry["flow"]["tracks"][0]["nodes"][2]["step"] = "SOP-TFLOW", "SOP-001/no_such_step"
    with app.app_context():
        session = app.appbuilder.session
        with pytest.raises(FlowError, match="no_such_step"):
            load_sops(session, write_sops(tmp_path / "sops.yaml", [*sops, entry]))
        session.rollback()


def test_an_actor_that_is_no_role_is_refused_before_anything_is_loaded(app, tmp_path):
    sops = read_sops()["sops"]
    entry = copy.deepcopy(next(e for e in sops if e["code"] == "SOP-003"))
    entry["code"], entry["steps"][1]["actors"] = "SOP-TACTOR", ["FO", "Kasie"]
    with app.app_context():
        session = app.appbuilder.session
        with pytest.raises(UnknownActor, match="Kasie"):
            load_sops(session, write_sops(tmp_path / "sops.yaml", [*sops, entry]))
        session.rollback()
        assert session.query(Sop).filter_by(code="SOP-TACTOR").count() == 0
