"""Active content in a PDF: what a reader would run or open by itself (JavaScript, launching a program,
sending a form, an embedded file), found in the document's own objects as pdfminer resolves them
(compressed object streams and #-escaped names included), never in its bytes.

A destination (open at page 1, fitted) and a web link are not active: a reader shows them and runs nothing.
"""

from __future__ import annotations

from typing import IO

ACTIVE_ACTIONS = {"JavaScript", "Launch", "SubmitForm", "ImportData", "GoToE", "Rendition", "Movie", "Sound"}
ACTIVE_NAMES = ("JavaScript", "EmbeddedFiles")
MAX_CHAINED = 32  # actions chained by /Next; deeper is treated as active


def has_active_content(stream: IO[bytes]) -> bool:
    """True when the catalogue, a page or an annotation carries an action that runs something."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    stream.seek(0)
    document = PDFDocument(PDFParser(stream))
    catalog = resolve1(document.catalog)
    names = resolve1(catalog.get("Names")) or {}
    if "AA" in catalog or any(name in names for name in ACTIVE_NAMES) or _runs(catalog.get("OpenAction")):
        return True
    for page in PDFPage.create_pages(document):
        if "AA" in page.attrs:
            return True
        for annotation in resolve1(page.annots) or []:
            annotation = resolve1(annotation) or {}
            if "AA" in annotation or _runs(annotation.get("A")):
                return True
    return False


def _runs(action, depth: int = 0) -> bool:
    """Whether an action (or one chained after it) runs something; a destination array runs nothing."""
    from pdfminer.pdftypes import resolve1

    action = resolve1(action)
    if not isinstance(action, dict):
        return False
    if depth > MAX_CHAINED:
        return True
    if _name(resolve1(action.get("S"))) in ACTIVE_ACTIONS or "JS" in action:
        return True
    chained = resolve1(action.get("Next"))
    return any(_runs(item, depth + 1) for item in (chained if isinstance(chained, list) else [chained]))


def _name(value) -> str:
    return getattr(value, "name", str(value))
