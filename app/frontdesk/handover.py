"""The hand-over receipt (tanda terima penyerahan): what the applicant signs when the permit is handed over
at the counter, with the satisfaction survey's QR code and short link."""

import io

from flask_babel import gettext
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from app.frontdesk.berita import receipt_head, survey_qr
from app.skm.links import survey_url
from app.workflow.calendar import to_local


def handover_receipt_pdf(application) -> bytes:
    permit = application.permit
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5)
    width, _height = A5
    y = receipt_head(pdf, gettext("PERMIT HAND-OVER RECEIPT"), [
        (gettext("Registration number"), application.registration_number),
        (gettext("Service"), application.service.name),
        (gettext("Permit number"), permit.number),
        (gettext("Permit type"), permit.permit_type),
        (gettext("Issued on"), f"{permit.issued_on:%d-%m-%Y}"),
        (gettext("Handed over at"), f"{to_local(permit.handed_over_at):%d-%m-%Y %H:%M}"),
        (gettext("Handed over to"), permit.handed_over_to or "-"),
    ])
    pdf.drawString(15 * mm, y - 12 * mm, gettext("Received by"))
    pdf.drawString(width - 60 * mm, y - 12 * mm, gettext("Handed over by"))
    survey_qr(pdf, survey_url(application), 15 * mm, 15 * mm)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
