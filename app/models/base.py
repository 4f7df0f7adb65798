"""Small column helpers shared by the models."""

import datetime as dt
import enum

from sqlalchemy import Column, DateTime, Enum


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def created_at_column() -> Column:
    return Column(DateTime, default=utcnow, nullable=False)


def enum_column(enum_class: type[enum.Enum], **kwargs) -> Column:
    """Stores the member's name (a short code), checked by the database on both backends.

    FAB's forms offer the names with the values as labels, and its API reads and writes names.
    """
    return Column(
        Enum(enum_class, native_enum=False, create_constraint=True, length=32,
             name=f"ck_{enum_class.__name__.lower()}"),
        info={"marshmallow_by_value": False},
        **kwargs,
    )


class LabelledEnum(enum.Enum):
    """An enum whose name is the stored code and whose value is the (translated) label."""

    def __str__(self) -> str:
        return str(self.value)
