"""Issue 8, findings 1, 4, 11 and 12, as the probe found them: identity numbers recoverable through API
filters, other sectors in a technical team's dropdowns and _info, step records written through generic CRUD,
and BO registering applications. Each test starts from the probe's reproduction."""

import io
import re
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
MISSING_ID = 999999
NO_IDENTITY = ["pimpinan", "kadis"]  # read applicants, may not see NIK or NPWP
WITH_IDENTITY = ["fo", "kasi"]


@dataclass
class Case:
    application_id: int
    number: str
    filename: str
    nik: str
    npwp: str
    name: str


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
    return Case(application.id, application.registration_number, filename, nik, npwp, applicant.name)


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
    assert unknown.status_code == 400
    assert unknown.get_json()["message"] == {"q": ["Kolom nosuch tidak dapat dipakai untuk menyaring."]}
    for column, digits in (("nik", case.nik), ("npwp", case.npwp)):
        wrong = digits[:7] + str((int(digits[7]) + 1) % 10)
        for operator, right in (("sw", digits[:8]), ("eq", digits), ("ct", digits[2:10]), ("ew", digits[-6:])):
            found = _get(client, headers, "applicant", _filter(column, operator, right))
            missed = _get(client, headers, "applicant", _filter(column, operator, wrong))
            if username in WITH_IDENTITY:  # the filter works for whoever may see the numbers
                own = _get(client, headers, "applicant", _filter(column, operator, right)[:-2]
                           + f",(col:name,opr:eq,value:'{case.name}')))")
                assert case.nik in str(own.get_json()["result"]), operator  # among its few namesakes
                continue
            # Refused as an unknown column is, whatever the value: no count to learn digits from.
            assert found.status_code == missed.status_code == 400, (column, operator)
            assert found.get_json() == missed.get_json() == {
                "message": {"q": [unknown.get_json()["message"]["q"][0].replace("nosuch", column)]}}
        ordered = _get(client, headers, "applicant", f"(order_column:{column},order_direction:asc)")
        assert ordered.status_code == 400 and column in ordered.get_json()["message"]["q"][0]
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


# --- Finding 4: a technical team's dropdowns and _info list only its own sector ------------------------------
def _foreign_names(app, sector_code):
    """Full names of every user outside ``sector_code`` (all users for no sector)."""
    with app.app_context():
        session = app.appbuilder.session
        members = {row.user_id for row in session.query(UserSector).filter(
            UserSector.sector.has(code=sector_code))} if sector_code else set()
        return {f"{user.first_name} {user.last_name}" for user in session.query(app.appbuilder.sm.user_model)
                if user.id not in members}


def _info_values(info) -> set[str]:
    return {value["value"] for key in ("add_columns", "edit_columns") for column in info.get(key, [])
            for value in column.get("values", [])}


@pytest.mark.parametrize("who", [*TEAM_SECTORS, "unassigned"])
def test_finding_4_dropdowns_and_info_show_only_own_sector(app, cases, unassigned, who):
    username = unassigned if who == "unassigned" else who
    sector = TEAM_SECTORS.get(who)
    own = cases.get(sector)
    others = [case for code, case in cases.items() if code != sector]
    foreign = _foreign_names(app, sector) - {f"{username} Test"}  # its own name heads every page
    assert "Kasi Test" in foreign

    screen = web(app, username)
    for url in ("/documents/list/", "/surveys/list/", "/recommendations/list/"):
        page = screen.get(url).get_data(as_text=True)
        leaked = [text for case in others for text in (case.number, case.filename) if text in page]
        # Users are named in the search form's choices; the rows may name the team's own records' uploaders.
        choices = " ".join(re.findall(r"<option[^>]*>([^<]*)</option>", page))
        assert leaked == [] and [name for name in foreign if name in choices] == [], url
    if own is not None:  # the team's own records are there, only limited
        found = screen.get("/documents/list/", query_string={"_flt_0_original_filename": own.filename})
        assert own.filename in found.get_data(as_text=True)

    client = app.test_client()
    headers = api_token(client, username)
    for resource in ("application", "document", "survey", "recommendation"):
        info = client.get(f"/api/v1/{resource}/_info", headers=headers).get_json()
        values = _info_values(info)
        leaked = [text for case in others for text in (case.number, case.filename) if text in values]
        assert leaked == [] and values & foreign == set(), resource
    choices = {c["name"]: c for c in client.get("/api/v1/document/_info", headers=headers).get_json()["add_columns"]}
    offered = {value["id"] for value in choices["application"]["values"]}
    assert all(case.application_id not in offered for case in others)
    with app.app_context():  # whatever is offered (a page of choices) is of the team's own sector
        offered_sectors = {a.sector.code for a in app.appbuilder.session.query(Application).filter(
            Application.id.in_(offered))}
    assert offered_sectors == (set() if own is None else {sector})


