"""Every string SIGAP shows has its Indonesian translation in the catalogue: its own, and Flask-AppBuilder's."""

import re
from pathlib import Path

import flask_appbuilder
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "app/translations/id/LC_MESSAGES/messages.po"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
FAB = Path(flask_appbuilder.__file__).resolve().parent
FAB_TEMPLATES = FAB / "templates"
APP_TEMPLATES = ROOT / "app/templates"
# FAB templates SIGAP never renders: it registers no chart view and no self-registration.
NOT_SHOWN = {"appbuilder/general/charts/chart_time.html", "appbuilder/general/security/register_mail.html"}
# Jinja code, comments, scripts, styles, tags and entities are not text a user reads.
NOT_TEXT = re.compile(r"{#.*?#}|{{.*?}}|{%.*?%}|<script.*?</script>|<style.*?</style>|<!--.*?-->|<[^>]*>|&\w+;",
                      re.S)


def _msgids(folder):
    for _file, _line, message, _comments, _context in extract_from_dir(folder, method_map=METHODS,
                                                                       keywords=KEYWORDS):
        yield message[0] if isinstance(message, tuple) else message


def _untranslated(folder) -> list[str]:
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po)
    return sorted({m for m in _msgids(folder) if m and not (catalogue.get(m) and catalogue.get(m).string)})


def test_every_string_in_the_code_is_translated():
    assert _untranslated(ROOT / "app") == []


def test_every_string_flask_appbuilder_marks_for_translation_is_translated():
    assert _untranslated(FAB) == []


def test_no_template_sigap_shows_has_english_outside_the_catalogue():
    """FAB hard-codes some words ("Cancel", "OK"); SIGAP overrides those templates (app/templates wins)."""
    hard_coded = {}
    for path in FAB_TEMPLATES.rglob("*.html"):
        name = path.relative_to(FAB_TEMPLATES).as_posix()
        shown = APP_TEMPLATES / name if (APP_TEMPLATES / name).exists() else path
        if name in NOT_SHOWN:
            continue
        words = re.findall(r"[A-Za-z]{2,}", NOT_TEXT.sub(" ", shown.read_text()))
        if words:
            hard_coded[name] = words
    assert hard_coded == {}
