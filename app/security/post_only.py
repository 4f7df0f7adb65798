"""Deletes and actions of FAB's CRUD screens as POST with the CSRF token, never a GET (finding 8).

A mixin for SIGAP's screens (GuardedView) and FAB's own user and role screens (the security manager)."""

from flask import current_app, request
from flask_appbuilder import expose, has_access
from flask_babel import gettext
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from app.errors import BadInput


class PostOnlyChanges:
    """FAB's ModelView deletes and runs actions on a GET too (it refuses that only under a global
    CSRFProtect, which SIGAP does not use): here they are POST only (a GET is answered 405), with the CSRF
    token that FAB's list and show pages already post (the template global ``csrf_token``)."""

    @expose("/delete/<pk>", methods=["POST"])
    @has_access
    def delete(self, pk):
        refuse_without_csrf_token()
        return super().delete(pk)  # type: ignore[misc]  # a mixin

    @expose("/action/<string:name>/<pk>", methods=["POST"])
    def action(self, name, pk):
        refuse_without_csrf_token()
        self._refuse_unknown_action(name)
        return super().action(name, pk)  # type: ignore[misc]  # a mixin

    @expose("/action_post", methods=["POST"])
    def action_post(self):
        refuse_without_csrf_token()
        self._refuse_unknown_action(request.form.get("action", ""))
        return super().action_post()  # type: ignore[misc]  # a mixin

    def _refuse_unknown_action(self, name: str) -> None:
        if name not in self.actions:  # type: ignore[attr-defined]  # a mixin
            raise BadInput(gettext("Unknown action: %(name)s.", name=name[:50]), "action")


def refuse_without_csrf_token() -> None:
    """A form post without the CSRF token of a SIGAP page (another site's form) is refused with 400."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        raise BadInput(gettext("The page has expired. Reload it and try again."), "csrf_token") from None
