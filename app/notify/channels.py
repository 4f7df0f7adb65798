"""The two ways a message leaves SIGAP: e-mail over SMTP, and a WhatsApp gateway reached over HTTP.

A channel without its settings (config.py: SMTP_HOST, WHATSAPP_GATEWAY_URL) is "not configured": the
outbox records that instead of trying. A failure raises DeliveryError with a reason the outbox shows.
"""

from __future__ import annotations

import json
import smtplib
import socket
import urllib.error
import urllib.request
from email.message import EmailMessage

from flask_babel import gettext

from app.identity.digits import normalise_digits
from app.models import NotifyChannel


class DeliveryError(RuntimeError):
    pass


def is_configured(channel: NotifyChannel, config) -> bool:
    return bool(config.get(SETTING[channel]))


def not_configured_reason(channel: NotifyChannel) -> str:
    return gettext("%(channel)s is not configured (%(setting)s): nothing was sent.",
                   channel=channel.value, setting=SETTING[channel])


def send(channel: NotifyChannel, config, recipient: str, subject: str, body: str) -> None:
    SENDERS[channel](config, recipient, subject, body)


def send_email(config, recipient: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = config["SMTP_SENDER"]
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["NOTIFY_TIMEOUT_SECONDS"]) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USERNAME"]:
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"SMTP: {type(error).__name__}: {error}") from error


def whatsapp_number(phone: str) -> str:
    """Indonesian numbers as the gateways want them: 62 and the number without its leading 0."""
    digits = normalise_digits(phone or "").lstrip("+")
    return "62" + digits[1:] if digits.startswith("0") else digits


def send_whatsapp(config, recipient: str, _subject: str, body: str) -> None:
    payload = json.dumps({"to": whatsapp_number(recipient), "message": body}).encode()
    headers = {"Content-Type": "application/json"}
    if config["WHATSAPP_GATEWAY_TOKEN"]:
        headers["Authorization"] = f"Bearer {config['WHATSAPP_GATEWAY_TOKEN']}"
    request = urllib.request.Request(config["WHATSAPP_GATEWAY_URL"], data=payload, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=config["NOTIFY_TIMEOUT_SECONDS"]) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"WhatsApp gateway: HTTP {error.code} {error.reason}") from error
    except (urllib.error.URLError, socket.timeout, OSError) as error:
        raise DeliveryError(f"WhatsApp gateway: {getattr(error, 'reason', error)}") from error


SETTING = {NotifyChannel.email: "SMTP_HOST", NotifyChannel.whatsapp: "WHATSAPP_GATEWAY_URL"}
SENDERS = {NotifyChannel.email: send_email, NotifyChannel.whatsapp: send_whatsapp}
