"""What the public status page tells: the step an application is at and its dates, nothing personal."""

import hmac

from app.models import Application
from app.workflow.context import context_of
from app.workflow.labels import public_label


def find_for_public(session, number: str, nik_last4: str):
    """The application with this number whose applicant's NIK ends in these digits, else None."""
    application = session.query(Application).filter_by(registration_number=(number or "").strip().upper()).first()
    if application is None or not hmac.compare_digest(application.applicant.nik[-4:], (nik_last4 or "").strip()):
        return None
    return application


def public_status(application) -> dict:
    context = context_of(application)
    step = context.step
    return {
        "registration_number": application.registration_number,
        "service": application.service.name,
        "status": application.status,
        "registered_at": application.created_at,
        "current_step": public_label(step, context.node) if step else None,
        "steps": [(public_label(h.step, context.node_named(h.node)), h.finished_at) for h in application.history],
    }
