"""Decompression bombs in PDFs, found without decoding them into memory.

A PDF can be small on disk and huge once read: Flate streams that inflate a thousandfold (often
nested, /Filter [/FlateDecode /FlateDecode], or behind LZW, RunLength, ASCIIHex or ASCII85: pdffilters.py), images declaring more pixels than any scan (a few bytes
of JPEG can claim 50000 x 50000), or pages declaring a size whose 300-dpi rendering for OCR would take
gigabytes. pdfium would only meet them in the worker, with all their bytes in memory;
intake measures them first: the file is read once in chunks, and each filtered stream is decoded chunk
by chunk, counting the bytes and keeping none, stopping as soon as the limit is passed.
"""

from __future__ import annotations

import re
from typing import IO

from app.archive.pdffilters import Damaged, decoders_for

CHUNK = 1 << 20
# Inflated bytes allowed per byte of file. Flate on text, vector drawings and greyscale scans gives
# 3 to 20; a blank bilevel page a few hundred, hence the floor for small files; bombs give ~1000.
INFLATE_RATIO = 100
INFLATE_FLOOR = 64 * 1024 * 1024
# A stream's dictionary ends at most this far before its `stream` keyword (the filters are in it).
DICTIONARY_BYTES = 1024
STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
STREAM_END = b"endstream"


class TooMuchData(Exception):
    """More inflated bytes than the limit."""


def inflate_limit(file_size: int) -> int:
    return max(INFLATE_FLOOR, INFLATE_RATIO * file_size)


def check_inflated_size(stream: IO[bytes], limit: int) -> int:
    """The decoded size of all the file's filtered streams (raises TooMuchData above `limit`)."""
    counter = _Counter(limit)
    buffer, layers = b"", None  # layers: the open stream's decoders; None between streams
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        buffer += chunk
        while buffer:
            if layers is None:
                buffer, layers = _next_stream(buffer)
                if layers is None:
                    break
            else:
                buffer, layers = _continue_stream(buffer, layers, counter)
                if layers is not None:
                    break
    return counter.total


def _next_stream(buffer: bytes):
    """(the bytes after the next stream keyword, its decoders), or (a tail kept for the next chunk, None)."""
    match = STREAM_START.search(buffer)
    if match is None:
        return buffer[-DICTIONARY_BYTES:], None
    dictionary = buffer[max(0, match.start() - DICTIONARY_BYTES):match.start()]
    dictionary = dictionary[dictionary.rfind(b"obj") + 1:]  # only this object's dictionary
    # A stream without such filters (JPEG scans, raw data) is skipped up to its end, not decoded.
    return buffer[match.end():], decoders_for(dictionary)


def _continue_stream(buffer: bytes, layers: list, counter: "_Counter"):
    """Feeds the open stream; returns (what follows it, None) at its end, else (b"", layers)."""
    if not layers:
        end = buffer.find(STREAM_END)
        if end < 0:
            return buffer[-len(STREAM_END):], layers
        return buffer[end + len(STREAM_END):], None
    try:
        counter.add(_inflate(layers, buffer, counter))
    except Damaged:  # damaged data: pdfium judges the file; look for the next stream in what is left
        return buffer, None
    outer = layers[0]
    if outer.eof:
        return outer.unused_data, None
    return b"", layers


def _inflate(layers: list, data: bytes, counter: "_Counter") -> int:
    """Bytes out of the innermost layer for `data` fed to the outermost, about CHUNK held at once."""
    first, rest = layers[0], layers[1:]
    produced = 0
    for out in first.pieces(data):
        produced += _inflate(rest, out, counter) if rest else len(out)
        counter.check(produced)
    return produced


class _Counter:
    def __init__(self, limit: int):
        self.limit, self.total = limit, 0

    def check(self, pending: int) -> None:
        if self.total + pending > self.limit:
            raise TooMuchData

    def add(self, produced: int) -> None:
        self.total += produced
        self.check(0)


def page_pixels(document, dpi: int):
    """(page number from 1, pixels of its rendering at `dpi`) for each page, from the page sizes pdfium
    reads without loading the pages."""
    for index in range(len(document)):
        width, height = document.get_page_size(index)
        yield index + 1, round(width * dpi / 72) * round(height * dpi / 72)


def image_pixels(document):
    """(page number from 1, pixels) of every image, from the sizes the images declare (none is decoded).
    Loading a page parses its content streams: call this once check_inflated_size has bounded them."""
    import pypdfium2.raw as pdfium_c

    for index in range(len(document)):
        page = document[index]
        try:
            sizes = [image.get_px_size() for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])]
        finally:
            page.close()
        yield from ((index + 1, width * height) for width, height in sizes)
