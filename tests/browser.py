"""Chromium on a live SIGAP (with CSRF on, as in production), for the browser tests of every folder.

A pytest plugin (tests/conftest.py names it): the fixtures `csrf_app`, `served`, `browser` and `page`,
and helpers to serve an app, log in, keep the browser off other hosts and keep screenshots of a failed test.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright import sync_api as playwright_api

from tests.conftest import PASSWORD, build_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 30_000
# The assertions wait as long as the actions: a loaded machine reads an upload's text in more than 5 s.
playwright_api.expect.set_options(timeout=TIMEOUT_MS)
# Screenshots of failed browser tests, one folder per test (gitignored).
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def live_app(backend: str, s3_server, tmp_path_factory):
    """An app for a real browser: CSRF on and errors answered as in production. Returns it and its closer."""
    return build_app(backend, s3_server, tmp_path_factory, bucket=f"sigap-browser-{secrets.token_hex(3)}",
                     TESTING=False, WTF_CSRF_ENABLED=True)


@contextmanager
def serving(flask_app):
    """The app behind werkzeug's server in a thread; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="module")
def csrf_app(s3_server, tmp_path_factory):
    """SIGAP on SQLite with CSRF enabled, as in production."""
    flask_app, close = live_app("sqlite", s3_server, tmp_path_factory)
    yield flask_app
    close()


@pytest.fixture(scope="module")
def served(csrf_app):
    with serving(csrf_app) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, served):
    context = browser.new_context(base_url=served)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def only_origins(context, *base_urls: str, refused: list[str] | None = None) -> list[str]:
    """Lets the context reach these origins only (the office may be offline); every other request is aborted
    and its URL added to `refused` (a new list unless given), returned for the test to assert empty."""
    allowed = {_origin(url) for url in base_urls}
    refused = [] if refused is None else refused

    def route(route):
        url = route.request.url
        if urlparse(url).scheme not in ("http", "https") or _origin(url) in allowed:
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    context.route("**/*", route)
    return refused


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parsed = urlparse(url)
    return parsed.scheme, parsed.hostname, parsed.port


class Screens:
    """Keeps a screenshot of each screen a test passes through, in a folder of its own under test-artifacts/;
    the folder is removed when the test passes and named in the report when it fails."""

    def __init__(self, node):
        self.node, self.taken = node, 0
        self.folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", node.nodeid)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        node.screens_folder = self.folder

    def shot(self, page, label: str) -> None:
        self.taken += 1
        name = re.sub(r"[^\w-]+", "-", label).strip("-")
        page.screenshot(path=str(self.folder / f"{self.taken:02d}-{name}.png"), full_page=True)

    @property
    def passed(self) -> bool:
        report = getattr(self.node, "call_report", None)
        return report is not None and report.passed


@pytest.fixture
def screens(request):
    """Screenshots of this test's screens; whoever closes the page shoots the screen it failed on. With
    KEEP_SCREENS=1 they are kept after a pass too, to look through the screens by eye."""
    kept = Screens(request.node)
    yield kept
    if kept.passed and not os.environ.get("KEEP_SCREENS"):
        shutil.rmtree(kept.folder, ignore_errors=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_report = report
        folder = getattr(item, "screens_folder", None)
        if report.failed and folder is not None:
            report.sections.append(("Screenshots", f"each screen of this test: {folder}"))
    return report
