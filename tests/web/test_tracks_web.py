"""Each track end to end through the web forms (the scripts of tests/tracks.py), each step posted by a user
of its role, logged in: a wrong role is refused on the web too, the application page shows the timeline
(actual against standard, SLA flags), and the audit log names who completed each step."""

import io
import uuid

import pytest

from app.models import Application
from tests.archive.samples import text_pdf
from tests.tracks import SCRIPTS, TICKS, Upload, backdate, check_timeline
from tests.web.pages import table_rows
from tests.web.test_workflow_screens import web


def state(app, application_id):
    with app.app_context():
        application = app.appbuilder.session.get(Application, application_id)
        step = application.current_step.code if application.current_step else None
        return step, application.status.name, len(application.history)


def form_data(step, ticks) -> dict:
    """The step's data as its form posts it: uploads as files (real PDFs) with their document type, the
    requirements ticked as checkboxes."""
    data = {}
    for name, value in step.data.items():
        if isinstance(value, Upload):
            data[name] = (io.BytesIO(text_pdf(f"{value.document_type} {uuid.uuid4()}")), f"{value.document_type}.pdf")
            data[f"{name}_type"] = value.document_type
        elif value is TICKS:
            data[name] = [str(tick) for tick in ticks]
        else:
            data[name] = value
    return data


def check_answer(response, step, application):
    page = response.get_data(as_text=True)
    if step.recorded:
        assert response.status_code == 302 and response.location.endswith("/tasks/"), (step, page[-3000:])
    elif step.status == 422:
        assert response.status_code == 422 and "help-block" in page, step  # the form again, with the error
    else:
        # Another sector's team cannot even see the file (404); any other role is sent to its page.
        assert response.status_code == 404 or (
            response.status_code == 302 and response.location.endswith(f"/application/{application}")), step


def play(app, desk, script) -> int:
    application = desk.register(script.service)
    if script.started_at:
        backdate(app, application, script.started_at)
    clients = {}
    for step in script.played():
        clients[step.user] = clients.get(step.user) or web(app, step.user)
        before = state(app, application)
        if step.recorded:
            assert before[0] == step.step, (step, before)  # the form the user opens is this step's
        if step.scans:
            desk.upload_required(step.user, application)
        response = clients[step.user].post(f"/tasks/{application}", data=form_data(step, desk.ticks(application)),
                                           content_type="multipart/form-data")
        check_answer(response, step, application)
        if not step.recorded:
            assert state(app, application) == before, step
    return application


@pytest.mark.parametrize("make_script", SCRIPTS, ids=lambda make_script: make_script.__name__)
def test_each_track_through_the_web_forms(app, desk, make_script):
    script = make_script()
    application = play(app, desk, script)
    check_timeline(app, script, desk.timeline(application))

    page = web(app, "pimpinan").get(f"/application/{application}").get_data(as_text=True)
    assert 'id="input-rule"' in page  # registration to berita dokumen, against the decree's hour
    rows = table_rows(page, "timeline")
    assert [attrs["data-node"] for attrs, _ in rows] == [row["node"] for row in desk.timeline(application)["steps"]]
    for (attrs, cells), step in zip(rows, desk.timeline(application)["steps"]):
        working, standard, met = cells[6:9]
        # actual beside standard, read as working days and hours
        assert working.endswith(" kerja") and standard.endswith(" kerja"), cells
        late = attrs["data-node"] in script.late and step["working_minutes"] > step["standard_minutes"]
        assert met == ("Tidak" if late else "Ya") and ("danger" in attrs.get("class", "")) == late, cells
