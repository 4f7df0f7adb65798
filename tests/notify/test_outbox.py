"""Notifications to applicants: events queue messages in the outbox, the worker sends them by SMTP and the
WhatsApp gateway, retries with back-off when a server is down, and viewers without Identity see recipients
masked."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest

from app import create_app
from app.models import NotificationTemplate, NotifyEvent, OutboxMessage, OutboxState, Permit
from app.models.base import utcnow
from app.notify.outbox import deliver_due
from app.skm.links import application_id_of
from tests.archive.consumer import in_process_consumer
from tests.archive.test_worker import SHARED
from tests.conftest import api_token
from tests.desk import Desk
from tests.permits.helpers import issue_through_the_steps, register
from tests.tracks import FIX_RECEIVED_AT, recommendation, survey
from tests.web.test_workflow_screens import web


def messages(app, application_id, event=None):
    with app.app_context():
        app.appbuilder.session.remove()  # read what other sessions (the worker's) committed
        query = app.appbuilder.session.query(OutboxMessage).filter_by(application_id=application_id)
        if event:
            query = query.filter_by(event=event)
        rows = query.order_by(OutboxMessage.id).all()
        for row in rows:
            app.appbuilder.session.expunge(row)
        return rows


def deliver(app, now=None):
    with app.app_context():
        return deliver_due(app.appbuilder.session, now)


def test_with_no_channel_configured_nothing_is_sent_and_the_outbox_says_so(app, desk, channels_off):
    holder = register(desk)
    rows = messages(app, holder.application_id, NotifyEvent.registered)
    assert {(m.channel.name, m.state.name) for m in rows} == {("email", "failed"), ("whatsapp", "failed")}
    reasons = {m.channel.name: m.reason for m in rows}
    assert "SMTP_HOST" in reasons["email"] and "belum dikonfigurasi" in reasons["email"]
    assert "WHATSAPP_GATEWAY_URL" in reasons["whatsapp"]
    assert all(m.attempts == 0 for m in rows)
    page = web(app, "fo").get("/outbox/list/?psize_OutboxView=100").get_data(as_text=True)
    assert holder.registration_number in page and "belum dikonfigurasi" in page


@pytest.fixture
def smtp_only(app, monkeypatch, smtp_server):
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", smtp_server.port)
    monkeypatch.setitem(app.config, "SMTP_STARTTLS", False)
    monkeypatch.setitem(app.config, "NOTIFY_TIMEOUT_SECONDS", 2)
    monkeypatch.setitem(app.config, "WHATSAPP_GATEWAY_URL", "")
    return smtp_server


def test_when_the_mail_server_is_down_the_message_waits_and_goes_out_when_it_returns(app, desk, smtp_only):
    holder = register(desk, phone=False)  # the commit queues the message and the worker tries at once
    [message] = messages(app, holder.application_id, NotifyEvent.registered)
    assert (message.state, message.attempts) == (OutboxState.queued, 1)
    assert "SMTP" in message.reason and message.next_attempt_at > utcnow()
    first_retry = message.next_attempt_at

    smtp_only.start()
    deliver(app)  # not yet due: back-off
    assert messages(app, holder.application_id, NotifyEvent.registered)[0].attempts == 1 and not smtp_only.mailbox.messages

    smtp_only.stop()
    deliver(app, first_retry)  # down again: the next wait is twice as long
    [message] = messages(app, holder.application_id, NotifyEvent.registered)
    assert message.attempts == 2 and message.next_attempt_at - first_retry == 2 * app.config["NOTIFY_RETRY_SECONDS"] * dt.timedelta(seconds=1)

    smtp_only.start()
    assert deliver(app, message.next_attempt_at) >= 1
    [message] = messages(app, holder.application_id, NotifyEvent.registered)
    assert (message.state, message.attempts, message.reason) == (OutboxState.sent, 3, None)
    [mail] = [m for m in smtp_only.mailbox.messages if holder.registration_number in m["Subject"]]
    assert mail["To"] == holder.email
    body = mail.get_content()
    assert holder.name in body and f"/status/?number={holder.registration_number}" in body
    assert holder.nik not in body


def test_a_message_is_failed_after_the_last_attempt(app, desk, smtp_only, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFY_MAX_ATTEMPTS", 2)
    holder = register(desk, phone=False)
    [message] = messages(app, holder.application_id, NotifyEvent.registered)
    deliver(app, message.next_attempt_at)
    [message] = messages(app, holder.application_id, NotifyEvent.registered)
    assert (message.state, message.attempts, message.next_attempt_at) == (OutboxState.failed, 2, None)
    assert "SMTP" in message.reason


@pytest.fixture
def whatsapp_only(app, monkeypatch, gateway):
    monkeypatch.setitem(app.config, "SMTP_HOST", "")
    monkeypatch.setitem(app.config, "WHATSAPP_GATEWAY_URL", gateway.url)
    monkeypatch.setitem(app.config, "WHATSAPP_GATEWAY_TOKEN", "rahasia-gateway")
    monkeypatch.setitem(app.config, "NOTIFY_TIMEOUT_SECONDS", 2)
    return gateway


def test_needs_fix_reaches_the_applicant_on_whatsapp_with_the_reason_after_the_gateway_recovers(
        app, desk, whatsapp_only):
    holder = register(desk, service="IZIN_KLINIK", email=False)
    application = holder.application_id
    desk.ok("fo", application, "fo_input", risk_level="tinggi")
    desk.ok("fo", application, "berita_dokumen")
    desk.ok("bo", application, "bo_upload")
    desk.ok("kasi", application, "kasi_verification", outcome="complete", checked=desk.ticks(application),
            request_letter_number="REK/1/2026")
    desk.ok("kasi", application, "kasi_verification", **{**survey(), "bap_document": desk.upload("kasi", application, "BAP")})
    whatsapp_only.failures, whatsapp_only.failing = 1, "perlu diperbaiki"
    desk.ok("teknis_kesehatan", application, "technical_assessment", **{
        **recommendation("needs_fix", reason="Gambar denah ruang praktik belum ada"),
        "document": desk.upload("teknis_kesehatan", application, "SURAT_REKOMENDASI")})
    [message] = messages(app, application, NotifyEvent.needs_fix)
    assert (message.state, message.attempts) == (OutboxState.queued, 1) and "HTTP 503" in message.reason
    deliver(app, message.next_attempt_at)
    [message] = messages(app, application, NotifyEvent.needs_fix)
    assert message.state is OutboxState.sent
    [(authorization, body)] = [r for r in whatsapp_only.received if holder.registration_number in r[1]["message"]
                               and "perlu diperbaiki" in r[1]["message"]]
    assert authorization == "Bearer rahasia-gateway"
    assert body["to"] == "62" + holder.phone[1:]
    assert "Gambar denah ruang praktik belum ada" in body["message"]
    # The fix restarts the file; a second "needs fix" would be a new message, this one is not sent twice.
    desk.ok("bo", application, "bo_upload", fix_received_at=FIX_RECEIVED_AT)
    assert len(messages(app, application, NotifyEvent.needs_fix)) == 1


def test_a_recorded_permit_tells_the_applicant_it_is_ready(app, desk, channels_off):
    holder = register(desk)
    issue_through_the_steps(desk, holder)
    rows = messages(app, holder.application_id, NotifyEvent.permit_ready)
    assert {m.channel.name for m in rows} == {"email", "whatsapp"}
    assert all("siap diambil" in m.body for m in rows)


def test_recipients_are_masked_for_roles_without_identity(app, desk, channels_off):
    holder = register(desk)
    full = web(app, "fo").get("/outbox/list/?psize_OutboxView=100").get_data(as_text=True)
    assert holder.email in full and holder.phone in full
    masked = web(app, "pimpinan")
    listing = masked.get("/outbox/list/?psize_OutboxView=100").get_data(as_text=True)
    assert holder.registration_number in listing
    assert holder.email not in listing and holder.phone not in listing and holder.phone[-3:] in listing
    with app.app_context():
        ids = [m.id for m in messages(app, holder.application_id)]
    shown = masked.get(f"/outbox/show/{ids[0]}").get_data(as_text=True)
    assert holder.email not in shown and holder.phone not in shown
    # The recipient is no filter: searching by it would tell a masked viewer whose address it is.
    searched = masked.get(f"/outbox/list/?_flt_0_recipient={holder.email}&psize_OutboxView=100").get_data(as_text=True)
    assert searched.count("<tr") == listing.count("<tr")
    assert web(app, "teknis_pupr").get("/outbox/list/").status_code == 403


def test_the_admin_edits_a_text_and_the_next_message_uses_it(app, desk, channels_off):
    admin = web(app, "admin_test")
    with app.app_context():
        template = app.appbuilder.session.query(NotificationTemplate).filter_by(event=NotifyEvent.registered).one()
        template_id, original = template.id, (template.subject, template.body)
    try:
        refused = admin.post(f"/notification-templates/edit/{template_id}", data={
            "subject": "Nomor {registration_number}", "body": "Halo {nik}"}, follow_redirects=True)
        assert "Tempat isian {nik} tidak dikenal" in refused.get_data(as_text=True)
        admin.post(f"/notification-templates/edit/{template_id}", data={
            "subject": "Terdaftar: {registration_number}", "body": "Halo {name}, cek {status_link}"})
        holder = register(desk)
        [message, *_] = messages(app, holder.application_id, NotifyEvent.registered)
        assert message.subject == f"Terdaftar: {holder.registration_number}"
        assert message.body.startswith(f"Halo {holder.name}, cek http")
        assert web(app, "fo").get(f"/notification-templates/edit/{template_id}").status_code == 403
    finally:
        with app.app_context():
            row = app.appbuilder.session.get(NotificationTemplate, template_id)
            row.subject, row.body = original
            app.appbuilder.session.commit()


def test_the_worker_sends_what_a_request_queued(app, smtp_server, tmp_path):
    """Through the real huey consumer: the request only queues; the worker process delivers."""
    queued_app = create_app({**{key: app.config[key] for key in SHARED}, "TESTING": True, "WTF_CSRF_ENABLED": False,
                             "S3_LOCAL": False, "HUEY_IMMEDIATE": False, "HUEY_SQLITE_PATH": str(tmp_path / "huey.db"),
                             "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port, "SMTP_STARTTLS": False,
                             "WHATSAPP_GATEWAY_URL": ""})
    smtp_server.start()
    client = queued_app.test_client()
    holder = register(Desk(queued_app, client, lambda username: api_token(client, username)), phone=False)
    [message] = messages(queued_app, holder.application_id, NotifyEvent.registered)
    assert (message.state, message.attempts) == (OutboxState.queued, 0)
    with queued_app.app_context():
        consumer = in_process_consumer()
    consumer.start()
    try:
        deadline = time.monotonic() + 30
        while messages(queued_app, holder.application_id, NotifyEvent.registered)[0].state is OutboxState.queued:
            assert time.monotonic() < deadline, "the worker did not send the message"
            time.sleep(0.2)
    finally:
        consumer.stop(graceful=True)
    assert messages(queued_app, holder.application_id, NotifyEvent.registered)[0].state is OutboxState.sent
    assert [m["To"] for m in smtp_server.mailbox.messages if holder.registration_number in m["Subject"]] == [holder.email]


def test_the_survey_invitation_follows_the_hand_over_with_the_applications_survey_link(app, desk, channels_off):
    holder = register(desk)
    issue_through_the_steps(desk, holder)
    with app.app_context():
        permit_id = app.appbuilder.session.query(Permit).filter_by(application_id=holder.application_id).one().id
    assert messages(app, holder.application_id, NotifyEvent.survey_invitation) == []

    hand_over = {"handed_over_at": "2026-11-23T02:00:00", "handed_over_to": holder.name}
    response = desk.client.put(f"/api/v1/permit/{permit_id}", headers=desk.headers("bo"), json=hand_over)
    assert response.status_code == 200, response.get_json()
    rows = messages(app, holder.application_id, NotifyEvent.survey_invitation)
    assert {m.channel.name for m in rows} == {"email", "whatsapp"}
    tokens = {re.search(r"/skm/(\S+)", m.body).group(1).rstrip(".") for m in rows}
    with app.app_context():
        assert [application_id_of(token) for token in tokens] == [holder.application_id]
