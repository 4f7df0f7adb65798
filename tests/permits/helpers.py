"""Applicants with a business and contact details, and their permits, for the permit and notification tests."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from app.models import Application, Business, Permit
from tests.records.helpers import INDIVIDUAL, unique_name, unique_nik, wire

ADDRESS = "Jl. Imam Bonjol No. 7, Pariaman"


@dataclass
class Holder:
    application_id: int
    registration_number: str
    name: str
    nik: str
    email: str
    phone: str
    business: str


def register(desk, service="SS_RESTORAN", email=True, phone=True) -> Holder:
    """An application by an individual with a business, an e-mail address and a mobile number (via the API)."""
    name, nik = unique_name(), unique_nik()
    contact = {"email": f"pemohon.{uuid.uuid4().hex[:8]}@contoh.id" if email else None,
               "phone": f"0812{secrets.randbelow(10**8):08d}" if phone else None}
    applicant = desk.client.post("/api/v1/applicant/", headers=desk.headers("fo"), json={
        "kind": INDIVIDUAL, "name": name, "nik": nik, "address": ADDRESS,
        **{key: value for key, value in contact.items() if value}})
    assert applicant.status_code == 201, applicant.get_json()
    business_name = unique_name("CV Usaha")
    business = desk.client.post("/api/v1/business/", headers=desk.headers("fo"), json={
        "applicant": applicant.get_json()["id"], "name": business_name, "nib": "1234567890123", "kbli": "56101",
        "kbli_edition": wire(Business.__table__.c.kbli_edition), "scale": wire(Business.__table__.c.scale)})
    assert business.status_code == 201, business.get_json()
    response = desk.client.post("/api/v1/application/", headers=desk.headers("fo"), json={
        "applicant": applicant.get_json()["id"], "business": business.get_json()["id"],
        "service": desk.service_id(service)})
    assert response.status_code == 201, response.get_json()
    application_id = response.get_json()["id"]
    with desk.app.app_context():
        number = desk.app.appbuilder.session.get(Application, application_id).registration_number
    return Holder(application_id, number, name, nik, contact["email"], contact["phone"], business_name)


def issue_through_the_steps(desk, holder: Holder, **permit) -> dict:
    """FO records a low-risk OSS permit (SOP-003 steps 2, 3 and 7)."""
    desk.ok("fo", holder.application_id, "fo_input", risk_level="rendah", nib="1234567890123")
    desk.ok("fo", holder.application_id, "berita_dokumen", received=["KTP"])
    return desk.permit("fo", holder.application_id, **permit)


def add_permit(app, holder: Holder, valid_until: dt.date | None, issued_on: dt.date | None = None) -> tuple[int, str]:
    """A permit recorded straight in the database (for lists of many permits): its id and number."""
    number = f"IZ-{uuid.uuid4().hex[:10]}"
    with app.app_context():
        session = app.appbuilder.session
        permit = Permit(application_id=holder.application_id, number=number, permit_type="IZIN",
                        issued_on=issued_on or dt.date(2026, 1, 5), valid_until=valid_until)
        session.add(permit)
        session.commit()
        return permit.id, number


def permit_of(app, holder: Holder) -> Permit:
    with app.app_context():
        session = app.appbuilder.session
        permit = session.query(Permit).filter_by(application_id=holder.application_id).one()
        session.expunge(permit)
        return permit
