"""`flask sigap init` is safe to run again, and the SOP loader keeps loaded revisions fixed."""

import copy
import uuid

import pytest
import yaml

from app.cli import initialise
from app.models import DocumentType, Sector, Service, ServiceRequirement, Sop, SopStep
from app.workflow.registration import current_sop
from app.workflow.sop_loader import SOPS_FILE, SopRevisionChanged, load_sops, read_sops


def snapshot(app) -> dict:
    """Counts of what init creates, and every role's exact permissions."""
    with app.app_context():
        sm = app.appbuilder.sm
        session = app.appbuilder.session
        counts = {
            model.__name__: session.query(model).count()
            for model in (sm.role_model, sm.permission_model, sm.viewmenu_model, sm.permissionview_model,
                          sm.user_model, Sector, DocumentType, Service, ServiceRequirement, Sop, SopStep)
        }
        grants = {
            role.name: sorted((pv.permission.name, pv.view_menu.name) for pv in role.permissions)
            for role in session.query(sm.role_model)
        }
        sops = sorted((sop.code, sop.revision, sop.is_current, len(sop.steps)) for sop in session.query(Sop))
        session.rollback()
        return {"counts": counts, "grants": grants, "sops": sops}


def test_second_initialise_changes_nothing(app):
    before = snapshot(app)
    # The first run (in the fixture) made everything: a guard that the snapshot sees real data.
    assert before["counts"]["Service"] > 0 and before["counts"]["SopStep"] > 0
    assert before["grants"]["FO"] and before["counts"]["User"] > 0

    with app.app_context():
        initialise()

    assert snapshot(app) == before


