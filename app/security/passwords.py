"""The password policy: long enough, not the username, not a common password.

One check for every path that sets a password: FAB's user and reset forms (through
FAB_PASSWORD_COMPLEXITY_VALIDATOR), and the security manager's add_user / reset_password, which the
API, `flask sigap init` and FAB's own CLI go through.
"""

from functools import cache
from pathlib import Path

import click
from flask import current_app, has_request_context, request
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_babel import gettext

COMMON_PASSWORDS_FILE = Path(__file__).with_name("data") / "common_passwords.txt"
# A username this short ("fo") occurs in ordinary words; only longer ones are looked for inside a password.
MIN_USERNAME_INSIDE = 4


class PasswordRejected(PasswordComplexityValidationError, click.ClickException):
    """Shown in the form under the field; a CLI command (flask fab create-user ...) ends with it."""


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def check_password(password: str, username: str | None = None) -> None:
    """Raises PasswordRejected with the reason, in the user's language."""
    password = password or ""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise PasswordRejected(gettext("The password must be at least %(length)d characters long.",
                                       length=minimum))
    name = (username or "").strip().lower()
    if name and (password.lower() == name or (len(name) >= MIN_USERNAME_INSIDE and name in password.lower())):
        raise PasswordRejected(gettext("The password must not contain the username."))
    if password.lower() in common_passwords():
        raise PasswordRejected(gettext("This password is too common. Choose another one."))


def check_form_password(password: str) -> None:
    """FAB's form validator gets only the password: the username is the one typed on the user form, or
    that of the user whose password is reset (?pk=), or the user's own."""
    check_password(password, _username_of_form())


def _username_of_form() -> str | None:
    if not has_request_context():
        return None
    if request.form.get("username"):
        return request.form["username"]
    sm = current_app.appbuilder.sm
    pk = request.args.get("pk", "")
    user = sm.get_user_by_id(int(pk)) if pk.isdigit() else sm.current_user
    return user.username if user else None
