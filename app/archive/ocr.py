"""OCR with Tesseract: pages in parallel, one core each.

Tesseract's OpenMP threads slow it down on a small machine (2.85 s/page against 1.19 s with one
thread, measured here), so each Tesseract runs single-threaded and pages run side by side instead:
pytesseract starts one `tesseract` process per page, so threads are enough to keep the cores busy.
"""

from __future__ import annotations

import os
import shutil
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

DPI = 300
# Tesseract's fully automatic page segmentation.
TESSERACT_CONFIG = "--psm 3"


class OcrUnavailable(RuntimeError):
    """Tesseract, or one of its language models, is not installed: no scan can be read until it is."""


# How a document's extraction_error starts when OCR was missing (pytesseract's own name, before SIGAP's).
UNAVAILABLE_ERRORS = (OcrUnavailable.__name__, "TesseractNotFoundError")


def ocr_problem(languages: str) -> str | None:
    """What keeps OCR from working here (None when it works): checked at start-up and on the Admin's home."""
    import pytesseract

    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return "tesseract is not installed"
    try:
        installed = set(pytesseract.get_languages(config=""))
    except pytesseract.TesseractError as error:
        return str(error)
    missing = [name for name in languages.split("+") if name not in installed]
    return f"language models missing: {', '.join(missing)}" if missing else None


def read_image(image, languages: str) -> str:
    import pytesseract

    try:
        return pytesseract.image_to_string(image, lang=languages, config=TESSERACT_CONFIG).strip()
    except pytesseract.TesseractNotFoundError as error:
        raise OcrUnavailable("tesseract is not installed") from error


def read_images(images: Iterable, languages: str, workers: int) -> Iterator[str]:
    """The text of each image, in order. At most 2 x workers images are held at once, so a long scan
    is rendered while earlier pages are read, in bounded memory."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # inherited by every tesseract started from now on
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr") as pool:
        pending: deque = deque()
        for image in images:
            pending.append(pool.submit(read_image, image, languages))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
