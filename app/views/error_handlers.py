"""One answer per kind of client for every error a user must hear about (app/errors.py UserError), and
for the upload size limit werkzeug enforces before a view runs: the API gets the status and JSON with the
field; a screen gets the sentence as a flash message and the form again. Nothing of the failed request
is kept: its transaction is rolled back (and with it any object it stored)."""

from flask import current_app, flash, jsonify, redirect, request
from flask_babel import gettext
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import RequestEntityTooLarge

from app.errors import BadInput, Refused, UserError
from app.views import error_pages
from app.views.base import appbuilder
from app.storage.errors import FileTooLarge


def answer(error: UserError):
    appbuilder().session.rollback()
    if request.path.startswith("/api/"):
        return jsonify(message=error.by_field()), error.status
    if isinstance(error, (BadInput, Refused)):  # no form to show again: the page says why
        return error_pages.page(error.status, str(error))
    flash(str(error), "danger")
    # The form again: the page the user came from, or the form a POST came from.
    back = request.referrer or (request.path if request.method == "POST" else appbuilder().get_url_for_index)
    return redirect(back)


class DatabaseFailed(UserError):
    status = 503


def _too_large(_error):
    return answer(FileTooLarge(current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024))


def _database_failed(error):
    """The database refused or lost the connection mid-request: the user is told nothing was saved."""
    current_app.logger.error("Database error on %s: %s", request.path, error)
    return answer(DatabaseFailed(gettext(
        "The database did not accept the change and nothing was saved. Please try again; "
        "if it happens again, contact the administrator.")))


def init_app(flask_app) -> None:
    flask_app.register_error_handler(UserError, answer)
    flask_app.register_error_handler(RequestEntityTooLarge, _too_large)
    flask_app.register_error_handler(DBAPIError, _database_failed)
    error_pages.register(flask_app)
