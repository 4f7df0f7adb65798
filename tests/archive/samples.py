"""Files made fresh for each test: text PDFs, scanned (image-only) PDFs, images, and broken ones."""

import io
import zlib

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

def text_pdf(*pages: str, encrypt=None) -> bytes:
    """A PDF with a text layer, one string per page."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=encrypt)
    for text in pages:
        for line_number, line in enumerate(text.splitlines()):
            pdf.drawString(72, 760 - 16 * line_number, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    return text_pdf("Rahasia", encrypt=StandardEncryption("pengguna", "pemilik"))


def scan_image(text: str, size=(1654, 600)) -> Image.Image:
    """Black text on white at ~200 dpi, as a scanner gives it."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=44)  # Pillow's own font: nothing to install
    for line_number, line in enumerate(text.splitlines()):
        draw.text((60, 60 + 70 * line_number), line, font=font, fill=0)
    return image


def image_bytes(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def scanned_pdf(text: str) -> bytes:
    """An image-only PDF (no text layer), like a scanner's output."""
    return image_bytes(scan_image(text).convert("RGB"), "PDF", resolution=200)


def pdf_of(objects: list[bytes], trailer: bytes = b"/Root 1 0 R",
           header: bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") -> bytes:
    """A PDF written by hand: these objects (numbered from 1) with a correct cross-reference table.
    The header's second line is the comment of high bytes that tells transfer tools the file is binary."""
    out = io.BytesIO()
    out.write(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write(b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets))
    out.write(f"trailer\n<< /Size {len(objects) + 1} ".encode() + trailer + f" >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def stream(data: bytes, extra: str = "") -> bytes:
    """A stream object's body: `extra` adds entries (filters, type) to its dictionary."""
    return f"<< /Length {len(data)} {extra} >>\nstream\n".encode() + data + b"\nendstream"


def raw_pdf(content: bytes, filters: str = "", mediabox: str = "0 0 612 792") -> bytes:
    """A one-page PDF written by hand: its content stream `content` as given, under `filters`
    (e.g. "/Filter [/FlateDecode /FlateDecode]"), and its page of the given size in points."""
    return pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [{mediabox}] /Contents 4 0 R >>".encode(),
        stream(content, filters),
    ], header=b"%PDF-1.7\n")


def deflated(size: int, layers: int = 1) -> bytes:
    """`size` spaces, deflated `layers` times (built in 1 MiB pieces, never whole)."""
    packer = zlib.compressobj(9)
    piece = b" " * (1 << 20)
    data = b"".join(packer.compress(piece) for _ in range(size >> 20)) + packer.flush()
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    return data
