"""The WTForms and marshmallow adapters, and FAB's use of validators_columns."""

from types import SimpleNamespace

import pytest
from flask import Flask
from flask_appbuilder.api.convert import Model2SchemaConverter
from flask_appbuilder.forms import GeneralModelConverter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import Babel
from marshmallow import Schema, ValidationError, fields
from sqlalchemy import Column, Integer, String, create_engine
from sqlalchemy.orm import DeclarativeBase, Session
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, Form, SelectField, StringField
from wtforms.validators import Optional

from app.identity.forms import ValidKbli, ValidNib, ValidNik, ValidNpwp
from app.identity.schema import (
    validate_kbli,
    validate_nib,
    validate_nik,
    validate_npwp,
    validate_npwp_normalised,
)

NIK = "1377014502900001"
NPWP_WARNED = "01.312.166.7-091.000"  # check digit should be 0


class ApplicantForm(Form):
    nik = StringField("NIK", validators=[ValidNik()])
    npwp = StringField("NPWP", validators=[ValidNpwp(), Optional()])  # FAB's order


class StrictNpwpForm(Form):
    npwp = StringField("NPWP", validators=[ValidNpwp(confirm_field="npwp_confirmed")])
    npwp_confirmed = BooleanField("The NPWP is exactly as on the card")


class BusinessForm(Form):
    nib = StringField("NIB", validators=[ValidNib()])
    kbli_edition = SelectField("Edition", choices=["", "2020", "2025"])
    kbli = StringField("KBLI", validators=[ValidKbli(edition_field="kbli_edition")])


def form(cls, **data):
    return cls(MultiDict(data))


def test_valid_nik_leaves_the_parsed_value_on_the_field_and_normalises_the_data():
    f = form(ApplicantForm, nik="1377 0145 0290 0001", npwp="")
    assert f.validate(), f.errors
    assert f.nik.parsed.digits == NIK
    assert f.nik.data == NIK


def test_empty_fields_are_left_to_required_or_optional():
    f = form(ApplicantForm, nik="", npwp="  ")
    assert f.validate()  # nothing in this form requires them
    assert f.nik.parsed is None and f.npwp.parsed is None and f.npwp.warnings == []


def test_npwp_keeps_what_was_typed():
    f = form(ApplicantForm, nik=NIK, npwp="01.312.166.0-091.000")
    assert f.validate(), f.errors
    assert f.npwp.data == "01.312.166.0-091.000"
    assert f.npwp.parsed.normalised16 == "0013121660091000"


def test_invalid_nik_message_is_the_fields_error():
    f = form(ApplicantForm, nik="9977014502900001")
    assert not f.validate()
    assert f.errors["nik"] == ["Unknown province code 99 in NIK."]
    assert f.nik.parsed is None


def test_npwp_warning_does_not_block_without_a_confirm_field():
    f = form(ApplicantForm, nik=NIK, npwp=NPWP_WARNED)
    assert f.validate(), f.errors
    assert f.npwp.parsed.normalised16 == "0013121667091000"
    assert len(f.npwp.warnings) == 1


def test_npwp_warning_blocks_until_the_clerk_confirms():
    f = form(StrictNpwpForm, npwp=NPWP_WARNED)
    assert not f.validate()
    (message,) = f.errors["npwp"]
    assert message.startswith("NPWP check digit 7")
    assert message.endswith('Tick "The NPWP is exactly as on the card" to keep it.')

    confirmed = form(StrictNpwpForm, npwp=NPWP_WARNED, npwp_confirmed="y")
    assert confirmed.validate(), confirmed.errors


def test_npwp_hard_error_blocks_even_when_confirmed():
    f = form(StrictNpwpForm, npwp="00.000.000.0-000.000", npwp_confirmed="y")
    assert not f.validate()


def test_clean_npwp_needs_no_confirmation():
    assert form(StrictNpwpForm, npwp="01.312.166.0-091.000").validate()


def test_business_form():
    good = form(BusinessForm, nib="9120001234567", kbli_edition="2025", kbli="47111")
    assert good.validate(), good.errors
    assert good.kbli.parsed.edition == "2025"
    spaced = form(BusinessForm, nib="9120 0012 3456 7", kbli_edition="2020", kbli="47.111")
    assert spaced.validate(), spaced.errors
    assert (spaced.nib.data, spaced.kbli.data) == ("9120001234567", "47111")
    bad = form(BusinessForm, nib="912000123456", kbli_edition="2020", kbli="4711")
    assert not bad.validate()
    assert set(bad.errors) == {"nib", "kbli"}


