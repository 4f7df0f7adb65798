"""The daily list screens export what they show to XLSX: filters kept, NIK masked for roles without
Identity, a technical team's sector kept."""

import datetime as dt
import io
import uuid

import openpyxl
import pytest

from app.models import Application
from tests.conftest import api_token, web_login
from tests.records.helpers import INDIVIDUAL, unique_nik


def _sheet(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    return [row for row in workbook.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def two_applicants(app):
    """Made by its own client, outside a `with` block (a kept context would share the logged-in user)."""
    client = app.test_client()
    headers = api_token(client, "fo")
    prefix = f"Ekspor {uuid.uuid4().hex[:8]}"
    niks = []
    for number in range(2):
        nik = unique_nik()
        response = client.post("/api/v1/applicant/", headers=headers,
                               json={"kind": INDIVIDUAL, "name": f"{prefix} {number}", "nik": nik})
        assert response.status_code == 201
        niks.append(nik)
    return prefix, niks


def test_the_applicant_list_exports_its_filter_with_nik_masked_by_role(app, two_applicants):
    prefix, niks = two_applicants
    query = {"_flt_0_name": prefix}
    fo = app.test_client()
    web_login(fo, "fo")
    page = fo.get("/applicants/list/", query_string=query).get_data(as_text=True)
    assert 'id="export-xlsx"' in page and "_flt_0_name=" in page
    rows = _sheet(fo.get("/export/applicants.xlsx", query_string=query))
    assert len(rows) == 3 and {row[0] for row in rows[1:]} == {f"{prefix} 0", f"{prefix} 1"}
    assert {row[2] for row in rows[1:]} == set(niks)  # FO may see identity numbers

    kadis = app.test_client()
    web_login(kadis, "kadis")
    rows = _sheet(kadis.get("/export/applicants.xlsx", query_string=query))
    shown = {row[2] for row in rows[1:]}
    assert len(rows) == 3 and not shown & set(niks)
    assert {nik[-4:] for nik in niks} == {value[-4:] for value in shown}


def test_a_technical_team_exports_only_its_sector(app, desk):
    pupr = desk.register("PBG")
    health = desk.register("IZIN_KLINIK")
    with app.app_context():
        numbers = {pk: app.appbuilder.session.get(Application, pk).registration_number for pk in (pupr, health)}
    team = app.test_client()
    web_login(team, "teknis_pupr")
    exported = {row[0] for row in _sheet(team.get("/export/applications.xlsx"))[1:]}
    assert numbers[pupr] in exported and numbers[health] not in exported


def test_permit_dates_stay_dates(app, march):
    admin = app.test_client()
    web_login(admin, "kadis")
    rows = _sheet(admin.get("/export/permits.xlsx", query_string={"_flt_0_number": "IZ-2019-LAPORAN"}))
    assert sorted(row[3] for row in rows[1:]) == [dt.datetime(2019, 3, 15), dt.datetime(2019, 4, 1)]


def test_no_export_without_the_list_permission(app):
    team = app.test_client()
    web_login(team, "teknis_pupr")
    assert team.get("/export/applicants.xlsx").status_code == 403
    assert app.test_client().get("/export/applicants.xlsx").status_code == 302
