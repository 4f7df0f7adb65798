"""The hostile corpus: broken, active and bomb files, each made here from nothing (none is downloaded).

`CORPUS` lists them with what intake must do: refuse with an Indonesian sentence (`refused` holds words of
it), or store the file (`refused` is None) to be served safely. `python -m tests.hostile.make_corpus DIR`
writes them out for a look by hand (names made safe for the disk).
"""

from __future__ import annotations

import base64
import io
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PIL import Image

from tests.archive.samples import deflated, encrypted_pdf, image_bytes, pdf_of, raw_pdf, scan_image, stream, text_pdf

PDF, JPEG, PNG, TIFF = "application/pdf", "image/jpeg", "image/png", "image/tiff"

# Words of each refusal as the Indonesian catalogue says it.
NOT_A_SCAN = "bukan berkas PDF, JPEG, PNG, atau TIFF"
EMPTY = "kosong"
DAMAGED = "rusak"
TRUNCATED = "terpotong"
PASSWORD = "kata sandi"
BOMB = "bom"
TOO_LARGE = "terlalu besar"
ACTIVE = "skrip atau tindakan otomatis"
CONTROL = "karakter kontrol"


@dataclass(frozen=True)
class Hostile:
    name: str
    make: Callable[[], bytes]
    filename: str = "berkas.pdf"
    media_type: str = PDF  # what the browser claims
    refused: str | None = None  # words of the refusal; None: stored, then served safely
    stored_as: tuple[str, ...] = ()  # the names it may be stored under, when intake changes it


# --- PDFs written by hand ------------------------------------------------------------------------

CONTENT = b"BT /F1 24 Tf 72 700 Td (Surat izin) Tj ET"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def one_page(catalog_extra: bytes = b"", page_extra: bytes = b"", more: list[bytes] = ()) -> bytes:
    """Catalog 1, pages 2, page 3, content 4, font 5, then `more` (6, 7, ...)."""
    return pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page_extra + b" >>",
        stream(CONTENT),
        FONT,
        *more,
    ])


def javascript_open_action() -> bytes:
    return one_page(b"/OpenAction << /S /JavaScript /JS (app.alert\\('x'\\)) >>")


def javascript_as_stream() -> bytes:
    return one_page(b"/OpenAction 6 0 R", more=[b"<< /S /JavaScript /JS 7 0 R >>", stream(b"app.alert(1);")])


def launch_open_action() -> bytes:
    return one_page(b"/OpenAction << /S /Launch /F (C:\\\\Windows\\\\System32\\\\calc.exe) >>")


def escaped_name_javascript() -> bytes:
    """/JavaScript spelt with #-escapes, as the syntax allows: a scan of the bytes would miss it."""
    return one_page(b"/OpenAction << /S /J#61v#61Script /JS (app.alert\\(1\\)) >>")


def names_javascript() -> bytes:
    return one_page(b"/Names << /JavaScript 6 0 R >>",
                    more=[b"<< /Names [(a) << /S /JavaScript /JS (app.alert\\(2\\)) >>] >>"])


def document_additional_actions() -> bytes:
    return one_page(b"/AA << /WC << /S /JavaScript /JS (app.alert\\(3\\)) >> >>")


def page_additional_actions() -> bytes:
    return one_page(page_extra=b"/AA << /O << /S /JavaScript /JS (app.alert\\(4\\)) >> >>")


def launch_link() -> bytes:
    return one_page(page_extra=b"/Annots [6 0 R]", more=[
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 612 792] /Border [0 0 0] "
        b"/A << /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >> >>"])


def submit_form_chained() -> bytes:
    """A harmless GoTo whose /Next sends the form away."""
    return one_page(b"/OpenAction << /S /GoTo /D [3 0 R /Fit] "
                    b"/Next << /S /SubmitForm /F << /FS /URL /F (http://example.invalid/) >> >> >>")


