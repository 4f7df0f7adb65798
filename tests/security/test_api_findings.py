"""Issue 8, findings 1, 4, 11 and 12, as the probe found them: identity numbers recoverable through API
filters, other sectors in a technical team's dropdowns and _info, step records written through generic CRUD,
and BO registering applications. Each test starts from the probe's reproduction."""

import io
import secrets
import uuid
from dataclasses import dataclass

import pytest

from app.models import (
    Applicant, ApplicantKind, Application, DocumentType, Recommendation, Service, SurveySchedule, UserSector,
    Verification,
)
from app.security.roles import ROLES, TECHNICAL_TEAM
from app.storage.documents import store_document
from app.workflow.registration import prepare_new_application
from tests.conftest import PASSWORD, TEAM_SECTORS, api_token, role_username
from tests.desk import Desk
from tests.records.helpers import unique_nik
from tests.security.test_role_matrix import DENIED_API, web_allowed
from tests.tracks import recommendation, survey
from tests.web.test_workflow_screens import web

ALL_USERS = ["admin_test", *(role_username(role) for role in ROLES if role != TECHNICAL_TEAM), *TEAM_SECTORS]
NO_IDENTITY = ["pimpinan", "kadis"]  # read applicants, may not see NIK or NPWP
WITH_IDENTITY = ["fo", "kasi"]


@dataclass
class Case:
    application_id: int
    number: str
    filename: str
    nik: str
    npwp: str


def _case(session, sector_code: str, uid: str) -> Case:
    """An application of ``sector_code`` with an applicant of known NIK and NPWP and one scanned document."""
    service = session.query(Service).join(Service.sector).filter_by(code=sector_code).first()
    nik, npwp = unique_nik(), f"{secrets.randbelow(10 ** 15):015d}"
    applicant = Applicant(kind=ApplicantKind.individual, name=f"Pemohon {uid}", nik=nik, npwp=npwp)
    application = Application(applicant=applicant, service=service)
    prepare_new_application(session, application)
    session.add(application)
    session.flush()
    filename = f"berkas-{sector_code.lower()}-{uid}.pdf"
    ktp = session.query(DocumentType).filter_by(code="KTP").one()
    store_document(session, io.BytesIO(f"scan {uid}".encode()), filename=filename, media_type="application/pdf",
                   document_type=ktp, application=application)
    session.commit()
    return Case(application.id, application.registration_number, filename, nik, npwp)


@pytest.fixture(scope="module")
def cases(app):
    """One case in PUPR and one in KESEHATAN, the sectors of teknis_pupr and teknis_kesehatan."""
    with app.app_context():
        session = app.appbuilder.session
        uid = uuid.uuid4().hex[:8]
        return {code: _case(session, code, uid) for code in ("PUPR", "KESEHATAN")}


@pytest.fixture(scope="module")
def unassigned(app):
    """A Tim Teknis user with no sector."""
    username = f"teknis_{uuid.uuid4().hex[:6]}"
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_user(username, username, "Test", f"{username}@test.local", sm.find_role(TECHNICAL_TEAM),
                    password=PASSWORD)
    return username


def _get(client, headers, resource, rison):
    return client.get(f"/api/v1/{resource}/", headers=headers, query_string={"q": rison})


def _filter(column, operator, value):
    return f"(filters:!((col:{column},opr:{operator},value:'{value}')))"


