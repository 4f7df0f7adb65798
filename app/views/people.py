"""Applicants and businesses: identity numbers checked on the way in, masked on the way out."""

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from app.identity import mask_identity
from app.identity.forms import ValidKbli, ValidNib, ValidNik, ValidNpwp
from app.identity.schema import validate_kbli, validate_nib, validate_nik, validate_npwp
from app.models import Applicant, Business
from app.models.people import normalise_identity
from app.security.permissions import Resource
from app.security.scope import may_see_identity
from app.views.base import GuardedApi, GuardedView, WithComputedColumns
from app.views.labels import LABELS

APPLICANT_FORM = ["kind", "name", "nik", "npwp_input", "phone", "email", "address"]
APPLICANT_FORM_WITH_CHECK = [*APPLICANT_FORM[:4], "npwp_checked", *APPLICANT_FORM[4:]]
BUSINESS_FORM = ["applicant", "name", "nib", "kbli", "kbli_edition", "scale", "address"]
# Shown in full to roles that may see identities, masked for everyone else.
SHOWN_IDENTITY = {"nik_shown": "nik", "npwp_shown": "npwp"}


def shown_identity(digits: str | None) -> str | None:
    """The number in full for the user allowed to see identities, masked for everyone else."""
    if not digits or may_see_identity():
        return digits
    return mask_identity(digits)


class NormalisesIdentity:
    """Stores NIK and NPWP in their normalised form, whichever way the record came in."""

    def pre_add(self, item):
        normalise_identity(item)
        super().pre_add(item)  # type: ignore[misc]  # a mixin

    def pre_update(self, item):
        normalise_identity(item)
        super().pre_update(item)  # type: ignore[misc]  # a mixin


class ApplicantView(NormalisesIdentity, GuardedView):
    route_base = "/applicants"
    record_name = _l("Applicant")
    datamodel = WithComputedColumns(Applicant, {
        shown: lambda applicant, column=column: shown_identity(getattr(applicant, column))
        for shown, column in SHOWN_IDENTITY.items()
    })
    class_permission_name = Resource.APPLICANT
    label_columns = LABELS
    list_columns = ["name", "kind", "nik_shown", "npwp_shown", "phone"]
    show_columns = ["kind", "name", "nik_shown", "npwp_shown", "phone", "email", "address", "created_at"]
    add_columns = edit_columns = APPLICANT_FORM_WITH_CHECK
    search_columns = ["name", "kind", "nik", "npwp"]
    validators_columns = {"nik": [ValidNik()], "npwp_input": [ValidNpwp(confirm_field="npwp_checked")]}
    # A failed NPWP check digit is only a warning (no official spec): the clerk confirms it here.
    add_form_extra_fields = edit_form_extra_fields = {
        "npwp_checked": BooleanField(_l("NPWP checked against the card despite the warning")),
    }


class BusinessView(GuardedView):
    route_base = "/businesses"
    record_name = _l("Business")
    datamodel = SQLAInterface(Business)
    class_permission_name = Resource.BUSINESS
    label_columns = LABELS
    list_columns = ["name", "applicant", "nib", "kbli", "scale"]
    show_columns = add_columns = edit_columns = BUSINESS_FORM
    search_columns = ["name", "nib", "kbli", "scale", "applicant"]
    validators_columns = {"nib": [ValidNib()], "kbli": [ValidKbli()]}


class ApplicantApi(NormalisesIdentity, GuardedApi):
    resource_name = "applicant"
    datamodel = SQLAInterface(Applicant)
    class_permission_name = Resource.APPLICANT
    label_columns = LABELS
    # The numbers leave only as nik_shown / npwp_shown (pre_get below); never sorted by.
    list_columns = ["id", "name", "kind", "nik", "npwp", "phone"]
    show_columns = [*list_columns, "email", "address", "created_at"]
    order_columns = ["id", "name", "kind", "phone"]
    add_columns = edit_columns = APPLICANT_FORM
    search_columns = ["name", "kind", "nik", "npwp"]
    validators_columns = {"nik": validate_nik, "npwp_input": validate_npwp}
    digit_columns = ("nik",)

    def pre_get(self, data):
        _show_identity(data["result"])

    def pre_get_list(self, data):
        for row in data["result"]:
            _show_identity(row)


def _show_identity(row: dict) -> None:
    for shown, column in SHOWN_IDENTITY.items():
        row[shown] = shown_identity(row.pop(column, None))


class BusinessApi(GuardedApi):
    resource_name = "business"
    datamodel = SQLAInterface(Business)
    class_permission_name = Resource.BUSINESS
    label_columns = LABELS
    list_columns = show_columns = ["id", "name", "applicant.name", "nib", "kbli", "kbli_edition", "scale", "address"]
    add_columns = edit_columns = BUSINESS_FORM
    search_columns = ["name", "nib", "kbli", "scale"]
    validators_columns = {"nib": validate_nib, "kbli": validate_kbli}
    digit_columns = ("nib", "kbli")