def embedded_file() -> bytes:
    return one_page(b"/Names << /EmbeddedFiles 6 0 R >>", more=[
        b"<< /Names [(evil.exe) 7 0 R] >>",
        b"<< /Type /Filespec /F (evil.exe) /EF << /F 8 0 R >> >>",
        stream(b"MZ\x90\x00 not really a program", "/Type /EmbeddedFile"),
    ])


def benign_open_action() -> bytes:
    """Opening at the first page, fitted: a destination, not an action to run."""
    return one_page(b"/OpenAction [3 0 R /Fit]")


def uri_link() -> bytes:
    return one_page(page_extra=b"/Annots [6 0 R]", more=[
        b"<< /Type /Annot /Subtype /Link /Rect [72 690 300 720] /A << /S /URI /URI (https://oss.go.id/) >> >>"])


def owner_password_only() -> bytes:
    """Encrypted with an empty user password: any reader opens it, so it is an ordinary PDF to read."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    return text_pdf("Hanya pemilik", encrypt=StandardEncryption("", "pemilik", canPrint=1))


# --- polyglots -----------------------------------------------------------------------------------

def small_zip(files: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def pdf_then_zip() -> bytes:
    """A PDF with a ZIP appended: unzip sees evil.html; the PDF's end marker is far from the end."""
    return text_pdf("Izin usaha") + small_zip({"evil.html": b"<script>alert(1)</script>" + b" " * 8000}, zipfile.ZIP_STORED)


def pdf_with_small_zip_inside() -> bytes:
    """A PDF whose end marker still closes the file, with a small ZIP before it (inside a comment)."""
    base = text_pdf("Izin usaha")
    return base.replace(b"%%EOF", b"%" + small_zip({"a.txt": b"x"}).replace(b"\n", b" ").replace(b"\r", b" ")
                        + b"\n%%EOF")


def html_then_pdf() -> bytes:
    """HTML that a browser would run, with a PDF starting within the first KiB (the PDF rules allow junk)."""
    return b"<html><body><script>alert(document.domain)</script><!--\n" + text_pdf("Izin usaha") + b"-->\n%%EOF\n"


# --- decompression bombs -------------------------------------------------------------------------

def flate_bomb(layers: int) -> bytes:
    flate = " ".join(["/FlateDecode"] * layers)
    return raw_pdf(deflated(200 << 20, layers), f"/Filter [{flate}]")


def lzw_encode(data_length: int) -> bytes:
    """LZW (PDF, early change 1) codes for `data_length` zero bytes, built code by code without the data:
    with the table full, each code stands for ~4000 bytes."""
    width, next_code = 9, 258
    bits = io.BytesIO()
    buffer, count = 0, 0

    def put(code):
        nonlocal buffer, count
        buffer, count = (buffer << width) | code, count + width
        while count >= 8:
            count -= 8
            bits.write(bytes([(buffer >> count) & 0xFF]))
    # Code 0 is the string "\0"; then each new code is the previous string plus "\0", used at once.
    put(256)
    put(0)
    emitted, previous_length, lengths = 1, 1, {}
    while emitted < data_length and next_code < 4095:
        lengths[next_code] = previous_length + 1
        put(next_code)
        emitted += lengths[next_code]
        previous_length = lengths[next_code]
        next_code += 1
        if next_code + 1 >= (1 << width) and width < 12:
            width += 1
    longest = next_code - 1
    while emitted < data_length:
        put(longest)
        emitted += lengths[longest]
    put(257)
    if count:
        bits.write(bytes([(buffer << (8 - count)) & 0xFF]))
    return bits.getvalue()


def lzw_bomb() -> bytes:
    return raw_pdf(lzw_encode(100 << 20), "/Filter /LZWDecode")


