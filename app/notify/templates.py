"""The messages' texts: defaults in Indonesian, seeded into notification_template for the Admin to edit.

A template names its values in braces; PLACEHOLDERS lists those each event offers.
"""

from __future__ import annotations

import string

from flask_babel import gettext

from app.models import NotificationTemplate, NotifyEvent

COMMON = ("name", "registration_number", "service", "status_link")
PLACEHOLDERS: dict[NotifyEvent, tuple[str, ...]] = {
    NotifyEvent.registered: COMMON,
    NotifyEvent.needs_fix: (*COMMON, "reason"),
    NotifyEvent.permit_ready: (*COMMON, "permit_number"),
    NotifyEvent.survey_invitation: (*COMMON, "permit_number", "survey_link"),
    NotifyEvent.permit_expiring: (*COMMON, "permit_number", "valid_until", "check_link"),
}

DEFAULTS: dict[NotifyEvent, tuple[str, str]] = {
    NotifyEvent.registered: (
        "Permohonan {registration_number} telah terdaftar",
        "Yth. {name},\n\nPermohonan {service} Anda telah terdaftar di DPMPTSP Kota Pariaman dengan nomor "
        "{registration_number}.\nPantau statusnya di {status_link} (masukkan 4 angka terakhir NIK Anda).\n\n"
        "Terima kasih.",
    ),
    NotifyEvent.needs_fix: (
        "Permohonan {registration_number} perlu diperbaiki",
        "Yth. {name},\n\nPermohonan {service} Anda ({registration_number}) perlu diperbaiki:\n{reason}\n\n"
        "Silakan bawa perbaikan berkas ke loket PTSP. Status: {status_link}",
    ),
    NotifyEvent.permit_ready: (
        "Izin {permit_number} siap diserahkan",
        "Yth. {name},\n\nIzin Anda nomor {permit_number} ({service}, permohonan {registration_number}) telah "
        "terbit dan siap diambil di loket PTSP DPMPTSP Kota Pariaman. Bawa KTP asli.",
    ),
    NotifyEvent.survey_invitation: (
        "Survei kepuasan layanan {registration_number}",
        "Yth. {name},\n\nTerima kasih telah menggunakan layanan {service}. Mohon luangkan waktu mengisi survei "
        "kepuasan masyarakat (SKM) di {survey_link}",
    ),
    NotifyEvent.permit_expiring: (
        "Izin {permit_number} akan berakhir {valid_until}",
        "Yth. {name},\n\nIzin Anda nomor {permit_number} ({service}) berlaku sampai {valid_until}. Ajukan "
        "perpanjangan sebelum tanggal tersebut. Keaslian izin: {check_link}",
    ),
}


class TemplateError(ValueError):
    field = "body"


def seed_templates(session) -> None:
    """Add the default text of each event that has none; the Admin's edits are kept."""
    present = {row.event for row in session.query(NotificationTemplate)}
    for event, (subject, body) in DEFAULTS.items():
        if event not in present:
            session.add(NotificationTemplate(event=event, subject=subject, body=body))
    session.commit()


def check_placeholders(event: NotifyEvent, *texts: str) -> None:
    """Refuse a text naming a value the event does not offer (it would be sent with the braces)."""
    allowed = PLACEHOLDERS[event]
    for text in texts:
        try:
            named = {name for _, name, _, _ in string.Formatter().parse(text or "") if name is not None}
        except ValueError as error:
            raise TemplateError(gettext("Unbalanced braces: %(error)s", error=error)) from error
        unknown = sorted(named - set(allowed))
        if unknown:
            raise TemplateError(gettext("Unknown placeholder {%(name)s}. This message may use: %(allowed)s",
                                        name=unknown[0], allowed=", ".join(f"{{{a}}}" for a in allowed)))


class _Values(dict):
    def __missing__(self, key):  # a name the text should not have: left as written rather than failing
        return "{" + key + "}"


def render(session, event: NotifyEvent, values: dict) -> tuple[str, str]:
    row = session.query(NotificationTemplate).filter_by(event=event).one_or_none()
    subject, body = (row.subject, row.body) if row else DEFAULTS[event]
    filled = _Values({name: values.get(name) or "-" for name in PLACEHOLDERS[event]})
    return subject.format_map(filled), body.format_map(filled)
