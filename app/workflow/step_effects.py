"""What a completed step's data does to the application's record (the form's data itself: step_data.py).

Each effect takes (application, the validated data, the user, now); a form without one changes
nothing but the step history the engine writes.
"""

from __future__ import annotations

from collections.abc import Callable

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import object_session

from app.models import (
    ArchiveRecord, Permit, Recommendation, RecommendationDecision, RiskLevel, SurveySchedule, Verification,
    VerificationResult,
)
from app.workflow.calendar import to_local
from app.workflow.step_data import archive_classification


def _fo_input(application, data, _user, _now):
    for key in ("risk_level", "nib", "problem_solved_at"):
        if data.get(key):
            value = RiskLevel[data[key]] if key == "risk_level" else data[key]
            setattr(application, key, value)


def _kasi_verification(application, data, _user, now):
    if data.get("request_letter_number"):
        recommendation = application_recommendation(application)
        recommendation.request_letter_number, recommendation.requested_at = data["request_letter_number"], now


def _survey(application, data, _user, _now):
    _add(application, SurveySchedule(
        application=application, scheduled_at=data["scheduled_at"], location=data["location"],
        team=data.get("team"), bap_document_id=data["bap_document"], bap_summary=data.get("bap_summary"),
    ))


def _recommendation(application, data, user, now):
    recommendation = application_recommendation(application)
    recommendation.decision = RecommendationDecision[data["outcome"]]
    recommendation.reason = data.get("reason")
    recommendation.document_id = data["document"]
    recommendation.decided_by_id = user.id
    recommendation.decided_at = now


def application_recommendation(application) -> Recommendation:
    """The open recommendation of the application's sector (requested by Kasi, or made on answering)."""
    open_ones = [r for r in application.recommendations if r.decision is None]
    if open_ones:
        return open_ones[-1]
    return _add(application, Recommendation(application=application, sector_id=application.sector_id))


def _add(application, record):
    object_session(application).add(record)
    return record


def _permit(application, data, _user, now):
    fields_ = {"number": data["number"], "issued_on": data["issued_on"], "valid_until": data.get("valid_until"),
               "document_id": data["document"], "permit_type": application.service.output_type}
    if data.get("handed_over_to"):
        fields_.update(handed_over_to=data["handed_over_to"], handed_over_at=now)
    permit = application.permit or _add(application, Permit(application=application, **fields_))
    for key, value in fields_.items():
        setattr(permit, key, value)


def _verification(application, data, user, now):
    _add(application, Verification(
        application=application, step=application.current_step, result=VerificationResult[data["outcome"]],
        reason=data.get("reason"), verified_by_id=user.id, verified_at=now,
    ))


def _archive(application, data, user, now):
    """The archive record: retention counted in years from the office day the file is archived."""
    classification = archive_classification(application, data)
    active_until = to_local(now).date() + relativedelta(years=classification.active_years)
    _add(application, ArchiveRecord(
        application=application, classification=classification, active_until=active_until,
        inactive_until=active_until + relativedelta(years=classification.inactive_years),
        disposition=classification.disposition, room=data["room"], shelf=data["shelf"], box=data["box"],
        archived_by_id=user.id, archived_at=now,
    ))


def _supervision(application, _data, _user, now):
    if application.permit is not None:
        application.permit.forwarded_to_supervision_at = now


EFFECTS: dict[str, Callable] = {
    "fo_input": _fo_input,
    "kasi_verification": _kasi_verification,
    "survey": _survey,
    "recommendation": _recommendation,
    "permit": _permit,
    "permit_handover": _permit,
    "verification": _verification,
    "archive": _archive,
    "supervision": _supervision,
}


def apply_effect(form: str, application, data: dict, user, now) -> None:
    effect = EFFECTS.get(form)
    if effect is not None:
        effect(application, data, user, now)
