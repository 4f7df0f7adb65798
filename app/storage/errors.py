"""Storage errors: each carries a sentence for the user and an HTTP status for the API (app/errors.py).

Messages are English msgids translated through flask_babel (Indonesian comes from the catalogue).
"""

from __future__ import annotations

from app.errors import UserError
from app.i18n import _


class StorageError(UserError):
    """The document store refused or failed an operation."""

    status = 502

    def __init__(self, message: str | None = None):
        super().__init__(message or _("The document store refused the operation. Please contact the administrator."))


class StorageUnavailable(StorageError):
    """The store cannot be reached or did not answer in time."""

    status = 503

    def __init__(self, message: str | None = None, *, saving: bool = False):
        if message is None:
            message = (
                _("The document store cannot be reached. Please try again in a moment; nothing was saved.")
                if saving else _("The document store cannot be reached. Please try again in a moment.")
            )
        super().__init__(message)


class FileTooLarge(StorageError):
    """The upload passed the size limit; nothing was kept."""

    status = 413

    def __init__(self, max_size: int):
        self.max_size = max_size
        super().__init__(
            _("The file is larger than the limit of %(limit)s MB and was not saved.", limit=_megabytes(max_size))
        )


class ObjectNotFound(StorageError):
    """No object under that key (or it was removed)."""

    status = 404

    def __init__(self, key: str = ""):
        self.key = key
        super().__init__(_("The stored file of this document is missing. Please contact the administrator."))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"
