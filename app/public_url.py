"""Absolute links printed for the public (QR codes, messages): PUBLIC_BASE_URL, the address the public
reaches SIGAP by, else the address of the current request."""

from __future__ import annotations

import logging

from flask import current_app, has_request_context, request

log = logging.getLogger(__name__)


def public_url(path: str) -> str:
    base = current_app.config["PUBLIC_BASE_URL"] or (request.url_root if has_request_context() else "")
    if not base:
        log.warning("PUBLIC_BASE_URL is not set: the worker writes a link without its address (%s)", path)
    return base.rstrip("/") + path
