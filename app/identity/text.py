"""Typed text that may be stored (finding 16): no control characters and no bidi overrides in any name
or text field, e-mail addresses that are addresses (an uploaded file's name: intake.clean_filename).

One rule for every way in (forms, API, CLI, intake): ``listen()`` checks every string column a flush
writes, so no screen or endpoint can forget it; machine-written text (OCR, the audit log) is exempt."""

from __future__ import annotations

import re

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session

from app.errors import UserError
from app.i18n import _

# C0 controls but tab, line feed and carriage return (an address has lines), DEL, C1 controls, and the
# bidi embeddings, overrides and isolates that make "exe.pdf" read as "fdp.exe".
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Tables of text SIGAP writes itself: page text read from scans, the audit trail of what was typed.
MACHINE_TEXT = frozenset({"document_page", "audit_log", "audit_chain_head", "attempt_guard", "user_stamp"})
EMAIL_COLUMNS = frozenset({"email"})
# An address: one @, a plain local part, a domain of letters, digits and hyphens (an intranet's too:
# email_validator refuses .local and localhost, which an office network and the first admin use).
LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL = re.compile(rf"[A-Za-z0-9!#$%&'*+/=?^_`{{|}}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{{|}}~-]+)*@{LABEL}(?:\.{LABEL})*")


class TextRefused(UserError):
    status = 422


def check_text(value: str | None, field: str) -> None:
    if value and FORBIDDEN.search(value):
        raise TextRefused(_("%(field)s contains a control or text-direction character (such as NUL, BEL or a "
                            "right-to-left override). Type it again without it.", field=field), field)


def check_email(value: str | None, field: str = "email") -> None:
    if value and not EMAIL.fullmatch(value):
        raise TextRefused(_("Not a valid e-mail address."), field)


def _check_flushed_text(session: Session, _context, _instances) -> None:
    for item in [*session.new, *session.dirty]:
        state = inspect(item)
        if state.mapper.local_table.name in MACHINE_TEXT:
            continue
        for attribute in state.mapper.column_attrs:
            column = attribute.columns[0]
            if not isinstance(column.type, String):
                continue
            added = state.attrs[attribute.key].history.added
            for value in added:
                if isinstance(value, str):
                    check_text(value, attribute.key)
                    if attribute.key in EMAIL_COLUMNS:
                        check_email(value, attribute.key)


def listen() -> None:
    """On every session (the CLI's too), before anything is written."""
    if not event.contains(Session, "before_flush", _check_flushed_text):
        event.listen(Session, "before_flush", _check_flushed_text)
