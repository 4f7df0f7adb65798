"""OCR with Tesseract: pages in parallel, one core each.

Tesseract's OpenMP threads slow it down on a small machine (2.85 s/page against 1.19 s with one
thread, measured here), so each Tesseract runs single-threaded and pages run side by side instead:
pytesseract starts one `tesseract` process per page, so threads are enough to keep the cores busy.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

DPI = 300
# Tesseract's fully automatic page segmentation.
TESSERACT_CONFIG = "--psm 3"


def read_image(image, languages: str) -> str:
    import pytesseract

    return pytesseract.image_to_string(image, lang=languages, config=TESSERACT_CONFIG).strip()


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
