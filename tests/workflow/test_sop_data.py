"""The declarative SOP and catalogue data (app/workflow/sops.yaml, app/catalogue/catalogue.yaml) against the decree.

Source of truth: Keputusan Kepala DPMPTSP & Naker Kota Pariaman No. 21/KEP/DPMPTSP&NAKER/2021 (the seed).
"""

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from app.security.roles import ROLES as SIGAP_ROLES
from app.workflow.sop_loader import APPLICANT

ROOT = Path(__file__).resolve().parents[2]
SOPS_FILE = ROOT / "app" / "workflow" / "sops.yaml"
CATALOGUE_FILE = ROOT / "app" / "catalogue" / "catalogue.yaml"

ROLES = {APPLICANT, *SIGAP_ROLES}
CHANNELS = {"oss_rba", "sicantik", "non_perizinan"}
DISPOSITIONS = {"musnah", "permanen", "dinilai_kembali"}
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
DECREE_DATE = dt.date(2021, 10, 28)

STEP_KEYS = {"code", "activity", "label", "public_label", "actors", "requirement", "standard_minutes", "output", "note"}
SOP_KEYS = {
    "code", "revision", "number", "name", "channel", "created_on", "revised_on", "approved_on", "approver", "steps"
}

# (code, actors, minutes) per step, in the decree's order.
EXPECTED_STEPS = {
    "SOP-001": [
        ("applicant_arrives", ["Pemohon"], None),
        ("queue_information", ["FO"], 5),
        ("account_registration", ["FO"], 10),
        ("business_data_entry", ["FO"], 40),
        ("low_risk_auto_issuance", ["FO"], 5),
        ("high_risk_assessment_request", ["FO", "BO"], 15),
        ("technical_assessment", ["Tim Teknis"], None),
        ("permit_issuance", ["BO", "Kasi"], 5),
        ("digital_archive", ["Arsip"], 5),
        ("supervision_handover", ["Dalaks"], 5),
    ],
    "SOP-002": [
        ("applicant_arrives", ["Pemohon"], None),
        ("queue_information", ["FO"], 5),
        ("account_registration", ["FO"], 10),
        ("application_data_entry", ["FO"], 40),
        ("technical_data_input", ["BO", "Kasi"], 5),
        ("kabid_verification", ["Kabid"], 5),
        ("technical_assessment", ["Tim Teknis"], None),
        ("kadis_approval", ["Kadis"], 5),
        ("archive_and_distribution", ["Arsip", "Dalaks"], 5),
    ],
    "SOP-003": [
        ("applicant_arrives", ["Pemohon"], None),
        ("fo_input", ["FO"], 10),
        ("berita_dokumen", ["FO"], 5),
        ("bo_upload", ["BO"], 10),
        ("kasi_verification", ["Kasi"], 15),
        ("technical_assessment", ["Tim Teknis"], None),
        ("permit_upload", ["BO"], 10),
        ("final_verification", ["Kasi", "Kabid"], 10),
        ("digital_archive", ["Arsip"], 1),
        ("leadership_report", ["Pimpinan"], 22),
    ],
}


@pytest.fixture(scope="module")
def sop_doc():
    with SOPS_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def sops(sop_doc):
    return {sop["code"]: sop for sop in sop_doc["sops"]}


@pytest.fixture(scope="module")
def catalogue():
    with CATALOGUE_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


# ---------------------------------------------------------------- SOPs


def test_three_sops_with_the_decree_numbers(sop_doc, sops):
    assert [s["code"] for s in sop_doc["sops"]] == ["SOP-001", "SOP-002", "SOP-003"]
    assert sops["SOP-001"]["number"] == "001 /OSS.RBA/PTSP/DPMPSTP&NAKER/2021"
    assert sops["SOP-002"]["number"] == "002 /siCantik/PTSP/DPMPTSP&NAKER/2021"
    assert sops["SOP-003"]["number"] == "003 /OSS/PTSP/DPMPTSP&NAKER/2021"


def test_sop_header_fields(sops):
    for sop in sops.values():
        # SIGAP's own SOP also carries the flow its applications follow.
        assert set(sop) - {"flow"} == SOP_KEYS, sop["code"]
        assert sop["revision"] == 1
        assert sop["created_on"] == DECREE_DATE
        assert sop["approved_on"] == DECREE_DATE
        assert sop["revised_on"] is None
        assert sop["approver"] == "NOVIARDI, SH (Kepala Dinas)"
        assert sop["name"].startswith("Standar Operasional prosedur (SOP)")
        # Column sizes of app/models/sop.py
        assert len(sop["code"]) <= 32 and len(sop["number"]) <= 100
        assert len(sop["name"]) <= 300 and len(sop["approver"]) <= 200


def test_sop_channels(sops):
    assert sops["SOP-001"]["channel"] == "oss_rba"
    assert sops["SOP-002"]["channel"] == "sicantik"
    assert sops["SOP-003"]["channel"] is None
    assert "OSS RBA" in sops["SOP-001"]["name"]
    assert "siCantik" in sops["SOP-002"]["name"]
    assert "SIGAP" in sops["SOP-003"]["name"]


