"""The counter's guided intake: from the called ticket to a registered application with its scans and its
berita dokumen, each thing asked once.

The applicant is found by NIK (or made, its numbers checked), the business by NIB (or made); the
application is registered as the add form and the API register one (app/workflow/registration.py) and
FO's input step is completed through the engine, so numbering, the SOP clock, the audit trail and the
applicant's messages are the same. Scans come through the archive's one intake (the document API);
the berita dokumen is the engine's step too. Refusals are UserErrors naming the form field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.errors import UserError
from app.frontdesk import queue
from app.i18n import _
from app.identity import IdentityError, parse_kbli_code, parse_nib, parse_nik, parse_npwp
from app.models import (
    Applicant, ApplicantKind, Application, Business, BusinessScale, KbliEdition, QueueTicket, RiskLevel, Service,
)
from app.models.people import normalise_identity
from app.workflow.engine import complete_step
from app.workflow.registration import prepare_new_application

FO_INPUT, BERITA_DOKUMEN = "fo_input", "berita_dokumen"
NEW = "new"


@dataclass
class Found:
    """What a NIK (and the ticket) tell before anything is registered."""

    nik: str
    applicant: Applicant | None


def _checked(parse, value, field: str):
    try:
        return parse(value)
    except IdentityError as error:
        raise UserError(str(error), field) from None


def _required(form: dict, field: str) -> str:
    value = (form.get(field) or "").strip()
    if not value:
        raise UserError(_("Missing data for required field."), field)
    return value


def _choice(enum, form: dict, field: str, default: str | None = None):
    name = form.get(field) or default
    if name is None:
        return None
    if name not in enum.__members__:
        raise UserError(_("Not a valid choice"), field)
    return enum[name]


def find_applicant(session: Session, nik_typed: str) -> Found:
    """The applicant with this NIK (checked first), or none yet."""
    nik = _checked(parse_nik, nik_typed, "nik").digits
    return Found(nik, session.query(Applicant).filter_by(nik=nik).order_by(Applicant.id).first())


def applicant_for(session: Session, form: dict) -> Applicant:
    """The returning applicant by NIK, or a new one from the form's fields."""
    found = find_applicant(session, form.get("nik", ""))
    if found.applicant is not None:
        return found.applicant
    npwp = (form.get("npwp") or "").strip()
    if npwp:
        _checked(parse_npwp, npwp, "npwp")
    applicant = Applicant(kind=_choice(ApplicantKind, form, "kind", ApplicantKind.individual.name),
                          name=_required(form, "name"), nik=found.nik, npwp_input=npwp,
                          phone=(form.get("phone") or "").strip() or None,
                          email=(form.get("email") or "").strip() or None,
                          address=(form.get("address") or "").strip() or None)
    normalise_identity(applicant)
    session.add(applicant)
    return applicant


def business_for(session: Session, applicant: Applicant, form: dict) -> Business | None:
    """The business chosen among the applicant's, or found by NIB, or made from the form; none without NIB."""
    chosen = form.get("business") or ""
    if chosen.isdigit():
        business = session.get(Business, int(chosen))
        if business is None or business.applicant_id != applicant.id:
            raise UserError(_("Not a valid choice"), "business")
        return business
    if not (form.get("nib") or "").strip():
        return None
    nib = _checked(parse_nib, form["nib"], "nib")
    business = session.query(Business).filter_by(nib=nib).order_by(Business.id).first()
    if business is not None:
        return business
    business = Business(applicant=applicant, name=_required(form, "business_name"), nib=nib,
                        kbli=_checked(parse_kbli_code, _required(form, "kbli"), "kbli"),
                        kbli_edition=_choice(KbliEdition, form, "kbli_edition", KbliEdition.kbli_2020.name),
                        scale=_choice(BusinessScale, form, "scale", BusinessScale.micro.name),
                        address=(form.get("business_address") or "").strip() or None)
    session.add(business)
    return business


def open_ticket(session: Session, ticket_id) -> QueueTicket | None:
    """The ticket being served, not yet turned into an application."""
    if not ticket_id:
        return None
    ticket = session.get(QueueTicket, int(ticket_id)) if str(ticket_id).isdigit() else None
    if ticket is None or ticket.called_at is None:
        raise UserError(_("Call the ticket before its intake."), "ticket")
    if ticket.application is not None:
        raise UserError(_("Ticket %(code)s is already registered as %(number)s.", code=ticket.ticket_code,
                          number=ticket.application.registration_number), "ticket")
    return ticket


def open_tickets(session: Session, user, today: dt.date) -> list[QueueTicket]:
    """Today's tickets the user called and has not turned into an application or finished."""
    return (session.query(QueueTicket)
            .filter_by(service_date=today, served_by_id=user.id, application_id=None, finished_at=None)
            .filter(QueueTicket.called_at.isnot(None)).order_by(QueueTicket.called_at.desc()).all())


def register(session: Session, form: dict, user) -> Application:
    """One application from the intake form, its FO input step completed; the ticket linked and served."""
    ticket = open_ticket(session, form.get("ticket"))
    service = session.get(Service, int(form["service"])) if str(form.get("service", "")).isdigit() else None
    if service is None:
        raise UserError(_("Not a valid choice"), "service")
    applicant = applicant_for(session, form)
    business = business_for(session, applicant, form)
    risk_level = _choice(RiskLevel, form, "risk_level")
    problem = bool(form.get("problem_flag"))
    application = Application(applicant=applicant, business=business, service=service, risk_level=risk_level,
                              nib=business.nib if business else None, problem_flag=problem,
                              problem_note=(form.get("problem_note") or "").strip() or None if problem else None)
    prepare_new_application(session, application)
    session.add(application)
    session.flush()
    step = {key: value for key, value in (("risk_level", risk_level and risk_level.name),
                                          ("nib", application.nib)) if value}
    complete_step(application, FO_INPUT, user, step)
    if ticket is not None:
        ticket.application = application
        queue.serve(ticket)
    return application


def give_berita_dokumen(session: Session, application: Application, user, received: list[str], note: str) -> None:
    """The berita dokumen step with what the clerk ticked as received; the ticket's service is finished."""
    complete_step(application, BERITA_DOKUMEN, user, {"received": received, **({"note": note} if note else {})})
    for ticket in session.query(QueueTicket).filter_by(application_id=application.id, finished_at=None):
        queue.finish(ticket)


def scanned_requirements(application: Application) -> set[int]:
    """The ids of the service's requirements whose document type has a current scan on the application."""
    types = {document.document_type_id for document in application.documents if document.is_current}
    return {r.id for r in application.service.requirements if r.document_type_id in types}
