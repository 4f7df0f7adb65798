"""Every role against every screen and API endpoint: allowed exactly where roles.py says so.

The table in app/security/roles.py is the specification; these tests drive the real app over HTTP
and compare what each user can do with it, so a view left unprotected, a wrong permission name or a
sync that drifts all show up as mismatches. A few hand-written checks pin the intent of the table.
"""

import pytest
from flask_appbuilder import BaseView, IndexView, ModelRestApi, ModelView, SimpleFormView

from app.security.permissions import ALL_ACTIONS, CAN_READ, Resource
from app.security.roles import ROLES, TECHNICAL_TEAM
from tests.conftest import PASSWORD, role_username

MISSING = 999999
ALL_ROLES = ["Admin", *ROLES]
DENIED_API = {401, 403, 405}


def username_for(role: str) -> str:
    return {"Admin": "admin_test", TECHNICAL_TEAM: "teknis_pupr"}.get(role, role_username(role))


def holds(role: str, action: str, view) -> bool:
    if action not in view.base_permissions:
        return False
    return role == "Admin" or (action, view.class_permission_name) in ROLES[role]


def web_probes(view):
    """(action, method, url) for each kind of request a screen answers."""
    base = view.route_base
    if isinstance(view, SimpleFormView):
        return [("can_create", "get", f"{base}/form")]
    if not isinstance(view, ModelView):  # a custom screen: its protected landing page, if it has one
        landing = getattr(view, view.default_view, None)
        if not hasattr(landing, "_permission_name") or ("/", ["GET"]) not in getattr(landing, "_urls", []):
            return []
        return [(f"can_{view.get_method_permission(view.default_view)}", "get", f"{base}/")]
    return [
        ("can_read", "get", f"{base}/list/"),
        ("can_read", "get", f"{base}/show/{MISSING}"),
        ("can_create", "get", f"{base}/add"),
        ("can_edit", "get", f"{base}/edit/{MISSING}"),
        ("can_delete", "post", f"{base}/delete/{MISSING}"),
    ]


def api_probes(api):
    base = f"/api/v1/{api.resource_name}"
    return [
        ("can_read", "get", f"{base}/"),
        ("can_read", "get", f"{base}/{MISSING}"),
        ("can_create", "post", f"{base}/"),
        ("can_edit", "put", f"{base}/{MISSING}"),
        ("can_delete", "delete", f"{base}/{MISSING}"),
    ]


def sigap_views(app, kind):
    """SIGAP's screens (the landing page is open to all) or APIs; FAB's own user and role screens
    (app/views/security.py) keep FAB's permission names and only the Admin reaches them."""
    return [v for v in app.appbuilder.baseviews
            if isinstance(v, kind) and not isinstance(v, IndexView) and v.__module__.startswith("app.views")
            and v.__module__ != "app.views.security"]


def web_allowed(response) -> bool:
    """FAB answers a denied screen with a redirect to the login page (or to the index)."""
    if response.status_code == 302:
        return "/login" not in response.location and response.location.rstrip("/") not in ("", "http://localhost")
    return response.status_code not in (403, 405)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_screens_follow_the_role_table(app, role):
    client = app.test_client()
    response = client.post("/login/", data={"username": username_for(role), "password": PASSWORD})
    assert response.status_code == 302
    mismatches = []
    for view in sigap_views(app, BaseView):
        for action, method, url in web_probes(view):
            response = getattr(client, method)(url)
            if web_allowed(response) != holds(role, action, view):
                mismatches.append((url, method, response.status_code, response.location))
    assert mismatches == []


# The workflow and front-desk pages are BaseViews: each GET page against the resource it reads.
PAGES = {"/tasks/": Resource.INBOX, "/sla-breaches/": Resource.SLA_REPORT, "/queue/": Resource.QUEUE_TICKET,
         f"/application/{MISSING}": Resource.APPLICATION, f"/assistance-session/{MISSING}": Resource.ASSISTANCE_LOG}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_pages_follow_the_role_table(app, role):
    client = app.test_client()
    client.post("/login/", data={"username": username_for(role), "password": PASSWORD})
    mismatches = []
    for url, resource in PAGES.items():
        response = client.get(url)
        allowed = response.status_code in (200, 404)
        if allowed != (role == "Admin" or ("can_read", resource) in ROLES[role]):
            mismatches.append((url, response.status_code))
    assert mismatches == []


