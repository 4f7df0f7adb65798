"""What each step's form asks for, and the records it writes (named by `form:` in sops.yaml).

A form is a marshmallow schema (checked the same way for the API and the screens) plus the effect
of its data on the application's record. Fields named in ``documents`` carry the id of a document
already uploaded to the application, of the given document type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy.orm import object_session

from app.identity.schema import validate_nib
from app.permits.validity import ValidityError, check_validity
from app.models import (
    Permit, Recommendation, RecommendationDecision, RiskLevel, SurveySchedule, Verification, VerificationResult,
)


class StepSchema(Schema):
    note = fields.String(load_default=None, metadata={"label": _l("Note")})


class OutcomeSchema(StepSchema):
    """``outcome`` (one of the node's outcomes, set per node) and the reason a diverting one needs."""

    reason = fields.String(load_default=None, metadata={"label": _l("Reason")})

    @validates_schema
    def reason_for_diverting_outcomes(self, data, **_kwargs):
        outcome = self.context_node.outcomes.get(data.get("outcome"))
        if outcome and (outcome.to or outcome.status) and not (data.get("reason") or "").strip():
            raise ValidationError(str(_l("Give the reason.")), "reason")


class FoInputSchema(StepSchema):
    risk_level = fields.String(load_default=None, validate=validate.OneOf([r.name for r in RiskLevel]),
                               metadata={"label": _l("Risk level"), "choices": RiskLevel})
    nib = fields.String(load_default=None, validate=validate_nib, metadata={"label": _l("NIB")})
    problem_solved_at = fields.DateTime(load_default=None, metadata={"label": _l("Problem solved at")})


class BeritaDokumenSchema(StepSchema):
    received = fields.List(fields.String(), load_default=list,
                           metadata={"label": _l("Documents received"), "checklist": True})


class BoUploadSchema(StepSchema):
    # After "needs fix": when the applicant brought the fix (the paused clock restarts then).
    fix_received_at = fields.DateTime(load_default=None, metadata={"label": _l("Fix received at")})


class KasiVerificationSchema(OutcomeSchema):
    request_letter_number = fields.String(load_default=None, metadata={"label": _l("Request letter number")})


class SurveySchema(StepSchema):
    scheduled_at = fields.DateTime(required=True, metadata={"label": _l("Scheduled at")})
    location = fields.String(required=True, validate=validate.Length(min=1), metadata={"label": _l("Location")})
    team = fields.String(load_default=None, metadata={"label": _l("Team")})
    bap_document = fields.Integer(required=True, metadata={"label": _l("BAP")})
    bap_summary = fields.String(load_default=None, metadata={"label": _l("BAP summary")})


class RecommendationSchema(OutcomeSchema):
    document = fields.Integer(required=True, metadata={"label": _l("Recommendation letter")})


class PermitSchema(StepSchema):
    number = fields.String(required=True, validate=validate.Length(min=1, max=100),
                           metadata={"label": _l("Permit number")})
    issued_on = fields.Date(required=True, metadata={"label": _l("Issued on")})
    valid_until = fields.Date(load_default=None, metadata={"label": _l("Valid until")})
    document = fields.Integer(required=True, metadata={"label": _l("Permit document")})

    @validates_schema
    def expiry_not_before_issue(self, data, **_kwargs):
        try:
            check_validity(data.get("issued_on"), data.get("valid_until"))
        except ValidityError as error:
            raise ValidationError(str(error), error.field) from error


class PermitHandoverSchema(PermitSchema):
    handed_over_to = fields.String(required=True, validate=validate.Length(min=1, max=200),
                                   metadata={"label": _l("Handed over to")})


class VerificationSchema(OutcomeSchema):
    checked = fields.List(fields.Integer(), load_default=list,
                          metadata={"label": _l("Requirements checked"), "checklist": True})


# What each outcome named in sops.yaml reads as on the screens.
OUTCOME_LABELS = {
    "approve": _l("Approve"), "needs_fix": _l("Needs fix"), "reject": _l("Reject"), "valid": _l("Valid"),
    "not_valid": _l("Not valid"), "complete": _l("Complete"), "incomplete": _l("Incomplete: stop the process"),
    "done": _l("Done"),
}


@dataclass(frozen=True)
class StepForm:
    schema: type[Schema]
    apply: Callable = lambda application, data, user, now: None
    documents: dict[str, tuple[str, ...]] = field(default_factory=dict)


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


def _supervision(application, _data, _user, now):
    if application.permit is not None:
        application.permit.forwarded_to_supervision_at = now


PERMIT_TYPES = ("IZIN", "SERTIFIKAT_STANDAR", "NIB", "LAINNYA")

FORMS: dict[str, StepForm] = {
    "fo_input": StepForm(FoInputSchema, _fo_input),
    "berita_dokumen": StepForm(BeritaDokumenSchema),
    "bo_upload": StepForm(BoUploadSchema),
    "kasi_verification": StepForm(KasiVerificationSchema, _kasi_verification),
    "survey": StepForm(SurveySchema, _survey, {"bap_document": ("BAP",)}),
    "recommendation": StepForm(RecommendationSchema, _recommendation, {"document": ("SURAT_REKOMENDASI",)}),
    "permit": StepForm(PermitSchema, _permit, {"document": PERMIT_TYPES}),
    "permit_handover": StepForm(PermitHandoverSchema, _permit, {"document": PERMIT_TYPES}),
    "verification": StepForm(VerificationSchema, _verification),
    "approval": StepForm(StepSchema),
    "archive": StepForm(StepSchema),
    "supervision": StepForm(StepSchema, _supervision),
}


def schema_for(node) -> Schema:
    """The node's form, with its outcomes (from the flow) as the choices of ``outcome``."""
    base = FORMS[node.form].schema
    if not node.outcomes:
        return base()
    outcome = fields.String(required=True, validate=validate.OneOf(list(node.outcomes)),
                            metadata={"label": _l("Decision"), "choices": list(node.outcomes)})
    schema = type(f"{node.form}_{node.id}", (base,), {"outcome": outcome, "context_node": node})
    return schema()
