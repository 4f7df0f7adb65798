"""Errors raised before a view runs, answered in the user's language (JSON for the API)."""

from flask import current_app, flash, jsonify, redirect, request
from flask_babel import gettext
from werkzeug.exceptions import RequestEntityTooLarge


def _too_large(_error):
    message = gettext("The file is larger than the limit of %(limit)s MB and was not saved.",
                      limit=current_app.config["MAX_UPLOAD_MB"])
    if request.path.startswith("/api/"):
        return jsonify(message=message), 413
    flash(message, "danger")
    return redirect(request.referrer or request.path)


def init_app(flask_app) -> None:
    from app.views import error_pages

    flask_app.register_error_handler(RequestEntityTooLarge, _too_large)
    error_pages.register(flask_app)
