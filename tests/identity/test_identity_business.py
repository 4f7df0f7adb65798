"""NIB and KBLI."""


import pytest

from app.models.people import KbliEdition

from app.identity import IdentityError, Kbli, parse_kbli, parse_nib


def code_of(call):
    with pytest.raises(IdentityError) as caught:
        call()
    return caught.value.code, str(caught.value)


def test_nib_13_digits():
    assert parse_nib("9120 0012 3456 7") == "9120001234567"


@pytest.mark.parametrize("text, count", [("912000123456", 12), ("91200012345678", 14), ("", 0)])
def test_nib_wrong_length(text, count):
    assert code_of(lambda: parse_nib(text)) == ("nib_length", f"NIB must have 13 digits; {count} given.")


@pytest.mark.parametrize("edition, year", [
    ("2020", "2020"), ("2025", "2025"), (2025, "2025"), (KbliEdition.kbli_2020, "2020"),
])
def test_kbli_with_its_edition(edition, year):
    assert parse_kbli("47111", edition) == Kbli(code="47111", edition=year)


@pytest.mark.parametrize("edition", ["2017", "2009", "", None, "KBLI 2020"])
def test_kbli_unknown_edition(edition):
    assert code_of(lambda: parse_kbli("47111", edition))[0] == "kbli_edition"


@pytest.mark.parametrize("code", ["4711", "471111", ""])
def test_kbli_wrong_length(code):
    assert code_of(lambda: parse_kbli(code, "2020"))[0] == "kbli_length"


def test_kbli_division_00():
    assert code_of(lambda: parse_kbli("00111", "2020")) == (
        "kbli_division",
        "KBLI code 00111 is not valid: no division starts with 00.",
    )
