"""The outbox: one row per message and channel, queued in the same transaction as the event that caused
it (so a message is never lost, nor sent for something rolled back), then sent by the worker.

A failed attempt is retried with exponential back-off until NOTIFY_MAX_ATTEMPTS; each attempt first
claims its row (a conditional update), so two workers never send the same message twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import current_app
from sqlalchemy import update

from app.models import NotifyChannel, NotifyEvent, OutboxMessage, OutboxState
from app.models.base import utcnow
from app.notify import channels
from app.notify.templates import render

log = logging.getLogger(__name__)
# How long a claimed message is left to its worker before another may try it (a worker that died).
CLAIM = dt.timedelta(minutes=5)
BATCH = 100
REASON_CHARS = 1000


def recipients(applicant) -> dict[NotifyChannel, str]:
    found = {NotifyChannel.email: (applicant.email or "").strip(), NotifyChannel.whatsapp: (applicant.phone or "").strip()}
    return {channel: address for channel, address in found.items() if address}


def queue_message(session, application, applicant, event: NotifyEvent, key: str,
                  values: dict) -> list[OutboxMessage]:
    """Queue the event's message on each channel the applicant can be reached by, once per ``key``."""
    config = current_app.config
    pending_keys = {row.key for row in session.new if isinstance(row, OutboxMessage)}
    subject, body = render(session, event, values)
    queued = []
    for channel, address in recipients(applicant).items():
        row_key = f"{key}:{channel.name}"
        if row_key in pending_keys or session.query(OutboxMessage.id).filter_by(key=row_key).first():
            continue
        message = OutboxMessage(key=row_key, application=application, event=event, channel=channel,
                                recipient=address, subject=subject, body=body, attempts=0)
        if channels.is_configured(channel, config):
            message.state, message.next_attempt_at = OutboxState.queued, utcnow()
        else:
            message.state, message.reason = OutboxState.failed, channels.not_configured_reason(channel)
        session.add(message)
        queued.append(message)
    return queued


def deliver_due(session, now: dt.datetime | None = None) -> int:
    """Send every queued message whose next attempt is due; returns how many were sent."""
    sent = 0
    now = now or utcnow()
    due = (session.query(OutboxMessage.id, OutboxMessage.next_attempt_at)
           .filter(OutboxMessage.state == OutboxState.queued, OutboxMessage.next_attempt_at <= now)
           .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(BATCH).all())
    for message_id, planned in due:
        if _claim(session, message_id, planned, now):
            sent += _attempt(session, session.get(OutboxMessage, message_id), now)
    return sent


def _claim(session, message_id: int, planned: dt.datetime, now: dt.datetime) -> bool:
    claimed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.state == OutboxState.queued,
               OutboxMessage.next_attempt_at == planned)
        .values(next_attempt_at=now + CLAIM)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    session.commit()
    return claimed


def _attempt(session, message: OutboxMessage, now: dt.datetime) -> int:
    config = current_app.config
    message.attempts += 1
    try:
        if not channels.is_configured(message.channel, config):
            raise channels.DeliveryError(channels.not_configured_reason(message.channel))
        channels.send(message.channel, config, message.recipient, message.subject, message.body)
    except channels.DeliveryError as error:
        log.warning("Outbox message %s: attempt %s failed: %s", message.id, message.attempts, error)
        message.reason = str(error)[:REASON_CHARS]
        if message.attempts >= config["NOTIFY_MAX_ATTEMPTS"]:
            message.state, message.next_attempt_at = OutboxState.failed, None
        else:
            message.next_attempt_at = now + backoff(message.attempts, config)
        session.commit()
        return 0
    message.state, message.sent_at, message.next_attempt_at, message.reason = OutboxState.sent, now, None, None
    session.commit()
    return 1


def backoff(attempts: int, config) -> dt.timedelta:
    """1, 2, 4, 8 ... times NOTIFY_RETRY_SECONDS after each failed attempt, at most six hours."""
    return dt.timedelta(seconds=min(config["NOTIFY_RETRY_SECONDS"] * 2 ** (attempts - 1), 6 * 3600))


def mask_recipient(address: str) -> str:
    """An e-mail or phone number as a viewer without Identity sees it: enough to tell two apart, no more."""
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain[:1]}***"
    digits = [c for c in address if c.isdigit()]
    return "*" * max(len(digits) - 3, 3) + "".join(digits[-3:])
