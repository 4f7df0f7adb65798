"""Applicants and businesses as FO records them: identity numbers checked, normalised, masked, in Indonesian."""

import html
from types import SimpleNamespace

import pytest

from app.identity import parse_npwp, regions
from app.models import Applicant, Business

from tests.records.helpers import INDIVIDUAL, legacy_npwp, npwp16, unique_name, unique_nik, wire

NIK_LENGTH_MSG = "NIK must have 16 digits; %(count)s given."
NIK_DATE_MSG = "NIK birth date %(date)s does not exist."
NIK_PROVINCE_MSG = "Unknown province code %(code)s in NIK."
NPWP_WARNING_MSG = (
    "NPWP check digit %(digit)s does not match the first 8 digits (%(expected)s expected). Compare the "
    "number with the NPWP card; keep it only if it is exactly as printed."
)
NIB_MSG = "NIB must have 13 digits; %(count)s given."
KBLI_MSG = "KBLI code must have 5 digits; %(count)s given."


def unknown_province() -> str:
    return next(code for code in (f"{i:02d}" for i in range(10, 100)) if regions.province_name(code) is None)


def invalid_niks():
    """(nik, msgid, params): too short, a date that does not exist, a province that does not exist."""
    province = unknown_province()
    return [
        ("137701450290001", NIK_LENGTH_MSG, {"count": 15}),
        ("1377013102900001", NIK_DATE_MSG, {"date": "310290"}),
        (f"{province}77014502900001", NIK_PROVINCE_MSG, {"code": province}),
    ]


def indonesian_text(indonesian, msgid, params):
    translated = indonesian[msgid]
    assert translated != msgid
    return translated % params


def applicants_named(fresh_db, name):
    """The stored applicants of that name, as plain data."""
    with fresh_db() as session:
        return [
            SimpleNamespace(id=a.id, nik=a.nik, npwp=a.npwp, npwp_input=a.npwp_input)
            for a in session.query(Applicant).filter_by(name=name)
        ]


# --- API -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("check_digit_ok", [True, False], ids=["npwp-luhn-ok", "npwp-luhn-warns"])
def test_fo_creates_applicant_through_api_with_npwp_normalised(client, auth, fresh_db, check_digit_ok):
    nik, npwp, name = unique_nik(), legacy_npwp(check_digit_ok), unique_name()
    assert bool(parse_npwp(npwp).warnings) is not check_digit_ok  # the sample is what the test says

    response = client.post(
        "/api/v1/applicant/",
        json={"kind": INDIVIDUAL, "name": name, "nik": nik, "npwp_input": npwp, "phone": "0751-91234"},
        headers=auth("fo"),
    )

    assert response.status_code == 201, response.get_json()
    with fresh_db() as session:
        stored = session.get(Applicant, response.get_json()["id"])
        assert stored.name == name
        assert stored.nik == nik
        assert stored.npwp == npwp16(npwp)
        assert len(stored.npwp) == 16
        assert stored.npwp_input == npwp


def test_api_accepts_nik_written_with_separators_and_stores_bare_digits(client, auth, fresh_db):
    nik = unique_nik()
    written = f"{nik[:6]}.{nik[6:12]}.{nik[12:]}"
    response = client.post("/api/v1/applicant/", json={"kind": INDIVIDUAL, "name": unique_name(), "nik": written},
                           headers=auth("fo"))
    assert response.status_code == 201, response.get_json()
    with fresh_db() as session:
        assert session.get(Applicant, response.get_json()["id"]).nik == nik


@pytest.mark.parametrize("case", range(3), ids=["15-digits", "bad-date", "unknown-province"])
def test_invalid_nik_is_refused_through_api_in_indonesian(client, auth, fresh_db, indonesian, case):
    nik, msgid, params = invalid_niks()[case]
    name = unique_name()

    response = client.post("/api/v1/applicant/", json={"kind": INDIVIDUAL, "name": name, "nik": nik},
                           headers=auth("fo"))

    assert response.status_code in (400, 422)
    message = response.get_json()["message"]
    assert set(message) == {"nik"}
    assert message["nik"] == [indonesian_text(indonesian, msgid, params)]
    assert msgid % params not in message["nik"]  # not the English text
    assert applicants_named(fresh_db, name) == []


