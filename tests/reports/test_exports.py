"""The report as XLSX and PDF (opened and read back), the Admin's letterhead on it, and the monthly report
as SOP-003 step 10 recorded in the step history."""

import datetime as dt
import io

import openpyxl
import pdfplumber
import pytest
from PIL import Image

from app.models import AuditLog, MonthlyReport, StepHistory
from app.reports.period import month_of
from app.workflow.calendar import working_minutes
from tests.conftest import api_token, web_login
from tests.reports.conftest import MARCH, yaml_standard


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 60), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def _rows(sheet):
    return [row for row in sheet.iter_rows(values_only=True)]


def test_xlsx_has_a_sheet_per_table_with_real_numbers_and_dates(client, march):
    response = client.get("/api/v1/report/export", query_string={**MARCH, "format": "xlsx"},
                          headers=api_token(client, "pimpinan"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    assert {"Ringkasan", "Waktu per langkah", "SLA officer", "IKM", "Berkas terlama"} <= set(workbook.sheetnames)
    summary = _rows(workbook["Ringkasan"])
    assert summary[1][1] == dt.datetime(2019, 3, 1)  # the period's first day, as a date
    assert ("Diterima", 6) in [row[:2] for row in summary] and ("Izin terbit", 1) in [row[:2] for row in summary]
    assert any(row[2:6] == (10, 10.5, 12, yaml_standard("bo_upload")) for row in _rows(workbook["Waktu per langkah"]))
    assert any(row[1:4] == (3, pytest.approx(87 / 27, abs=1e-4), 80.56) for row in _rows(workbook["IKM"]))
    oldest = _rows(workbook["Berkas terlama"])
    assert any(isinstance(row[4], dt.datetime) for row in oldest[4:])


def test_pdf_carries_the_letterhead_period_tables_and_page_numbers(client, app, march):
    admin = app.test_client()
    web_login(admin, "admin_test")
    saved = admin.post("/reports/letterhead/", content_type="multipart/form-data", data={
        "office_name": "DPMPTSP Kota Uji", "address": "Jl. Imam Bonjol No. 1", "phone": "0751-000",
        "logo": (io.BytesIO(_png()), "logo.png")})
    assert saved.status_code == 302
    refused = admin.post("/reports/letterhead/", content_type="multipart/form-data", data={
        "office_name": "X", "address": "Y", "logo": (io.BytesIO(b"not an image"), "logo.png")})
    assert "PNG atau JPEG" in refused.get_data(as_text=True)

    web_login(client, "kadis")
    response = client.get("/reports/export", query_string={**MARCH, "format": "pdf"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.data)) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
        assert document.pages[0].images  # the logo
        pages = len(document.pages)
    assert "DPMPTSP Kota Uji" in text and "Jl. Imam Bonjol No. 1" in text
    assert "Periode: 01-03-2019 s.d. 31-03-2019" in text
    assert f"Halaman {pages}" in text and "Dicetak oleh Kadis Test pada" in text
    assert "80.56" in text and "Izin terbit" in text and "Kepatuhan SLA per petugas" in text
    with app.app_context():
        assert app.appbuilder.session.query(AuditLog).filter_by(action="export", username="kadis").count() >= 1


def test_a_bad_format_or_role_gets_no_file(client, march):
    response = client.get("/api/v1/report/export", query_string={**MARCH, "format": "doc"},
                          headers=api_token(client, "pimpinan"))
    assert response.status_code == 400 and "Format" in response.get_json()["message"]
    response = client.get("/api/v1/report/export", query_string={**MARCH, "format": "xlsx"},
                          headers=api_token(client, "teknis_kesehatan"))
    assert response.status_code == 403


def test_the_monthly_report_completes_step_10_in_the_step_history(client, app, march):
    kadis = app.test_client()
    web_login(kadis, "kadis")
    assert kadis.get("/reports/month/2019/3").status_code == 200
    with app.app_context():
        assert app.appbuilder.session.query(MonthlyReport).filter_by(period_start=dt.date(2019, 3, 1)).count() == 0
    assert kadis.post("/reports/month/2019/3").status_code == 403  # SOP-003 step 10 is Pimpinan's

    web_login(client, "pimpinan")
    assert client.get("/reports/month/2019/3").status_code == 200  # opening starts the clock
    produced = client.post("/reports/month/2019/3", follow_redirects=True)
    assert "Laporan dihasilkan dalam" in produced.get_data(as_text=True)
    client.post("/reports/month/2019/3")  # a second time changes nothing
    with app.app_context():
        session = app.appbuilder.session
        report = session.query(MonthlyReport).filter_by(period_start=dt.date(2019, 3, 1)).one()
        history = session.query(StepHistory).filter_by(node="leadership_report").all()
        mine = [h for h in history if h.id == report.step_history_id]
        assert len(mine) == 1 and len([h for h in history if h.data["period_start"] == "2019-03-01"]) == 1
        step = mine[0]
        assert (step.step.code, step.step.sop.code, step.actor_role, step.application_id) == (
            "leadership_report", "SOP-003", "Pimpinan", None)
        assert step.standard_minutes == yaml_standard("leadership_report")
        assert step.working_minutes == working_minutes(session, report.started_at, report.produced_at)
        assert step.met_standard is (step.working_minutes <= step.standard_minutes)
        assert report.figures["applications"]["total"]["received"] == 6
        today = month_of(step.finished_at.date())
    pdf = client.get("/reports/month/2019/3.pdf")
    assert pdf.status_code == 200
    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        assert "Periode: 01-03-2019 s.d. 31-03-2019" in document.pages[0].extract_text()
    # The step counts in the figures of the month it was done in, beside its standard.
    figures = client.get("/api/v1/report/summary", query_string=today.as_args(),
                         headers=api_token(client, "pimpinan")).get_json()
    assert any(row["step"] == "SOP-003/leadership_report" and row["standard_minutes"] == 22
               for row in figures["step_times"])


def test_a_month_not_ended_cannot_be_produced(client, app):
    web_login(client, "pimpinan")
    today = dt.date.today()
    client.get(f"/reports/month/{today.year}/{today.month}")
    refused = client.post(f"/reports/month/{today.year}/{today.month}", follow_redirects=True)
    assert "tidak dapat dihasilkan" in refused.get_data(as_text=True)


def test_a_late_monthly_report_is_listed_among_the_breaches(app, march):
    """Step 10 has no application: the breaches page names its month instead of linking a file."""
    from app.workflow.registration import current_sop

    with app.app_context():
        session = app.appbuilder.session
        step = next(s for s in current_sop(session).steps if s.code == "leadership_report")
        session.add(StepHistory(step_id=step.id, node="leadership_report", actor_role="Pimpinan",
                                user_id=app.appbuilder.sm.find_user(username="pimpinan").id,
                                started_at=dt.datetime(2019, 5, 6, 2), finished_at=dt.datetime(2019, 5, 8, 2),
                                sop_revision=step.sop.revision, standard_minutes=step.standard_minutes,
                                working_minutes=960, met_standard=False, outcome="done",
                                data={"period_start": "2019-04-01", "period_end": "2019-04-30"}))
        session.commit()
    kasi = app.test_client()
    web_login(kasi, "kasi")
    page = kasi.get("/sla-breaches/")
    assert page.status_code == 200 and "Laporan bulanan 2019-04-01" in page.get_data(as_text=True)