def run_length_bomb() -> bytes:
    """Runs of 128 spaces, 2 bytes each (64-fold), deflated: 100 MiB from a few KiB."""
    runs = b"\x81 " * ((100 << 20) // 128) + b"\x80"
    return raw_pdf(zlib.compress(runs, 9), "/Filter [/FlateDecode /RunLengthDecode]")


def hex_wrapped_flate_bomb() -> bytes:
    """A Flate bomb behind ASCIIHex (and an escaped filter name): the Flate layer starts at the second filter."""
    return raw_pdf(deflated(200 << 20).hex().encode() + b">", "/Filter [/ASCIIHex#44ecode /FlateDecode]")


def ascii85_wrapped_flate_bomb() -> bytes:
    return raw_pdf(base64.a85encode(deflated(200 << 20), wrapcol=72) + b"~>", "/Filter [/A85 /Fl]")


def inline_image_bomb() -> bytes:
    """An inline image in the page's content declaring 40000 x 40000 pixels of deflated white."""
    data = deflated(40 << 20)
    content = b"q 612 0 0 792 0 0 cm BI /W 40000 /H 40000 /BPC 8 /CS /G /F /Fl ID\n" + data + b"\nEI Q"
    return raw_pdf(content)


def image_xobject_bomb() -> bytes:
    """An image XObject whose few bytes of JPEG declare 60000 x 60000 pixels."""
    jpeg = jpeg_declaring(60000, 60000)
    return pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
        stream(b"q 612 0 0 792 0 0 cm /Im1 Do Q"),
        stream(jpeg, "/Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace /DeviceGray "
                     "/BitsPerComponent 8 /Filter /DCTDecode"),
    ])


def huge_page() -> bytes:
    return raw_pdf(b"BT ET", mediabox="0 0 14400 14400")


def many_huge_pages() -> bytes:
    """The first page ordinary, the last one 200 x 200 inches."""
    return pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        stream(b"BT ET"),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 4 0 R >>",
    ])


# --- images --------------------------------------------------------------------------------------

