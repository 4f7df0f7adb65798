"""The printable report: the office's letterhead, the period, each table with its chart, page numbers
and who printed it when. Charts are drawn from the same specs as the page's SVG (app/reports/charts.py)."""

from __future__ import annotations

import datetime as dt
import io

from flask_babel import gettext
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table as PdfTable, TableStyle

from app.reports.charts import Chart, scale, short
from app.reports.period import Period
from app.reports.tables import Table, shown

STYLES = getSampleStyleSheet()
CHART_WIDTH = 170 * mm
CHART_ROW = 12
CHART_LABEL = 62 * mm


def report_pdf(tables: list[Table], period: Period, letterhead: dict, title: str, printed_by: str,
               printed_at: dt.datetime) -> bytes:
    buffer = io.BytesIO()
    footer = gettext("Printed by %(user)s on %(moment)s", user=printed_by, moment=f"{printed_at:%d-%m-%Y %H:%M} WIB")

    def decorate(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(15 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, gettext("Page %(number)s", number=document.page))
        canvas.restoreState()

    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                                 topMargin=15 * mm, bottomMargin=18 * mm, title=title)
    story = [*_letterhead(letterhead), Paragraph(title, STYLES["Title"]),
             Paragraph(gettext("Period: %(start)s to %(end)s", start=f"{period.start:%d-%m-%Y}",
                               end=f"{period.end:%d-%m-%Y}"), STYLES["Normal"]), Spacer(1, 6 * mm)]
    for table in tables:
        story.append(KeepTogether([Paragraph(str(table.title), STYLES["Heading3"]),
                                   *([_chart(table.chart)] if table.chart and table.chart.bars else [])]))
        story.append(_table(table))
        story.append(Spacer(1, 5 * mm))
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def _letterhead(letterhead: dict) -> list:
    text = [Paragraph(f"<b>{_escape(letterhead['office_name'])}</b>", STYLES["Heading2"]),
            Paragraph(_escape(letterhead["address"]).replace("\n", "<br/>"), STYLES["Normal"])]
    if letterhead.get("phone"):
        text.append(Paragraph(_escape(letterhead["phone"]), STYLES["Normal"]))
    logo = letterhead.get("logo")
    if not logo:
        return [*text, _rule()]
    reader = ImageReader(io.BytesIO(logo))
    width, height = reader.getSize()
    image = Image(io.BytesIO(logo), width=20 * mm, height=20 * mm * height / width)
    head = PdfTable([[image, text]], colWidths=[25 * mm, None])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [head, _rule()]


def _rule() -> Drawing:
    drawing = Drawing(CHART_WIDTH, 4)
    drawing.add(Line(0, 2, CHART_WIDTH, 2, strokeWidth=1.5))
    return drawing


def _chart(chart: Chart) -> Drawing:
    bars = chart.bars
    top = scale(chart)
    length = CHART_WIDTH - CHART_LABEL - 20 * mm
    drawing = Drawing(CHART_WIDTH, len(bars) * CHART_ROW + 4)
    for row, bar in enumerate(bars):
        y = (len(bars) - row - 1) * CHART_ROW + 2
        width = length * bar.value / top if top else 0
        drawing.add(String(CHART_LABEL - 3, y + 2, short(bar.label, 40), fontSize=7, textAnchor="end"))
        drawing.add(Rect(CHART_LABEL, y, width, CHART_ROW - 3, fillColor=colors.HexColor(chart.colour),
                         strokeColor=None))
        drawing.add(String(CHART_LABEL + width + 3, y + 2, bar.shown or f"{bar.value:g}", fontSize=7))
        if bar.reference is not None:
            x = CHART_LABEL + length * bar.reference / top
            drawing.add(Line(x, y - 1, x, y + CHART_ROW - 2, strokeColor=colors.red, strokeWidth=1.5))
    return drawing


def _table(table: Table) -> PdfTable:
    body = [[Paragraph(f"<b>{_escape(str(column.label))}</b>", STYLES["BodyText"]) for column in table.columns]]
    for row in table.rows:
        body.append([Paragraph(_escape(shown(cell.value)), STYLES["BodyText"]) for cell in row])
    if not table.rows:
        body.append([Paragraph(gettext("No data in this period."), STYLES["BodyText"])] + [""] * (len(table.columns) - 1))
    widths = [None] * len(table.columns)
    widths[0] = 70 * mm if len(table.columns) > 2 else 110 * mm
    pdf_table = PdfTable(body, colWidths=widths, repeatRows=1)
    pdf_table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return pdf_table


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
