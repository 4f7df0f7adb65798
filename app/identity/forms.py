"""WTForms validators for the identity numbers (for FAB's add/edit forms).

Each validator leaves the parsed value on the field as `field.parsed` (a Nik, Npwp, NIB string or
Kbli), so that a view can use it without parsing again; ValidNpwp also sets `field.warnings`.

Fitted to FAB 5.3.0, which puts the validators of `validators_columns` BEFORE the Length and
InputRequired/Optional validators it derives from the column (forms.py, _convert_simple):
- An empty field is skipped here; FAB's InputRequired (NOT NULL column) or Optional decides.
- ValidNik, ValidNib and ValidKbli replace field.data with the bare digits, so that FAB's
  Length(max=16/13/5) after them, and the stored value, see the normalised form. ValidNpwp keeps
  what was typed (the NPWP is stored both as typed and normalised).
"""

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from app.identity.business import parse_kbli, parse_kbli_code, parse_nib
from app.identity.errors import IdentityError
from app.identity.nik import parse_nik
from app.identity.npwp import parse_npwp


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _IdentityValidator:
    normalise = False

    def __call__(self, form, field):
        field.parsed = None  # no stale value from an earlier validation
        if _is_empty(field.data):
            return
        try:
            field.parsed = self.parse(form, field.data)
        except IdentityError as error:
            # Rendered now, inside the request, so that the user's language applies.
            raise ValidationError(str(error.message)) from error
        if self.normalise:
            field.data = self.normalised(field.parsed)

    def parse(self, form, value):
        raise NotImplementedError

    def normalised(self, parsed) -> str:
        raise NotImplementedError


class ValidNik(_IdentityValidator):
    def __init__(self, today=None, normalise: bool = True):
        self.today = today  # for tests; default: today in WIB
        self.normalise = normalise

    def parse(self, form, value):
        return parse_nik(value, today=self.today)

    def normalised(self, parsed) -> str:
        return parsed.digits


class ValidNpwp(_IdentityValidator):
    """A failed check digit never blocks on its own.

    With `confirm_field` (the name of a BooleanField on the same form), it blocks until the clerk
    ticks that box: the clerk has compared the number with the card. Without it the warnings are
    only left on `field.warnings` for the view to flash.
    """

    def __init__(self, confirm_field: str | None = None):
        self.confirm_field = confirm_field

    def __call__(self, form, field):
        field.warnings = []
        super().__call__(form, field)
        if field.parsed is None:
            return
        field.warnings = list(field.parsed.warnings)
        confirm = form[self.confirm_field] if self.confirm_field else None
        if field.warnings and confirm is not None and not confirm.data:
            raise ValidationError(
                str(
                    _l(
                        '%(warning)s Tick "%(label)s" to keep it.',
                        warning=" ".join(field.warnings),
                        label=confirm.label.text,
                    )
                )
            )

    def parse(self, form, value):
        return parse_npwp(value)


class ValidNib(_IdentityValidator):
    def __init__(self, normalise: bool = True):
        self.normalise = normalise

    def parse(self, form, value):
        return parse_nib(value)

    def normalised(self, parsed) -> str:
        return parsed


class ValidKbli(_IdentityValidator):
    """KBLI code with its edition: a fixed `edition`, or the value of another field, `edition_field`.

    Without an edition (none given, or the edition field empty) only the code is checked and
    `field.parsed` is the code string; the edition field's own validators report a missing edition.
    """

    def __init__(self, edition=None, edition_field: str | None = None, normalise: bool = True):
        self.edition = edition
        self.edition_field = edition_field
        self.normalise = normalise

    def parse(self, form, value):
        edition = form[self.edition_field].data if self.edition_field else self.edition
        if _is_empty(edition):
            return parse_kbli_code(value)
        return parse_kbli(value, edition)

    def normalised(self, parsed) -> str:
        return parsed if isinstance(parsed, str) else parsed.code
