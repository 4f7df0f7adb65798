"""Each track end to end through the API: only each step's role may act, and the timeline, SLA flags and
audit entries that result."""

from app.models import Application, AuditLog, StepHistory


def steps_of(timeline):
    return [(row["node"], row["actor_role"], row["outcome"]) for row in timeline["steps"]]


def audited_steps(app, application_id):
    with app.app_context():
        ids = [h.id for h in app.appbuilder.session.query(StepHistory).filter_by(application_id=application_id)]
        return app.appbuilder.session.query(AuditLog).filter(
            AuditLog.entity == "StepHistory", AuditLog.action == "create",
            AuditLog.entity_id.in_([str(i) for i in ids])).count()


def test_oss_low_risk_goes_straight_from_fo_to_archive_and_supervision(app, desk):
    application = desk.register("SS_RESTORAN")
    desk.ok("fo", application, "fo_input", risk_level="rendah", nib="1234567890123")
    desk.ok("fo", application, "berita_dokumen", received=["KTP", "NPWP"])
    assert desk.step("bo", application, "permit_upload").status_code == 403  # FO only, on this track
    desk.permit("fo", application)
    desk.final_verification(application)
    desk.ok("arsip", application, "digital_archive")
    result = desk.ok("dalaks", application, "supervision_handover")

    timeline = result["application"]
    assert timeline["status"] == "done" and timeline["track"] == "oss_low_risk"
    assert steps_of(timeline) == [
        ("fo_input", "FO", "done"), ("berita_dokumen", "FO", "done"), ("permit_upload", "FO", "done"),
        ("final_verification_kasi", "Kasi", "valid"), ("final_verification_kabid", "Kabid", "valid"),
        ("digital_archive", "Arsip", "done"), ("supervision_handover", "Dalaks", "done"),
    ]
    assert [row["sop"] for row in timeline["steps"]][-1] == "SOP-001"
    assert all(row["met_standard"] is not False for row in timeline["steps"])
    assert timeline["current"] is None
    assert audited_steps(app, application) == 7


def test_oss_high_risk_needs_fix_then_approval(app, desk):
    application = desk.register("IZIN_KLINIK")
    desk.ok("fo", application, "fo_input", risk_level="tinggi")
    desk.ok("fo", application, "berita_dokumen")
    desk.ok("bo", application, "bo_upload")
    desk.ok("kasi", application, "kasi_verification", outcome="complete", request_letter_number="REK/1/2026")
    bap = desk.upload("kasi", application, "BAP")
    desk.ok("kasi", application, "kasi_verification", scheduled_at="2026-11-27T09:00:00", location="Jl. Sudirman",
            bap_document=bap)
    letter = desk.upload("teknis_kesehatan", application, "SURAT_REKOMENDASI")
    assert desk.step("teknis_pupr", application, "technical_assessment",
                     outcome="approve", document=letter).status_code == 403  # another sector
    needs_fix = desk.ok("teknis_kesehatan", application, "technical_assessment", outcome="needs_fix",
                        document=letter, reason="Gambar teknis kurang")
    assert needs_fix["application"]["status"] == "waiting_applicant"
    assert needs_fix["application"]["current"]["node"] == "bo_upload"
    assert needs_fix["application"]["current"]["started_at"] is None  # the clock is paused

    desk.ok("bo", application, "bo_upload", fix_received_at="2026-11-26T01:00:00")
    desk.ok("kasi", application, "kasi_verification", outcome="complete")
    desk.ok("kasi", application, "kasi_verification", scheduled_at="2026-11-28T09:00:00", location="Jl. Sudirman",
            bap_document=bap)
    letter = desk.upload("teknis_kesehatan", application, "SURAT_REKOMENDASI")
    desk.ok("teknis_kesehatan", application, "technical_assessment", outcome="approve", document=letter)
    desk.permit("bo", application)
    desk.final_verification(application)
    desk.ok("arsip", application, "digital_archive")
    timeline = desk.ok("dalaks", application, "supervision_handover")["application"]

    assert timeline["status"] == "done" and timeline["track"] == "oss_high_risk"
    nodes = [row["node"] for row in timeline["steps"]]
    assert nodes.count("technical_assessment") == 2 and nodes.count("bo_upload") == 2
    fix = [row for row in timeline["steps"] if row["outcome"] == "needs_fix"][0]
    assert fix["note"] == "Gambar teknis kurang" and fix["actor_role"] == "Tim Teknis"
    assessment = next(row for row in timeline["steps"] if row["node"] == "technical_assessment")
    assert assessment["standard_minutes"] == 14 * 8 * 60  # the service's 14 working days of 8 hours
    resumed = [row for row in timeline["steps"] if row["node"] == "bo_upload"][1]
    assert resumed["started_at"] == "2026-11-26T01:00:00"
    assert audited_steps(app, application) == len(timeline["steps"])
    with app.app_context():
        record = app.appbuilder.session.get(Application, application)
        assert [(r.decision.name, r.reason) for r in record.recommendations] == [
            ("needs_fix", "Gambar teknis kurang"), ("approve", None)]
        assert record.recommendations[0].request_letter_number == "REK/1/2026"
        assert len(record.surveys) == 2 and record.surveys[0].bap_document_id == bap
        assert [v.result.name for v in record.verifications] == ["valid", "valid"]
        assert record.permit.forwarded_to_supervision_at is not None


