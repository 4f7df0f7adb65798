"""Inbox benchmark: how long Kasi's "Tugas saya" takes with many open files, with the office calendar and
the SOP flow rebuilt on every call (as before) and built once per request (as now), in the same run.

    python -m bench.inbox_bench 2000 [--repeat 3]

Makes a throwaway SQLite instance with that many open applications spread over Kasi's steps and
others' steps, then times GET /tasks/ as Kasi (best of --repeat) each way.
"""

import argparse
import datetime as dt
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

# Settings are read at import: a throwaway instance, never the developer's own.
os.environ["SIGAP_INSTANCE_DIR"] = tempfile.mkdtemp(prefix="sigap-bench-")

from app import create_app  # noqa: E402
from app.cli import initialise  # noqa: E402
from app.models import Applicant, ApplicantKind, Application, RiskLevel, Service  # noqa: E402
from app.workflow import calendar, flow  # noqa: E402
from app.workflow.context import context_of  # noqa: E402
from app.workflow.registration import prepare_new_application  # noqa: E402

PASSWORD = "Bench-12345"  # the password policy wants 10 characters
# Where the open files wait: two of Kasi's steps and two of other roles' (which the inbox skips).
NODES = ("kasi_verification", "final_verification_kasi", "bo_upload", "permit_upload")


def make_app(instance: Path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'bench.db'}", "WTF_CSRF_ENABLED": False,
                      "HUEY_IMMEDIATE": True})
    with app.app_context():
        initialise()
        sm = app.appbuilder.sm
        sm.add_user("kasi", "Kasi", "Bench", "kasi@bench.local", sm.find_role("Kasi"), password=PASSWORD)
    return app


def open_applications(app, count: int) -> None:
    """``count`` files of a high-risk OSS service, each waiting at one of NODES since up to ten days ago."""
    with app.app_context():
        session = app.appbuilder.session
        service = session.query(Service).filter_by(code="IZIN_KLINIK").one()
        now = dt.datetime.utcnow()
        for number in range(count):
            applicant = Applicant(kind=ApplicantKind.individual, name=f"Pemohon {number}",
                                  nik=f"137701450290{number % 9999 + 1:04d}")
            application = Application(applicant=applicant, service=service, risk_level=RiskLevel.tinggi,
                                      registration_number=f"REG-BENCH-{number:06d}")
            prepare_new_application(session, application)
            node = flow.flow_of(application.sop).track("oss_high_risk").node(NODES[number % len(NODES)])
            application.track, application.current_node = "oss_high_risk", node.id
            application.current_step = context_of(application).step_of(node)
            application.step_started_at = now - dt.timedelta(minutes=7 * number % (10 * 24 * 60))
            session.add(application)
        session.commit()


@contextmanager
def rebuilt_on_every_call():
    """The code as it was: nothing kept for the request (calendar, flow), no national holidays kept."""
    kept = calendar.per_request, flow.per_request, calendar.national_holidays
    calendar.per_request = flow.per_request = lambda _key, build: build()
    calendar.national_holidays = lambda years: calendar._national_holidays.__wrapped__(tuple(years))
    try:
        yield
    finally:
        calendar.per_request, flow.per_request, calendar.national_holidays = kept


def render_inbox(client) -> tuple[float, int]:
    """Seconds to render Kasi's inbox, and how many tasks it lists."""
    started = time.perf_counter()
    response = client.get("/tasks/")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return elapsed, response.get_data(as_text=True).count("/tasks/") - 1  # each task's "Open", less the menu's


def best_of(repeat: int, client) -> tuple[float, int]:
    runs = [render_inbox(client) for _ in range(repeat)]
    return min(seconds for seconds, _ in runs), runs[0][1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int, nargs="?", default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    app = make_app(Path(os.environ["SIGAP_INSTANCE_DIR"]))
    open_applications(app, args.count)
    client = app.test_client()
    assert client.post("/login/", data={"username": "kasi", "password": PASSWORD}).status_code == 302
    best_of(1, client)  # warm up: templates, SOP steps, the holidays package
    with rebuilt_on_every_call():
        before, listed_before = best_of(args.repeat, client)
    after, listed_after = best_of(args.repeat, client)
    assert listed_before == listed_after, (listed_before, listed_after)
    print(f"inbox of Kasi, {args.count} open applications, {listed_after} of them Kasi's (best of {args.repeat}):")
    print(f"  calendar and flow rebuilt on every call: {before:7.2f} s")
    print(f"  calendar and flow kept per request:      {after:7.2f} s")
    print(f"  ratio before / after:                    {before / after:7.1f}x")


if __name__ == "__main__":
    main()
