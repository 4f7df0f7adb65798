"""Error pages in the app's layout and the user's language; the API answers JSON.

``register(flask_app)`` is called by the single error mapping (app/views/error_handlers.py).
"""

import logging

from flask import jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from app.views.base import appbuilder

log = logging.getLogger(__name__)

PAGES = {
    400: (_l("Bad request"), _l("SIGAP could not read this request. Go back and try again.")),
    403: (_l("Access denied"), _l("Your role may not open this page. Ask the Admin if you need it.")),
    404: (_l("Page not found"), _l("The page or record you asked for does not exist, or is not yours to see.")),
    405: (_l("Not allowed this way"), _l("This address does not accept this kind of request. Use the buttons on "
                                       "SIGAP's pages.")),
    429: (_l("Too many requests"), _l("Too many requests from here in a short time. Wait a minute and try again.")),
    500: (_l("Something went wrong"), _l("SIGAP could not finish this request; nothing was half-saved. "
                                         "Try again, and tell the Admin if it happens again.")),
}


def _answer(error: HTTPException):
    # The code's own sentence: a description would be werkzeug's or flask-limiter's English ("3 per 1 minute");
    # a view that says why it refuses raises app/errors.py Refused instead.
    code = error.code or 500
    # A 405 names the methods the address does accept (RFC 9110), as werkzeug's own answer does.
    allowed = getattr(error, "valid_methods", None)
    return (*page(code, PAGES[code][1]), {"Allow": ", ".join(allowed)} if allowed else {})


def page(code: int, message) -> tuple:
    """The error page (JSON on the API) with ``code``'s title and ``message``."""
    title = PAGES[code][0]
    if request.path.startswith("/api/"):
        return jsonify(message=str(message)), code
    try:
        html = render_template("sigap/errors/error.html", code=code, title=title, message=message,
                               appbuilder=appbuilder(), base_template=appbuilder().base_template)
    except Exception:  # the layout itself failed (its menu reads the database): the message still shows
        log.exception("error page layout failed")
        html = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{message}</p>"
    return html, code


def _server_error(error: InternalServerError):
    appbuilder().session.rollback()
    return _answer(error)


def register(flask_app) -> None:
    for code in (400, 403, 404, 405, 429):
        flask_app.register_error_handler(code, _answer)
    flask_app.register_error_handler(500, _server_error)
