"""An issued permit's validity: an expiry date, or none ("berlaku selama usaha berjalan")."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext, lazy_gettext as _l

from app.errors import UserError
from app.models.base import LabelledEnum, utcnow
from app.workflow.calendar import to_local

VALID_WHILE_OPERATING = _l("Valid while the business operates")


class PermitStatus(LabelledEnum):
    valid = _l("In force")
    expired = _l("Expired")
    revoked = _l("Revoked")


class ValidityError(UserError):
    """Dates that cannot be a permit's validity; ``field`` names the date to fix."""

    status = 422

    def __init__(self, field: str, message: str):
        super().__init__(message, field)


def check_validity(issued_on: dt.date | None, valid_until: dt.date | None) -> None:
    if issued_on and valid_until and valid_until < issued_on:
        raise ValidityError("valid_until", gettext(
            "The expiry date (%(until)s) cannot be before the issue date (%(issued)s).",
            until=f"{valid_until:%d-%m-%Y}", issued=f"{issued_on:%d-%m-%Y}"))


def office_today() -> dt.date:
    return to_local(utcnow()).date()


def status_on(permit, today: dt.date) -> PermitStatus:
    if permit.revoked_at is not None:
        return PermitStatus.revoked
    if permit.valid_until is not None and permit.valid_until < today:
        return PermitStatus.expired
    return PermitStatus.valid


def validity_text(permit) -> str:
    return f"{permit.valid_until:%d-%m-%Y}" if permit.valid_until else str(VALID_WHILE_OPERATING)
