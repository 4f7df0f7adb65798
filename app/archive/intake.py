"""Intake: the one way in for every document (upload screen, multi-file page, API, step forms,
`import-scans`). An upload is recognised by its bytes (not its name) and checked before anything is stored.

Accepted: PDF, JPEG, PNG and TIFF. Refused, with a sentence for the clerk: empty files, other types,
encrypted, corrupt or truncated PDFs, PDFs with active content (scripts, launch actions, embedded
files), broken images, decompression bombs (images with too many pixels, or TIFFs in all; PDFs whose
streams decode far beyond their size, whose images declare too many pixels or whose pages are too large
to render) and names with control characters. A name loses its folders and is kept to 255 characters.
Every check reads the file in bounded pieces: a 200 MB upload is never held in memory.

accept() then stores the object, flushes its row (and version chain) and its "upload" audit entry; the
caller commits (the extraction is queued after the commit, app/archive/tasks.py) or rolls back, and
then the object is removed again (app/storage/documents.py).
"""

from __future__ import annotations

import os
import re
import unicodedata
import warnings
from typing import IO

from flask import current_app
from sqlalchemy.orm import Session

from app import audit
from app.errors import UserError
from app.archive import pdfactive, pdfbomb
from app.archive.ocr import DPI
from app.archive.pdfium import PDFIUM_LOCK
from app.i18n import _
from app.models import Document
from app.storage.documents import store_document

PDF, JPEG, PNG, TIFF = "application/pdf", "image/jpeg", "image/png", "image/tiff"
ACCEPTED = (PDF, JPEG, PNG, TIFF)
MAGIC = ((b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG), (b"II*\x00", TIFF), (b"MM\x00*", TIFF))
# The PDF header may follow a little junk (the specification allows it within the first KiB).
HEAD_BYTES = 1024
TAIL_BYTES = 2048
# A multi-page TIFF may hold this many times the per-image pixel limit in all (~170 A4 pages at 300 dpi).
TIFF_TOTAL_PIXELS_FACTOR = 10
NAME_CHARS = 255  # document.original_filename
# Bidirectional overrides and isolates make "izin\u202efdp.exe" read as "izinexe.pdf".
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


class UploadRefused(UserError, ValueError):
    """An upload the clerk must correct; the message says how, `field` says which form field."""

    field = "file"


def accept(session: Session, stream: IO[bytes] | None, filename: str | None, *, document_type, application=None,
           sector_id: int | None = None, uploaded_by=None, sector_scope: int | None = None,
           field: str = "file") -> Document:
    """Checks, stores and records one file; raises UploadRefused (naming `field`) with nothing stored.

    `sector_scope` is the uploader's sector (None: every sector; 0: none); `sector_id` files a scan
    that belongs to no application."""
    filename = clean_filename(filename, field)
    if stream is None or not filename:
        raise UploadRefused(_("Choose a file to upload."), field)
    if application is not None and sector_scope is not None and application.sector_id != sector_scope:
        raise UploadRefused(_("This application belongs to another sector."), "application")
    config = current_app.config
    max_size = config["MAX_UPLOAD_MB"] * 1024 * 1024
    try:
        media_type = check_upload(stream, filename, max_size=max_size, max_pixels=config["ARCHIVE_MAX_PIXELS"])
    except UploadRefused as refusal:
        raise UploadRefused(str(refusal), field) from None
    document = store_document(session, stream, filename=filename, media_type=media_type,
                              document_type=document_type, uploaded_by=uploaded_by, application=application,
                              sector=sector_id, max_size=max_size)
    audit.add(session, "upload", document, {"filename": document.original_filename, "sha256": document.sha256})
    return document


def clean_filename(filename: str | None, field: str = "file") -> str:
    """The name as stored: without the folders a browser or a script may send, at most NAME_CHARS long
    (keeping the extension). A name with control characters is refused: it could fool a reader of a list
    or of a log."""
    name = re.split(r"[/\\]", filename or "")[-1].strip()
    if any(unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS for char in name):
        raise UploadRefused(_("The file name %(name)s contains control characters. Rename the file and upload it "
                              "again.", name=repr(name)[1:-1]), field)
    if len(name) > NAME_CHARS:
        stem, dot, extension = name.rpartition(".")
        if not dot or len(extension) > 16:
            stem, extension = name, ""
        name = stem[:NAME_CHARS - len(extension) - bool(extension)] + ("." if extension else "") + extension
    return name


def check_upload(stream: IO[bytes], filename: str, *, max_size: int, max_pixels: int) -> str:
    """The media type of a valid upload; raises UploadRefused otherwise. Leaves the stream at 0."""
    size = _size(stream)
    if size == 0:
        raise UploadRefused(_("The file %(name)s is empty.", name=filename))
    if size > max_size:
        raise UploadRefused(_("The file is larger than the limit of %(limit)s MB and was not saved.",
                              limit=f"{max_size / (1024 * 1024):g}"))
    media_type = sniff(stream)
    if media_type is None:
        raise UploadRefused(_("%(name)s is not a PDF, JPEG, PNG or TIFF file.", name=filename))
    try:
        (_check_pdf if media_type == PDF else _check_image)(stream, filename, max_pixels)
    finally:
        stream.seek(0)
    return media_type


