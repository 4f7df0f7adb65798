"""Revocation (pencabutan) and correction of an issued permit: each with its reason, the decree number and
who did it, kept as a permit_event row (append-only, like the step history) beside the audit log."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext
from sqlalchemy.orm import object_session

from app.models import PermitAction, PermitEvent
from app.models.base import utcnow
from app.permits.validity import ValidityError, check_validity

# What a correction may change; the application, the document and the hand-over are not the decree's.
CORRECTABLE = ("number", "permit_type", "issued_on", "valid_until")
LONGEST = {"number": 100, "permit_type": 200}


class PermitChangeError(ValidityError):
    pass


def _required(reason: str, decree_number: str) -> tuple[str, str]:
    reason, decree_number = (reason or "").strip(), (decree_number or "").strip()
    if not reason:
        raise PermitChangeError("reason", gettext("Give the reason."))
    if not decree_number:
        raise PermitChangeError("decree_number", gettext("Give the number of the decree."))
    if len(decree_number) > 100:
        raise PermitChangeError("decree_number", gettext("At most %(n)d characters.", n=100))
    return reason, decree_number


def revoke(permit, user, reason: str, decree_number: str, now: dt.datetime | None = None) -> PermitEvent:
    reason, decree_number = _required(reason, decree_number)
    if permit.revoked_at is not None:
        raise PermitChangeError("reason", gettext("This permit is already revoked."))
    now = now or utcnow()
    permit.revoked_at = now
    return _event(permit, PermitAction.revoked, reason, decree_number, user, None, now)


def correct(permit, user, reason: str, decree_number: str, values: dict,
            now: dt.datetime | None = None) -> PermitEvent:
    """Change the permit's correctable fields to ``values`` (those given); refused if nothing changes."""
    reason, decree_number = _required(reason, decree_number)
    if permit.revoked_at is not None:
        raise PermitChangeError("reason", gettext("A revoked permit cannot be corrected."))
    wanted = {key: values[key] for key in CORRECTABLE if key in values}
    for key in ("number", "permit_type", "issued_on"):
        if key in wanted and not wanted[key]:
            raise PermitChangeError(key, gettext("This field is required."))
    for key, most in LONGEST.items():
        if len(wanted.get(key) or "") > most:
            raise PermitChangeError(key, gettext("At most %(n)d characters.", n=most))
    check_validity(wanted.get("issued_on", permit.issued_on), wanted.get("valid_until", permit.valid_until))
    changes = {key: [_text(getattr(permit, key)), _text(value)]
               for key, value in wanted.items() if getattr(permit, key) != value}
    if not changes:
        raise PermitChangeError("reason", gettext("Nothing was changed."))
    for key in changes:
        setattr(permit, key, wanted[key])
    return _event(permit, PermitAction.corrected, reason, decree_number, user, changes, now or utcnow())


def _event(permit, action, reason, decree_number, user, changes, now) -> PermitEvent:
    event = PermitEvent(permit=permit, action=action, reason=reason, decree_number=decree_number,
                        changes=changes, user_id=user.id, at=now)
    object_session(permit).add(event)
    return event


def _text(value) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)