def test_anonymous_visitor_reaches_only_the_public_status_page(app):
    client = app.test_client()
    assert all(client.get(url).status_code == 302 for url in PAGES)
    assert client.get("/status/").status_code == 200


@pytest.mark.parametrize("role", ALL_ROLES)
def test_api_follows_the_role_table(app, role):
    client = app.test_client()
    token = client.post("/api/v1/security/login", json={
        "username": username_for(role), "password": PASSWORD, "provider": "db", "refresh": False,
    }).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    mismatches = []
    for api in sigap_views(app, ModelRestApi):
        for action, method, url in api_probes(api):
            kwargs = {"json": {}} if method in ("post", "put") else {}
            response = getattr(client, method)(url, headers=headers, **kwargs)
            if (response.status_code not in DENIED_API) != holds(role, action, api):
                mismatches.append((url, method, response.status_code))
    assert mismatches == []


def test_anonymous_visitor_reaches_nothing(app):
    client = app.test_client()
    for view in sigap_views(app, BaseView):
        for _action, method, url in web_probes(view):
            assert not web_allowed(getattr(client, method)(url)), url
    for api in sigap_views(app, ModelRestApi):
        for _action, method, url in api_probes(api):
            assert getattr(client, method)(url, json={}).status_code in DENIED_API, url


# Permissions no view exposes: the code asks for them itself (app/security/scope.py, app/views/permits.py).
ASKED_BY_CODE = {(CAN_READ, Resource.IDENTITY), (CAN_READ, Resource.PERMIT_REMINDER)}


def test_roles_grant_only_what_a_view_exposes(app):
    """What a view does not offer (writing a step's records, finding 11) is the view's to decide: a role
    granting it anyway would be a second, silent statement of the rule."""
    exposed = {(action, view.class_permission_name)
               for view in app.appbuilder.baseviews for action in view.base_permissions or ()}
    assert not ASKED_BY_CODE & exposed
    for role, perms in ROLES.items():
        assert set(perms) - exposed - ASKED_BY_CODE == set(), role


def test_sigap_resources_take_only_the_four_actions():
    for perms in ROLES.values():
        assert {action for action, resource in perms if resource in set(Resource)} <= set(ALL_ACTIONS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_everyone_reaches_their_profile_and_the_api_docs(app, role):
    client = app.test_client()
    client.post("/login/", data={"username": username_for(role), "password": PASSWORD})
    assert client.get("/users/userinfo/").status_code == 200
    assert client.get("/resetmypassword/form").status_code == 200
    assert client.get("/swagger/v1").status_code == 200


@pytest.mark.parametrize("username, url, allowed", [
    ("fo", "/applicants/add", True),
    ("fo", "/audit-log/list/", False),
    ("kasi", "/verifications/add", False),  # written by the verification step alone (issue 8, finding 11)
    ("kabid", "/applications/add", False),
    ("teknis_pupr", "/applicants/list/", False),
    ("teknis_pupr", "/recommendations/list/", True),
    ("pimpinan", "/applications/list/", True),
    ("pimpinan", "/applications/add", False),
    ("dalaks", "/permits/list/", True),
    ("arsip", "/documents/upload/form", True),
    ("admin_test", "/users/list/", True),
    ("kasi", "/users/list/", False),
])
def test_intent_of_the_table(app, username, url, allowed):
    client = app.test_client()
    client.post("/login/", data={"username": username, "password": PASSWORD})
    assert web_allowed(client.get(url)) == allowed


def test_menu_shows_only_what_the_role_may_open(app):
    client = app.test_client()
    client.post("/login/", data={"username": "teknis_pupr", "password": PASSWORD})
    page = client.get("/applications/list/").get_data(as_text=True)
    assert "/recommendations/list/" in page
    assert "/applicants/list/" not in page
    assert "/audit-log/list/" not in page
