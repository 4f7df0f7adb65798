"""Absolute links printed or sent to the public (QR codes, messages): always under SIGAP_PUBLIC_URL, the
address the public reaches SIGAP by, never the address of the request (a clerk's browser at the counter
may use 127.0.0.1 or an internal name the applicant cannot reach)."""

from __future__ import annotations

from flask import current_app


def public_url(path: str) -> str:
    return current_app.config["SIGAP_PUBLIC_URL"].rstrip("/") + path
