"""Streaming decoders for the PDF filters a reader applies while loading a page (Flate, LZW, RunLength,
ASCIIHex, ASCII85), so that pdfbomb can count what a stream decodes to without holding it.

Each decoder takes the stream's bytes piece by piece (`pieces(data)` yields its output in pieces of at
most about CHUNK bytes) and says when it met its end of data (`eof`, with `unused_data` after it).
A decoder meeting bytes it cannot decode raises Damaged.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

CHUNK = 1 << 20
LZW_CLEAR, LZW_END, LZW_MAX_CODES = 256, 257, 4096
NOT_HEX = re.compile(rb"[^0-9A-Fa-f]")
WHITESPACE = re.compile(rb"\s")
A85_GROUPS = re.compile(rb"(?:z|[!-u]{5})*")
ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
FILTER_VALUE = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
NAME = re.compile(rb"/([^\s/\[\]<>()]+)")


class Damaged(Exception):
    """Bytes the filter cannot decode."""


class Decoder:
    eof = False
    unused_data = b""

    def pieces(self, data: bytes):
        raise NotImplementedError

    def _end_at(self, data: bytes, marker: bytes) -> bytes:
        """The data before the end-of-data marker, if it is there."""
        end = data.find(marker)
        if end < 0:
            return data
        self.eof, self.unused_data = True, data[end + len(marker):]
        return data[:end]


class Flate(Decoder):
    def __init__(self):
        self._zlib = zlib.decompressobj()

    @property
    def eof(self):
        return self._zlib.eof

    @property
    def unused_data(self):
        return self._zlib.unused_data

    def pieces(self, data: bytes):
        try:
            while data and not self._zlib.eof:
                out = self._zlib.decompress(data, CHUNK)
                data = self._zlib.unconsumed_tail
                yield out
        except zlib.error as error:
            raise Damaged(str(error)) from None


class RunLength(Decoder):
    def __init__(self):
        self._literal = self._repeat = 0  # bytes still to copy, or the count of a run awaiting its byte

    def pieces(self, data: bytes):
        out, i = bytearray(), 0
        while i < len(data) and not self.eof:
            if self._literal:
                taken = data[i:i + self._literal]
                out += taken
                self._literal -= len(taken)
                i += len(taken)
            elif self._repeat:
                out += data[i:i + 1] * self._repeat
                self._repeat, i = 0, i + 1
            else:
                length, i = data[i], i + 1
                if length == 128:
                    self.eof, self.unused_data = True, data[i:]
                elif length < 128:
                    self._literal = length + 1
                else:
                    self._repeat = 257 - length
            if len(out) >= CHUNK:
                yield bytes(out)
                out.clear()
        if out:
            yield bytes(out)


class LZW(Decoder):
    """PDF's LZW with EarlyChange 1 (the default)."""

    def __init__(self):
        self._bits = self._count = 0
        self._clear()

    def _clear(self):
        self._table = [bytes([i]) for i in range(256)] + [b"", b""]
        self._width, self._previous = 9, None

    def pieces(self, data: bytes):
        out, size = [], 0
        for position, byte in enumerate(data):
            self._bits, self._count = (self._bits << 8) | byte, self._count + 8
            while self._count >= self._width:
                self._count -= self._width
                code = (self._bits >> self._count) & ((1 << self._width) - 1)
                self._bits &= (1 << self._count) - 1
                if code == LZW_END:
                    self.eof, self.unused_data = True, data[position + 1:]
                    yield b"".join(out)
                    return
                entry = self._entry(code)
                if entry:
                    out.append(entry)
                    size += len(entry)
            if size >= CHUNK:
                yield b"".join(out)
                out, size = [], 0
        if out:
            yield b"".join(out)

    def _entry(self, code: int) -> bytes:
        if code == LZW_CLEAR:
            self._clear()
            return b""
        table, previous = self._table, self._previous
        if code < len(table):
            entry = table[code]
        elif code == len(table) and previous is not None:
            entry = previous + previous[:1]
        else:
            raise Damaged(f"LZW code {code} out of the table")
        if previous is not None and len(table) < LZW_MAX_CODES:
            table.append(previous + entry[:1])
            if len(table) + 1 >= 1 << self._width and self._width < 12:
                self._width += 1
        self._previous = entry
        return entry


class AsciiHex(Decoder):
    def __init__(self):
        self._odd = b""

    def pieces(self, data: bytes):
        digits = self._odd + NOT_HEX.sub(b"", self._end_at(data, b">"))
        if self.eof and len(digits) % 2:
            digits += b"0"
        cut = len(digits) - len(digits) % 2
        self._odd = digits[cut:]
        if cut:
            yield binascii.unhexlify(digits[:cut])


class Ascii85(Decoder):
    def __init__(self):
        self._left = b""

    def pieces(self, data: bytes):
        text = self._left + WHITESPACE.sub(b"", self._end_at(data, b"~>"))
        cut = len(text) if self.eof else A85_GROUPS.match(text).end()
        self._left = text[cut:]
        if cut:
            try:
                yield base64.a85decode(text[:cut])
            except ValueError as error:
                raise Damaged(str(error)) from None


DECODERS = {b"FlateDecode": Flate, b"Fl": Flate, b"LZWDecode": LZW, b"LZW": LZW, b"RunLengthDecode": RunLength,
            b"RL": RunLength, b"ASCIIHexDecode": AsciiHex, b"AHx": AsciiHex, b"ASCII85Decode": Ascii85,
            b"A85": Ascii85}


def decoders_for(dictionary: bytes) -> list[Decoder]:
    """The decoders of a stream's /Filter, in order, up to the first one not decoded here (an image codec
    such as DCT, whose pixels intake counts from the declared size)."""
    found = FILTER_VALUE.search(dictionary)
    if not found:
        return []
    decoders = []
    for name in NAME.findall(ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), found[1])):
        if name not in DECODERS:
            break
        decoders.append(DECODERS[name]())
    return decoders