# --- Finding 11: what a step writes is read-only through generic CRUD and the API ---------------------------
@pytest.fixture(scope="module")
def surveyed(app):
    """A clinic permit (KESEHATAN) past Kasi's request for recommendation and the survey: the steps wrote a
    recommendation (open, with its request letter) and a survey with its BAP."""
    client = app.test_client()
    desk = Desk(app, client, lambda username: api_token(client, username))
    application = desk.register("IZIN_KLINIK")
    desk.ok("fo", application, "fo_input", risk_level="tinggi")
    desk.ok("fo", application, "berita_dokumen")
    desk.ok("bo", application, "bo_upload")
    desk.ok("kasi", application, "kasi_verification", outcome="complete", checked=desk.ticks(application),
            request_letter_number="REK/11/2026")
    bap = desk.upload("kasi", application, "BAP")
    desk.ok("kasi", application, "kasi_verification", **{**survey(), "bap_document": bap})
    return desk, application


def _step_records(app, application_id):
    with app.app_context():
        session = app.appbuilder.session
        [open_one] = session.query(Recommendation).filter_by(application_id=application_id).all()
        [surveyed_once] = session.query(SurveySchedule).filter_by(application_id=application_id).all()
        verifications = session.query(Verification).filter_by(application_id=application_id).count()
        return open_one, surveyed_once, verifications


@pytest.mark.parametrize("username", ALL_USERS)
def test_finding_11_step_records_are_read_only_outside_the_step(app, surveyed, username):
    _desk, application = surveyed
    recommendation_before, survey_before, verifications = _step_records(app, application)
    assert recommendation_before.request_letter_number == "REK/11/2026"
    ids = {"recommendation": recommendation_before.id, "survey": survey_before.id, "verification": MISSING_ID,
           "step_history": MISSING_ID}
    client = app.test_client()
    headers = api_token(client, username)
    body = {"application": application, "decision": "approve", "reason": "layak", "result": "valid",
            "location": "Jl. Lain", "scheduled_at": "2026-12-01T09:00:00"}
    for resource, pk in ids.items():
        answers = {"post": client.post(f"/api/v1/{resource}/", headers=headers, json=body),
                   "put": client.put(f"/api/v1/{resource}/{pk}", headers=headers, json=body),
                   "delete": client.delete(f"/api/v1/{resource}/{pk}", headers=headers)}
        allowed = {method: a.status_code for method, a in answers.items() if a.status_code not in DENIED_API}
        assert allowed == {}, resource

    screen = web(app, username)
    for base, pk in (("/recommendations", ids["recommendation"]), ("/surveys", ids["survey"]),
                     ("/verifications", MISSING_ID), ("/step-history", MISSING_ID)):
        assert not web_allowed(screen.get(f"{base}/add")), base
        assert not web_allowed(screen.get(f"{base}/edit/{pk}")), base
        assert not web_allowed(screen.post(f"{base}/delete/{pk}")), base
    recommendation_after, survey_after, verifications_after = _step_records(app, application)
    assert ((recommendation_after.decision, recommendation_after.decided_by_id)
            == (recommendation_before.decision, recommendation_before.decided_by_id))
    assert (survey_after.location, survey_after.scheduled_at) == (survey_before.location, survey_before.scheduled_at)
    assert verifications_after == verifications


def test_finding_11_the_step_still_writes_its_records(app, surveyed):
    desk, application = surveyed
    desk.ok("teknis_kesehatan", application, "technical_assessment", **{
        **recommendation("approve", reason="Memenuhi syarat"),
        "document": desk.upload("teknis_kesehatan", application, "SURAT_REKOMENDASI")})
    decided, _survey, _verifications = _step_records(app, application)
    with app.app_context():
        teknis = app.appbuilder.sm.find_user(username="teknis_kesehatan")
    assert decided.decision.name == "approve" and decided.decided_by_id == teknis.id
    assert decided.document_id is not None and decided.decided_at is not None


# --- Finding 12: FO registers applications, BO does not -----------------------------------------------------
REGISTERS = {"fo", "admin_test"}


@pytest.mark.parametrize("username", ALL_USERS)
def test_finding_12_only_fo_registers_applications(app, cases, username):
    with app.app_context():
        session = app.appbuilder.session
        applicant_id = session.get(Application, cases["PUPR"].application_id).applicant_id
        service_id = session.query(Service).filter_by(code="KARTU_AK1").one().id
        before = session.query(Application).filter_by(applicant_id=applicant_id).count()
    client = app.test_client()
    response = client.post("/api/v1/application/", headers=api_token(client, username),
                           json={"applicant": applicant_id, "service": service_id})
    screen = web(app, username)
    if username in REGISTERS:
        assert response.status_code == 201, response.get_json()
        assert web_allowed(screen.get("/applications/add"))
        assert 'id="new-application"' in screen.get("/").get_data(as_text=True)
        return
    assert response.status_code in DENIED_API
    assert not web_allowed(screen.get("/applications/add"))
    assert 'id="new-application"' not in screen.get("/").get_data(as_text=True)
    with app.app_context():
        assert app.appbuilder.session.query(Application).filter_by(applicant_id=applicant_id).count() == before
