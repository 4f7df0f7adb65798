"""Example-based tests of parse_nik."""

import datetime as dt

import pytest

from app.identity import IdentityError, normalise_digits, parse_nik
from app.identity import regions

TODAY = dt.date(2026, 11, 26)


def nik(region="137701", ddmmyy="050290", serial="0001") -> str:
    return region + ddmmyy + serial


def refused(text, code):
    with pytest.raises(IdentityError) as caught:
        parse_nik(text, today=TODAY)
    assert caught.value.code == code
    return str(caught.value)


def test_male_nik_from_kota_pariaman():
    parsed = parse_nik(nik(ddmmyy="050290", serial="0123"), today=TODAY)
    assert parsed.digits == "1377010502900123"
    assert (parsed.province_code, parsed.regency_code, parsed.district_code) == ("13", "1377", "137701")
    assert parsed.birth_date == dt.date(1990, 2, 5)
    assert parsed.is_female is False
    assert parsed.serial == "0123"
    assert parsed.province_name == "Sumatera Barat"
    assert parsed.regency_name == "Kota Pariaman"


def test_female_nik_has_40_added_to_the_day():
    parsed = parse_nik(nik(ddmmyy="450290"), today=TODAY)
    assert parsed.birth_date == dt.date(1990, 2, 5)
    assert parsed.is_female is True


@pytest.mark.parametrize("ddmmyy, born", [("310190", dt.date(1990, 1, 31)), ("710190", dt.date(1990, 1, 31))])
def test_last_day_of_a_month_for_both_sexes(ddmmyy, born):
    assert parse_nik(nik(ddmmyy=ddmmyy), today=TODAY).birth_date == born


def test_spaces_dots_and_dashes_are_ignored():
    assert parse_nik("13.77.01 450290-0001", today=TODAY).digits == "1377014502900001"
    assert parse_nik("1377 0145\u00a00290\u20130001", today=TODAY).digits == "1377014502900001"


@pytest.mark.parametrize("ddmmyy, born", [
    ("290200", dt.date(2000, 2, 29)),  # 2000 is a leap year (divisible by 400)
    ("290296", dt.date(1996, 2, 29)),
    ("690204", dt.date(2004, 2, 29)),  # a woman
])
def test_29_february_in_a_leap_year(ddmmyy, born):
    assert parse_nik(nik(ddmmyy=ddmmyy), today=TODAY).birth_date == born


@pytest.mark.parametrize("ddmmyy", ["290299", "290225", "690201", "300296", "310490"])
def test_dates_that_do_not_exist(ddmmyy):
    assert refused(nik(ddmmyy=ddmmyy), "nik_birth_date") == f"NIK birth date {ddmmyy} does not exist."


def test_the_briefs_example_message():
    assert refused(nik(ddmmyy="310299"), "nik_birth_date") == "NIK birth date 310299 does not exist."


@pytest.mark.parametrize("dd", ["00", "32", "40", "72", "99"])
def test_day_outside_both_ranges(dd):
    message = refused(nik(ddmmyy=dd + "0290"), "nik_birth_day")
    assert dd in message


@pytest.mark.parametrize("mm", ["00", "13"])
def test_month_outside_range(mm):
    assert mm in refused(nik(ddmmyy="05" + mm + "90"), "nik_birth_month")


def test_century_is_the_latest_not_in_the_future():
    assert parse_nik(nik(ddmmyy="261126"), today=TODAY).birth_date == dt.date(2026, 11, 26)
    assert parse_nik(nik(ddmmyy="271126"), today=TODAY).birth_date == dt.date(1926, 11, 27)
    assert parse_nik(nik(ddmmyy="010127"), today=TODAY).birth_date == dt.date(1927, 1, 1)


def test_default_today_is_real_today():
    # Born "today" in the current century, whatever day the test runs (WIB).
    from app.identity.nik import today_wib

    today = today_wib()
    parsed = parse_nik(nik(ddmmyy=today.strftime("%d%m%y")))
    assert parsed.birth_date == today


def test_unknown_province():
    assert refused(nik(region="997701"), "nik_province") == "Unknown province code 99 in NIK."


@pytest.mark.parametrize("province", ["00", "10", "20", "54", "97"])
def test_codes_that_are_not_provinces(province):
    refused(nik(region=province + "0101"), "nik_province")


@pytest.mark.parametrize("province, name", [
    ("65", "Kalimantan Utara"),
    ("91", "Papua"),
    ("92", "Papua Barat"),
    ("93", "Papua Selatan"),
    ("94", "Papua Tengah"),
    ("95", "Papua Pegunungan"),
    ("96", "Papua Barat Daya"),
])
def test_new_provinces_are_known(province, name):
    parsed = parse_nik(nik(region=province + "0101"), today=TODAY)
    assert parsed.province_name == name
    assert parsed.regency_name is None  # no regency table for these provinces


def test_the_table_has_the_38_current_provinces():
    assert len(regions.provinces()) == 38


def test_unknown_regency_in_sumatera_barat():
    message = refused(nik(region="131301"), "nik_regency")
    assert message == "Unknown regency/city code 1313 in NIK for province Sumatera Barat."


def test_every_listed_sumatera_barat_regency_is_accepted():
    for code in regions.regencies("13"):
        assert parse_nik(nik(region=code + "01"), today=TODAY).regency_code == code


def test_regency_00_and_district_00():
    refused(nik(region="320001"), "nik_regency")
    refused(nik(region="320100"), "nik_district")
    refused(nik(region="137700"), "nik_district")


def test_serial_0000_refused_9999_accepted():
    refused(nik(serial="0000"), "nik_serial")
    assert parse_nik(nik(serial="9999"), today=TODAY).serial == "9999"


@pytest.mark.parametrize("text, count", [("", 0), (None, 0), ("137701450290001", 15), ("13770145029000011", 17)])
def test_wrong_length(text, count):
    assert refused(text, "nik_length") == f"NIK must have 16 digits; {count} given."


@pytest.mark.parametrize("text, char", [
    ("13770145029O0001", "O"),  # letter O typed for zero
    ("137701450290000l", "l"),
    ("13770145029\u0660" + "0001", "\u0660"),  # an Arabic-Indic zero is not an ASCII digit
    ("1377/0145/0290/0001", "/"),
])
def test_characters_other_than_digits_and_separators(text, char):
    message = refused(text, "not_digits")
    assert message.startswith("NIK may contain only digits")
    assert f'"{char}"' in message


def test_normalise_digits_keeps_other_characters_for_reporting():
    assert normalise_digits(" 13.77-01 ") == "137701"
    assert normalise_digits("12a4") == "12a4"
    assert normalise_digits(None) == ""