@pytest.mark.parametrize("sop_code", sorted(EXPECTED_STEPS))
def test_steps_match_the_decree(sops, sop_code):
    actual = [(s["code"], s["actors"], s["standard_minutes"]) for s in sops[sop_code]["steps"]]
    assert actual == EXPECTED_STEPS[sop_code]


@pytest.mark.parametrize("sop_code", sorted(EXPECTED_STEPS))
def test_step_codes_unique_and_snake_case(sops, sop_code):
    codes = [s["code"] for s in sops[sop_code]["steps"]]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert SNAKE.match(code), code
        assert len(code) <= 64


@pytest.mark.parametrize("sop_code", sorted(EXPECTED_STEPS))
def test_step_shape_and_actors(sops, sop_code):
    for step in sops[sop_code]["steps"]:
        assert set(step) == STEP_KEYS, step["code"]
        assert step["actors"], step["code"]
        assert set(step["actors"]) <= ROLES, step["code"]
        assert len(step["actors"]) == len(set(step["actors"]))
        assert len(", ".join(step["actors"])) <= 200
        assert isinstance(step["activity"], str) and step["activity"].strip()
        for key in ("requirement", "output", "note"):
            value = step[key]
            assert value is None or (isinstance(value, str) and value.strip() and value.strip() != "-")
        minutes = step["standard_minutes"]
        assert minutes is None or (type(minutes) is int and minutes > 0)


@pytest.mark.parametrize("sop_code", sorted(EXPECTED_STEPS))
def test_every_sop_starts_with_the_applicant(sops, sop_code):
    first = sops[sop_code]["steps"][0]
    assert first["code"] == "applicant_arrives"
    assert first["actors"] == ["Pemohon"]
    assert first["activity"] == "Pemohon"
    assert first["standard_minutes"] is None


@pytest.mark.parametrize("sop_code", sorted(EXPECTED_STEPS))
def test_technical_assessment_is_bounded_by_the_service_standard(sops, sop_code):
    steps = {s["code"]: s for s in sops[sop_code]["steps"]}
    assessment = steps["technical_assessment"]
    assert assessment["actors"] == ["Tim Teknis"]
    assert assessment["standard_minutes"] is None
    # Only the applicant's arrival and the technical assessment are without a time in the decree.
    untimed = [s["code"] for s in sops[sop_code]["steps"] if s["standard_minutes"] is None]
    assert untimed == ["applicant_arrives", "technical_assessment"]


def test_sop_003_minutes_match_the_decree(sops):
    minutes = {s["code"]: s["standard_minutes"] for s in sops["SOP-003"]["steps"]}
    assert minutes == {
        "applicant_arrives": None,
        "fo_input": 10,
        "berita_dokumen": 5,
        "bo_upload": 10,
        "kasi_verification": 15,
        "technical_assessment": None,
        "permit_upload": 10,
        "final_verification": 10,
        "digital_archive": 1,
        "leadership_report": 22,
    }
    # The timed SIGAP steps add up to 83 minutes of office work.
    assert sum(m for m in minutes.values() if m) == 83


def test_ktp_npwp_rejection_note(sops):
    for code in ("SOP-001", "SOP-002"):
        step = next(s for s in sops[code]["steps"] if s["code"] == "account_registration")
        assert step["note"] == "Data Ditolak Jika ada KTP/NPWP tidak valid"
        assert "NPWP" in step["requirement"]


def test_sop_002_hands_the_permit_over_at_the_counter(sops):
    approval = next(s for s in sops["SOP-002"]["steps"] if s["code"] == "kadis_approval")
    assert approval["note"] == "Izin diserahkan melalui Loker PTSP/Informasi"
    assert "surat ket" in approval["output"]


def test_rules(sop_doc):
    rules = sop_doc["rules"]
    expected = {
        "assistance_normal_minutes": 90,
        "assistance_problem_working_days": 5,
        "sigap_input_minutes": 60,
        "sigap_problem_working_days": 1,
        "fee_rupiah": 0,
    }
    for key, value in expected.items():
        assert rules[key]["value"] == value, key
        assert type(rules[key]["value"]) is int, key
    assert "1,5 Jam" in rules["assistance_normal_minutes"]["text"]
    assert "5 hari kerja" in rules["assistance_problem_working_days"]["text"]
    assert "1 jam" in rules["sigap_input_minutes"]["text"]
    assert "1 hari kerja" in rules["sigap_problem_working_days"]["text"]
    assert "Rp 0" in rules["fee_rupiah"]["text"]
    known = {"SOP-001", "SOP-002", "SOP-003"}
    for key, rule in rules.items():
        assert isinstance(rule["text"], str) and rule["text"].strip(), key
        assert rule["applies_to"] and set(rule["applies_to"]) <= known, key


