"""Each track of the flow as a script: who completes which step with what data, in order.

The same scripts are played through the API (tests/workflow/test_tracks_api.py) and through the web
forms (tests/web/test_tracks_web.py), so both prove the same story. A step expected to be refused
carries the status the API answers (403 wrong role or sector, 409 not the current step, 422 invalid
data); the web refuses the same steps in its own way and, like the API, records nothing. Before each
step is done, a user of another role tries it and is refused.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from app.models import AuditLog, StepHistory


@dataclass(frozen=True)
class Upload:
    """A document of this type, uploaded by the step's user for the step (a real text PDF)."""

    document_type: str


class Ticks:
    """Every mandatory requirement of the application's service, ticked (a Kasi/Kabid positive decision)."""


TICKS = Ticks()


@dataclass(frozen=True)
class Step:
    user: str
    step: str
    data: dict = field(default_factory=dict)
    status: int = 200
    # The service's mandatory scans are uploaded by the step's user first (the archive must be complete).
    scans: bool = False

    @property
    def recorded(self) -> bool:
        return self.status == 200


@dataclass(frozen=True)
class Script:
    code: str
    service: str
    steps: tuple[Step, ...]
    status: str = "done"
    # When the first step's clock started, to make it miss its standard; the nodes expected to miss theirs.
    started_at: dt.datetime | None = None
    late: frozenset[str] = frozenset()

    def played(self) -> list[Step]:
        """The steps, each one that is recorded first tried by a user of another role (and refused)."""
        return [tried for step in self.steps
                for tried in ((refused(OTHER_ROLE[step.user], step.step), step) if step.recorded else (step,))]

    def expected_rows(self) -> list[tuple[str, str, str]]:
        """(step code, username, outcome) of each step the timeline should show, in order."""
        return [(s.step, s.user, s.data.get("outcome", "done")) for s in self.steps if s.recorded]


# For each user, one of a role that never does that user's steps.
OTHER_ROLE = {"fo": "bo", "bo": "kasi", "kasi": "kabid", "kabid": "kasi", "kadis": "kasi", "arsip": "dalaks",
              "dalaks": "arsip", "teknis_pupr": "kasi", "teknis_kesehatan": "kasi"}


def step(user, code, **data) -> Step:
    return Step(user, code, data)


def refused(user, code, status=403, **data) -> Step:
    return Step(user, code, data, status)


def permit(**extra) -> dict:
    return {"number": f"IZ-{uuid.uuid4().hex[:10]}", "issued_on": "2026-11-20", "document": Upload("IZIN"), **extra}


def survey(**extra) -> dict:
    return {"scheduled_at": "2026-11-27T09:00:00", "location": "Jl. Sudirman", "bap_document": Upload("BAP"),
            **extra}


def recommendation(outcome, **extra) -> dict:
    return {"outcome": outcome, "document": Upload("SURAT_REKOMENDASI"), **extra}


def final_verification() -> list[Step]:
    return [step("kasi", "final_verification", outcome="valid", checked=TICKS),
            refused("kasi", "final_verification", outcome="valid", checked=TICKS),  # Kasi cannot sign for Kabid too
            step("kabid", "final_verification", outcome="valid", checked=TICKS)]


# Where the archivist keeps the paper file.
ARCHIVE = {"room": "Ruang Arsip 1", "shelf": "Rak 2", "box": "Boks 2026-014"}


def archived() -> Step:
    """The archivist's step, once every mandatory scan is uploaded and read."""
    return Step("arsip", "digital_archive", dict(ARCHIVE), scans=True)


# A fix brought weeks after the request: the resumed upload is timed from it, and misses its standard.
FIX_RECEIVED_AT = "2026-11-02T01:00:00"


def oss_low_risk() -> Script:
    return Script("oss_low_risk", "SS_RESTORAN", started_at=dt.datetime(2026, 11, 2, 1, 0),
                  late=frozenset({"fo_input"}), steps=(
        step("fo", "fo_input", risk_level="rendah", nib="1234567890123"),
        step("fo", "berita_dokumen", received=["KTP", "NPWP"]),
        refused("bo", "permit_upload"),  # FO only, on this track
        step("fo", "permit_upload", **permit()),
        step("kasi", "final_verification", outcome="valid", checked=TICKS),
        step("kabid", "final_verification", outcome="not_valid", reason="Nomor izin salah"),
        step("fo", "permit_upload", **permit()),
        *final_verification(),
        archived(),
        step("dalaks", "supervision_handover"),
    ))


