"""The public links a message carries: the status page, the permit's authenticity check, the survey."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import current_app

from app.permits.check import check_code
from app.public_url import public_url
from app.skm.links import survey_url


def status_link(application) -> str:
    return public_url("/status/?" + urlencode({"number": application.registration_number}))


def check_link(permit) -> str:
    return public_url("/cek/" + quote(check_code(permit, current_app.config["SECRET_KEY"])))


def survey_link(application) -> str:
    return survey_url(application)
