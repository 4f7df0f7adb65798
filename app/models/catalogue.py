"""The service catalogue: sectors and their technical agencies, services, document types, archive rules."""

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from app.models.base import LabelledEnum, enum_column


class Channel(LabelledEnum):
    oss_rba = _l("OSS RBA")
    sicantik = _l("siCantik")
    non_perizinan = _l("Non-perizinan")


class Disposition(LabelledEnum):
    musnah = _l("Destroy")
    permanen = _l("Keep permanently")
    dinilai_kembali = _l("Re-assess")


class Sector(Model):
    """A sector and the technical agency (OPD teknis) that assesses its applications."""

    __tablename__ = "sector"
    id = Column(Integer, primary_key=True)
    code = Column(String(32), unique=True, nullable=False)
    name = Column(String(200), nullable=False)
    agency_name = Column(String(200), nullable=False)

    def __repr__(self) -> str:
        return self.name


class ArchiveClassification(Model):
    """A SRIKANDI classification code with its retention periods and final disposition."""

    __tablename__ = "archive_classification"
    id = Column(Integer, primary_key=True)
    code = Column(String(32), unique=True, nullable=False)
    name = Column(String(200), nullable=False)
    active_years = Column(Integer, nullable=False)
    inactive_years = Column(Integer, nullable=False)
    disposition = enum_column(Disposition, nullable=False)

    def __repr__(self) -> str:
        return f"{self.code} {self.name}"


class DocumentType(Model):
    """A kind of scanned document (KTP, NPWP card, NIB, permit, BAP, ...)."""

    __tablename__ = "document_type"
    id = Column(Integer, primary_key=True)
    code = Column(String(32), unique=True, nullable=False)
    name = Column(String(200), nullable=False)

    def __repr__(self) -> str:
        return self.name


class Service(Model):
    """A permit or non-permit service the office handles, with its standard and archive rule."""

    __tablename__ = "service"
    id = Column(Integer, primary_key=True)
    code = Column(String(32), unique=True, nullable=False)
    name = Column(String(250), nullable=False)
    channel = enum_column(Channel, nullable=False)
    is_permit = Column(Boolean, nullable=False, default=True)
    sector_id = Column(Integer, ForeignKey("sector.id"), nullable=False)
    sector = relationship(Sector)
    output_type = Column(String(200), nullable=False)
    # The service standard (working days) that bounds the technical assessment step.
    standard_days = Column(Integer, nullable=False)
    archive_classification_id = Column(Integer, ForeignKey("archive_classification.id"))
    archive_classification = relationship(ArchiveClassification)
    requirements = relationship(
        "ServiceRequirement",
        back_populates="service",
        order_by="ServiceRequirement.position",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return self.name


class ServiceRequirement(Model):
    """One line of a service's requirement checklist."""

    __tablename__ = "service_requirement"
    __table_args__ = (UniqueConstraint("service_id", "position"),)
    id = Column(Integer, primary_key=True)
    service_id = Column(Integer, ForeignKey("service.id"), nullable=False)
    service = relationship(Service, back_populates="requirements")
    position = Column(Integer, nullable=False)
    description = Column(Text, nullable=False)
    document_type_id = Column(Integer, ForeignKey("document_type.id"))
    document_type = relationship(DocumentType)
    mandatory = Column(Boolean, nullable=False, default=True)

    def __repr__(self) -> str:
        return self.description
