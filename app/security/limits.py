"""What a client over a rate limit (login, public status page) is told: in its language, JSON for the API."""

from flask import current_app, jsonify, render_template, request
from flask_babel import gettext


def too_many_attempts(_error):
    message = gettext("Too many attempts. Wait a moment and try again.")
    if request.path.startswith("/api/"):
        return jsonify(message=message), 429
    appbuilder = current_app.appbuilder
    return render_template("sigap/too_many.html", message=message, appbuilder=appbuilder,
                           base_template=appbuilder.base_template), 429


def init_app(flask_app) -> None:
    flask_app.register_error_handler(429, too_many_attempts)
