"""Absolute links printed in messages and QR codes: PUBLIC_BASE_URL (the address the public reaches SIGAP
by), else the address of the current request."""

from __future__ import annotations

import logging
from urllib.parse import quote, urlencode

from flask import current_app, has_request_context, request

from app.permits.check import check_code

log = logging.getLogger(__name__)


def public_url(path: str) -> str:
    base = current_app.config["PUBLIC_BASE_URL"] or (request.url_root if has_request_context() else "")
    if not base:
        log.warning("PUBLIC_BASE_URL is not set: the worker writes a link without its address (%s)", path)
    return base.rstrip("/") + path


def status_link(application) -> str:
    return public_url("/status/?" + urlencode({"number": application.registration_number}))


def check_link(permit) -> str:
    return public_url("/cek/" + quote(check_code(permit, current_app.config["SECRET_KEY"])))


def survey_link(_application) -> str | None:
    """The SKM survey's link for this application. The survey module (branch issue-10-reports, /skm/<token>)
    supplies it at merge; until then there is no survey to invite to, and no invitation is queued."""
    return None
