"""The API's refusals in the user's language: marshmallow's and FAB's English sentences (finding 15).

FAB answers a body that does not fit the schema with marshmallow's messages ("Missing data for required
field.") and a broken query with its own; each is replaced by its translation, field by field. A message
with no entry here (already translated by SIGAP) is kept as it is."""

import re

from flask_babel import gettext, lazy_gettext as _l

FIXED = {
    "Missing data for required field.": _l("Missing data for required field."),
    "Field may not be null.": _l("This field may not be empty."),
    "Invalid value.": _l("Invalid value."),
    "Unknown field.": _l("Unknown field: this field cannot be sent here."),
    "Invalid input type.": _l("The request body must be a JSON object with the record's fields."),
    "Invalid type.": _l("Invalid type."),
    "Not a valid string.": _l("Not a valid text."),
    "Not a valid integer.": _l("Not a valid whole number."),
    "Not a valid number.": _l("Not a valid number."),
    "Number too large.": _l("Number too large."),
    "Not a valid boolean.": _l("Not a valid yes/no value."),
    "Not a valid datetime.": _l("Not a valid date and time."),
    "Not a valid date.": _l("Not a valid date."),
    "Not a valid email address.": _l("Not a valid e-mail address."),
    "Not a valid list.": _l("Not a valid list."),
    "Not a valid mapping type.": _l("Not a valid JSON object."),
    "Request is not JSON": _l("The request body must be JSON (Content-Type: application/json)."),
    "Forbidden": _l("Your role may not do this. Ask the Admin if you need it."),
    "Not found": _l("The page or record you asked for does not exist, or is not yours to see."),
}
# Sentences with a value in them: the msgid is translated with the value put back.
PATTERNS = [
    (re.compile(r"Longer than maximum length (?P<max>\d+)\."), "At most %(max)s characters."),
    (re.compile(r"Shorter than minimum length (?P<min>\d+)\."), "At least %(min)s characters."),
    (re.compile(r"Must be one of: (?P<choices>.*)\.", re.S), "Must be one of: %(choices)s."),
    (re.compile(r"Could not deserialize related value.*", re.S), "Not a valid choice"),
    (re.compile(r"Not a valid rison.*", re.S), "The q parameter cannot be read: write it in rison or JSON."),
    (re.compile(r"Invalid order by column: (?P<column>.*)", re.S), "Cannot sort by %(column)s."),
    (re.compile(r"Database exception occurred.*", re.S),
     "The database did not accept the change and nothing was saved. Please try again; "
     "if it happens again, contact the administrator."),
]


def translated(message):
    """``message`` (a sentence, a list of them, or a dict of them by field) in the user's language."""
    if isinstance(message, dict):
        return {field: translated(value) for field, value in message.items()}
    if isinstance(message, list):
        return [translated(value) for value in message]
    if not isinstance(message, str):
        return message
    if message in FIXED:
        return str(FIXED[message])
    for pattern, msgid in PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            return gettext(msgid, **match.groupdict())
    return message