def test_invalid_npwp_is_refused_through_api(client, auth, fresh_db, indonesian):
    name = unique_name()
    response = client.post(
        "/api/v1/applicant/",
        json={"kind": INDIVIDUAL, "name": name, "nik": unique_nik(), "npwp_input": "01.234.567.8-901"},
        headers=auth("fo"),
    )
    assert response.status_code in (400, 422)
    assert response.get_json()["message"]["npwp_input"] == [
        indonesian_text(indonesian, "NPWP must have 15 or 16 digits; %(count)s given.", {"count": 12})
    ]
    assert applicants_named(fresh_db, name) == []


def test_nik_is_masked_for_a_role_without_identity_permission(client, auth, create_applicant):
    nik = unique_nik()
    npwp = legacy_npwp(True)
    response = create_applicant(nik=nik, npwp_input=npwp)
    assert response.status_code == 201, response.get_json()
    applicant_id = response.get_json()["id"]
    normalised = npwp16(npwp)

    as_leader = client.get(f"/api/v1/applicant/{applicant_id}", headers=auth("pimpinan"))
    assert as_leader.status_code == 200, as_leader.get_json()
    shown = as_leader.get_json()["result"]
    assert shown["nik_shown"] == f"**** **** **** {nik[-4:]}"
    assert nik not in str(as_leader.get_json())
    assert shown["npwp_shown"] == f"**** **** **** {normalised[-4:]}"

    as_front_office = client.get(f"/api/v1/applicant/{applicant_id}", headers=auth("fo"))
    assert as_front_office.status_code == 200
    assert as_front_office.get_json()["result"]["nik_shown"] == nik
    assert as_front_office.get_json()["result"]["npwp_shown"] == normalised


def test_nik_is_masked_in_the_leaders_list_too(client, auth, create_applicant):
    nik = unique_nik()
    name = unique_name()
    assert create_applicant(nik=nik, name=name).status_code == 201
    query = f"(filters:!((col:name,opr:eq,value:'{name}')))"
    listed = client.get(f"/api/v1/applicant/?q={query}", headers=auth("pimpinan"))
    assert listed.status_code == 200, listed.get_json()
    assert [row["nik_shown"] for row in listed.get_json()["result"]] == [f"**** **** **** {nik[-4:]}"]


# --- Web form ------------------------------------------------------------------------------------


def applicant_form(**fields):
    return {"kind": INDIVIDUAL, "name": unique_name(), "nik": unique_nik(), "npwp_input": "", "phone": "",
            "email": "", "address": "", **fields}


@pytest.mark.parametrize("case", range(3), ids=["15-digits", "bad-date", "unknown-province"])
def test_invalid_nik_in_web_form_is_shown_in_indonesian_and_nothing_is_created(
    login, fresh_db, indonesian, case
):
    nik, msgid, params = invalid_niks()[case]
    client = login("fo")
    form = applicant_form(nik=nik)

    response = client.post("/applicants/add", data=form)

    assert response.status_code == 200  # the form again, not a redirect to the list
    page = html.unescape(response.get_data(as_text=True))
    assert indonesian_text(indonesian, msgid, params) in page
    assert msgid % params not in page
    assert applicants_named(fresh_db, form["name"]) == []


def test_valid_applicant_in_web_form_is_created_normalised(login, fresh_db):
    client = login("fo")
    npwp = legacy_npwp(True)
    nik = unique_nik()
    form = applicant_form(nik=f"{nik[:6]} {nik[6:12]} {nik[12:]}", npwp_input=npwp)

    response = client.post("/applicants/add", data=form)

    assert response.status_code == 302, html.unescape(response.get_data(as_text=True))[-3000:]
    [stored] = applicants_named(fresh_db, form["name"])
    assert stored.nik == nik
    assert stored.npwp == npwp16(npwp)
    assert stored.npwp_input == npwp


