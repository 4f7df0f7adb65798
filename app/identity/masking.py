"""Masked NIK / NPWP for viewers who do not need the full number."""

from app.identity.digits import normalise_digits

VISIBLE = 4
# Below this many characters the last 4 would give away most of the number: mask everything.
MIN_LENGTH_TO_SHOW = 12
MASK_CHAR = "*"
GROUP = 4


def mask_identity(value) -> str:
    """'**** **** **** 1234': only the last 4 characters shown, grouped by 4 from the right."""
    chars = normalise_digits(value)
    if not chars:
        return ""
    shown = VISIBLE if len(chars) >= MIN_LENGTH_TO_SHOW else 0
    masked = MASK_CHAR * (len(chars) - shown) + chars[len(chars) - shown :]
    return _group_from_right(masked)


def _group_from_right(text: str) -> str:
    # Groups of 4 are easy to read aloud and to count; anchored right so the visible tail is a group.
    head = len(text) % GROUP
    groups = [text[:head]] if head else []
    groups += [text[i : i + GROUP] for i in range(head, len(text), GROUP)]
    return " ".join(groups)


def mask_nik(digits) -> str:
    return mask_identity(digits)


def mask_npwp(digits) -> str:
    return mask_identity(digits)
