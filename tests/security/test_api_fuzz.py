"""Schemathesis against the API's own OpenAPI spec (issue 11, "Broken and hostile input"), through the WSGI
app (no network), as Admin, FO, Kasi, Tim Teknis and Pimpinan: no 5xx, and every answer as the spec says
(its status documented for the operation, its content type, body and headers those documented for that
status). Bounded: two examples per operation and role (some 200 requests per role and backend).

Fuzzing sends data the spec allows, with a valid token: the refusals it rarely meets (no token, a role
without the permission, an unknown record, an unreadable body or query, a browser session's write without
its CSRF token, a method the address does not take) are provoked for every operation below, and must be
documented too: the spec cannot drift from what the app answers.

The app has its own database per backend: a fuzzed DELETE or PUT must not touch other tests' records."""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance, not_a_server_error, response_headers_conformance, response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import PASSWORD, api_token, build_app, web_login

ROLES = ["admin_test", "fo", "kasi", "teknis_pupr", "pimpinan"]
EXAMPLES_PER_OPERATION = 2
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
# A key no table holds (the largest 32-bit integer), and a word for other path parameters (the API version).
NO_SUCH_KEY = {"integer": 2 ** 31 - 1, "string": "v0"}
# What each probe must be answered (beside being documented); a browser session's write without the page's
# CSRF token is refused too, by 400 or by the refusal its data meets first.
EXPECTED = {"no token": 401, "bad token": 401, "no permission": 403, "no such record": 404}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzzed_app(request, s3_server, tmp_path_factory):
    flask_app, close = build_app(request.param, s3_server, tmp_path_factory, bucket=f"sigap-fuzz-{request.param}")
    yield flask_app
    close()


def api_schema(flask_app, headers):
    return schemathesis.openapi.from_wsgi("/api/v1/_openapi", flask_app, headers=headers)


@pytest.mark.parametrize("username", ROLES)
def test_api_fuzzed_against_its_spec_as_each_role(fuzzed_app, username):
    headers = api_token(fuzzed_app.test_client(), username)
    found = []
    for result in api_schema(fuzzed_app, headers).get_all_operations():
        operation = result.ok()

        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def fuzz(case):
            found.extend(failures(case, case.call(headers=headers), headers))

        fuzz()
    assert not found, "\n\n".join(found[:20])


def failures(case, response, headers=None) -> list[str]:
    """The checks' complaints about ``response`` to ``case`` (collected: one run reports every failing operation)."""
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except (Exception, BaseExceptionGroup) as failure:
        return [f"{case.operation.label} -> {response.status_code}: {str(failure)[:600]}"]
    return []


# --- The refusals fuzzing rarely meets, provoked for every operation ---------------------------------------------------


def test_every_refusal_the_api_gives_is_in_its_spec(fuzzed_app, monkeypatch):
    client = fuzzed_app.test_client()
    admin = api_token(client, "admin_test")
    schema = api_schema(fuzzed_app, admin)
    stranger = api_token(client, user_without_permissions(fuzzed_app))
    browser = browser_session(fuzzed_app)
    monkeypatch.setitem(fuzzed_app.config, "WTF_CSRF_ENABLED", True)  # the tests' apps switch it off
    found, answers = [], {}
    for result in schema.get_all_operations():
        operation = result.ok()
        for probe, case, headers in probes(operation, admin, stranger, browser):
            response = case.call(headers=headers)
            answers[(operation.label, probe)] = response.status_code
            found.extend(failures(case, response))
    assert not found, "\n\n".join(found[:20])
    unexpected = [f"{label}, {probe}: {status}" for (label, probe), status in answers.items()
                  if status != EXPECTED.get(probe, status) or (probe == "no csrf token" and status < 400)]
    assert not unexpected, "\n".join(unexpected)
    assert {probe for _label, probe in answers} >= {*EXPECTED, "no csrf token"}


def probes(operation, admin, stranger, browser):
    """(name, case, headers) of each hostile request ``operation`` can be sent: a fixed set, per what it has."""
    definition = operation.definition.raw
    security = {name for requirement in definition.get("security", []) for name in requirement}
    existing = {name: 1 for name in path_parameter_types(operation)}  # may not exist: refusals come first
    if security:
        yield "no token", operation.Case(path_parameters=existing), {}
        yield "bad token", operation.Case(path_parameters=existing), {"Authorization": "Bearer not.a.token"}
    if "jwt" in security:
        yield "no permission", operation.Case(path_parameters=existing), stranger
    if existing:
        unknown = {name: NO_SUCH_KEY[kind] for name, kind in path_parameter_types(operation).items()}
        body = {"body": {}, "media_type": "application/json"} if "requestBody" in definition else {}
        yield "no such record", operation.Case(path_parameters=unknown, **body), admin
    if "requestBody" in definition:
        yield "body not an object", operation.Case(path_parameters=existing, body=[], media_type="application/json"), admin
    if any(parameter.get("in") == "query" and parameter.get("name") == "q" for parameter in definition.get("parameters", [])):
        yield "unreadable q", operation.Case(path_parameters=existing, query={"q": "(((!"}), admin
    if "jwt" in security and operation.method.upper() != "GET":
        yield "no csrf token", operation.Case(path_parameters=existing), browser


def path_parameter_types(operation) -> dict[str, str]:
    return {parameter["name"]: parameter.get("schema", {}).get("type", "string")
            for parameter in operation.definition.raw.get("parameters", []) if parameter.get("in") == "path"}


def user_without_permissions(flask_app) -> str:
    """A user whose only role grants nothing: every protected operation must refuse it with 403."""
    with flask_app.app_context():
        sm = flask_app.appbuilder.sm
        role = sm.find_role("Nothing granted") or sm.add_role("Nothing granted")
        if sm.find_user(username="stranger") is None:
            sm.add_user("stranger", "Stranger", "Test", "stranger@test.local", role, password=PASSWORD)
    return "stranger"


def browser_session(flask_app) -> dict:
    """The Admin's web session cookie, for requests without the page's CSRF token."""
    client = flask_app.test_client()
    web_login(client, "admin_test")
    return {"Cookie": f"session={client.get_cookie('session').value}"}


def test_an_address_answers_405_to_methods_its_spec_does_not_list(fuzzed_app):
    """The spec lists every method each address takes (a read-only resource has no writes): any other is
    a 405 naming those it does take."""
    client = fuzzed_app.test_client()
    admin = api_token(client, "admin_test")
    spec = client.get("/api/v1/_openapi", headers=admin).get_json()
    wrong = []
    for path, item in spec["paths"].items():
        documented = {method.upper() for method in item if method.upper() in METHODS}
        url = path.replace("{version}", "v1").replace("{", "").replace("}", "")
        url = "/".join("1" if part in path_parameter_names(item) else part for part in url.split("/"))
        for method in sorted(set(METHODS) - documented):
            response = client.open(url, method=method, headers=admin)
            allowed = {m.strip() for m in response.headers.get("Allow", "").split(",")} - {"HEAD", "OPTIONS"}
            if response.status_code != 405 or allowed != documented:
                wrong.append(f"{method} {path}: {response.status_code}, Allow {sorted(allowed)}, spec {sorted(documented)}")
    assert not wrong, "\n".join(wrong)


def path_parameter_names(item: dict) -> set[str]:
    return {parameter["name"] for operation in item.values() if isinstance(operation, dict)
            for parameter in operation.get("parameters", []) if parameter.get("in") == "path"}