def oss_high_risk_needs_fix() -> Script:
    return Script("oss_high_risk", "IZIN_KLINIK", late=frozenset({"bo_upload"}), steps=(
        step("fo", "fo_input", risk_level="tinggi"),
        step("fo", "berita_dokumen"),
        step("bo", "bo_upload"),
        step("kasi", "kasi_verification", outcome="complete", checked=TICKS, request_letter_number="REK/1/2026"),
        step("kasi", "kasi_verification", **survey()),
        refused("teknis_pupr", "technical_assessment", outcome="approve"),  # another sector's team
        step("teknis_kesehatan", "technical_assessment", **recommendation("needs_fix", reason="Gambar teknis kurang")),
        step("bo", "bo_upload", fix_received_at=FIX_RECEIVED_AT),
        step("kasi", "kasi_verification", outcome="complete", checked=TICKS),
        step("kasi", "kasi_verification", **survey(scheduled_at="2026-11-28T09:00:00")),
        step("teknis_kesehatan", "technical_assessment", **recommendation("approve")),
        step("bo", "permit_upload", **permit()),
        *final_verification(),
        archived(),
        step("dalaks", "supervision_handover"),
    ))


def oss_rejection() -> Script:
    return Script("oss_high_risk", "PKKPR_BERUSAHA", status="rejected", steps=(
        step("fo", "fo_input", risk_level="menengah_tinggi"),
        step("fo", "berita_dokumen"),
        step("bo", "bo_upload"),
        step("kasi", "kasi_verification", outcome="complete", checked=TICKS),
        step("kasi", "kasi_verification", **survey(location="Lokasi")),
        refused("teknis_pupr", "technical_assessment", 422, **recommendation("reject")),  # no reason given
        step("teknis_pupr", "technical_assessment", **recommendation("reject", reason="Tidak sesuai tata ruang")),
        refused("bo", "permit_upload", 409),  # the file is closed
    ))


def sicantik() -> Script:
    return Script("sicantik", "PBG", steps=(
        step("fo", "fo_input"),
        step("fo", "berita_dokumen", received=["KTP"]),
        step("bo", "bo_upload"),
        step("kasi", "kasi_verification", outcome="complete", checked=TICKS, request_letter_number="REK/2/2026"),
        step("kabid", "kabid_verification", outcome="not_valid", reason="Data teknis salah"),
        step("bo", "bo_upload"),
        step("kasi", "kasi_verification", outcome="complete", checked=TICKS),
        step("kabid", "kabid_verification", outcome="valid", checked=TICKS),
        step("kasi", "kasi_verification", **survey(location="Kampung Pondok", team="PUPR", bap_summary="Sesuai")),
        step("teknis_pupr", "technical_assessment", **recommendation("approve")),
        refused("kasi", "kadis_approval"),
        step("kadis", "kadis_approval", outcome="approve"),
        step("bo", "permit_upload", **permit(handed_over_to="Pemohon sendiri")),
        *final_verification(),
        archived(),
        step("dalaks", "archive_and_distribution"),
    ))


def non_permit() -> Script:
    return Script("non_permit", "SK_PENELITIAN", steps=(
        step("fo", "fo_input"),
        step("fo", "berita_dokumen"),
        step("bo", "bo_upload"),
        step("kasi", "kasi_verification", outcome="complete", checked=TICKS),
        refused("fo", "kadis_approval"),
        step("kadis", "kadis_approval", outcome="approve"),
        step("bo", "permit_upload", **permit(handed_over_to="Pemohon")),
        *final_verification(),
        archived(),
    ))


SCRIPTS = [oss_low_risk, oss_high_risk_needs_fix, oss_rejection, sicantik, non_permit]


def backdate(app, application_id, moment):
    """As if the current step had started at ``moment``."""
    from app.models import Application

    with app.app_context():
        session = app.appbuilder.session
        session.get(Application, application_id).step_started_at = moment
        session.commit()


def audited_steps(app, application_id) -> list[str]:
    """Who the audit log says created each of the application's step records, in order."""
    with app.app_context():
        session = app.appbuilder.session
        ids = [str(h.id) for h in session.query(StepHistory).filter_by(application_id=application_id)]
        entries = session.query(AuditLog).filter(AuditLog.entity == "StepHistory", AuditLog.action == "create",
                                                 AuditLog.entity_id.in_(ids)).order_by(AuditLog.id)
        return [entry.username for entry in entries]


def check_timeline(app, script: Script, timeline: dict) -> None:
    """The outcome every player must reach: status, track, the steps in order, SLA flags, audit entries."""
    assert (timeline["status"], timeline["track"]) == (script.status, script.code)
    rows = timeline["steps"]
    assert [(row["step"], row["user"], row["outcome"]) for row in rows] == script.expected_rows()
    assert {row["node"] for row in rows if row["met_standard"] is False} == script.late
    assert all(row["working_minutes"] is not None for row in rows)
    assert audited_steps(app, _application_of(app, timeline)) == [row["user"] for row in rows]


def _application_of(app, timeline) -> int:
    from app.models import Application

    with app.app_context():
        return app.appbuilder.session.query(Application.id).filter_by(
            registration_number=timeline["registration_number"]).scalar()
