"""The steps' own decisions and records through the API: each step's labels, Kadis's approval (approve, return,
reject), the requirement ticks a positive Kasi/Kabid decision needs, BO's files, and the archivist's record."""

import copy
import datetime as dt
import uuid

import pytest
from dateutil.relativedelta import relativedelta

from app.models import Application, ArchiveClassification, ArchiveRecord, Document, ExtractionState, Sop
from app.permits.validity import office_today
from app.workflow.flow import parse_flow
from app.workflow.sop_loader import SopRevisionChanged, load_sops, read_sops
from tests.cli.test_init import write_sops

# The decree's typos and inner wording, which the public status page must not show.
DECREE_WORDING = ("Sektro", "Berkaas", "berusah", "Loker", "pengimputan", "SIGAP", "Petugas", "upload")


def labelled_nodes():
    """Per track, each node's (short label, public label) as the screens resolve them."""
    sops = {entry["code"]: entry for entry in read_sops()["sops"]}
    own = sops["SOP-003"]
    for track in parse_flow(own["flow"]).tracks:
        labels = []
        for node in track.nodes:
            step = next(s for s in sops[node.sop_code or "SOP-003"]["steps"] if s["code"] == node.step_code)
            labels.append((node.id, node.label or step["label"], node.public_label or step["public_label"]))
        yield track.code, labels


@pytest.mark.parametrize("track, labels", list(labelled_nodes()), ids=lambda value: str(value)[:20])
def test_no_two_steps_of_a_track_share_a_short_label(track, labels):
    short = [label for _, label, _ in labels]
    assert len(short) == len(set(short)), (track, short)
    nodes = {node: (label, public) for node, label, public in labels}
    if "survey" in nodes:
        assert nodes["survey"] != nodes["kasi_verification"]
        assert nodes["survey"] == ("Survei dan BAP", "Survei lapangan")
    for _, label, public in labels:
        assert len(label) <= 80 and len(public) <= 120
        assert not any(word in public for word in DECREE_WORDING), public


def test_every_step_keeps_its_decree_text_beside_its_labels():
    for entry in read_sops()["sops"]:
        for step in entry["steps"]:
            assert step["label"] and step["public_label"] and step["activity"], step["code"]
            assert step["label"] != step["activity"] or len(step["activity"]) < 30, step["code"]


def to_kadis(desk, service="SK_PENELITIAN"):
    application = desk.register(service)
    for username, step in (("fo", "fo_input"), ("fo", "berita_dokumen"), ("bo", "bo_upload")):
        desk.ok(username, application, step)
    desk.ok("kasi", application, "kasi_verification", outcome="complete", checked=desk.ticks(application))
    return application


def test_kadis_approves_and_the_file_goes_on(desk):
    application = to_kadis(desk)
    timeline = desk.ok("kadis", application, "kadis_approval", outcome="approve")["application"]
    assert (timeline["status"], timeline["current"]["node"]) == ("in_progress", "permit_upload")
    assert timeline["steps"][-1]["outcome"] == "approve"


def test_kadis_returns_the_file_to_the_step_before_with_a_reason(desk):
    application = to_kadis(desk)
    refused = desk.step("kadis", application, "kadis_approval", outcome="return")
    assert refused.status_code == 422 and refused.get_json()["message"] == {"reason": ["Isikan alasannya."]}
    assert desk.timeline(application)["current"]["node"] == "kadis_approval"

    timeline = desk.ok("kadis", application, "kadis_approval", outcome="return",
                       reason="Surat pengantar belum ditandatangani")["application"]
    assert (timeline["status"], timeline["current"]["node"]) == ("in_progress", "kasi_verification")
    assert (timeline["steps"][-1]["outcome"], timeline["steps"][-1]["note"]) == (
        "return", "Surat pengantar belum ditandatangani")


def test_kadis_rejects_and_the_file_is_closed(desk):
    application = to_kadis(desk)
    assert desk.step("kadis", application, "kadis_approval", outcome="reject").status_code == 422
    timeline = desk.ok("kadis", application, "kadis_approval", outcome="reject",
                       reason="Lokasi penelitian di luar kewenangan")["application"]
    assert (timeline["status"], timeline["current"]) == ("rejected", None)
    assert desk.step("bo", application, "permit_upload").status_code == 409


