"""Example-based tests of parse_npwp."""

import pytest

from app.identity import IdentityError, parse_npwp
from app.identity.digits import luhn_check_digit, luhn_is_valid

# Published examples (python-stdnum's doctests), check digit valid.
VALID_LEGACY = "01.312.166.0-091.000"
VALID_LEGACY_DIGITS = "013121660091000"


def test_legacy_15_written_the_usual_way():
    npwp = parse_npwp(VALID_LEGACY)
    assert npwp.normalised16 == "0" + VALID_LEGACY_DIGITS
    assert npwp.typed == VALID_LEGACY
    assert npwp.is_legacy15 is True
    assert npwp.legacy15 == VALID_LEGACY_DIGITS
    assert npwp.warnings == []
    assert npwp.nik is None
    assert npwp.formatted == VALID_LEGACY


def test_legacy_15_plain_digits():
    npwp = parse_npwp("016090524017000")
    assert npwp.normalised16 == "0016090524017000"
    assert npwp.warnings == []


def test_16_digits_leading_zero_plus_legacy():
    npwp = parse_npwp("0013121660091000")
    assert npwp.normalised16 == "0013121660091000"
    assert npwp.is_legacy15 is True
    assert npwp.typed == "0013121660091000"
    assert npwp.warnings == []


def test_16_digits_an_individuals_nik():
    npwp = parse_npwp("1377 0145 0290 0001")
    assert npwp.normalised16 == "1377014502900001"
    assert npwp.is_legacy15 is False
    assert npwp.legacy15 is None
    assert npwp.nik.is_female is True
    assert npwp.nik.regency_name == "Kota Pariaman"


def test_16_digits_an_invalid_nik():
    with pytest.raises(IdentityError) as caught:
        parse_npwp("9977014502900001")
    assert caught.value.code == "npwp_nik_province"
    assert str(caught.value) == (
        "A 16-digit NPWP not starting with 0 must be the holder's NIK, and this one is not valid: "
        "Unknown province code 99 in NIK."
    )


def test_failed_check_digit_is_a_warning_not_an_error():
    npwp = parse_npwp("01.312.166.7-091.000")
    assert npwp.normalised16 == "0013121667091000"
    assert len(npwp.warnings) == 1
    assert npwp.warnings[0].startswith("NPWP check digit 7 does not match the first 8 digits (0 expected).")


def test_failed_check_digit_in_the_16_digit_form_too():
    assert len(parse_npwp("0013121667091000").warnings) == 1


def test_placeholder_of_zeros_is_refused():
    for text in ("00.000.000.0-000.000", "0000000000000000"):
        with pytest.raises(IdentityError) as caught:
            parse_npwp(text)
        assert caught.value.code == "npwp_placeholder"


@pytest.mark.parametrize("text, count", [("", 0), (None, 0), ("01312166009100", 14), ("00131216600910001", 17)])
def test_wrong_length(text, count):
    with pytest.raises(IdentityError) as caught:
        parse_npwp(text)
    assert caught.value.code == "npwp_length"
    assert str(caught.value) == f"NPWP must have 15 or 16 digits; {count} given."


def test_letters_are_refused():
    with pytest.raises(IdentityError) as caught:
        parse_npwp("01.312.166.0-O91.000")
    assert caught.value.code == "not_digits"
    assert str(caught.value).startswith("NPWP may contain only digits")


def test_luhn_helpers():
    assert luhn_is_valid("79927398713")  # the textbook example
    assert not luhn_is_valid("79927398710")
    assert luhn_check_digit("7992739871") == "3"
    assert luhn_check_digit("01312166") == "0"
