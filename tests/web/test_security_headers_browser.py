"""Finding 14 in a real browser: SIGAP's content security policy (self only) leaves every kind of page
working: FAB's inline scripts run, nothing is blocked, and nothing is loaded from another origin."""

import pytest

from tests.browser import TIMEOUT_MS, log_in

PAGES = ["/", "/applications/list/", "/applications/add", "/documents/list/", "/archive/upload/",
         "/archive/search/", "/users/list/", "/users/add", "/audit-log/list/", "/calendar/list/",
         "/resetmypassword/form", "/swagger/v1", "/queue/"]
RECORD_VIOLATIONS = """() => {
    window.cspViolations = [];
    document.addEventListener("securitypolicyviolation",
        e => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI));
}"""


@pytest.fixture
def admin_page(browser, served):
    context = browser.new_context(base_url=served)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(f"({RECORD_VIOLATIONS})()")
    page = context.new_page()
    log_in(page, "admin_test")
    yield page
    context.close()


def test_finding_14_content_security_policy_keeps_pages_working(admin_page, served):
    requested = []
    admin_page.on("request", lambda request: requested.append(request.url))
    for path in PAGES:
        response = admin_page.goto(path)
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        admin_page.wait_for_load_state("load")
        assert admin_page.evaluate("window.cspViolations") == [], path
        # FAB's own scripts ran: jQuery and Bootstrap are loaded and the inline set-up code went through.
        assert admin_page.evaluate("typeof jQuery === 'function' && typeof jQuery.fn.modal === 'function'"), path
    assert [url for url in requested if not url.startswith(served)] == []