def test_kadis_gives_a_decision_not_only_a_note(desk):
    application = to_kadis(desk)
    response = desk.step("kadis", application, "kadis_approval", note="sudah dibaca")
    assert response.status_code == 422 and "outcome" in response.get_json()["message"]


def test_a_positive_kasi_decision_needs_every_mandatory_requirement_ticked(app, desk):
    application = desk.register("SK_PENELITIAN")
    for username, step in (("fo", "fo_input"), ("fo", "berita_dokumen"), ("bo", "bo_upload")):
        desk.ok(username, application, step)
    ticks = desk.ticks(application)

    for checked in ([], ticks[:1]):
        response = desk.step("kasi", application, "kasi_verification", outcome="complete", checked=checked)
        assert response.status_code == 422
        [message] = response.get_json()["message"]["checked"]
        assert message.startswith("Centang setiap persyaratan wajib, atau tulis alasan keputusan ini. Belum dicentang:")
        assert "KTP peneliti" in message and "Proposal penelitian" in message
    with app.app_context():
        record = app.appbuilder.session.get(Application, application)
        assert (record.current_node, len(record.history)) == ("kasi_verification", 3)  # nothing recorded

    # A negative decision needs no ticks; a positive one with a written reason neither.
    timeline = desk.ok("kasi", application, "kasi_verification", outcome="complete",
                       reason="Proposal diserahkan menyusul, disetujui Kabid")["application"]
    assert timeline["current"]["node"] == "kadis_approval"


def test_a_positive_final_verification_needs_the_ticks_too(desk):
    application = to_kadis(desk)
    desk.ok("kadis", application, "kadis_approval", outcome="approve")
    desk.permit("bo", application, handed_over_to="Pemohon")
    response = desk.step("kasi", application, "final_verification", outcome="valid")
    assert response.status_code == 422 and "Belum dicentang" in response.get_json()["message"]["checked"][0]
    desk.ok("kasi", application, "final_verification", outcome="valid", checked=desk.ticks(application))
    # "Not valid" sends the file back and needs its reason, never the ticks.
    timeline = desk.ok("kabid", application, "final_verification", outcome="not_valid",
                       reason="Nomor izin salah")["application"]
    assert timeline["current"]["node"] == "permit_upload"


def test_bo_completes_the_upload_step_with_the_files_it_uploaded(app, desk):
    application = desk.register("SK_PENELITIAN")
    other = desk.register("SK_PENELITIAN")
    desk.ok("fo", application, "fo_input")
    desk.ok("fo", application, "berita_dokumen")
    mine = [desk.upload("bo", application, "KTP"), desk.upload("bo", application, "LAINNYA")]
    foreign = desk.upload("bo", other, "KTP")

    refused = desk.step("bo", application, "bo_upload", documents=[*mine, foreign])
    assert refused.get_json()["message"] == {"documents": ["Unggah dulu dokumennya ke permohonan ini."]}
    desk.ok("bo", application, "bo_upload", documents=mine)
    assert desk.timeline(application)["current"]["node"] == "kasi_verification"
    with app.app_context():
        history = app.appbuilder.session.get(Application, application).history[-1]
        assert history.data["documents"] == mine


def to_the_archive(desk, service="SK_PENELITIAN"):
    application = to_kadis(desk, service)
    desk.ok("kadis", application, "kadis_approval", outcome="approve")
    desk.permit("bo", application, handed_over_to="Pemohon")
    desk.final_verification(application)
    return application


