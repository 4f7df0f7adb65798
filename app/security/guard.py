"""Lock-outs after repeated failures against one target: an account's password, a registration number's
NIK digits on the public status page. Counters live in the database, so every worker shares them; the
per-address limits (Flask-Limiter) sit in front of these.

Written with plain SQL statements, not the ORM: a counter is bookkeeping, not a record to audit (the
refused attempts are audited themselves).
"""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from app.models import AttemptGuard
from app.models.base import utcnow

ACCOUNT = "account"
STATUS_NUMBER = "status_number"

_table = AttemptGuard.__table__


@dataclass(frozen=True)
class Policy:
    """`failures` misses within `minutes` lock the target for `minutes`."""

    failures: int
    minutes: int

    @property
    def period(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.minutes)


def _row(connection, kind: str, target: str):
    return connection.execute(
        select(_table).where(_table.c.kind == kind, _table.c.target == target)
    ).mappings().first()


def is_locked(connection, kind: str, target: str) -> bool:
    row = _row(connection, kind, target)
    return bool(row and row["locked_until"] and row["locked_until"] > utcnow())


def record_failure(connection, kind: str, target: str, policy: Policy) -> bool:
    """Counts a miss; returns whether the target is now locked."""
    now = utcnow()
    row = _row(connection, kind, target)
    if row is None:
        try:
            with connection.begin_nested():
                connection.execute(insert(_table).values(kind=kind, target=target, failures=0,
                                                         first_failure_at=now))
        except IntegrityError:  # another request counted the first miss at the same moment
            pass
        row = _row(connection, kind, target)
    window_over = row["first_failure_at"] is None or now - row["first_failure_at"] > policy.period
    failures = 1 if window_over else row["failures"] + 1
    locked_until = now + policy.period if failures >= policy.failures else row["locked_until"]
    connection.execute(update(_table).where(_table.c.id == row["id"]).values(
        failures=0 if failures >= policy.failures else failures,
        first_failure_at=now if window_over else row["first_failure_at"],
        locked_until=locked_until,
    ))
    return bool(locked_until and locked_until > now)


def clear(connection, kind: str, target: str) -> None:
    connection.execute(update(_table).where(_table.c.kind == kind, _table.c.target == target)
                       .values(failures=0, first_failure_at=None, locked_until=None))


def guarded(session, kind: str, target: str, policy: Policy, attempt):
    """Runs attempt() unless the target is locked; a None answer counts as a miss.
    Returns (the answer, whether the target is locked)."""
    if is_locked(session.connection(), kind, target):
        return None, True
    answer = attempt()
    if answer is not None:
        clear(session.connection(), kind, target)
        session.commit()
        return answer, False
    locked = record_failure(session.connection(), kind, target, policy)
    session.commit()
    return None, locked
