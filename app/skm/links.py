"""The survey's link for one application: a signed token, so that nobody can answer for another's file.

The token is the application's id and an HMAC of it under the app's secret key (96 bits): short
enough for a printed link, and not guessable without the key.
"""

import base64
import hashlib
import hmac

from flask import current_app

from app.public_url import public_url

SIGNATURE_CHARS = 16


def _signature(application_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"skm:{application_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:SIGNATURE_CHARS]


def survey_token(application_id: int) -> str:
    return f"{application_id}-{_signature(application_id)}"


def application_id_of(token: str) -> int | None:
    """The application a token was made for, or None when it is malformed or forged."""
    number, _, signature = (token or "").partition("-")
    if not number.isdigit() or len(number) > 12:
        return None
    return int(number) if hmac.compare_digest(signature, _signature(int(number))) else None


def survey_url(application) -> str:
    """The public survey link of ``application`` (absolute: printed as a QR code and sent in messages)."""
    return public_url(f"/skm/{survey_token(application.id)}")
