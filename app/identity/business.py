"""NIB (OSS business identification number) and KBLI (business classification)."""

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.identity.digits import only_digits
from app.identity.errors import IdentityError

NIB_LENGTH = 13
KBLI_LENGTH = 5
# KBLI 2025 since BPS Regulation 7/2025; records made before keep KBLI 2020.
KBLI_EDITIONS = ("2020", "2025")


@dataclass(frozen=True)
class Kbli:
    code: str
    edition: str  # "2020" or "2025": the same code can mean different activities per edition


def parse_nib(text) -> str:
    """The 13 NIB digits, or IdentityError. OSS publishes no checksum, so only the length is checked."""
    digits = only_digits(text, "NIB")
    if len(digits) != NIB_LENGTH:
        raise IdentityError(
            _l("NIB must have 13 digits; %(count)s given.", count=len(digits)), code="nib_length"
        )
    return digits


def parse_kbli_code(text) -> str:
    """The 5 KBLI digits, or IdentityError; for when the edition is checked elsewhere."""
    digits = only_digits(text, "KBLI")
    if len(digits) != KBLI_LENGTH:
        raise IdentityError(
            _l("KBLI code must have 5 digits; %(count)s given.", count=len(digits)),
            code="kbli_length",
        )
    if digits.startswith("00"):
        # Divisions (the first 2 digits) run from 01 to 99 in both editions.
        raise IdentityError(
            _l("KBLI code %(code)s is not valid: no division starts with 00.", code=digits),
            code="kbli_division",
        )
    return digits


def parse_kbli_edition(edition) -> str:
    """Return "2020" or "2025"; also accepts 2020 as a number or an enum member named kbli_2020."""
    value = edition.name.removeprefix("kbli_") if isinstance(edition, enum.Enum) else edition
    value = "" if value is None else str(value).strip()
    if value not in KBLI_EDITIONS:
        raise IdentityError(
            _l("KBLI edition %(edition)s is not known: use 2020 or 2025.", edition=value or "-"),
            code="kbli_edition",
        )
    return value


def parse_kbli(code, edition) -> Kbli:
    return Kbli(code=parse_kbli_code(code), edition=parse_kbli_edition(edition))