def test_npwp_check_digit_warning_in_web_form_needs_the_clerks_confirmation(login, fresh_db, indonesian):
    client = login("fo")
    npwp = legacy_npwp(False)
    warning = parse_npwp(npwp)  # rendered in English here: only its digits are used below
    digits = "".join(c for c in npwp if c.isdigit())
    form = applicant_form(npwp_input=npwp)

    refused = client.post("/applicants/add", data=form)
    assert refused.status_code == 200
    page = html.unescape(refused.get_data(as_text=True))
    expected = indonesian_text(indonesian, NPWP_WARNING_MSG, {
        "digit": digits[8], "expected": str((int(digits[8]) + 9) % 10)})
    assert warning.warnings and expected in page
    assert applicants_named(fresh_db, form["name"]) == []

    confirmed = client.post("/applicants/add", data={**form, "npwp_checked": "y"})
    assert confirmed.status_code == 302
    [stored] = applicants_named(fresh_db, form["name"])
    assert stored.npwp == "0" + digits
    assert stored.npwp_input == npwp


# --- Businesses ----------------------------------------------------------------------------------


def business_body(applicant_id, **fields):
    return {
        "applicant": applicant_id, "name": unique_name("CV"), "nib": "1234567890123", "kbli": "47111",
        "kbli_edition": wire(Business.__table__.c.kbli_edition),
        "scale": wire(Business.__table__.c.scale), **fields,
    }


@pytest.fixture
def applicant_id(create_applicant):
    response = create_applicant()
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def businesses_named(fresh_db, name):
    with fresh_db() as session:
        return [
            SimpleNamespace(nib=b.nib, kbli=b.kbli, applicant_id=b.applicant_id)
            for b in session.query(Business).filter_by(name=name)
        ]


def test_business_with_valid_nib_and_kbli_is_created(client, auth, fresh_db, applicant_id):
    body = business_body(applicant_id)
    response = client.post("/api/v1/business/", json=body, headers=auth("fo"))
    assert response.status_code == 201, response.get_json()
    [stored] = businesses_named(fresh_db, body["name"])
    assert (stored.nib, stored.kbli, stored.applicant_id) == (body["nib"], body["kbli"], applicant_id)


@pytest.mark.parametrize(
    "field, value, msgid",
    [
        ("nib", "123456789012", NIB_MSG),
        ("nib", "12345678901", NIB_MSG),
        ("kbli", "4711", KBLI_MSG),
        ("kbli", "471", KBLI_MSG),
    ],
)
def test_business_with_wrong_length_nib_or_kbli_is_refused(
    client, auth, fresh_db, indonesian, applicant_id, field, value, msgid
):
    body = business_body(applicant_id, **{field: value})
    response = client.post("/api/v1/business/", json=body, headers=auth("fo"))
    assert response.status_code in (400, 422)
    message = response.get_json()["message"]
    assert set(message) == {field}
    assert message[field] == [indonesian_text(indonesian, msgid, {"count": len(value)})]
    assert businesses_named(fresh_db, body["name"]) == []


@pytest.mark.parametrize("field, value", [("nib", "12345678901234"), ("kbli", "471112")])
def test_business_with_too_long_nib_or_kbli_is_refused(client, auth, fresh_db, applicant_id, field, value):
    body = business_body(applicant_id, **{field: value})
    response = client.post("/api/v1/business/", json=body, headers=auth("fo"))
    assert response.status_code in (400, 422)
    assert field in response.get_json()["message"]
    assert businesses_named(fresh_db, body["name"]) == []


@pytest.mark.parametrize("field, value", [("nib", "12345678901"), ("kbli", "4711")])
def test_business_web_form_refuses_wrong_length(login, fresh_db, indonesian, applicant_id, field, value):
    client = login("fo")
    body = business_body(applicant_id, **{field: value})
    response = client.post("/businesses/add", data=body)
    assert response.status_code == 200
    msgid = NIB_MSG if field == "nib" else KBLI_MSG
    page = html.unescape(response.get_data(as_text=True))
    assert indonesian_text(indonesian, msgid, {"count": len(value)}) in page
    assert businesses_named(fresh_db, body["name"]) == []
