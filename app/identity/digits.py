"""Digit handling shared by the identity numbers."""

from flask_babel import lazy_gettext as _l

from app.identity.errors import IdentityError

ASCII_DIGITS = frozenset("0123456789")
# Besides ASCII '-', text pasted from word processors and PDFs carries Unicode dashes
# and no-break spaces; clerks cannot see the difference, so strip those too.
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")


def _is_separator(char: str) -> bool:
    return char.isspace() or char == "." or char in _DASHES


def normalise_digits(text) -> str:
    """Strip spaces, dots and dashes; keep every other character so that it can be reported."""
    if text is None:
        return ""
    return "".join(char for char in str(text) if not _is_separator(char))


def only_digits(text, what: str) -> str:
    """The normalised text, refused if anything but ASCII digits remains (e.g. a letter O)."""
    normalised = normalise_digits(text)
    for char in normalised:
        # str.isdigit() would let Arabic-Indic and superscript digits through.
        if char not in ASCII_DIGITS:
            raise IdentityError(
                _l(
                    '%(what)s may contain only digits, spaces, dots and dashes; "%(char)s" found.',
                    what=what,
                    char=char,
                ),
                code="not_digits",
            )
    return normalised


def _luhn_sum(digits: str) -> int:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total


def luhn_is_valid(digits: str) -> bool:
    return _luhn_sum(digits) % 10 == 0


def luhn_check_digit(payload: str) -> str:
    """The digit that, appended to payload, makes it pass the Luhn check."""
    return str((10 - _luhn_sum(payload + "0") % 10) % 10)
