"""Masked NIK / NPWP."""

from app.identity import mask_nik, mask_npwp


def test_nik_shows_only_the_last_4_digits():
    assert mask_nik("1377014502900001") == "**** **** **** 0001"


def test_npwp_normalised_16():
    assert mask_npwp("0013121660091000") == "**** **** **** 1000"


def test_separators_in_the_input_do_not_leak():
    assert mask_npwp("01.312.166.0-091.000") == "*** **** **** 1000"


def test_short_values_are_masked_completely():
    assert mask_nik("12345") == "* ****"
    assert mask_nik("") == ""
    assert mask_nik(None) == ""
