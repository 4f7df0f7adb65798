"""What each step's form asks for (named by `form:` in sops.yaml): a marshmallow schema, checked the
same way for the API and the screens. What the data then does to the record is step_effects.py.

Fields named in DOCUMENTS carry the id of a document already uploaded to the application, of one of
the given document types (a list field: several ids, of any type). CHECKS holds what a form's data must
satisfy against the application's record (requirements ticked, the archive complete).
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext, lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy.orm import object_session

from app.identity.schema import validate_nib
from app.models import ArchiveClassification, ExtractionState, RiskLevel
from app.permits.validity import ValidityError, check_validity


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
    # The files uploaded in SIGAP after siCantik, each with its document type.
    documents = fields.List(fields.Integer(), load_default=list, metadata={"label": _l("Files")})
    # After "needs fix": when the applicant brought the fix (the paused clock restarts then).
    fix_received_at = fields.DateTime(load_default=None, metadata={"label": _l("Fix received at")})


class VerificationSchema(OutcomeSchema):
    checked = fields.List(fields.Integer(), load_default=list,
                          metadata={"label": _l("Requirements checked"), "checklist": True})


class KasiVerificationSchema(VerificationSchema):
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


class ArchiveSchema(StepSchema):
    """The archive classification (the service's by default) and where the paper file is kept."""

    classification = fields.String(load_default=None, metadata={"label": _l("Archive classification"),
                                                                "choices": ArchiveClassification})
    room = fields.String(required=True, validate=validate.Length(min=1, max=100), metadata={"label": _l("Room")})
    shelf = fields.String(required=True, validate=validate.Length(min=1, max=50), metadata={"label": _l("Shelf")})
    box = fields.String(required=True, validate=validate.Length(min=1, max=50), metadata={"label": _l("Box")})


# What each outcome named in sops.yaml reads as on the screens.
OUTCOME_LABELS = {
    "approve": _l("Approve"), "needs_fix": _l("Needs fix"), "reject": _l("Reject"), "valid": _l("Valid"),
    "not_valid": _l("Not valid"), "complete": _l("Complete"), "incomplete": _l("Incomplete: stop the process"),
    "done": _l("Done"), "return": _l("Return to the previous step"),
}

# The outcomes that pass a file on after checking it: every mandatory requirement ticked, or a written reason.
POSITIVE_OUTCOMES = ("valid", "complete")

PERMIT_TYPES = ("IZIN", "SERTIFIKAT_STANDAR", "NIB", "LAINNYA")

SCHEMAS: dict[str, type[Schema]] = {
    "fo_input": FoInputSchema,
    "berita_dokumen": BeritaDokumenSchema,
    "bo_upload": BoUploadSchema,
    "kasi_verification": KasiVerificationSchema,
    "survey": SurveySchema,
    "recommendation": RecommendationSchema,
    "permit": PermitSchema,
    "permit_handover": PermitHandoverSchema,
    "verification": VerificationSchema,
    "approval": OutcomeSchema,
    "archive": ArchiveSchema,
    "supervision": StepSchema,
}

# The fields of a form that carry a document, and the document types each accepts.
DOCUMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "survey": {"bap_document": ("BAP",)},
    "recommendation": {"document": ("SURAT_REKOMENDASI",)},
    "permit": {"document": PERMIT_TYPES},
    "permit_handover": {"document": PERMIT_TYPES},
    "bo_upload": {"documents": ()},  # any type
}


def _requirements_ticked(application, values: dict) -> dict:
    if values.get("outcome") not in POSITIVE_OUTCOMES or (values.get("reason") or "").strip():
        return {}
    ticked = set(values.get("checked") or [])
    missing = [r.description for r in application.service.requirements if r.mandatory and r.id not in ticked]
    if not missing:
        return {}
    return {"checked": [gettext("Tick every mandatory requirement, or write the reason for this decision. "
                                "Not ticked: %(items)s.", items="; ".join(missing))]}


def archive_classification(application, values: dict) -> ArchiveClassification | None:
    """The classification chosen on the form, else the one of the service's catalogue entry."""
    code = values.get("classification")
    if code:
        return object_session(application).query(ArchiveClassification).filter_by(code=code).one_or_none()
    return application.service.archive_classification


def missing_from_archive(application) -> list[str]:
    """Each mandatory requirement without a current document whose text is read and indexed, and why."""
    current: dict = {}
    for document in application.documents:
        best = current.get(document.document_type_id)
        if document.is_current and (best is None or best.extraction_state is not ExtractionState.indexed):
            current[document.document_type_id] = document
    missing = []
    for requirement in application.service.requirements:
        if not (requirement.mandatory and requirement.document_type_id):
            continue
        document, name = current.get(requirement.document_type_id), requirement.document_type.name
        if document is None:
            missing.append(gettext("%(type)s: not uploaded", type=name))
        elif document.extraction_state is ExtractionState.waiting:
            missing.append(gettext("%(type)s: text not read yet", type=name))
        elif document.extraction_state is ExtractionState.failed:
            missing.append(gettext("%(type)s: text reading failed", type=name))
    return missing


def _archive_complete(application, values: dict) -> dict:
    errors = {}
    if archive_classification(application, values) is None:
        errors["classification"] = [gettext("Choose the archive classification.")]
    missing = missing_from_archive(application)
    if missing:
        errors["documents"] = [gettext("The archive is not complete: %(items)s.", items="; ".join(missing))]
    return errors


CHECKS: dict[str, Callable[..., dict]] = {
    "kasi_verification": _requirements_ticked,
    "verification": _requirements_ticked,
    "archive": _archive_complete,
}


def schema_for(node) -> Schema:
    """The node's form, with its outcomes (from the flow) as the choices of ``outcome``."""
    base = SCHEMAS[node.form]
    if not node.outcomes:
        return base()
    outcome = fields.String(required=True, validate=validate.OneOf(list(node.outcomes)),
                            metadata={"label": _l("Decision"), "choices": list(node.outcomes)})
    schema = type(f"{node.form}_{node.id}", (base,), {"outcome": outcome, "context_node": node})
    return schema()