def test_kbli_without_edition_checks_the_code_only():
    f = form(BusinessForm, nib="9120001234567", kbli_edition="", kbli="47111")
    assert f.validate(), f.errors
    assert f.kbli.parsed == "47111"


def load_errors(validator, value):
    schema = Schema.from_dict({"value": fields.String(validate=validator)})()
    try:
        schema.load({"value": value})
    except ValidationError as error:
        return error.messages["value"]
    return []


@pytest.mark.parametrize("validator, value", [
    (validate_nik, NIK),
    (validate_nik, "1377 0145 0290 0001"),
    (validate_npwp, "0013121660091000"),
    (validate_npwp, "0013121667091000"),  # check digit warning only: accepted
    (validate_npwp, NIK),
    (validate_npwp, NPWP_WARNED),
    (validate_npwp, "013121660091000"),
    (validate_npwp_normalised, "0013121667091000"),
    (validate_npwp_normalised, NIK),
    (validate_nib, "9120001234567"),
    (validate_kbli, "47111"),
])
def test_marshmallow_accepts(validator, value):
    assert load_errors(validator, value) == []


@pytest.mark.parametrize("validator, value, message", [
    (validate_nik, "9977014502900001", "Unknown province code 99 in NIK."),
    (validate_nik, "", "NIK must have 16 digits; 0 given."),  # null, not "", means none
    (validate_npwp_normalised, "013121660091000", "Send the NPWP in its normalised form: 0013121660091000."),
    (validate_npwp_normalised, "12", "NPWP must have 15 or 16 digits; 2 given."),
    (validate_npwp, "12", "NPWP must have 15 or 16 digits; 2 given."),
    (validate_npwp, "0000000000000000", None),
    (validate_nib, "123", "NIB must have 13 digits; 3 given."),
    (validate_kbli, "4711", "KBLI code must have 5 digits; 4 given."),
])
def test_marshmallow_refuses(validator, value, message):
    errors = load_errors(validator, value)
    assert len(errors) == 1 and isinstance(errors[0], str)
    if message:
        assert errors[0] == message


class _Base(DeclarativeBase):
    pass


class _Person(_Base):
    # A stand-in for the project's models, which need FAB's security models to be mapped.
    __tablename__ = "identity_test_person"
    id = Column(Integer, primary_key=True)
    nik = Column(String(16), nullable=False)
    npwp = Column(String(16))
    npwp_input = Column(String(32))


@pytest.fixture
def fab_app():
    app = Flask(__name__)
    Babel(app)
    app.config.update(SECRET_KEY="x" * 32, WTF_CSRF_ENABLED=False)
    # FAB's API converter reads the session from current_app.appbuilder.
    app.appbuilder = SimpleNamespace(session=Session(create_engine("sqlite://")))
    return app


def test_fab_validators_columns_in_the_api(fab_app):
    with fab_app.app_context():
        schema = Model2SchemaConverter(
            SQLAInterface(_Person),
            {"nik": validate_nik, "npwp": validate_npwp_normalised, "npwp_input": validate_npwp},
        ).convert(["nik", "npwp", "npwp_input"])
        good = {"nik": NIK, "npwp": "0013121667091000", "npwp_input": NPWP_WARNED}
        assert schema.validate(good) == {}
        assert schema.validate({"nik": NIK, "npwp": None, "npwp_input": None}) == {}
        errors = schema.validate(
            {"nik": "9977014502900001", "npwp": "013121660091000", "npwp_input": "12"}
        )
    assert errors == {
        "nik": ["Unknown province code 99 in NIK."],
        "npwp": ["Send the NPWP in its normalised form: 0013121660091000."],
        "npwp_input": ["NPWP must have 15 or 16 digits; 2 given."],
    }


def test_fab_validators_columns_in_the_forms(fab_app):
    # FAB appends Length and InputRequired/Optional AFTER the validators given per column.
    with fab_app.test_request_context(method="POST"):
        form_class = GeneralModelConverter(SQLAInterface(_Person)).create_form(
            label_columns={},
            inc_columns=["nik", "npwp_input"],
            validators_columns={"nik": [ValidNik()], "npwp_input": [ValidNpwp()]},
        )
        spaced = form_class(formdata=MultiDict({"nik": "1377 0145 0290 0001", "npwp_input": ""}))
        assert spaced.validate(), spaced.errors  # normalised before Length(max=16) sees it
        assert spaced.nik.data == NIK
        assert spaced.npwp_input.parsed is None  # empty: left to FAB's Optional()
        missing = form_class(formdata=MultiDict({"nik": "", "npwp_input": NPWP_WARNED}))
        assert not missing.validate()
        assert missing.errors == {"nik": ["This field is required."]}
        assert len(missing.npwp_input.warnings) == 1
