"""Which sector a technical-team user belongs to."""

from flask_appbuilder import Model
from sqlalchemy import Column, ForeignKey, Integer
from sqlalchemy.orm import relationship


class UserSector(Model):
    __tablename__ = "user_sector"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("ab_user.id"), unique=True, nullable=False)
    user = relationship("User")
    sector_id = Column(Integer, ForeignKey("sector.id"), nullable=False)
    sector = relationship("Sector")
