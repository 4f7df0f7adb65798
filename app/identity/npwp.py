"""NPWP, the taxpayer number.

Accepted forms: the legacy 15 digits (99.999.999.9-999.999), or since 2024 16 digits: a 0 followed
by the legacy 15, or for an individual the NIK itself. Stored as 16 digits plus what was typed.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.identity.digits import luhn_check_digit, luhn_is_valid, only_digits
from app.identity.errors import IdentityError
from app.identity.nik import Nik, parse_nik

LEGACY_LENGTH = 15
NEW_LENGTH = 16


@dataclass(frozen=True)
class Npwp:
    normalised16: str
    typed: str  # exactly as given, for the record
    # True for a number of the legacy scheme (typed as 15 digits or as 0 + 15), False for a NIK.
    is_legacy15: bool
    # Doubts the clerk may override (rendered in the language active when parsed).
    warnings: list[str] = field(default_factory=list)
    nik: Nik | None = None  # set when the NPWP is the holder's NIK

    @property
    def legacy15(self) -> str | None:
        return self.normalised16[1:] if self.is_legacy15 else None

    @property
    def formatted(self) -> str:
        """The legacy 99.999.999.9-999.999 form where it applies, else the 16 digits."""
        if not self.is_legacy15:
            return self.normalised16
        d = self.legacy15
        return f"{d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:]}"


def parse_npwp(text, today=None) -> Npwp:
    """The NPWP in text, or IdentityError. A failed check digit is only a warning.

    `today` is passed to parse_nik when the NPWP is a NIK.
    """
    typed = "" if text is None else str(text)
    digits = only_digits(typed, "NPWP")
    if len(digits) == NEW_LENGTH and not digits.startswith("0"):
        return _from_nik(digits, typed, today)
    if len(digits) == NEW_LENGTH:
        return _from_legacy(digits[1:], typed)
    if len(digits) == LEGACY_LENGTH:
        return _from_legacy(digits, typed)
    raise IdentityError(
        _l("NPWP must have 15 or 16 digits; %(count)s given.", count=len(digits)),
        code="npwp_length",
    )


def _from_nik(digits: str, typed: str, today) -> Npwp:
    # No province code starts with 0, so a leading digit other than 0 means a NIK.
    try:
        nik = parse_nik(digits, today=today)
    except IdentityError as error:
        raise IdentityError(
            _l(
                "A 16-digit NPWP not starting with 0 must be the holder's NIK, "
                "and this one is not valid: %(reason)s",
                reason=error.message,
            ),
            code=f"npwp_{error.code}",
        ) from error
    return Npwp(normalised16=digits, typed=typed, is_legacy15=False, nik=nik)


def _from_legacy(legacy: str, typed: str) -> Npwp:
    if set(legacy) == {"0"}:
        # Some systems file 00.000.000.0-000.000 for "has no NPWP"; it would pass the Luhn check.
        raise IdentityError(
            _l(
                "NPWP 00.000.000.0-000.000 is a placeholder, not a real NPWP; "
                "leave the field empty if the applicant has none."
            ),
            code="npwp_placeholder",
        )
    return Npwp(
        normalised16="0" + legacy, typed=typed, is_legacy15=True, warnings=_check_digit_warnings(legacy)
    )


def _check_digit_warnings(legacy: str) -> list[str]:
    # Public accounts (no official spec) say digit 9 is a Luhn check over digits 1-8.
    if luhn_is_valid(legacy[:9]):
        return []
    return [
        str(
            _l(
                "NPWP check digit %(digit)s does not match the first 8 digits (%(expected)s "
                "expected). Compare the number with the NPWP card; keep it only if it is exactly "
                "as printed.",
                digit=legacy[8],
                expected=luhn_check_digit(legacy[:8]),
            )
        )
    ]
