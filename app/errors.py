"""The one kind of error a user is told about: it carries the sentence for the user (translated when
raised), the HTTP status the API answers with and the form field it concerns (None: the whole request).

Domain code raises it (or a subclass: UploadRefused, StorageError, the workflow's refusals); the views
register one answer for it (app/views/error_handlers.py): the API's status and JSON, the screens' flash
and the form again."""

from __future__ import annotations


class UserError(Exception):
    status = 400
    field: str | None = None

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        if field is not None:
            self.field = field

    def by_field(self) -> dict[str, list[str]] | str:
        """The API's `message`: the sentence under its field, or the bare sentence."""
        return {self.field: [str(self)]} if self.field else str(self)


class BadInput(UserError):
    """A request that cannot be read as sent (a body that is not a JSON object, a broken query, a page
    size that is not a number, an unknown action): refused with 400, on a screen as an error page."""

    status = 400


class Refused(UserError):
    """A request the user's role may not make, said why (an identity document's file without the Identity
    permission): refused with 403, on a screen as the error page with the sentence."""

    status = 403
