"""The IKM (Indeks Kepuasan Masyarakat) exactly as PermenPANRB 14/2017 computes it.

Per element NRR = sum of scores / respondents; IKM = sum of NRR x 1/9 (the weight is not rounded);
the converted score is IKM x 25. Computed in exact fractions; only the shown score is rounded (2 places).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from app.models import Sector, Service, SkmResponse
from app.models.skm import SKM_ELEMENTS

WEIGHT = Fraction(1, len(SKM_ELEMENTS))
# Lower bound of each grade's interval of the converted score (the regulation's table).
GRADES = (
    (Decimal("88.31"), "A", _l("Very good")),
    (Decimal("76.61"), "B", _l("Good")),
    (Decimal("65.00"), "C", _l("Fair")),
    (Decimal("25.00"), "D", _l("Not good")),
)


def ikm(respondents: int, sums: list[int]) -> dict | None:
    """The index of ``respondents`` answers whose per-element score sums are ``sums`` (None without answers)."""
    if respondents == 0:
        return None
    nrr = [Fraction(total, respondents) for total in sums]
    index = sum(value * WEIGHT for value in nrr)
    score = Decimal(index.numerator * 25) / Decimal(index.denominator)
    shown = score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    grade, label = grade_of(shown)
    return {
        "respondents": respondents,
        "nrr": {element: round(float(value), 4) for element, value in zip(SKM_ELEMENTS, nrr)},
        "ikm": float(index),
        "score": float(shown),
        "grade": grade,
        "grade_label": str(label),
    }


def grade_of(score: Decimal) -> tuple[str, object]:
    for lower, grade, label in GRADES:
        if score >= lower:
            return grade, label
    raise ValueError(f"score {score} below the scale")


def ikm_summary(session, period) -> dict:
    """The IKM of the responses submitted in the period: overall (the office), per service, per sector."""
    rows = (session.query(SkmResponse.service_id, SkmResponse.sector_id, func.count(),
                          *(func.sum(getattr(SkmResponse, element)) for element in SKM_ELEMENTS))
            .filter(SkmResponse.submitted_at >= period.utc_start, SkmResponse.submitted_at < period.utc_end)
            .group_by(SkmResponse.service_id, SkmResponse.sector_id).all())
    services = dict(session.query(Service.id, Service.name))
    sectors = dict(session.query(Sector.id, Sector.name))
    overall = _rolled_up(rows, lambda row: "office")
    return {
        "overall": overall["office"] if overall else None,
        "by_service": _listed(_rolled_up(rows, lambda row: row[0]), services),
        "by_unit": _listed(_rolled_up(rows, lambda row: row[1]), sectors),
        "elements": {element: str(label) for element, label in SKM_ELEMENTS.items()},
    }


def ikm_by_period(session) -> dict[int, dict]:
    """The IKM of each survey period's responses (one grouped query for every period), by period id."""
    rows = (session.query(SkmResponse.period_id, SkmResponse.period_id, func.count(),
                          *(func.sum(getattr(SkmResponse, element)) for element in SKM_ELEMENTS))
            .group_by(SkmResponse.period_id).all())
    return _rolled_up(rows, lambda row: row[0])


def _rolled_up(rows, key_of) -> dict:
    totals = defaultdict(lambda: [0, [0] * len(SKM_ELEMENTS)])
    for row in rows:
        total = totals[key_of(row)]
        total[0] += row[2]
        total[1] = [a + int(b) for a, b in zip(total[1], row[3:])]
    return {key: ikm(n, sums) for key, (n, sums) in totals.items()}


def _listed(rolled: dict, names: dict) -> list[dict]:
    return sorted(({"key": key, "label": names[key], **index} for key, index in rolled.items()),
                  key=lambda item: item["label"])
