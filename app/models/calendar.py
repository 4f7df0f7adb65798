"""The working-day calendar: local closures and extra working days an Admin adds.

National holidays and cuti bersama come from the `holidays` package; office hours and the working
week from config.
"""

from flask_appbuilder import Model
from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, String
from sqlalchemy.orm import relationship


class CalendarDay(Model):
    __tablename__ = "calendar_day"
    id = Column(Integer, primary_key=True)
    day = Column(Date, unique=True, nullable=False)
    # False: a local closure; True: an extra working day (e.g. a Saturday replacing a closure).
    is_working = Column(Boolean, nullable=False, default=False)
    description = Column(String(200), nullable=False)
    created_by_id = Column(Integer, ForeignKey("ab_user.id"))
    created_by = relationship("User")

    def __repr__(self) -> str:
        return f"{self.day:%d-%m-%Y} {self.description}"
