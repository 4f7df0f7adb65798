"""Every string SIGAP shows has its Indonesian translation in the catalogue."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "app/translations/id/LC_MESSAGES/messages.po"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def _msgids():
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "app", method_map=METHODS, keywords=KEYWORDS
    ):
        yield message[0] if isinstance(message, tuple) else message


def test_every_string_in_the_code_is_translated():
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po)
    untranslated = sorted({m for m in _msgids() if m and not (catalogue.get(m) and catalogue.get(m).string)})
    assert untranslated == []

