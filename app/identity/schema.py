"""marshmallow validators for FAB ModelRestApi.validators_columns.

FAB 5.3.0 (api/convert.py, Model2SchemaConverter._column2field) appends the one callable given per
column to the marshmallow field's validators, next to the Length(max=...) that
marshmallow-sqlalchemy derives from the column; marshmallow calls it with the loaded value (never
with None on a nullable column, so null means "none"; an empty string is refused). Usage:

    class ApplicantApi(ModelRestApi):
        validators_columns = {"nik": validate_nik, "npwp_input": validate_npwp}

Each accepts the number in any written form (separators, legacy NPWP). On fixed-length columns the
column's Length refuses separators anyway. For a column that must receive the normalised 16-digit
NPWP without a pre_add hook to normalise it, use validate_npwp_normalised.
"""

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from app.identity.business import parse_kbli_code, parse_nib
from app.identity.errors import IdentityError
from app.identity.nik import parse_nik
from app.identity.npwp import parse_npwp


def _checked(parse, value):
    try:
        return parse(value)
    except IdentityError as error:
        # marshmallow needs a real str; rendered inside the request, in the user's language.
        raise ValidationError(str(error.message)) from error


def validate_nik(value) -> None:
    _checked(parse_nik, value)


def validate_npwp(value) -> None:
    """Any accepted form; a failed check digit (only a warning) is accepted."""
    _checked(parse_npwp, value)


def validate_npwp_normalised(value) -> None:
    """Like validate_npwp, and the value must already be the normalised 16 digits."""
    normalised = _checked(parse_npwp, value).normalised16
    if value != normalised:
        raise ValidationError(
            str(
                _l("Send the NPWP in its normalised form: %(normalised)s.", normalised=normalised)
            )
        )


def validate_nib(value) -> None:
    _checked(parse_nib, value)


def validate_kbli(value) -> None:
    """The code only: the edition is its own enum column."""
    _checked(parse_kbli_code, value)