def jpeg_declaring(width: int, height: int) -> bytes:
    """A real small JPEG whose frame header is rewritten to claim width x height."""
    data = bytearray(image_bytes(Image.new("L", (16, 16), 255), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def png_declaring(width: int, height: int) -> bytes:
    """A small PNG whose header claims width x height (its checksum made right)."""
    data = bytearray(image_bytes(Image.new("1", (16, 16)), "PNG"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def packbits_rows(width: int, height: int) -> bytes:
    """White 1-bit rows (WhiteIsZero), PackBits-compressed: 2 bytes per 128 bytes of pixels."""
    row, left = b"", (width + 7) // 8
    while left:
        run = min(128, left)
        row, left = row + bytes([257 - run]) + b"\x00", left - run
    return row * height


def tiff_of(sizes: list[tuple[int, int]], strip_size: tuple[int, int] = (64, 64)) -> bytes:
    """A little-endian TIFF written by hand: one directory per size, all sharing one small strip."""
    strip = packbits_rows(*strip_size)
    out = bytearray(b"II*\x00" + struct.pack("<I", 8 + len(strip)) + strip)
    for number, (width, height) in enumerate(sizes):
        tags = [(256, 4, width), (257, 4, height), (258, 3, 1), (259, 3, 32773), (262, 3, 0), (273, 4, 8),
                (277, 3, 1), (278, 4, height), (279, 4, len(strip))]
        last = number == len(sizes) - 1
        following = 0 if last else len(out) + 2 + 12 * len(tags) + 4
        out += struct.pack("<H", len(tags))
        out += b"".join(struct.pack("<HHII", tag, kind, 1, value) if kind == 4 else
                        struct.pack("<HHIHH", tag, kind, 1, value, 0) for tag, kind, value in tags)
        out += struct.pack("<I", following)
    return bytes(out)


def multi_frame_tiff_bomb() -> bytes:
    """Two ordinary pages, then one declaring 30000 x 30000."""
    return tiff_of([(512, 512), (512, 512), (30000, 30000)])


def many_frame_tiff() -> bytes:
    """3000 pages of 4000 x 4000 (48 gigapixels in all) in ~100 KiB."""
    return tiff_of([(4000, 4000)] * 3000)


def tiff_ifd_loop() -> bytes:
    """A TIFF whose second directory points back to the first."""
    data = bytearray(image_bytes(scan_image("lingkar", size=(200, 100)), "TIFF"))
    first = struct.unpack("<I", data[4:8])[0]
    entries = struct.unpack("<H", data[first:first + 2])[0]
    data[first + 2 + 12 * entries:first + 6 + 12 * entries] = struct.pack("<I", first)
    return bytes(data)


def gif() -> bytes:
    return image_bytes(Image.new("P", (10, 10)), "GIF")


def truncated_png() -> bytes:
    return image_bytes(scan_image("potong"), "PNG")[:2000]


def jpeg_scan() -> bytes:
    return image_bytes(scan_image("foto KTP").convert("RGB"), "JPEG")


def png_scan() -> bytes:
    return image_bytes(scan_image("NPWP"), "PNG")


def pdf_scan() -> bytes:
    return text_pdf("Surat izin usaha")


SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b'<script>alert(document.cookie)</script></svg>\n')
HTML = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/applicant/')</script></body></html>\n"
LONG_STEM = "surat-izin-usaha-" * 18  # 306 characters before the extension


CORPUS = [
    # Not a scan at all
    Hostile("empty file", lambda: b"", refused=EMPTY),
    Hostile("empty pdf named .pdf", lambda: b"", "kosong.pdf", refused=EMPTY),
    Hostile("html", lambda: HTML, "evil.html", "text/html", refused=NOT_A_SCAN),
    Hostile("html named .pdf", lambda: HTML, "izin.pdf", refused=NOT_A_SCAN),
    Hostile("svg", lambda: SVG, "logo.svg", "image/svg+xml", refused=NOT_A_SCAN),
    Hostile("svg named .png", lambda: SVG, "logo.png", PNG, refused=NOT_A_SCAN),
    Hostile("gif as x-msdownload", gif, "gambar.gif", "application/x-msdownload", refused=NOT_A_SCAN),
    Hostile("windows program", lambda: b"MZ\x90\x00\x03" + b"\x00" * 500, "setup.pdf", refused=NOT_A_SCAN),
    Hostile("zip", lambda: small_zip({"a.txt": b"isi"}), "arsip.pdf", refused=NOT_A_SCAN),
    Hostile("word document", lambda: small_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
            "surat.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            refused=NOT_A_SCAN),
    # Broken PDFs
    Hostile("corrupt pdf", lambda: b"%PDF-1.7\n" + b"\x00rusak" * 200 + b"\n%%EOF\n", refused=DAMAGED),
    Hostile("pdf header only", lambda: b"%PDF-1.7\n%%EOF\n", refused=DAMAGED),
    Hostile("truncated pdf", lambda: pdf_scan()[:-300], refused=TRUNCATED),
    Hostile("truncated half pdf", lambda: pdf_scan()[:len(pdf_scan()) // 2], refused=TRUNCATED),
    Hostile("encrypted pdf", encrypted_pdf, refused=PASSWORD),
    # Active content
    Hostile("javascript open action", javascript_open_action, refused=ACTIVE),
    Hostile("javascript in a stream", javascript_as_stream, refused=ACTIVE),
    Hostile("javascript with escaped name", escaped_name_javascript, refused=ACTIVE),
    Hostile("document-level javascript", names_javascript, refused=ACTIVE),
    Hostile("document additional actions", document_additional_actions, refused=ACTIVE),
    Hostile("page additional actions", page_additional_actions, refused=ACTIVE),
    Hostile("launch open action", launch_open_action, refused=ACTIVE),
    Hostile("launch link", launch_link, refused=ACTIVE),
    Hostile("submit form chained after goto", submit_form_chained, refused=ACTIVE),
    Hostile("embedded program", embedded_file, refused=ACTIVE),
    # Polyglots
    Hostile("pdf then zip", pdf_then_zip, refused=TRUNCATED),
    Hostile("html then pdf", html_then_pdf, "izin.html", "text/html"),
    Hostile("zip inside a pdf comment", pdf_with_small_zip_inside),
    # Decompression bombs
    Hostile("flate bomb", lambda: flate_bomb(1), refused=BOMB),
    Hostile("nested flate bomb", lambda: flate_bomb(3), refused=BOMB),
    Hostile("lzw bomb", lzw_bomb, refused=BOMB),
    Hostile("run-length bomb", run_length_bomb, refused=BOMB),
    Hostile("flate bomb behind asciihex", hex_wrapped_flate_bomb, refused=BOMB),
    Hostile("flate bomb behind ascii85", ascii85_wrapped_flate_bomb, refused=BOMB),
    Hostile("inline image bomb", inline_image_bomb, refused=TOO_LARGE),
    Hostile("image xobject bomb", image_xobject_bomb, refused=TOO_LARGE),
    Hostile("huge page", huge_page, refused=TOO_LARGE),
    Hostile("huge second page", many_huge_pages, refused=TOO_LARGE),
    Hostile("png pixel bomb", lambda: png_declaring(20000, 20000), "bom.png", PNG, refused=TOO_LARGE),
    Hostile("tiff pixel bomb", lambda: tiff_of([(60000, 60000)]), "bom.tif", TIFF, refused=TOO_LARGE),
    Hostile("jpeg pixel bomb", lambda: jpeg_declaring(65000, 65000), "bom.jpg", JPEG, refused=TOO_LARGE),
    Hostile("multi-frame tiff bomb", multi_frame_tiff_bomb, "tiga.tif", TIFF, refused=TOO_LARGE),
    Hostile("tiff of 3000 frames", many_frame_tiff, "banyak.tif", TIFF, refused=TOO_LARGE),
    Hostile("tiff directory loop", tiff_ifd_loop, "lingkar.tif", TIFF),  # read once, the loop ignored
    Hostile("truncated png", truncated_png, "potong.png", PNG, refused=DAMAGED),
    # Ordinary scans under hostile names or types: stored, by their bytes
    Hostile("pdf named .jpg", pdf_scan, "izin.jpg", JPEG),
    Hostile("jpeg named .pdf", jpeg_scan, "ktp.pdf"),
    Hostile("png named .exe", png_scan, "npwp.exe", "application/x-msdownload"),
    Hostile("pdf opening at a page", benign_open_action),
    Hostile("pdf with a web link", uri_link),
    Hostile("pdf with an owner password only", owner_password_only),
    Hostile("name with unix path", pdf_scan, "../../etc/passwd.pdf", stored_as=("passwd.pdf",)),
    # Werkzeug reads a backslash in a multipart file name as an escape: over HTTP the app gets "C:Usersfoizin.pdf".
    Hostile("name with windows path", pdf_scan, "C:\\Users\\fo\\izin.pdf", stored_as=("izin.pdf", "C:Usersfoizin.pdf")),
    Hostile("name of 300 characters", pdf_scan, LONG_STEM + ".pdf", stored_as=(LONG_STEM[:251] + ".pdf",)),
    # Names that could fool a reader of the list or of a log
    Hostile("name with NUL", pdf_scan, "izin\x00.exe.pdf", refused=CONTROL),
    Hostile("name with terminal escape", pdf_scan, "izin\x1b[2K\x1b[1Gok.pdf", refused=CONTROL),
    Hostile("name with bell", pdf_scan, "izin\x07.pdf", refused=CONTROL),
    Hostile("name with right-to-left override", pdf_scan, "izin\u202efdp.exe", refused=CONTROL),
]


BY_NAME = {hostile.name: hostile for hostile in CORPUS}


def write_corpus(folder: Path) -> list[Path]:
    """Each file under a disk-safe name (its corpus name)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for hostile in CORPUS:
        path = folder / hostile.name.replace(" ", "-").replace("/", "-")
        path.write_bytes(hostile.make())
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_corpus(Path(sys.argv[1])):
        print(written)
