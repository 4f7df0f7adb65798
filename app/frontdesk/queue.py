"""Queue tickets, numbered per day and per counter; each channel has its counter (A-001, B-001, ...)."""

import datetime as dt

from sqlalchemy import func

from app.models import Channel, QueueTicket
from app.models.base import utcnow
from app.workflow.calendar import to_local

COUNTERS = {Channel.oss_rba: "A", Channel.sicantik: "B", Channel.non_perizinan: "C"}


def issue_ticket(session, service) -> QueueTicket:
    """The next number of today's queue at the service's counter."""
    now = utcnow()
    today = to_local(now).date()
    counter = COUNTERS[service.channel]
    last = (session.query(func.max(QueueTicket.number))
            .filter_by(service_date=today, counter_code=counter).scalar())
    ticket = QueueTicket(service_date=today, counter_code=counter, number=(last or 0) + 1, service=service,
                         issued_at=now)
    session.add(ticket)
    session.flush()
    return ticket


def next_waiting(session, counter: str, today: dt.date) -> QueueTicket | None:
    return (session.query(QueueTicket)
            .filter_by(service_date=today, counter_code=counter, called_at=None)
            .order_by(QueueTicket.number).first())


def call(ticket: QueueTicket, user) -> None:
    ticket.called_at, ticket.served_by_id = utcnow(), user.id


def serve(ticket: QueueTicket) -> None:
    ticket.served_at = ticket.served_at or utcnow()


def finish(ticket: QueueTicket) -> None:
    serve(ticket)
    ticket.finished_at = utcnow()
