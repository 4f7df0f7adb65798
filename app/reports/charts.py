"""Charts drawn by the server as SVG: no script, no request to any other host, and the same spec is
drawn into the PDF (app/reports/pdf.py). A chart is a list of bars, each with its label, value, the
link to the applications behind it, and optionally a reference mark (the step's standard)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

ROW_HEIGHT = 22
LABEL_WIDTH = 260
BAR_WIDTH = 380
VALUE_WIDTH = 70
COLOURS = ("#337ab7", "#5cb85c", "#f0ad4e", "#d9534f", "#777777")
LABEL_CHARS = 38


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    link: str | None = None
    reference: float | None = None
    shown: str | None = None  # the value as printed (e.g. "87.5 %"), default the number


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    colour: str = COLOURS[0]
    maximum: float | None = None  # a fixed scale (100 for percentages), else the largest value


def scale(chart: Chart) -> float:
    largest = max([bar.value for bar in chart.bars] + [bar.reference or 0 for bar in chart.bars] + [0])
    return chart.maximum or largest or 1


def short(label: str, chars: int = LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[: chars - 1] + "…"


def svg(chart: Chart) -> Markup:
    """The chart as inline SVG; each bar links to its list, and its title shows the full label."""
    height = max(1, len(chart.bars)) * ROW_HEIGHT + 8
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    top = scale(chart)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="sigap-chart" role="img" width="100%" '
             f'viewBox="0 0 {width} {height}" style="max-width:{width}px" aria-label="{escape(chart.title)}">']
    for row, bar in enumerate(chart.bars):
        y = 4 + row * ROW_HEIGHT
        length = BAR_WIDTH * bar.value / top if top else 0
        shown = bar.shown or _number(bar.value)
        rect = (f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{ROW_HEIGHT - 6}" '
                f'fill="{chart.colour}"><title>{escape(bar.label)}: {escape(shown)}</title></rect>')
        if bar.link:
            rect = f'<a href="{escape(bar.link)}">{rect}</a>'
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + ROW_HEIGHT - 7}" text-anchor="end" font-size="12">'
                     f'{escape(short(bar.label))}</text>{rect}'
                     f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + ROW_HEIGHT - 7}" font-size="12">'
                     f'{escape(shown)}</text>')
        if bar.reference is not None:
            x = LABEL_WIDTH + BAR_WIDTH * bar.reference / top
            parts.append(f'<line class="reference" x1="{x:.1f}" x2="{x:.1f}" y1="{y + 1}" y2="{y + ROW_HEIGHT - 1}" '
                         f'stroke="#d9534f" stroke-width="2"><title>{escape(str(bar.reference))}</title></line>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