# --- Finding 1: identity numbers recoverable through filters; LIKE wildcards ----------------------------------
@pytest.mark.parametrize("username", [*NO_IDENTITY, *WITH_IDENTITY])
def test_finding_1_api_filter_on_nik_refused_without_identity(app, cases, username):
    client = app.test_client()
    headers = api_token(client, username)
    case = cases["PUPR"]
    unknown = _get(client, headers, "applicant", _filter("nosuch", "sw", "1"))
    assert unknown.status_code == 400 and unknown.get_json()["message"] == "Kolom nosuch tidak dapat dipakai untuk menyaring."
    for column, digits in (("nik", case.nik), ("npwp", case.npwp)):
        wrong = digits[:7] + str((int(digits[7]) + 1) % 10)
        for operator, right in (("sw", digits[:8]), ("eq", digits), ("ct", digits[2:10]), ("ew", digits[-6:])):
            found = _get(client, headers, "applicant", _filter(column, operator, right))
            missed = _get(client, headers, "applicant", _filter(column, operator, wrong))
            if username in WITH_IDENTITY:  # the filter works for whoever may see the numbers
                assert found.get_json()["count"] >= 1 and case.nik in str(found.get_json()["result"]), operator
                continue
            # Refused as an unknown column is, whatever the value: no count to learn digits from.
            assert found.status_code == missed.status_code == 400, (column, operator)
            assert found.get_json() == missed.get_json() == {
                "message": unknown.get_json()["message"].replace("nosuch", column)}
        ordered = _get(client, headers, "applicant", f"(order_column:{column},order_direction:asc)")
        assert ordered.status_code == 400 and column in ordered.get_json()["message"]
    info = client.get("/api/v1/applicant/_info", headers=headers).get_json()
    listed = _get(client, headers, "applicant", "(page_size:1)").get_json()
    identity = {"nik", "npwp"} & (set(info["filters"]) | set(listed["order_columns"]))
    assert identity == ({"nik", "npwp"} if username in WITH_IDENTITY else set())


# Every API with a relation that reaches the applicant, directly or through the application.
RELATED_TO_APPLICANT = ["application", "business", "assistance_log", "document", "permit", "verification", "survey",
                        "recommendation", "step_history"]


@pytest.mark.parametrize("username", NO_IDENTITY)
def test_finding_1_related_filters_do_not_reach_the_applicants_numbers(app, cases, username):
    client = app.test_client()
    headers = api_token(client, username)
    case = cases["KESEHATAN"]
    for resource in RELATED_TO_APPLICANT:
        for path in ("applicant", "application.applicant"):
            for column in ("nik", "npwp"):
                digits = getattr(case, column)
                answers = [_get(client, headers, resource, _filter(f"{path}.{column}", "sw", value))
                           for value in (digits[:8], "0000")]
                assert {a.status_code for a in answers} <= {400, 403}, (resource, path)
                assert answers[0].get_json() == answers[1].get_json(), (resource, path)


@pytest.fixture(scope="module")
def wildcard_names(app):
    """Applicants (each with an application) whose names differ only where a wildcard would match."""
    uid = uuid.uuid4().hex[:8]
    names = {"percent": f"{uid} 100% tunai", "digits": f"{uid} 1000 tunai",
             "underscore": f"{uid} a_b", "letter": f"{uid} axb"}
    with app.app_context():
        session = app.appbuilder.session
        service = session.query(Service).join(Service.sector).filter_by(code="PUPR").first()
        for name in names.values():
            applicant = Applicant(kind=ApplicantKind.individual, name=name, nik=unique_nik())
            application = Application(applicant=applicant, service=service)
            prepare_new_application(session, application)
            session.add(application)
        session.commit()
    return uid, names


@pytest.mark.parametrize("username", ["fo", "pimpinan", "admin_test"])
def test_finding_1_like_wildcards_match_only_themselves(app, wildcard_names, username):
    uid, names = wildcard_names
    client = app.test_client()
    headers = api_token(client, username)
    searches = [("ct", f"{uid} 100%", {"percent"}), ("sw", f"{uid} 100%", {"percent"}),
                ("ew", "0% tunai", {"percent"}), ("ct", f"{uid} a_b", {"underscore"}),
                ("nct", f"{uid} a_", {"percent", "digits", "letter"})]
    for operator, value, expected in searches:
        response = _get(client, headers, "applicant", f"(filters:!((col:name,opr:sw,value:'{uid}'),"
                                                      f"(col:name,opr:{operator},value:'{value}')))")
        assert response.status_code == 200, response.get_json()
        assert {row["name"] for row in response.get_json()["result"]} == {names[k] for k in expected}, value

    screen = web(app, username)
    for url, argument, value, shown, hidden in (
            ("/applicants/list/", "_flt_0_name", f"{uid} 100%", "percent", "digits"),
            ("/applicants/list/", "_flt_0_name", f"{uid} a_b", "underscore", "letter"),
            ("/applications/list/", "_flt_0_applicant_name", f"{uid} 100%", "percent", "digits")):
        page = screen.get(url, query_string={argument: value}).get_data(as_text=True)
        assert names[shown] in page and names[hidden] not in page, (url, value)
