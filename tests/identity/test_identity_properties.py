"""Property-based tests (hypothesis)."""

import datetime as dt
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.identity import (
    IdentityError,
    mask_nik,
    mask_npwp,
    normalise_digits,
    parse_nib,
    parse_nik,
    parse_npwp,
)
from app.identity import regions
from app.identity.digits import luhn_check_digit

DIGITS = "0123456789"
SEPARATORS = [" ", ".", "-", "\u00a0", "\u2013"]


@st.composite
def regions_codes(draw) -> str:
    """A district code (6 digits) that the table accepts."""
    province = draw(st.sampled_from(sorted(regions.provinces())))
    listed = sorted(regions.regencies(province))
    if listed:
        regency = draw(st.sampled_from(listed))
    else:
        regency = province + draw(st.integers(1, 99).map("{:02d}".format))
    return regency + draw(st.integers(1, 99).map("{:02d}".format))


@st.composite
def niks(draw):
    """(digits, today, expected fields) for a valid NIK."""
    today = draw(st.dates(dt.date(2000, 1, 1), dt.date(2098, 12, 31)))
    # Within 99 full years of `today` the two-digit year is unambiguous (see _birth_year).
    born = draw(st.dates(dt.date(today.year - 99, 1, 1), today))
    is_female = draw(st.booleans())
    region = draw(regions_codes())
    serial = draw(st.integers(1, 9999).map("{:04d}".format))
    day = born.day + (40 if is_female else 0)
    digits = f"{region}{day:02d}{born:%m%y}{serial}"
    return digits, today, (region, born, is_female, serial)


def sprinkle(draw, digits: str) -> str:
    """The digits with separators inserted anywhere, as clerks and scans write them."""
    out = []
    for char in digits:
        out.append(draw(st.sampled_from(["", "", *SEPARATORS])))
        out.append(char)
    return "".join(out)


@given(niks())
def test_generated_niks_parse_and_round_trip(case):
    digits, today, (region, born, is_female, serial) = case
    parsed = parse_nik(digits, today=today)
    assert parsed.digits == digits
    assert parsed.province_code == region[:2]
    assert parsed.regency_code == region[:4]
    assert parsed.district_code == region
    assert parsed.birth_date == born
    assert parsed.is_female is is_female
    assert parsed.serial == serial
    # Round trip: the fields rebuild the digits.
    day = parsed.birth_date.day + (40 if parsed.is_female else 0)
    assert f"{parsed.district_code}{day:02d}{parsed.birth_date:%m%y}{parsed.serial}" == digits


@given(niks(), st.data())
def test_separators_do_not_change_the_parse(case, data):
    digits, today, _ = case
    written = sprinkle(data.draw, digits)
    assert parse_nik(written, today=today) == parse_nik(digits, today=today)


@given(st.text(alphabet=DIGITS, max_size=40).filter(lambda text: len(text) != 16))
def test_digit_strings_not_16_long_are_refused(text):
    with pytest.raises(IdentityError) as caught:
        parse_nik(text)
    assert caught.value.code == "nik_length"


@given(niks(), st.sampled_from(list(range(32, 41)) + list(range(72, 100)) + [0]))
def test_days_32_to_40_and_72_up_are_refused(case, day):
    digits, today, _ = case
    bad = digits[:6] + f"{day:02d}" + digits[8:]
    with pytest.raises(IdentityError) as caught:
        parse_nik(bad, today=today)
    assert caught.value.code == "nik_birth_day"


@given(
    st.dates(dt.date(2000, 1, 1), dt.date(2098, 12, 31)),
    st.integers(1, 31),
    st.booleans(),
    st.integers(1, 12),
    st.integers(0, 99),
)
def test_birth_date_is_never_in_the_future(today, day, is_female, month, yy):
    digits = f"137701{day + (40 if is_female else 0):02d}{month:02d}{yy:02d}0001"
    try:
        born = parse_nik(digits, today=today).birth_date
    except IdentityError as error:
        assert error.code == "nik_birth_date"  # 31 April, 29 February of a common year...
        return
    # The latest date with these DDMMYY that is not after today: within the last 100 years.
    assert (today.year - 100, today.month, today.day) < (born.year, born.month, born.day)
    assert born <= today