# ---------------------------------------------------------------- catalogue


def _codes(items):
    codes = [item["code"] for item in items]
    assert len(codes) == len(set(codes)), "duplicate codes"
    return set(codes)


def test_catalogue_sections_have_unique_codes(catalogue):
    for section in ("sectors", "document_types", "archive_classifications", "services"):
        assert catalogue[section], section
        for code in _codes(catalogue[section]):
            assert isinstance(code, str) and 0 < len(code) <= 32, (section, code)


def test_sectors(catalogue):
    codes = _codes(catalogue["sectors"])
    assert {
        "PUPR", "KESEHATAN", "PERDAGANGAN", "PARIWISATA", "LINGKUNGAN_HIDUP",
        "PERHUBUNGAN", "PENDIDIKAN", "KETENAGAKERJAAN", "PERIKANAN",
    } <= codes
    for sector in catalogue["sectors"]:
        assert set(sector) == {"code", "name", "agency_name"}
        assert 0 < len(sector["name"]) <= 200 and 0 < len(sector["agency_name"]) <= 200
        assert "Pariaman" in sector["agency_name"]


def test_document_types(catalogue):
    codes = _codes(catalogue["document_types"])
    assert {
        "KTP", "NPWP", "NIB", "AKTA", "SURAT_PERMOHONAN", "SERTIFIKAT_TANAH", "GAMBAR_TEKNIS", "SURAT_REKOMENDASI",
        "BAP", "IZIN", "SERTIFIKAT_STANDAR", "BERITA_DOKUMEN", "PERNYATAAN", "FOTO_LOKASI", "LAINNYA",
    } <= codes
    for doc_type in catalogue["document_types"]:
        assert set(doc_type) == {"code", "name"}
        assert 0 < len(doc_type["name"]) <= 200


def test_archive_classifications(catalogue):
    for item in catalogue["archive_classifications"]:
        assert set(item) == {"code", "name", "active_years", "inactive_years", "disposition"}
        assert re.match(r"^\d{3}(\.\d+)+$", item["code"]), item["code"]
        assert type(item["active_years"]) is int and item["active_years"] > 0
        assert type(item["inactive_years"]) is int and item["inactive_years"] >= 0
        assert item["disposition"] in DISPOSITIONS
        assert 0 < len(item["name"]) <= 200


def test_services_refer_to_existing_codes(catalogue):
    sectors = _codes(catalogue["sectors"])
    doc_types = _codes(catalogue["document_types"])
    classifications = _codes(catalogue["archive_classifications"])
    for service in catalogue["services"]:
        assert service["sector"] in sectors, service["code"]
        assert service["archive_classification"] in classifications, service["code"]
        for requirement in service["requirements"]:
            assert requirement["document_type"] in doc_types, (service["code"], requirement)


def test_services_shape(catalogue):
    keys = {
        "code", "name", "channel", "is_permit", "sector", "output_type", "standard_days",
        "archive_classification", "requirements",
    }
    for service in catalogue["services"]:
        code = service["code"]
        assert set(service) == keys, code
        assert service["channel"] in CHANNELS, code
        assert type(service["is_permit"]) is bool, code
        # Non-permit services are exactly the non_perizinan channel.
        assert service["is_permit"] == (service["channel"] != "non_perizinan"), code
        assert type(service["standard_days"]) is int and service["standard_days"] > 0, code
        assert 0 < len(service["name"]) <= 250 and 0 < len(service["output_type"]) <= 200, code
        assert service["requirements"], code
        for requirement in service["requirements"]:
            assert set(requirement) == {"description", "document_type", "mandatory"}, code
            assert isinstance(requirement["description"], str) and requirement["description"].strip()
            assert type(requirement["mandatory"]) is bool


def test_every_service_asks_for_the_ktp(catalogue):
    for service in catalogue["services"]:
        mandatory = {r["document_type"] for r in service["requirements"] if r["mandatory"]}
        assert "KTP" in mandatory, service["code"]


def test_business_permits_ask_for_the_npwp(catalogue):
    for service in catalogue["services"]:
        if service["channel"] == "oss_rba":
            mandatory = {r["document_type"] for r in service["requirements"] if r["mandatory"]}
            assert {"KTP", "NPWP", "NIB"} <= mandatory, service["code"]


def test_catalogue_covers_every_channel(catalogue):
    channels = {s["channel"] for s in catalogue["services"]}
    assert channels == CHANNELS
    codes = {s["code"] for s in catalogue["services"]}
    assert {"PBG", "SIP_DOKTER", "IZIN_REKLAME"} <= codes


def test_yaml_values_match_the_model_enums(sops, catalogue):
    from app.models import catalogue as catalogue_models
    channels = {member.name for member in catalogue_models.Channel}
    dispositions = {member.name for member in catalogue_models.Disposition}
    assert channels == CHANNELS
    assert dispositions == DISPOSITIONS
    assert {s["channel"] for s in sops.values()} - {None} <= channels
