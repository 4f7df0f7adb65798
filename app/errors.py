"""Errors raised before a view runs, answered in the user's language (JSON for the API)."""

from flask import current_app, flash, jsonify, redirect, request
from flask_babel import gettext
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import RequestEntityTooLarge


def _too_large(_error):
    message = gettext("The file is larger than the limit of %(limit)s MB and was not saved.",
                      limit=current_app.config["MAX_UPLOAD_MB"])
    if request.path.startswith("/api/"):
        return jsonify(message=message), 413
    flash(message, "danger")
    return redirect(request.referrer or request.path)


def _database_failed(error):
    """The database refused or lost the connection mid-request: the transaction is rolled back (the
    session is removed after the request), and the user is told nothing was saved."""
    current_app.logger.error("Database error on %s: %s", request.path, error)
    message = gettext("The database did not accept the change and nothing was saved. Please try again; "
                      "if it happens again, contact the administrator.")
    if request.path.startswith("/api/"):
        return jsonify(message=message), 503
    flash(message, "danger")
    return redirect(request.referrer or request.path)


def init_app(flask_app) -> None:
    flask_app.register_error_handler(RequestEntityTooLarge, _too_large)
    flask_app.register_error_handler(DBAPIError, _database_failed)
