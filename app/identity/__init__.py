"""Identity numbers the forms check: NIK, NPWP, NIB, KBLI.

Pure functions: the only Flask piece is flask_babel.lazy_gettext for the messages.
Adapters: app.identity.forms (WTForms validators), app.identity.schema (marshmallow validators).
"""

from app.identity.business import (
    KBLI_EDITIONS,
    Kbli,
    parse_kbli,
    parse_kbli_code,
    parse_kbli_edition,
    parse_nib,
)
from app.identity.digits import normalise_digits
from app.identity.errors import IdentityError
from app.identity.masking import mask_identity, mask_nik, mask_npwp
from app.identity.nik import Nik, parse_nik
from app.identity.npwp import Npwp, parse_npwp

__all__ = [
    "IdentityError",
    "KBLI_EDITIONS",
    "Kbli",
    "Nik",
    "Npwp",
    "mask_identity",
    "mask_nik",
    "mask_npwp",
    "normalise_digits",
    "parse_kbli",
    "parse_kbli_code",
    "parse_kbli_edition",
    "parse_nib",
    "parse_nik",
    "parse_npwp",
]
