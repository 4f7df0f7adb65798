"""Each role's home page says what waits, and leads to it in one click."""

import datetime as dt

from app.models import Application
from app.views.formatting import working_time
from tests.conftest import PASSWORD, TECHNICAL_TEAM
from tests.web.pages import visible_text
from tests.web.test_workflow_screens import web
from tests.workflow.test_engine import backdate


def home(app, username) -> str:
    return web(app, username).get("/").get_data(as_text=True)


def test_the_front_office_sees_its_inbox_queue_and_new_application(app, desk):
    application = desk.register("KARTU_AK1")
    page = home(app, "fo")
    with app.app_context():
        number = app.appbuilder.session.get(Application, application).registration_number
    assert 'id="inbox-count"' in page and 'id="next-task"' in page
    assert 'action="/queue/call"' in page and 'name="counter"' in page
    assert 'id="new-application" href="/counter/intake/"' in page  # the guided counter intake
    assert int(page.split('id="inbox-count">')[1].split("<")[0]) >= 1
    assert number in page or "Berikutnya" in visible_text(page)


def test_kasi_is_told_what_is_overdue_and_goes_to_the_next_verification(app, desk):
    application = desk.register("SK_PENELITIAN")
    for username, step in (("fo", "fo_input"), ("fo", "berita_dokumen"), ("bo", "bo_upload")):
        desk.ok(username, application, step)
    backdate(app, application, dt.datetime(2026, 1, 5, 1, 0))
    page = home(app, "kasi")
    overdue = page.split('id="overdue"')[1].split("</table>")[0]
    assert int(page.split('id="overdue-count">')[1].split("<")[0]) >= 1
    assert f'href="/tasks/{application}"' in overdue
    assert "hari" in visible_text(overdue) and "kerja" in visible_text(overdue)  # days, not minutes
    assert 'href="/tasks/' in page.split('id="next-task"')[0][-300:] + page.split('id="next-task"')[1][:300]


def test_the_last_applications_i_worked_on_are_listed(app, desk):
    application = desk.register("KARTU_AK1")
    desk.ok("fo", application, "fo_input", risk_level="tinggi")
    with app.app_context():
        number = app.appbuilder.session.get(Application, application).registration_number
    assert number in home(app, "fo").split('id="recent"')[1]
    assert number not in home(app, "kabid").split('id="recent"')[1]


def test_working_time_reads_in_days_and_hours(app):
    with app.test_request_context():
        assert working_time(2 * 480 + 3 * 60) == "2 hari 3 jam kerja"
        assert working_time(13440) == "28 hari kerja"
        assert working_time(45) == "45 menit kerja"


def test_a_technical_team_member_without_a_sector_is_told_whom_to_ask(app):
    sm = app.appbuilder.sm
    with app.app_context():
        if not sm.find_user(username="teknis_tanpa_sektor"):
            sm.add_user("teknis_tanpa_sektor", "Teknis", "Baru", "tanpa@test.local", sm.find_role(TECHNICAL_TEAM),
                        password=PASSWORD)
    page = home(app, "teknis_tanpa_sektor")
    assert 'id="without-sector"' in page and "Admin" in page.split('id="without-sector"')[1][:400]
    assert 'id="without-sector"' not in home(app, "teknis_pupr")


def test_the_admin_sees_system_health(app):
    page = home(app, "admin_test")
    assert 'id="health"' in page and 'id="storage"' in page and 'id="worker"' in page
    assert "Berfungsi" in page.split('id="storage"')[1][:300]  # the test S3 server is up
    assert 'id="health"' not in home(app, "fo")