def test_flask_sigap_init_command_exits_cleanly_and_changes_nothing(app):
    before = snapshot(app)
    result = app.test_cli_runner().invoke(args=["sigap", "init"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert "SIGAP database ready." in result.output
    assert snapshot(app) == before


# --- The SOP loader ------------------------------------------------------------------------------


def write_sops(path, sops: list[dict], rules: dict | None = None):
    content = {"sops": sops, "rules": read_sops()["rules"] if rules is None else rules}
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def stored_revisions(app, code):
    with app.app_context():
        session = app.appbuilder.session
        rows = session.query(Sop).filter_by(code=code).order_by(Sop.revision).all()
        result = [(sop.revision, sop.is_current, [(s.code, s.activity, s.standard_minutes) for s in sop.steps])
                  for sop in rows]
        session.rollback()
        return result


def changed_steps(entry: dict) -> dict:
    """The same SOP with its step list changed: one step dropped, one step's time changed."""
    changed = copy.deepcopy(entry)
    changed["steps"] = [step for step in changed["steps"] if step["code"] != "berita_dokumen"]
    changed.pop("flow")  # its tracks name the dropped step
    timed = next(step for step in changed["steps"] if step.get("standard_minutes"))
    timed["standard_minutes"] += 5
    assert changed["steps"] != entry["steps"]
    return changed


@pytest.mark.parametrize("change", ["steps", "minutes", "activity"])
def test_loader_refuses_a_changed_sop_under_the_same_revision(app, tmp_path, change):
    sops = read_sops()["sops"]
    index = next(i for i, entry in enumerate(sops) if entry["code"] == "SOP-003")
    entry = copy.deepcopy(sops[index])
    if change == "steps":
        entry["steps"] = entry["steps"][:-1]
    elif change == "minutes":
        step = next(step for step in entry["steps"] if step.get("standard_minutes"))
        step["standard_minutes"] += 1
    else:
        entry["steps"][1]["activity"] += " (diubah)"
    sops[index] = entry
    path = write_sops(tmp_path / "sops.yaml", sops)
    before = stored_revisions(app, "SOP-003")

    with app.app_context():
        session = app.appbuilder.session
        with pytest.raises(SopRevisionChanged, match="SOP-003"):
            load_sops(session, path)
        session.rollback()

    assert stored_revisions(app, "SOP-003") == before


def test_loader_accepts_the_unchanged_file_again(app):
    before = stored_revisions(app, "SOP-003")
    with app.app_context():
        load_sops(app.appbuilder.session, SOPS_FILE)
    assert stored_revisions(app, "SOP-003") == before


def test_changed_steps_as_a_new_revision_become_current_and_the_old_one_stays(app, tmp_path):
    """On a copy of SOP-003 under its own code, so that the real SOP-003 other tests use stays as it is."""
    real = next(entry for entry in read_sops()["sops"] if entry["code"] == "SOP-003")
    code = f"SOP-T{uuid.uuid4().hex[:8]}"
    first = {**copy.deepcopy(real), "code": code}
    everything = read_sops()["sops"]

    with app.app_context():
        load_sops(app.appbuilder.session, write_sops(tmp_path / "first.yaml", [*everything, first]))
    [(revision, is_current, steps)] = stored_revisions(app, code)
    assert (revision, is_current) == (first["revision"], True)
    original_steps = [(s["code"], s["activity"], s.get("standard_minutes")) for s in first["steps"]]
    assert steps == original_steps

    # The same change under the same revision is refused ...
    second = changed_steps(first)
    with app.app_context():
        session = app.appbuilder.session
        with pytest.raises(SopRevisionChanged):
            load_sops(session, write_sops(tmp_path / "same-revision.yaml", [*everything, second]))
        session.rollback()
    assert stored_revisions(app, code) == [(first["revision"], True, original_steps)]

    # ... and accepted as the next revision, which becomes the current one.
    second["revision"] = first["revision"] + 1
    with app.app_context():
        load_sops(app.appbuilder.session, write_sops(tmp_path / "second.yaml", [*everything, first, second]))

    old, new = stored_revisions(app, code)
    assert old == (first["revision"], False, original_steps)
    assert new == (second["revision"], True,
                   [(s["code"], s["activity"], s.get("standard_minutes")) for s in second["steps"]])
    with app.app_context():
        sop = current_sop(app.appbuilder.session, code)
        assert sop.revision == second["revision"]
        assert "berita_dokumen" not in [step.code for step in sop.steps]

    # Loading the same file again changes nothing.
    with app.app_context():
        load_sops(app.appbuilder.session, tmp_path / "second.yaml")
    assert stored_revisions(app, code) == [old, new]


def test_the_time_rules_are_kept_with_each_revision(app, tmp_path):
    """A rule changed under the same revision is refused; as a new revision, the old one keeps its value."""
    code = f"SOP-R{uuid.uuid4().hex[:8]}"
    first = {**copy.deepcopy(next(e for e in read_sops()["sops"] if e["code"] == "SOP-003")), "code": code}
    everything = read_sops()["sops"]

    def rules(minutes):  # the real rules, and one of this SOP's own
        return {**read_sops()["rules"], "input_minutes": {"value": minutes, "applies_to": [code], "text": "-"}}

    def stored_rules():
        with app.app_context():
            rows = app.appbuilder.session.query(Sop).filter_by(code=code).order_by(Sop.revision)
            return [(row.revision, row.rules["input_minutes"]) for row in rows]

    with app.app_context():
        load_sops(app.appbuilder.session, write_sops(tmp_path / "first.yaml", [*everything, first], rules(60)))
    assert stored_rules() == [(first["revision"], 60)]
    with app.app_context():
        session = app.appbuilder.session
        with pytest.raises(SopRevisionChanged, match=code):
            load_sops(session, write_sops(tmp_path / "same.yaml", [*everything, first], rules(45)))
        session.rollback()
    second = {**copy.deepcopy(first), "revision": first["revision"] + 1}  # in the file instead of the first
    with app.app_context():
        load_sops(app.appbuilder.session, write_sops(tmp_path / "second.yaml", [*everything, second], rules(45)))
    assert stored_rules() == [(first["revision"], 60), (second["revision"], 45)]
