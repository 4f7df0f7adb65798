"""Account security state: the stamp every token carries, and failed-attempt counters with lock-outs."""

from flask_appbuilder import Model
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, UniqueConstraint


class UserStamp(Model):
    """A random value replaced when the password changes or the account is (de)activated; deleted with
    the user. Tokens and sessions carry it, and are refused once it differs."""

    __tablename__ = "user_stamp"
    user_id = Column(Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True)
    stamp = Column(String(64), nullable=False)


class AttemptGuard(Model):
    """Failed attempts against one target (an account, a registration number) and its lock-out."""

    __tablename__ = "attempt_guard"
    __table_args__ = (UniqueConstraint("kind", "target"),)
    id = Column(Integer, primary_key=True)
    kind = Column(String(16), nullable=False)
    target = Column(String(255), nullable=False)
    failures = Column(Integer, nullable=False, default=0)
    first_failure_at = Column(DateTime)
    locked_until = Column(DateTime)
