"""A permit after issue: validity, the expiry filter, reminders on the working-day calendar, revocation and
correction with their history, and the public authenticity check (/cek/) with its QR code."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.audit import AppendOnlyError
from app.models import AuditLog, CalendarDay, NotifyEvent, OutboxMessage, Permit, PermitEvent
from app.notify.expiry import queue_expiry_messages
from app.permits.check import check_code
from app.permits.reminders import due_reminders
from app.permits.validity import office_today
from tests.permits.helpers import ADDRESS, add_permit, issue_through_the_steps, permit_of, register
from tests.web.pages import table_rows
from tests.web.test_workflow_screens import web

EXPIRY_BEFORE_ISSUE = "tidak boleh sebelum tanggal terbit"


# --- validity -------------------------------------------------------------------------------------------
def test_an_expiry_date_before_the_issue_date_is_refused_in_the_step_the_api_and_the_form(app, desk):
    holder = register(desk)
    desk.ok("fo", holder.application_id, "fo_input", risk_level="rendah", nib="1234567890123")
    desk.ok("fo", holder.application_id, "berita_dokumen", received=["KTP"])
    document = desk.upload("fo", holder.application_id, "IZIN")
    step = desk.step("fo", holder.application_id, "permit_upload", number="IZ-X", issued_on="2026-11-20",
                     valid_until="2026-11-19", document=document)
    assert step.status_code == 422 and EXPIRY_BEFORE_ISSUE in step.get_json()["message"]["valid_until"][0]

    api = desk.client.post("/api/v1/permit/", headers=desk.headers("bo"), json={
        "application": holder.application_id, "number": "IZ-API", "permit_type": "IZIN",
        "issued_on": "2026-11-20", "valid_until": "2026-01-01"})
    assert api.status_code == 422 and EXPIRY_BEFORE_ISSUE in api.get_json()["message"]["valid_until"][0]

    form = web(app, "bo").post("/permits/add", data={
        "application": holder.application_id, "number": "IZ-FORM", "permit_type": "IZIN",
        "issued_on": "2026-11-20", "valid_until": "2026-11-01"})
    assert EXPIRY_BEFORE_ISSUE in form.get_data(as_text=True)
    with app.app_context():
        assert app.appbuilder.session.query(Permit).filter_by(application_id=holder.application_id).count() == 0

    # Without an expiry date the permit is valid while the business operates.
    desk.ok("fo", holder.application_id, "permit_upload", number=f"IZ-{holder.application_id}-OK",
            issued_on="2026-11-20", document=document)
    page = web(app, "bo").get(f"/permit/{permit_of(app, holder).id}").get_data(as_text=True)
    assert "Berlaku selama usaha berjalan" in page and "Berlaku</span>" in page


def today_at_the_office(app):
    with app.app_context():
        return office_today()


def expiring_numbers(client, days):
    listing = client.get("/permits/list/").get_data(as_text=True)
    link = re.search(rf'href="(\?_flt_\d_valid_until={days})"', listing).group(1)
    page = client.get(f"/permits/list/{link.replace('&amp;', '&')}&psize_PermitView=100").get_data(as_text=True)
    return set(re.findall(r"IZ-[0-9a-f]{10}", page))


def test_the_permit_list_filters_what_expires_in_the_next_30_60_90_days(app, desk):
    holders = [register(desk) for _ in range(5)]
    today = today_at_the_office(app)
    soon, later, latest, far = (add_permit(app, h, today + dt.timedelta(days=d))[1]
                                for h, d in zip(holders, (10, 45, 80, 200)))
    revoked_id, revoked = add_permit(app, holders[4], today + dt.timedelta(days=10))
    with app.app_context():
        app.appbuilder.session.get(Permit, revoked_id).revoked_at = dt.datetime(2026, 1, 1)
        app.appbuilder.session.commit()
    bo = web(app, "bo")
    mine = {soon, later, latest, far, revoked}
    assert expiring_numbers(bo, 30) & mine == {soon}
    assert expiring_numbers(bo, 60) & mine == {soon, later}
    assert expiring_numbers(bo, 90) & mine == {soon, later, latest}
    api = desk.client.get("/api/v1/permit/?q=(filters:!((col:valid_until,opr:expires_within,value:60)),page_size:100)",
                          headers=desk.headers("bo"))
    assert api.status_code == 200
    assert {row["number"] for row in api.get_json()["result"]} & mine == {soon, later}


# --- reminders on the working-day calendar ----------------------------------------------------------------
# A week of 2031 (beyond the national-holiday years the calendar loads), so only weekends and these closures count.
MONDAY = dt.date(2031, 3, 3)
CLOSURES = [dt.date(2031, 3, 4), dt.date(2031, 3, 5), dt.date(2031, 3, 6)]


@pytest.fixture
def closed_week(app, monkeypatch):
    monkeypatch.setitem(app.config, "PERMIT_REMINDER_WORKING_DAYS", 3)
    with app.app_context():
        session = app.appbuilder.session
        session.add_all([CalendarDay(day=day, is_working=False, description="Banjir") for day in CLOSURES])
        session.commit()
    yield
    with app.app_context():
        session = app.appbuilder.session
        session.query(CalendarDay).filter(CalendarDay.day.in_(CLOSURES)).delete()
        session.commit()


def test_reminders_count_working_days_so_a_closed_week_brings_them_forward(app, desk, closed_week, monkeypatch):
    # Monday 3 March: closed Tuesday to Thursday. Expiring Monday 10th leaves 2 working days (3rd, 7th) though
    # 7 calendar days remain; expiring Wednesday 12th leaves 4 (3rd, 7th, 10th, 11th): not yet.
    reminded, not_yet = register(desk), register(desk)
    _, due_number = add_permit(app, reminded, dt.date(2031, 3, 10))
    _, later_number = add_permit(app, not_yet, dt.date(2031, 3, 12))
    with app.app_context():
        session = app.appbuilder.session
        reminders = {r.permit.number: r.working_days_left for r in due_reminders(session, MONDAY)}
    assert reminders.get(due_number) == 2 and later_number not in reminders

    monkeypatch.setattr("app.views.permits.office_today", lambda: MONDAY)
    for username in ("fo", "bo"):
        rows = table_rows(web(app, username).get("/tasks/").get_data(as_text=True), "permit-reminders")
        assert [cells[-1] for _, cells in rows if cells[0] == due_number] == ["2"]
        assert not [cells for _, cells in rows if cells[0] == later_number]
    assert due_number not in web(app, "kabid").get("/tasks/").get_data(as_text=True)

    # The applicant is told once, on each channel, whatever how often the daily scan runs.
    with app.app_context():
        session = app.appbuilder.session
        queue_expiry_messages(session, MONDAY)
        session.commit()
        queue_expiry_messages(session, MONDAY)
        session.commit()
        expiring = session.query(OutboxMessage).filter_by(event=NotifyEvent.permit_expiring)
        assert {(m.application_id, m.channel.name) for m in expiring.filter(OutboxMessage.application_id.in_(
            [reminded.application_id, not_yet.application_id]))} == {
            (reminded.application_id, "email"), (reminded.application_id, "whatsapp")}
        message = expiring.filter_by(application_id=reminded.application_id).first()
        assert "10-03-2031" in message.body and "/cek/" in message.body


# --- revocation and correction -----------------------------------------------------------------------
def test_a_correction_and_a_revocation_are_kept_in_the_permits_history_and_shown_on_the_public_check(app, desk):
    holder = register(desk)
    issue_through_the_steps(desk, holder, valid_until="2030-12-31")
    permit = permit_of(app, holder)
    code = check_code(permit, app.config["SECRET_KEY"])

    bo = web(app, "bo")  # records permits, but may not revoke or correct them
    assert bo.post(f"/permit-decision/{permit.id}/revoke", data={"reason": "x", "decree_number": "1"}).status_code == 403
    assert "/permit-decision/" not in bo.get(f"/permit/{permit.id}").get_data(as_text=True)
    assert permit_of(app, holder).revoked_at is None

    kasi = web(app, "kasi")
    refused = kasi.post(f"/permit-decision/{permit.id}/correct", data={"valid_until": "2031-06-30", "reason": "",
                                                                       "decree_number": "KEP/9/2026"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Isikan alasannya." in refused and permit_of(app, holder).valid_until == dt.date(2030, 12, 31)
    kasi.post(f"/permit-decision/{permit.id}/correct", data={
        "number": permit.number, "permit_type": permit.permit_type, "issued_on": "2026-11-20",
        "valid_until": "2031-06-30", "reason": "Salah ketik masa berlaku", "decree_number": "KEP/9/2026"})
    assert permit_of(app, holder).valid_until == dt.date(2031, 6, 30)

    public = app.test_client()
    app.appbuilder.sm.limiter.reset()
    assert 'id="status">Berlaku<' in public.get(f"/cek/{code}").get_data(as_text=True)

    kadis = web(app, "kadis")
    kadis.post(f"/permit-decision/{permit.id}/revoke", data={"reason": "Usaha tidak beroperasi",
                                                            "decree_number": "KEP/12/2026"})
    assert 'id="status">Dicabut<' in public.get(f"/cek/{code}").get_data(as_text=True)
    again = kadis.post(f"/permit-decision/{permit.id}/revoke", data={"reason": "lagi", "decree_number": "KEP/13"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Izin ini sudah dicabut." in again

    history = table_rows(kasi.get(f"/permit/{permit.id}").get_data(as_text=True), "history")
    assert [(cells[1], cells[2], cells[3], cells[5].split()[0]) for _, cells in history] == [
        ("Dikoreksi", "KEP/9/2026", "Salah ketik masa berlaku", "Kasi"),
        ("Dicabut", "KEP/12/2026", "Usaha tidak beroperasi", "Kadis"),
    ]
    assert "valid_until: 2030-12-31 → 2031-06-30" in history[0][1][4]
    with app.app_context():
        session = app.appbuilder.session
        events = session.query(PermitEvent).filter_by(permit_id=permit.id).order_by(PermitEvent.id).all()
        audited = session.query(AuditLog).filter_by(entity="PermitEvent", action="create").filter(
            AuditLog.entity_id.in_([str(e.id) for e in events])).count()
        assert audited == 2
        events[0].reason = "ditulis ulang"
        with pytest.raises(AppendOnlyError):
            session.flush()
        session.rollback()


# --- the public check and its QR code ---------------------------------------------------------------------
@pytest.fixture
def public(app):
    app.appbuilder.sm.limiter.reset()
    return app.test_client()


def test_the_public_check_confirms_the_permit_and_tells_nothing_personal(app, desk, public):
    holder = register(desk)
    issue_through_the_steps(desk, holder)
    permit = permit_of(app, holder)
    staff_page = web(app, "fo").get(f"/permit/{permit.id}").get_data(as_text=True)
    check_url = re.search(r'id="check-url">([^<]+)<', staff_page).group(1)
    code = check_url.rsplit("/cek/", 1)[1]
    assert str(permit.id) != code and permit.number not in code

    page = public.get(f"/cek/{code}").get_data(as_text=True)
    assert dict(_pairs(page)) == {"Nomor izin": permit.number, "Jenis Izin": permit.permit_type,
                                  "Usaha": holder.business, "Tanggal Terbit": "20-11-2026", "Status": "Berlaku"}
    for personal in (holder.nik, holder.name, ADDRESS, holder.email, holder.phone,
                     holder.registration_number, "/files/", "/documents/"):
        assert personal not in page


def _pairs(page):
    found = page.split('id="found"', 1)[1].split("</table>")[0]
    return re.findall(r"<tr><th>([^<]+)</th><td>(?:<strong[^>]*>)?([^<]+)<", found)


def test_an_expired_permit_shows_as_expired(app, desk, public):
    holder = register(desk)
    permit_id, _ = add_permit(app, holder, today_at_the_office(app) - dt.timedelta(days=1),
                              issued_on=dt.date(2025, 1, 2))
    with app.app_context():
        code = check_code(app.appbuilder.session.get(Permit, permit_id), app.config["SECRET_KEY"])
    assert 'id="status">Kedaluwarsa<' in public.get(f"/cek/{code}").get_data(as_text=True)


def test_a_tampered_or_unknown_code_is_said_so_plainly(app, desk, public):
    holder = register(desk)
    permit_id, number = add_permit(app, holder, None)
    with app.app_context():
        code = check_code(app.appbuilder.session.get(Permit, permit_id), app.config["SECRET_KEY"])
    other_id = str(permit_id + 1)
    forged = other_id + code[len(str(permit_id)):]  # another permit's id under this one's signature
    flipped = code[:-1] + ("A" if code[-1] != "A" else "B")
    for bad in (forged, flipped, str(permit_id), "bukan-kode"):
        response = public.get(f"/cek/{bad}")
        text = response.get_data(as_text=True)
        assert response.status_code == 404 and "tidak sah" in text and number not in text
    unknown = check_code(Permit(id=10**9), app.config["SECRET_KEY"])
    text = public.get(f"/cek/{unknown}").get_data(as_text=True)
    assert "Tidak ada izin yang tercatat dengan kode ini" in text


def test_the_public_check_is_rate_limited(app, public):
    codes = [public.get("/cek/1.tebakan").status_code for _ in range(12)]
    assert codes[:10] == [404] * 10 and codes[-1] == 429


def test_the_qr_code_is_on_the_permit_page_and_downloadable_for_printing(app, desk):
    holder = register(desk)
    permit_id, number = add_permit(app, holder, None)
    fo = web(app, "fo")
    page = fo.get(f"/permit/{permit_id}").get_data(as_text=True)
    assert f'src="/permit/{permit_id}/qr.svg"' in page
    shown = fo.get(f"/permit/{permit_id}/qr.svg")
    assert shown.mimetype == "image/svg+xml" and shown.get_data(as_text=True).count("<rect") > 50
    download = fo.get(f"/permit/{permit_id}/qr.svg?download=1")
    assert download.headers["Content-Disposition"] == f'attachment; filename="qr-{number}.svg"'
    # A technical team has no business with permits' pages.
    assert web(app, "teknis_pupr").get(f"/permit/{permit_id}").status_code == 403


def test_revocation_and_correction_over_the_api_refuse_bad_input_in_indonesian(app, desk):
    holder = register(desk)
    permit_id, _ = add_permit(app, holder, dt.date(2030, 1, 31), issued_on=dt.date(2026, 2, 2))
    url = f"/api/v1/permit_decision/{permit_id}"
    assert desk.client.post(f"{url}/revoke", headers=desk.headers("bo"),
                            json={"reason": "x", "decree_number": "1"}).status_code == 403

    early = desk.client.post(f"{url}/correct", headers=desk.headers("kabid"), json={
        "reason": "Salah tanggal", "decree_number": "KEP/1/2027", "valid_until": "2026-01-01"})
    assert early.status_code == 422
    assert early.get_json()["message"] == {"valid_until": [
        "Tanggal berakhir (01-01-2026) tidak boleh sebelum tanggal terbit (02-02-2026)."]}
    unchanged = desk.client.post(f"{url}/correct", headers=desk.headers("kabid"), json={
        "reason": "Salah tanggal", "decree_number": "KEP/1/2027", "valid_until": "2030-01-31"})
    assert unchanged.get_json()["message"] == {"reason": ["Tidak ada yang diubah."]}

    corrected = desk.client.post(f"{url}/correct", headers=desk.headers("kabid"), json={
        "reason": "Izin berlaku selama usaha berjalan", "decree_number": "KEP/2/2027", "valid_until": None})
    assert corrected.status_code == 200
    assert corrected.get_json()["changes"] == {"valid_until": ["2030-01-31", None]}

    no_decree = desk.client.post(f"{url}/revoke", headers=desk.headers("kadis"), json={"reason": "Tutup"})
    assert no_decree.status_code == 422
    assert no_decree.get_json()["message"] == {"decree_number": ["Isikan nomor surat keputusannya."]}
    revoked = desk.client.post(f"{url}/revoke", headers=desk.headers("kadis"),
                               json={"reason": "Tutup", "decree_number": "KEP/3/2027"})
    assert revoked.status_code == 200 and revoked.get_json()["status"] == "revoked"
    with app.app_context():
        actions = [e.action.name for e in app.appbuilder.session.query(PermitEvent).filter_by(permit_id=permit_id)]
    assert actions == ["corrected", "revoked"]
