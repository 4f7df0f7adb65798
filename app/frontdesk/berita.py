"""The berita dokumen: FO's printable receipt of the documents received, with a QR code to the public status."""

import io

from flask_babel import gettext
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from app.skm.links import survey_url
from app.workflow.calendar import to_local

OFFICE = "DPMPTSP & Naker Kota Pariaman"


def received_documents(application) -> list[str]:
    """What FO ticked as received at the berita dokumen step, then each scanned document on file."""
    step = next((h for h in application.history if h.node == "berita_dokumen"), None)
    ticked = list((step.data or {}).get("received", [])) if step else []
    scanned = [f"{d.document_type}: {d.original_filename}" for d in application.documents if d.is_current]
    return ticked + scanned


def berita_dokumen_pdf(application, status_url: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5)
    width, _height = A5
    y = receipt_head(pdf, gettext("BERITA DOKUMEN"), [
        (gettext("Registration number"), application.registration_number),
        (gettext("Applicant"), application.applicant.name),
        (gettext("Service"), application.service.name),
        (gettext("Date"), f"{to_local(application.created_at):%d-%m-%Y %H:%M}"),
    ])
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(15 * mm, y - 3 * mm, gettext("Documents received"))
    pdf.setFont("Helvetica", 9)
    y -= 9 * mm
    for number, document in enumerate(received_documents(application), start=1):
        pdf.drawString(18 * mm, y, f"{number}. {document}"[:95])
        y -= 5 * mm
    _qr(pdf, status_url, width - 45 * mm, 12 * mm)
    pdf.drawString(15 * mm, 14 * mm, gettext("Scan to follow the application's status."))
    pdf.setFont("Helvetica", 7)
    pdf.drawString(15 * mm, 10 * mm, status_url)
    survey_qr(pdf, survey_url(application), 15 * mm, 22 * mm)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def receipt_head(pdf, title: str, lines: list[tuple[str, str]]) -> float:
    """A receipt's title, the office and its "label: value" lines; returns where the page continues."""
    y = A5[1] - 20 * mm
    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawString(15 * mm, y, title)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(15 * mm, y - 6 * mm, OFFICE)
    y -= 16 * mm
    for label, value in lines:
        pdf.drawString(15 * mm, y, f"{label}: {value}"[:95])
        y -= 5 * mm
    return y


def survey_qr(pdf, url: str, x: float, y: float) -> None:
    """The satisfaction survey's QR code and its short link, for every receipt the applicant takes home."""
    _qr(pdf, url, x, y, size=22 * mm)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(x + 24 * mm, y + 14 * mm, gettext("Rate our service (survey):"))
    pdf.drawString(x + 24 * mm, y + 10 * mm, url)


def _qr(pdf, url: str, x: float, y: float, size: float = 30 * mm) -> None:
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, x, y)
