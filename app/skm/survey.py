"""Taking a survey response: the open period, the answers checked, one response per application."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext, lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from sqlalchemy.exc import IntegrityError

from app.models import Application, SkmPeriod, SkmResponse
from app.models.skm import SKM_ELEMENTS, Education, Occupation, Sex

# The regulation's four answers, worst to best (the wording of its model questionnaire).
SCORES = ((1, _l("Not good")), (2, _l("Fair")), (3, _l("Good")), (4, _l("Very good")))


class SurveyClosed(Exception):
    """No survey period is open today."""


class AlreadyAnswered(Exception):
    """This application's survey was answered before."""


class AnswersInvalid(Exception):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def _score():
    return fields.Integer(required=True, validate=validate.Range(1, 4),
                          error_messages={"required": _l("Choose an answer.")})


def _choice(enum_class):
    return fields.String(load_default=None, validate=validate.OneOf([m.name for m in enum_class]))


AnswersSchema = Schema.from_dict({
    **{element: _score() for element in SKM_ELEMENTS},
    "age": fields.Integer(load_default=None, validate=validate.Range(10, 120)),
    "sex": _choice(Sex),
    "education": _choice(Education),
    "occupation": _choice(Occupation),
    "suggestion": fields.String(load_default=None, validate=validate.Length(max=2000)),
}, name="AnswersSchema")


def open_period(session, today: dt.date) -> SkmPeriod | None:
    return (session.query(SkmPeriod)
            .filter(SkmPeriod.is_open.is_(True), SkmPeriod.starts_on <= today, SkmPeriod.ends_on >= today)
            .order_by(SkmPeriod.starts_on.desc()).first())


def has_answered(session, application_id: int) -> bool:
    return session.query(SkmResponse.id).filter_by(application_id=application_id).first() is not None


def record_response(session, application: Application, form: dict, today: dt.date) -> SkmResponse:
    """Store the answers (the caller commits). Raises SurveyClosed, AlreadyAnswered or AnswersInvalid."""
    period = open_period(session, today)
    if period is None:
        raise SurveyClosed()
    if has_answered(session, application.id):
        raise AlreadyAnswered()
    blank = {key: value for key, value in form.items() if value not in ("", None)}
    try:
        answers = AnswersSchema().load(blank, unknown=EXCLUDE)
    except ValidationError as error:
        raise AnswersInvalid(error.messages) from error
    response = SkmResponse(application_id=application.id, service_id=application.service_id,
                           sector_id=application.sector_id, period_id=period.id, **answers)
    session.add(response)
    try:
        session.flush()
    except IntegrityError:  # answered at the same moment from another device
        session.rollback()
        raise AlreadyAnswered() from None
    return response


def error_text(errors: dict) -> dict:
    """Field errors as one sentence each, for the form."""
    return {field: " ".join(str(m) for m in messages) if isinstance(messages, list) else gettext("Not valid")
            for field, messages in errors.items()}
