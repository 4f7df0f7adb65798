"""The one translation helper of SIGAP's domain code: messages are English msgids, translated through
flask_babel into the user's language (Indonesian from app/translations/)."""

from __future__ import annotations

from flask_babel import gettext


def _(msgid: str, **variables) -> str:
    """flask_babel's gettext, or the msgid itself where Babel is not set up (a bare script or app)."""
    try:
        return gettext(msgid, **variables)
    except (AttributeError, KeyError, RuntimeError):
        return msgid % variables if variables else msgid