def sniff(stream: IO[bytes]) -> str | None:
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if b"%PDF-" in head:
        return PDF
    return next((media_type for magic, media_type in MAGIC if head.startswith(magic)), None)


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _check_pdf(stream: IO[bytes], filename: str, max_pixels: int) -> None:
    _check_pdf_tail(stream, filename)
    _check_inflation(stream, filename)
    _check_pdf_pages(stream, filename, max_pixels)
    _check_active_content(stream, filename)


def _check_pdf_tail(stream: IO[bytes], filename: str) -> None:
    stream.seek(-min(TAIL_BYTES, _size(stream)), os.SEEK_END)
    if b"%%EOF" not in stream.read():
        raise UploadRefused(_("The PDF %(name)s is truncated (incomplete upload or scan).", name=filename))


def _check_inflation(stream: IO[bytes], filename: str) -> None:
    stream.seek(0)
    try:
        pdfbomb.check_inflated_size(stream, pdfbomb.inflate_limit(_size(stream)))
    except pdfbomb.TooMuchData:
        raise UploadRefused(_("The PDF %(name)s unpacks to far more data than its size (a decompression bomb) "
                              "and was refused.", name=filename)) from None


def _check_pdf_pages(stream: IO[bytes], filename: str, max_pixels: int) -> None:
    with PDFIUM_LOCK:
        _check_pdf_pages_locked(stream, filename, max_pixels)


def _check_pdf_pages_locked(stream: IO[bytes], filename: str, max_pixels: int) -> None:
    import pypdfium2 as pdfium

    stream.seek(0)
    try:
        document = pdfium.PdfDocument(stream)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise UploadRefused(_("The PDF %(name)s is password-protected. Upload it without the password.",
                                  name=filename)) from error
        raise UploadRefused(_("The PDF %(name)s is damaged and cannot be read.", name=filename)) from error
    try:
        if len(document) == 0:
            raise UploadRefused(_("The PDF %(name)s has no pages.", name=filename))
        for number, pixels in pdfbomb.page_pixels(document, DPI):
            if pixels > max_pixels:
                raise UploadRefused(_("Page %(page)s of the PDF %(name)s is too large to read (%(pixels)s megapixels "
                                      "at %(dpi)s dpi; the limit is %(limit)s).", page=number, name=filename,
                                      pixels=pixels // 1_000_000, dpi=DPI, limit=max_pixels // 1_000_000))
        for number, pixels in pdfbomb.image_pixels(document):
            if pixels > max_pixels:
                raise UploadRefused(_("An image on page %(page)s of the PDF %(name)s is too large (%(pixels)s "
                                      "megapixels; the limit is %(limit)s).", page=number, name=filename,
                                      pixels=pixels // 1_000_000, limit=max_pixels // 1_000_000))
    finally:
        document.close()


def _check_active_content(stream: IO[bytes], filename: str) -> None:
    try:
        active = pdfactive.has_active_content(stream)
    except Exception as error:  # pdfminer's many parse errors: text extraction would fail on it too
        raise UploadRefused(_("The PDF %(name)s is damaged and cannot be read.", name=filename)) from error
    if active:
        raise UploadRefused(_("The PDF %(name)s contains scripts or automatic actions (JavaScript, launching a "
                              "program, an embedded file) and was refused. Print it to a new PDF or scan the "
                              "paper again.", name=filename))


def _check_image(stream: IO[bytes], filename: str, max_pixels: int) -> None:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                total = sum(_check_pixels(image, filename, max_pixels) for _frame in _frames(image))
                if total > TIFF_TOTAL_PIXELS_FACTOR * max_pixels:
                    raise UploadRefused(_("The image %(name)s has too many pages or pixels in all (%(pixels)s "
                                          "megapixels; the limit is %(limit)s).", name=filename,
                                          pixels=total // 1_000_000,
                                          limit=TIFF_TOTAL_PIXELS_FACTOR * max_pixels // 1_000_000))
                for _frame in _frames(image):  # declared sizes first, all of them; then the decoding
                    _decode(image)
    except UploadRefused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise UploadRefused(_("The image %(name)s is too large (a decompression bomb) and was refused.",
                              name=filename)) from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise UploadRefused(_("The image %(name)s is damaged or truncated and cannot be read.",
                              name=filename)) from error


def _frames(image):
    """Every page of a multi-page TIFF; the one frame of other images."""
    for number in range(getattr(image, "n_frames", 1)):
        image.seek(number)
        yield number


def _check_pixels(image, filename: str, max_pixels: int) -> int:
    """The frame's pixels, refused above max_pixels."""
    width, height = image.size
    if width * height > max_pixels:
        raise UploadRefused(_("The image %(name)s is too large (%(pixels)s megapixels; the limit is %(limit)s).",
                              name=filename, pixels=width * height // 1_000_000, limit=max_pixels // 1_000_000))
    return width * height


def _decode(image) -> None:
    """Decodes every byte, so that a truncated file fails here; JPEG at 1/8 scale to spare memory."""
    if image.format == "JPEG":
        image.draft("L", (max(1, image.size[0] // 8), max(1, image.size[1] // 8)))
    image.load()

