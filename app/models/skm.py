"""The public service satisfaction survey (Survei Kepuasan Masyarakat, PermenPANRB 14/2017)."""

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import relationship

from app.models.base import LabelledEnum, created_at_column, enum_column, utcnow

# The nine elements (unsur) of the regulation, in its order: column name -> label.
SKM_ELEMENTS = {
    "u1_requirements": _l("Requirements"),
    "u2_procedure": _l("System, mechanism and procedure"),
    "u3_completion_time": _l("Completion time"),
    "u4_fee": _l("Fee / tariff"),
    "u5_product": _l("Product specification and type of service"),
    "u6_competence": _l("Staff competence"),
    "u7_behaviour": _l("Staff behaviour"),
    "u8_complaints": _l("Handling of complaints, suggestions and feedback"),
    "u9_facilities": _l("Facilities and infrastructure"),
}


class Sex(LabelledEnum):
    male = _l("Male")
    female = _l("Female")


class Education(LabelledEnum):
    sd = _l("Primary school (SD) or below")
    smp = _l("Junior high school (SMP)")
    sma = _l("Senior high school (SMA)")
    diploma = _l("Diploma (D1-D4)")
    s1 = _l("Bachelor (S1)")
    s2_s3 = _l("Master or doctorate (S2/S3)")


class Occupation(LabelledEnum):
    pns = _l("Civil servant (PNS)")
    tni_polri = _l("TNI / POLRI")
    private = _l("Private employee")
    entrepreneur = _l("Entrepreneur")
    other = _l("Other")


class SkmPeriod(Model):
    """A survey period the Admin opens and closes; responses are counted in the period they fall in."""

    __tablename__ = "skm_period"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    starts_on = Column(Date, nullable=False)
    ends_on = Column(Date, nullable=False)
    is_open = Column(Boolean, nullable=False, default=True)
    created_at = created_at_column()

    def __repr__(self) -> str:
        return self.name


def _score_check(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} BETWEEN 1 AND 4", name=f"ck_skm_{column}")


class SkmResponse(Model):
    """One applicant's answers: one per application (the unique key is what enforces it). The service and
    sector are the application's, copied so that the IKM per service and unit is read from one index."""

    __tablename__ = "skm_response"
    __table_args__ = tuple(_score_check(column) for column in SKM_ELEMENTS)
    id = Column(Integer, primary_key=True)
    application_id = Column(Integer, ForeignKey("application.id"), nullable=False, unique=True)
    application = relationship("Application")
    service_id = Column(Integer, ForeignKey("service.id"), nullable=False)
    sector_id = Column(Integer, ForeignKey("sector.id"), nullable=False)
    period_id = Column(Integer, ForeignKey("skm_period.id"), nullable=False, index=True)
    period = relationship(SkmPeriod)
    submitted_at = Column(DateTime, default=utcnow, nullable=False)
    u1_requirements = Column(Integer, nullable=False)
    u2_procedure = Column(Integer, nullable=False)
    u3_completion_time = Column(Integer, nullable=False)
    u4_fee = Column(Integer, nullable=False)
    u5_product = Column(Integer, nullable=False)
    u6_competence = Column(Integer, nullable=False)
    u7_behaviour = Column(Integer, nullable=False)
    u8_complaints = Column(Integer, nullable=False)
    u9_facilities = Column(Integer, nullable=False)
    age = Column(Integer)
    sex = enum_column(Sex)
    education = enum_column(Education)
    occupation = enum_column(Occupation)
    suggestion = Column(Text)


Index("ix_skm_response_report", SkmResponse.submitted_at, SkmResponse.service_id, SkmResponse.sector_id,
      *(getattr(SkmResponse, element) for element in SKM_ELEMENTS))
