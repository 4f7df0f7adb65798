"""Text per page: pdfplumber for a PDF's text layer; pages without text and images go through OCR."""

from __future__ import annotations

from dataclasses import dataclass

from app.archive import ocr
from app.archive.intake import PDF
from app.archive.pdfium import PDFIUM_LOCK

# A page with fewer characters than this in its text layer is taken for a scan.
MIN_TEXT_CHARS = 10


@dataclass(frozen=True)
class PageText:
    number: int  # from 1
    text: str
    ocr: bool


def extract_pages(path: str, media_type: str, languages: str, workers: int) -> list[PageText]:
    if media_type == PDF:
        return _pdf_pages(path, languages, workers)
    return _image_pages(path, languages, workers)


def _pdf_pages(path: str, languages: str, workers: int) -> list[PageText]:
    texts = _text_layer(path)
    scanned = [number for number, text in enumerate(texts) if len(text) < MIN_TEXT_CHARS]
    read = dict(zip(scanned, ocr.read_images(_rendered(path, scanned), languages, workers)))
    return [PageText(number + 1, read.get(number, text), number in read) for number, text in enumerate(texts)]


def _text_layer(path: str) -> list[str]:
    import pdfplumber

    texts = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            texts.append((page.extract_text() or "").strip())
            page.close()  # pdfplumber caches each page's objects until closed
    return texts


def _rendered(path: str, numbers: list[int]):
    """Greyscale 300-dpi renderings of the given pages, one at a time, each under the pdfium lock."""
    import pypdfium2 as pdfium

    if not numbers:
        return
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(path)
    try:
        for number in numbers:
            with PDFIUM_LOCK:
                image = _render_page(document, number)
            yield image
    finally:
        with PDFIUM_LOCK:
            document.close()


def _render_page(document, number: int):
    """One page as a PIL image with its own memory, so no pdfium object is freed outside the lock."""
    page = document[number]
    bitmap = page.render(scale=ocr.DPI / 72, grayscale=True)
    image = bitmap.to_pil().copy()
    bitmap.close()
    page.close()
    return image


def _image_pages(path: str, languages: str, workers: int) -> list[PageText]:
    texts = ocr.read_images(_frames(path), languages, workers)
    return [PageText(number, text, True) for number, text in enumerate(texts, start=1)]


def _frames(path: str):
    """Every page of a (multi-page TIFF) image, in greyscale."""
    from PIL import Image, ImageSequence

    with Image.open(path) as image:
        for frame in ImageSequence.Iterator(image):
            yield frame.convert("L")
