"""Applicants and their businesses."""

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from app.models.base import LabelledEnum, created_at_column, enum_column


class ApplicantKind(LabelledEnum):
    individual = _l("Individual")
    business_entity = _l("Business entity")


class KbliEdition(LabelledEnum):
    kbli_2020 = _l("KBLI 2020")
    kbli_2025 = _l("KBLI 2025")


class BusinessScale(LabelledEnum):
    micro = _l("Micro")
    small = _l("Small")
    medium = _l("Medium")
    large = _l("Large")


class Applicant(Model):
    __tablename__ = "applicant"
    id = Column(Integer, primary_key=True)
    kind = enum_column(ApplicantKind, nullable=False)
    name = Column(String(200), nullable=False)
    nik = Column(String(16), nullable=False, index=True)
    # The normalised 16-digit NPWP, and what the clerk typed.
    npwp = Column(String(16), index=True)
    npwp_input = Column(String(32))
    phone = Column(String(32))
    email = Column(String(200))
    address = Column(Text)
    created_at = created_at_column()
    businesses = relationship("Business", back_populates="applicant")

    def __repr__(self) -> str:
        return self.name


class Business(Model):
    __tablename__ = "business"
    id = Column(Integer, primary_key=True)
    applicant_id = Column(Integer, ForeignKey("applicant.id"), nullable=False)
    applicant = relationship(Applicant, back_populates="businesses")
    name = Column(String(200), nullable=False)
    nib = Column(String(13), index=True)
    kbli = Column(String(5), nullable=False)
    kbli_edition = enum_column(KbliEdition, nullable=False)
    scale = enum_column(BusinessScale, nullable=False)
    address = Column(Text)

    def __repr__(self) -> str:
        return self.name


def normalise_identity(applicant: Applicant) -> None:
    """Keep NIK as bare digits and NPWP as its 16-digit form beside what was typed."""
    from app.identity import normalise_digits, parse_npwp

    applicant.nik = normalise_digits(applicant.nik or "")
    typed = (applicant.npwp_input or "").strip()
    applicant.npwp_input = typed or None
    applicant.npwp = parse_npwp(typed).normalised16 if typed else None
