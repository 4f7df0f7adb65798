"""The letterhead printed on reports: the Admin's settings record, or the office's defaults."""

from __future__ import annotations

import io

from flask_babel import gettext
from PIL import Image, UnidentifiedImageError

from app.models import OfficeSettings

DEFAULT = {"office_name": "DPMPTSP & Naker Kota Pariaman", "address": "Kota Pariaman, Sumatera Barat",
           "phone": None, "logo": None}
MAX_LOGO_BYTES = 512 * 1024
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


class LogoInvalid(ValueError):
    pass


def current(session) -> OfficeSettings | None:
    return session.query(OfficeSettings).order_by(OfficeSettings.id).first()


def letterhead(session) -> dict:
    settings = current(session)
    if settings is None:
        return dict(DEFAULT)
    return {"office_name": settings.office_name, "address": settings.address, "phone": settings.phone,
            "logo": settings.logo}


def checked_logo(data: bytes) -> tuple[bytes, str]:
    """The logo's bytes and media type, if it is a PNG or JPEG image of reasonable size."""
    if len(data) > MAX_LOGO_BYTES:
        raise LogoInvalid(gettext("The logo may be at most 512 KB."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise LogoInvalid(gettext("The logo must be a PNG or JPEG image.")) from None
    if kind not in LOGO_FORMATS:
        raise LogoInvalid(gettext("The logo must be a PNG or JPEG image."))
    return data, LOGO_FORMATS[kind]


def save(session, office_name: str, address: str, phone: str | None, logo: bytes | None) -> OfficeSettings:
    settings = current(session) or OfficeSettings()
    settings.office_name, settings.address, settings.phone = office_name, address, phone or None
    if logo is not None:
        settings.logo, settings.logo_media_type = checked_logo(logo)
    session.add(settings)
    return settings
