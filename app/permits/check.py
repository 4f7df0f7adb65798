"""The public authenticity check: a code signed with the app's SECRET_KEY (not guessable from a permit's
number or id), printed as a QR code that opens /cek/<code>."""

from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, Signer
from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

from app.models import Permit

SALT = "sigap-permit-check"
QR_SIZE = 240  # points; the SVG scales to any print size


class UnknownCode(LookupError):
    """A code that does not name a permit."""


class TamperedCode(UnknownCode):
    """A code whose signature does not match: altered, or never made by this office."""


def _signer(secret_key: str) -> Signer:
    return Signer(secret_key, salt=SALT, digest_method=hashlib.sha256)


def check_code(permit: Permit, secret_key: str) -> str:
    return _signer(secret_key).sign(str(permit.id)).decode()


def permit_for_code(session, code: str, secret_key: str) -> Permit:
    try:
        permit_id = _signer(secret_key).unsign(code or "").decode()
    except BadSignature as error:
        raise TamperedCode(code) from error
    permit = session.get(Permit, int(permit_id)) if permit_id.isdigit() else None
    if permit is None:
        raise UnknownCode(code)
    return permit


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an SVG document."""
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0])
    drawing.add(widget)
    return renderSVG.drawToString(drawing)