def test_oss_rejection_closes_the_application_with_its_reason(desk):
    application = desk.register("PKKPR_BERUSAHA")
    desk.ok("fo", application, "fo_input", risk_level="menengah_tinggi")
    desk.ok("fo", application, "berita_dokumen")
    desk.ok("bo", application, "bo_upload")
    desk.ok("kasi", application, "kasi_verification", outcome="complete")
    desk.ok("kasi", application, "kasi_verification", scheduled_at="2026-11-27T09:00:00", location="Lokasi",
            bap_document=desk.upload("kasi", application, "BAP"))
    letter = desk.upload("teknis_pupr", application, "SURAT_REKOMENDASI")
    missing_reason = desk.step("teknis_pupr", application, "technical_assessment", outcome="reject", document=letter)
    assert missing_reason.status_code == 422 and "reason" in missing_reason.get_json()["message"]
    timeline = desk.ok("teknis_pupr", application, "technical_assessment", outcome="reject", document=letter,
                       reason="Tidak sesuai tata ruang")["application"]
    assert timeline["status"] == "rejected" and timeline["current"] is None
    assert desk.step("bo", application, "permit_upload").status_code == 409


def test_sicantik_with_survey_bap_kadis_and_counter_handover(desk):
    application = desk.register("PBG")
    desk.ok("fo", application, "fo_input")
    desk.ok("fo", application, "berita_dokumen", received=["KTP"])
    desk.ok("bo", application, "bo_upload")
    desk.ok("kasi", application, "kasi_verification", outcome="complete", request_letter_number="REK/2/2026")
    not_valid = desk.ok("kabid", application, "kabid_verification", outcome="not_valid", reason="Data teknis salah")
    assert not_valid["application"]["current"]["node"] == "bo_upload"
    desk.ok("bo", application, "bo_upload")
    desk.ok("kasi", application, "kasi_verification", outcome="complete")
    desk.ok("kabid", application, "kabid_verification", outcome="valid")
    desk.ok("kasi", application, "kasi_verification", scheduled_at="2026-11-27T09:00:00", location="Kampung Pondok",
            team="PUPR", bap_document=desk.upload("kasi", application, "BAP"), bap_summary="Sesuai")
    desk.ok("teknis_pupr", application, "technical_assessment", outcome="approve",
            document=desk.upload("teknis_pupr", application, "SURAT_REKOMENDASI"))
    assert desk.step("kasi", application, "kadis_approval").status_code == 403
    desk.ok("kadis", application, "kadis_approval")
    desk.permit("bo", application, handed_over_to="Pemohon sendiri")
    desk.final_verification(application)
    desk.ok("arsip", application, "digital_archive")
    timeline = desk.ok("dalaks", application, "archive_and_distribution")["application"]
    assert timeline["status"] == "done" and timeline["track"] == "sicantik"
    assert {row["sop"] for row in timeline["steps"]} == {"SOP-003", "SOP-002"}
    kadis = next(row for row in timeline["steps"] if row["node"] == "kadis_approval")
    assert (kadis["sop"], kadis["standard_minutes"], kadis["actor_role"]) == ("SOP-002", 5, "Kadis")


def test_non_permit_service(desk):
    application = desk.register("SK_PENELITIAN")
    desk.ok("fo", application, "fo_input")
    desk.ok("fo", application, "berita_dokumen")
    desk.ok("bo", application, "bo_upload")
    desk.ok("kasi", application, "kasi_verification", outcome="complete")
    desk.ok("kadis", application, "kadis_approval")
    desk.permit("bo", application, handed_over_to="Pemohon")
    desk.final_verification(application)
    timeline = desk.ok("arsip", application, "digital_archive")["application"]
    assert timeline["status"] == "done" and timeline["track"] == "non_permit"
    assert "technical_assessment" not in [row["node"] for row in timeline["steps"]]


def test_incomplete_files_stop_the_application(desk):
    application = desk.register("IZIN_REKLAME")
    desk.ok("fo", application, "fo_input")
    desk.ok("fo", application, "berita_dokumen")
    desk.ok("bo", application, "bo_upload")
    timeline = desk.ok("kasi", application, "kasi_verification", outcome="incomplete",
                       reason="Gambar teknis tidak dilengkapi")["application"]
    assert timeline["status"] == "stopped"
    assert desk.step("kabid", application, "kabid_verification", outcome="valid").status_code == 409
