"""Tokens and sessions bound to the account's security stamp (app/models/guard.py: UserStamp).

An access or refresh token carries the stamp it was issued under, a web session keeps it beside the user
id; both are refused once the stamp differs: after a password change, a deactivation or reactivation,
or the deletion of the account (its stamp goes with it, and a new account never gets its id back).
"""

import hmac
import secrets

from flask import jsonify, request
from flask_babel import gettext
from flask_jwt_extended import verify_jwt_in_request
from flask_jwt_extended.exceptions import JWTExtendedException
from flask_appbuilder.security.sqla.models import User
from jwt.exceptions import PyJWTError
from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Session

from app.models import UserStamp

STAMP_CLAIM = "stamp"
SESSION_KEY = "_sigap_stamp"

_table = UserStamp.__table__


def current_stamp(connection, user_id: int) -> str | None:
    return connection.execute(select(_table.c.stamp).where(_table.c.user_id == user_id)).scalar()


def issue_stamp(connection, user_id: int) -> str:
    """The user's stamp, created at the first login."""
    stamp = current_stamp(connection, user_id)
    if stamp is None:
        stamp = secrets.token_hex(16)
        connection.execute(insert(_table).values(user_id=user_id, stamp=stamp))
    return stamp


def stamp_matches(connection, user_id: int, presented) -> bool:
    stamp = current_stamp(connection, user_id)
    return stamp is not None and isinstance(presented, str) and hmac.compare_digest(stamp, presented)


def _credentials_changed(user) -> bool:
    attrs = inspect(user).attrs
    return attrs.password.history.has_changes() or attrs.active.history.has_changes()


def _rotate_changed_stamps(session: Session, _context, _instances) -> None:
    """A new password, or an account switched off or on again, ends every token and session issued before."""
    for user in session.dirty:
        if isinstance(user, User) and _credentials_changed(user):
            session.connection().execute(
                update(_table).where(_table.c.user_id == user.id).values(stamp=secrets.token_hex(16)))


def authenticated_by_bearer_token() -> bool:
    """Whether this request carries a valid access token (not merely an Authorization header)."""
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        return False
    try:
        return verify_jwt_in_request(optional=True) is not None
    except (JWTExtendedException, PyJWTError):
        return False


def refused(_reason: str):
    """The API's answer to a request without a usable access token (flask-jwt-extended's reason is English)."""
    return jsonify(message=gettext("Log in first: send a valid access token (Authorization: Bearer ...).")), 401


def init_app() -> None:
    if not event.contains(Session, "before_flush", _rotate_changed_stamps):
        event.listen(Session, "before_flush", _rotate_changed_stamps)
