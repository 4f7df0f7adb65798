"""Every message msgid is listed, with its Indonesian text, in app/identity/MESSAGES_ID.txt."""

import ast
import re
from pathlib import Path

IDENTITY = Path(__file__).resolve().parents[2] / "app" / "identity"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def msgids_in_code() -> set[str]:
    found = set()
    for path in IDENTITY.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_l", "lazy_gettext"):
                found.add(node.args[0].value)
    return found


def catalogue() -> dict[str, str]:
    lines = (IDENTITY / "MESSAGES_ID.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t") for line in lines if line)


def test_the_list_matches_the_code_exactly():
    assert set(catalogue()) == msgids_in_code()


def test_each_translation_keeps_the_placeholders():
    for msgid, indonesian in catalogue().items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(indonesian)), msgid
        assert indonesian and indonesian != msgid
