"""Small column helpers shared by the models."""

import datetime as dt
import enum

from sqlalchemy import Column, DateTime, Enum


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def created_at_column() -> Column:
    return Column(DateTime, default=utcnow, nullable=False)


def enum_column(enum_class: type[enum.Enum], **kwargs) -> Column:
    """Stores the enum's value (a readable word), checked by the database on both backends."""
    return Column(
        Enum(
            enum_class,
            values_callable=lambda members: [m.value for m in members],
            native_enum=False,
            create_constraint=True,
            length=32,
            name=f"ck_{enum_class.__name__.lower()}",
        ),
        **kwargs,
    )


class LabelledEnum(str, enum.Enum):
    """An enum whose value is its stored code and whose label is shown to people."""

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    def __str__(self) -> str:
        return str(self.label)
