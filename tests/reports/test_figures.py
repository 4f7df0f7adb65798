"""The dashboard's figures on the known March 2019 data set (tests/reports/conftest.py), against hand
computations; the list behind every figure; the API's JSON; who may see it."""

import re

import pytest

from tests.conftest import api_token, web_login
from tests.reports.conftest import MARCH, yaml_standard


@pytest.fixture
def summary(client, march):
    response = client.get("/api/v1/report/summary", query_string=MARCH, headers=api_token(client, "pimpinan"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_applications_are_counted_by_office_day_and_outcome(summary):
    # a1-a5 and a7 (1 March 06:00 WIB, still February in UTC); a6 is 1 April in WIB.
    assert summary["applications"]["total"] == {
        "received": 6, "in_progress": 3, "done": 1, "rejected": 1, "stopped": 1}
    counts = {row["label"]: (row["received"], row["in_progress"], row["done"], row["rejected"], row["stopped"])
              for row in summary["applications"]["by_service"]}
    assert sorted(counts.values()) == [(2, 0, 0, 1, 1), (4, 3, 1, 0, 0)]
    assert sum(row["received"] for row in summary["applications"]["by_channel"]) == 6
    assert sum(row["received"] for row in summary["applications"]["by_sector"]) == 6


def test_permits_issued_in_the_period(summary):
    assert summary["permits_issued"]["total"] == 1  # the other is dated 1 April


def test_step_times_average_p90_and_the_sop_standard(summary, march):
    rows = {row["key"]: row for row in summary["step_times"]}
    upload = rows[march.steps["bo_upload"]]
    # 3 5 7 8 9 10 10 11 12 30: mean 105/10; the 90th percentile is the 9th value (nearest rank).
    assert (upload["count"], upload["average_minutes"], upload["p90_minutes"]) == (10, 10.5, 12)
    assert upload["standard_minutes"] == yaml_standard("bo_upload")
    check = rows[march.steps["kasi_verification"]]
    # 15 16: mean 15.5; ceil(0.9 * 2) = 2nd value.
    assert (check["count"], check["average_minutes"], check["p90_minutes"]) == (2, 15.5, 16)
    assert check["standard_minutes"] == yaml_standard("kasi_verification")


def test_sla_compliance_per_step_role_service_and_officer(summary, march):
    sla = summary["sla"]
    by_step = {row["key"]: (row["timed"], row["met"], row["compliance"]) for row in sla["step"]}
    assert by_step[march.steps["bo_upload"]] == (10, 7, 70.0)  # within 10: 3 5 7 8 9 10 10
    assert by_step[march.steps["kasi_verification"]] == (2, 1, 50.0)
    assert {row["key"]: row["compliance"] for row in sla["role"]} == {"BO": 70.0, "Kasi": 50.0}
    officers = {row["label"].rsplit("(", 1)[1].rstrip(")"): (row["met"], row["timed"]) for row in sla["officer"]}
    assert officers == {"bo": (4, 6), "admin_test": (3, 4), "kasi": (1, 2)}
    assert sorted((row["met"], row["timed"], row["compliance"]) for row in sla["service"]) == [
        (3, 4, 75.0), (5, 8, 62.5)]  # the clinic: a1's six uploads (4 met) and a2's two checks (1 met)


def test_ikm_and_its_grade(summary):
    overall = summary["ikm"]["overall"]
    # Element sums 9 10 11 8 9 10 11 10 9 = 87 over 3 respondents: IKM 87/27, x25 = 80.555... -> 80.56, B.
    assert overall["respondents"] == 3
    assert overall["ikm"] == pytest.approx(87 / 27, abs=1e-12)
    assert (overall["score"], overall["grade"]) == (80.56, "B")
    assert overall["nrr"]["u4_fee"] == pytest.approx(8 / 3, abs=1e-4)
    by_service = sorted((row["respondents"], row["score"], row["grade"]) for row in summary["ikm"]["by_service"])
    assert by_service == [(1, 66.67, "C"), (2, 87.5, "B")]  # AK1: 24/9 x 25; the clinic: 3.5 x 25


def test_the_oldest_open_application_comes_first(summary, march):
    oldest = summary["oldest_open"]
    assert oldest[0]["key"] == march.ids["a7"]
    assert [row["key"] for row in oldest[:3]] == [march.ids["a7"], march.ids["a2"], march.ids["a3"]]
    assert len(oldest) <= 20


def test_every_figure_on_the_page_lists_as_many_applications(client, march):
    web_login(client, "kadis")
    page = client.get("/reports/", query_string=MARCH)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    links = re.findall(r'<a href="(/reports/applications\?[^"]+)">(\d+)</a>', html)
    assert len(links) > 30
    for href, shown in links:
        listed = client.get(href.replace("&amp;", "&"))
        assert listed.status_code == 200, href
        assert f'id="total">{shown}<' in listed.get_data(as_text=True), href
    assert "<svg" in html and 'class="bar"' in html


def test_the_received_list_is_the_hand_counted_one(client, march):
    web_login(client, "kabid")
    listed = client.get("/reports/applications", query_string={**MARCH, "basis": "received", "status": "in_progress"})
    html = listed.get_data(as_text=True)
    assert 'id="total">3<' in html
    for name in ("a2", "a3", "a7"):
        assert f'href="/application/{march.ids[name]}"' in html


def test_bad_dates_are_refused_in_indonesian(client, march):
    headers = api_token(client, "pimpinan")
    for query in ({"start": "2019-13-01", "end": "2019-03-31"}, {"start": "2019-03-31", "end": "2019-03-01"},
                  {"start": "2019-03-01"}):
        response = client.get("/api/v1/report/summary", query_string=query, headers=headers)
        assert response.status_code == 400
        assert re.search(r"tanggal", response.get_json()["message"], re.I), response.get_json()
    web_login(client, "pimpinan")
    page = client.get("/reports/", query_string={"start": "kemarin", "end": "2019-03-31"}, follow_redirects=True)
    assert re.search(r"tanggal", page.get_data(as_text=True), re.I)


@pytest.mark.parametrize("username", ["teknis_pupr", "fo", "arsip"])
def test_roles_without_reports_are_refused(client, march, username):
    response = client.get("/api/v1/report/summary", headers=api_token(client, username))
    assert response.status_code == 403
    web_login(client, username)
    page = client.get("/reports/", query_string=MARCH)
    assert page.status_code == 403 and "sigap-chart" not in page.get_data(as_text=True)


def test_no_identity_number_on_the_dashboard_or_its_lists(client, march, app):
    from app.models import Application

    with app.app_context():
        applicants = [app.appbuilder.session.get(Application, pk).applicant for pk in march.ids.values()]
        secrets_ = [a.nik for a in applicants] + [a.name for a in applicants]
    web_login(client, "pimpinan")
    pages = [client.get("/reports/", query_string=MARCH),
             client.get("/reports/applications", query_string={**MARCH, "basis": "received"}),
             client.get("/reports/applications", query_string={"basis": "open"})]
    for page in pages:
        html = page.get_data(as_text=True)
        assert not [secret for secret in secrets_ if secret in html]


def test_rolled_up_months_and_days_agree_and_a_late_row_is_counted(client, app, march):
    """March 2019 is read from its month's rollup; a period with ragged edges from day rollups."""
    import datetime as dt

    from app.models import StepHistory

    headers = api_token(client, "pimpinan")
    ragged = {"start": "2019-02-20", "end": "2019-04-10"}

    def upload_step():
        figures = client.get("/api/v1/report/summary", query_string=ragged, headers=headers).get_json()
        return next(row for row in figures["step_times"] if row["key"] == march.steps["bo_upload"])

    assert (upload_step()["count"], upload_step()["p90_minutes"]) == (10, 12)
    with app.app_context():
        session = app.appbuilder.session
        late = StepHistory(application_id=march.ids["a1"], step_id=march.steps["bo_upload"], node="bo_upload",
                           actor_role="BO", user_id=app.appbuilder.sm.find_user(username="bo").id,
                           started_at=dt.datetime(2019, 4, 2, 2, 0), finished_at=dt.datetime(2019, 4, 2, 3, 0),
                           sop_revision=1, standard_minutes=10, working_minutes=40, met_standard=False,
                           outcome="done")
        session.add(late)
        session.commit()
    # 3 5 7 8 9 10 10 11 12 30 40: the 90th percentile is the 10th of 11 values.
    assert (upload_step()["count"], upload_step()["p90_minutes"]) == (11, 30)
    march_only = client.get("/api/v1/report/summary", query_string=MARCH, headers=headers).get_json()
    assert next(r for r in march_only["step_times"] if r["key"] == march.steps["bo_upload"])["count"] == 10


def test_a_tampered_list_link_is_refused_in_indonesian(client, march):
    web_login(client, "pimpinan")
    for query in ({"basis": "everything"}, {"service": "1 OR 1=1"}, {"status": "lost"}):
        response = client.get("/reports/applications", query_string={**MARCH, **query})
        assert response.status_code == 302
        assert "tidak ada di dasbor" in client.get(response.location).get_data(as_text=True)