@given(st.text())
def test_normalisation_is_idempotent(text):
    once = normalise_digits(text)
    assert normalise_digits(once) == once
    assert not re.search(r"[\s.\-]", once)


@given(st.text(alphabet=DIGITS, max_size=30), st.data())
def test_normalisation_recovers_the_digits(digits, data):
    assert normalise_digits(sprinkle(data.draw, digits)) == digits


@st.composite
def legacy_npwps(draw, valid_check_digit: bool | None = None):
    first8 = draw(st.text(alphabet=DIGITS, min_size=8, max_size=8))
    check = luhn_check_digit(first8)
    if valid_check_digit is None:
        digit = draw(st.sampled_from(DIGITS))
    elif valid_check_digit:
        digit = check
    else:
        digit = draw(st.sampled_from(DIGITS.replace(check, "")))
    legacy = first8 + digit + draw(st.text(alphabet=DIGITS, min_size=6, max_size=6))
    assume(set(legacy) != {"0"})  # the placeholder of zeros is refused on purpose
    return legacy


def written_legacy(legacy: str) -> str:
    d = legacy
    return f"{d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:]}"


@given(legacy_npwps(), st.booleans())
def test_legacy15_normalises_to_0_plus_legacy(legacy, formatted):
    typed = written_legacy(legacy) if formatted else legacy
    npwp = parse_npwp(typed)
    assert npwp.normalised16 == "0" + legacy
    assert npwp.typed == typed
    assert npwp.is_legacy15
    assert npwp.formatted == written_legacy(legacy)
    # The 16-digit form of the same number parses to the same thing.
    assert parse_npwp("0" + legacy).normalised16 == npwp.normalised16


@given(legacy_npwps(valid_check_digit=True))
def test_valid_check_digit_gives_no_warning(legacy):
    assert parse_npwp(legacy).warnings == []


@given(legacy_npwps(valid_check_digit=False))
def test_wrong_check_digit_gives_one_warning_never_an_error(legacy):
    assert len(parse_npwp(legacy).warnings) == 1


@given(niks())
def test_a_nik_is_a_valid_npwp(case):
    digits, today, _ = case
    npwp = parse_npwp(digits, today=today)
    assert npwp.normalised16 == digits
    assert not npwp.is_legacy15
    assert npwp.nik == parse_nik(digits, today=today)


@given(st.text(alphabet=DIGITS, max_size=30).filter(lambda text: len(text) not in (15, 16)))
def test_npwp_of_other_lengths_is_refused(text):
    with pytest.raises(IdentityError):
        parse_npwp(text)


@given(st.text(alphabet=DIGITS, max_size=30))
def test_nib_is_exactly_13_digits(text):
    if len(text) == 13:
        assert parse_nib(text) == text
    else:
        with pytest.raises(IdentityError):
            parse_nib(text)


@given(st.sampled_from([mask_nik, mask_npwp]), st.text(alphabet=DIGITS + " .-", max_size=40))
def test_masking_reveals_at_most_the_last_4_digits(mask, text):
    digits = normalise_digits(text)
    shown = re.sub(r"[^0-9]", "", mask(text))
    assert len(shown) <= 4
    assert digits.endswith(shown)
    # Every other character is hidden, none dropped: the length still shows.
    assert len(mask(text).replace(" ", "")) == len(digits)


@given(st.text(max_size=40))
def test_masking_any_text_never_shows_more_than_4_characters(text):
    masked = mask_nik(text).replace(" ", "")
    assert len(masked.replace("*", "")) <= 4
