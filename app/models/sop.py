"""The SOPs as data: each revision of an SOP and its steps, loaded from app/workflow/sops.yaml."""

from flask_appbuilder import Model
from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from app.models.catalogue import Channel
from app.models.base import enum_column


class Sop(Model):
    """One revision of an SOP. A revised SOP is a new row; applications keep the one they ran under."""

    __tablename__ = "sop"
    __table_args__ = (UniqueConstraint("code", "revision"),)
    id = Column(Integer, primary_key=True)
    code = Column(String(32), nullable=False)
    revision = Column(Integer, nullable=False)
    number = Column(String(100), nullable=False)
    name = Column(String(300), nullable=False)
    channel = enum_column(Channel)
    created_on = Column(Date, nullable=False)
    revised_on = Column(Date)
    approved_on = Column(Date, nullable=False)
    approver = Column(String(200), nullable=False)
    is_current = Column(Boolean, nullable=False, default=True)
    # The tracks an application follows under this revision (sops.yaml `flow`; app/workflow/flow.py).
    flow = Column(JSON)
    # The decree's time rules (sops.yaml `rules`, "Peringatan") that apply to this SOP, as this revision was
    # loaded with them: {name: value}. Applications are timed by the rules of the revision they run under.
    rules = Column(JSON)
    steps = relationship(
        "SopStep", back_populates="sop", order_by="SopStep.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"{self.code} rev. {self.revision}"


class SopStep(Model):
    __tablename__ = "sop_step"
    __table_args__ = (UniqueConstraint("sop_id", "code"), UniqueConstraint("sop_id", "position"))
    id = Column(Integer, primary_key=True)
    sop_id = Column(Integer, ForeignKey("sop.id"), nullable=False)
    sop = relationship(Sop, back_populates="steps")
    position = Column(Integer, nullable=False)
    code = Column(String(64), nullable=False)
    activity = Column(Text, nullable=False)
    # Short names beside the decree's verbatim activity: for the screens, and for the public status page.
    label = Column(String(80))
    public_label = Column(String(120))
    # Role names (app/security/roles.py) that may perform the step, comma separated.
    actors = Column(String(200), nullable=False)
    requirement = Column(Text)
    # Minutes allowed; empty when the step is bounded by the service's own standard.
    standard_minutes = Column(Integer)
    output = Column(Text)
    note = Column(Text)

    @property
    def actor_roles(self) -> list[str]:
        return [name.strip() for name in self.actors.split(",") if name.strip()]

    def __repr__(self) -> str:
        return f"{self.sop.code}/{self.code}" if self.sop else self.code
