"""Schemathesis against the API's own OpenAPI spec (issue 11, "Broken and hostile input"), through the WSGI
app (no network), as Admin, FO, Kasi, Tim Teknis and Pimpinan: no 5xx. Bounded: two examples per
operation and role (about a minute per role and backend on a shared machine). The 422/400/409 answers
are described in the spec as SIGAP sends them (a sentence, or sentences by field: app/views/base.py).

The app has its own database per backend: a fuzzed DELETE or PUT must not touch other tests' records."""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error

from tests.conftest import api_token, build_app

ROLES = ["admin_test", "fo", "kasi", "teknis_pupr", "pimpinan"]
EXAMPLES_PER_OPERATION = 2
CHECKS = [not_a_server_error]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzzed_app(request, s3_server, tmp_path_factory):
    flask_app, close = build_app(request.param, s3_server, tmp_path_factory, bucket=f"sigap-fuzz-{request.param}")
    yield flask_app
    close()


def operations(flask_app, headers):
    schema = schemathesis.openapi.from_wsgi("/api/v1/_openapi", flask_app, headers=headers)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("username", ROLES)
def test_api_fuzzed_against_its_spec_as_each_role(fuzzed_app, username):
    client = fuzzed_app.test_client()
    headers = api_token(client, username)
    found = []
    for operation in operations(fuzzed_app, headers):

        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def fuzz(case):
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (Exception, BaseExceptionGroup) as failure:  # collected: one run reports every failing operation
                found.append(f"{operation.label}: {str(failure)[:600]}")

        fuzz()
    assert not found, "\n\n".join(found[:20])
