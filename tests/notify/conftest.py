"""A real SMTP server (aiosmtpd) and a WhatsApp gateway (http.server in a thread) on free local ports."""

from __future__ import annotations

import json
import socket
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, _server, _session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


class SmtpServer:
    """Started and stopped by the test, on a port chosen before (so the app can be pointed at it while down)."""

    def __init__(self, port: int):
        self.port, self.mailbox, self._controller = port, Mailbox(), None

    def start(self):
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server():
    server = SmtpServer(free_port())
    yield server
    server.stop()


class Gateway:
    """What a WhatsApp gateway receives; ``failures`` answers that many requests whose message contains
    ``failing`` with HTTP 503 first."""

    def __init__(self):
        self.received, self.failures, self.failing = [], 0, ""
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if gateway.failures and gateway.failing in body["message"]:
                    gateway.failures -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                gateway.received.append((self.headers.get("Authorization"), body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"status": "queued"}')

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    server = Gateway()
    yield server
    server.close()


@pytest.fixture
def channels_off(app, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "")
    monkeypatch.setitem(app.config, "WHATSAPP_GATEWAY_URL", "")
