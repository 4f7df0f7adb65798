"""Notifications to applicants: events of the workflow become messages in an outbox, which the worker
sends by e-mail (SMTP) and WhatsApp (an HTTP gateway), retrying with back-off.

    templates  the Indonesian texts (defaults; the Admin edits the notification_template table)
    events     what queues a message: hooks on the session (one place), so the workflow imports nothing here
    outbox     queue, claim, send, retry; masking of recipients
    channels   SMTP and the WhatsApp gateway; "not configured" is a state, not an error
    tasks      the huey tasks: send after each commit, every minute, and the daily expiry scan
"""


def init_app(flask_app) -> None:
    from app.notify import events, tasks

    events.listen()
    tasks.init_app(flask_app)
