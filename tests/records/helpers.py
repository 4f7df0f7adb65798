"""Unique sample values for the record tests (the database is shared by the whole test session)."""

import secrets
import uuid

from app.identity import parse_nik
from app.identity.digits import luhn_check_digit
from app.models import Applicant


def unique_nik() -> str:
    """A valid NIK of a woman born on a random day of February 1990 in Kota Pariaman, with a random serial
    (a whole suite registers hundreds: a serial alone would repeat)."""
    nik = f"137701{secrets.randbelow(28) + 41:02d}0290{secrets.randbelow(9999) + 1:04d}"
    parse_nik(nik)  # a sample that is itself invalid would make every test below meaningless
    return nik


def legacy_npwp(check_digit_ok: bool) -> str:
    """A random 15-digit NPWP written 99.999.999.9-999.999, whose check digit passes or fails."""
    payload = f"{secrets.randbelow(90_000_000) + 10_000_000:08d}"
    digit = int(luhn_check_digit(payload))
    if not check_digit_ok:
        digit = (digit + 1) % 10
    tail = f"{secrets.randbelow(1_000_000):06d}"
    return f"{payload[:2]}.{payload[2:5]}.{payload[5:8]}.{digit}-{tail[:3]}.{tail[3:]}"


def unique_name(prefix: str = "Pemohon") -> str:
    return f"{prefix} {uuid.uuid4().hex[:12]}"


def npwp16(typed: str) -> str:
    """The normalised 16 digits of a legacy 15-digit NPWP, worked out here rather than by the app."""
    digits = "".join(c for c in typed if c.isdigit())
    assert len(digits) == 15
    return "0" + digits


def wire(column, index: int = 0) -> str:
    """What the API and forms take for an enum column: the string the column stores."""
    return column.type.enums[index]


INDIVIDUAL = wire(Applicant.__table__.c.kind)