def test_the_archive_cannot_be_finished_while_a_required_document_is_missing_or_unread(app, desk):
    application = to_the_archive(desk)
    desk.upload("arsip", application, "KTP")
    desk.upload("arsip", application, "LAINNYA")
    with app.app_context():  # the proposal's text is still being read
        session = app.appbuilder.session
        proposal = session.query(Document).filter(Document.application_id == application,
                                                  Document.document_type.has(code="LAINNYA")).one()
        proposal.extraction_state = ExtractionState.waiting
        session.commit()

    response = desk.step("arsip", application, "digital_archive", room="Ruang Arsip 1", shelf="Rak 2", box="Boks 7")
    assert response.status_code == 422
    [message] = response.get_json()["message"]["documents"]
    assert message == ("Arsip belum lengkap: Surat Permohonan: belum diunggah; Dokumen Lainnya: teks belum terbaca; "
                       "Surat Pernyataan: belum diunggah.")
    missing_place = desk.step("arsip", application, "digital_archive")
    assert set(missing_place.get_json()["message"]) >= {"room", "shelf", "box"}
    assert desk.timeline(application)["current"]["node"] == "digital_archive"


def test_the_archivist_records_classification_retention_and_place(app, desk):
    application = to_the_archive(desk)
    timeline = desk.archive(application, room="Ruang Arsip 2", shelf="Rak B", box="Boks 2026-031")["application"]
    assert timeline["status"] == "done"
    with app.app_context():
        record = app.appbuilder.session.query(ArchiveRecord).filter_by(application_id=application).one()
        # The service's catalogue entry: 500.16.7.4, 2 years active, 5 inactive, re-assessed.
        assert record.classification.code == "500.16.7.4"
        today = office_today()
        assert record.active_until == today + relativedelta(years=2)
        assert record.inactive_until == today + relativedelta(years=7)
        assert record.disposition.name == "dinilai_kembali"
        assert (record.room, record.shelf, record.box, record.archived_by.username) == (
            "Ruang Arsip 2", "Rak B", "Boks 2026-031", "arsip")


def test_the_archivist_may_choose_another_classification_but_not_an_unknown_one(app, desk):
    application = to_the_archive(desk)
    desk.upload_required("arsip", application)
    unknown = desk.step("arsip", application, "digital_archive", classification="999.9", room="R", shelf="S", box="B")
    assert unknown.get_json()["message"] == {"classification": ["Pilih klasifikasi arsip."]}
    desk.archive(application, classification="500.16.7.2")
    with app.app_context():
        session = app.appbuilder.session
        record = session.query(ArchiveRecord).filter_by(application_id=application).one()
        chosen = session.query(ArchiveClassification).filter_by(code="500.16.7.2").one()
        assert (record.classification_id, record.disposition) == (chosen.id, chosen.disposition)
        assert record.active_until - office_today() >= dt.timedelta(days=365 * chosen.active_years)


def test_labels_are_reworded_in_place_but_a_changed_route_still_needs_a_new_revision(app, tmp_path):
    """On a copy of SOP-003 under its own code, so that the real one other tests use stays as it is."""
    code = f"SOP-L{uuid.uuid4().hex[:8]}"
    everything = read_sops()["sops"]
    first = {**copy.deepcopy(next(e for e in everything if e["code"] == "SOP-003")), "code": code}
    with app.app_context():
        load_sops(app.appbuilder.session, write_sops(tmp_path / "first.yaml", [*everything, first]))

    relabelled = copy.deepcopy(first)
    relabelled["steps"][1]["label"] = "Input loket"
    survey = next(n for t in relabelled["flow"]["tracks"] for n in t["nodes"] if n["id"] == "survey")
    survey["public_label"] = "Peninjauan lokasi"
    with app.app_context():
        session = app.appbuilder.session
        load_sops(session, write_sops(tmp_path / "relabelled.yaml", [*everything, relabelled]))
        sop = session.query(Sop).filter_by(code=code).one()
        assert (sop.revision, sop.steps[1].label) == (first["revision"], "Input loket")
        assert "Peninjauan lokasi" in str(sop.flow)

    rerouted = copy.deepcopy(relabelled)
    kadis = next(n for t in rerouted["flow"]["tracks"] for n in t["nodes"] if n["id"] == "kadis_approval")
    kadis["outcomes"]["return"] = {"to": "bo_upload"}
    with app.app_context():
        session = app.appbuilder.session
        with pytest.raises(SopRevisionChanged, match=code):
            load_sops(session, write_sops(tmp_path / "rerouted.yaml", [*everything, rerouted]))
        session.rollback()
