"""Files made fresh for each test: text PDFs, scanned (image-only) PDFs, images, and broken ones."""

import io

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
