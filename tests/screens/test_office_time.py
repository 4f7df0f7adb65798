"""Times on the generic screens are office time (WIB), written the Indonesian way, and stored as UTC."""

import datetime as dt
import uuid

from app.models import Application, AssistanceLog
from tests.web.pages import visible_text
from tests.web.test_workflow_screens import web

BOOKED_WIB = "2026-12-03 09:00:00"
BOOKED_UTC = dt.datetime(2026, 12, 3, 2, 0)


def _log_ids(app, visitor):
    with app.app_context():
        return [log.id for log in app.appbuilder.session.query(AssistanceLog).filter_by(visitor_name=visitor)]


def _stored(app, log_id):
    with app.app_context():
        return app.appbuilder.session.get(AssistanceLog, log_id).finished_at


def test_a_session_ended_at_9_wib_reads_9_on_list_show_and_edit_and_keeps_its_utc_time(app):
    # Surveys, once the example here, are written by their step alone: the assistance log has a typed time too.
    visitor = f"Tamu {uuid.uuid4().hex[:6]}"
    form = {"channel": "oss_rba", "visitor_name": visitor, "finished_at": BOOKED_WIB}
    admin = web(app, "admin_test")
    response = admin.post("/assistance-log/add", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    [log] = _log_ids(app, visitor)
    assert _stored(app, log) == BOOKED_UTC

    listed = visible_text(admin.get(f"/assistance-log/list/?_flt_0_visitor_name={visitor}").get_data(as_text=True))
    shown = visible_text(admin.get(f"/assistance-log/show/{log}").get_data(as_text=True))
    for page in (listed, shown):
        assert "3 Des 2026 09.00" in page and "02.00" not in page and "None" not in page
    edit = admin.get(f"/assistance-log/edit/{log}").get_data(as_text=True)
    assert 'value="2026-12-03 09:00"' in edit

    response = admin.post(f"/assistance-log/edit/{log}", data=form)
    assert response.status_code == 302
    assert _stored(app, log) == BOOKED_UTC  # saved unchanged: the same moment


def test_generic_lists_show_no_utc_microseconds(app, desk):
    desk.register("KARTU_AK1")
    page = visible_text(web(app, "admin_test").get("/applications/list/").get_data(as_text=True))
    assert ".2026" not in page and not any(f":{n:02d}." in page for n in range(60))


def test_a_time_typed_into_a_list_filter_is_office_time(app, desk):
    application = desk.register("KARTU_AK1")
    with app.app_context():
        created = app.appbuilder.session.get(Application, application)
        number, local = created.registration_number, created.created_at + dt.timedelta(hours=7)
        view = next(v for v in app.appbuilder.baseviews if type(v).__name__ == "ApplicationView")
        greater = next(i for i, f in enumerate(view._filters.get_search_filters()["created_at"])
                       if type(f).__name__ == "FilterGreater")
    admin = web(app, "admin_test")

    def listed_after(moment):
        url = f"/applications/list/?_flt_{greater}_created_at={moment:%Y-%m-%d %H:%M:%S}&_flt_0_registration_number={number}"
        return number in visible_text(admin.get(url).get_data(as_text=True))

    assert listed_after(local - dt.timedelta(minutes=1))
    assert not listed_after(local + dt.timedelta(minutes=1))


def test_the_users_screens_read_the_office_way(app):
    """FAB's own user screens: Ya/Tidak, roles by name, the last login in office time."""
    admin = web(app, "admin_test")
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="admin_test")
        user_id, last_login = user.id, user.last_login
    listed = visible_text(admin.get("/users/list/?_flt_0_username=admin_test").get_data(as_text=True))
    assert "Ya" in listed and "True" not in listed and "[Admin]" not in listed
    shown = visible_text(admin.get(f"/users/show/{user_id}").get_data(as_text=True))
    assert office_time_of(app, last_login) in shown
    assert "True" not in shown and "None" not in shown


def office_time_of(app, moment) -> str:
    from app.views.formatting import office_time

    with app.test_request_context():
        return office_time(moment)
