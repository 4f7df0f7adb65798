"""Leadership report benchmark: 100k applications and 1M step-history rows, then through the test client
the dashboard for a one-year period, the application list, and the XLSX export of a year.

    python -m bench.report_bench [--backend sqlite|postgresql] [--applications 100000] [--steps 1000000]
                                 [--repeat 20]

The data span the two years up to now (ten steps per application, a permit for each finished one, a
survey answer for every fifth), so a one-year period holds about half of it. The year's rollups are
built ahead first (`flask sigap reports prebuild`, app/reports/rollup.py) and timed apart; the baseline
is one call reading every row, with the rollups deleted and the migration's report indexes dropped, in
the same run.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

# Settings are read at import: a throwaway instance, never the developer's own.
os.environ["SIGAP_INSTANCE_DIR"] = tempfile.mkdtemp(prefix="sigap-bench-")

from sqlalchemy import text  # noqa: E402

from app import create_app  # noqa: E402
from app.cli import initialise  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    Applicant, Application, ApplicationStatus, Permit, RiskLevel, Service, SkmPeriod, SkmResponse, StepHistory,
)
from app.models.skm import SKM_ELEMENTS  # noqa: E402
from app.workflow.flow import flow_of  # noqa: E402
from app.workflow.registration import current_sop  # noqa: E402

PASSWORD = "Bench-12345"  # the password policy wants 10 characters
OFFICERS = 20
CHUNK = 20_000
REPORT_INDEXES = ("ix_application_report", "ix_application_backlog", "ix_permit_report", "ix_step_history_report",
                  "ix_skm_response_report")
STATUSES = [ApplicationStatus.done] * 6 + [ApplicationStatus.in_progress, ApplicationStatus.waiting_applicant,
                                           ApplicationStatus.rejected, ApplicationStatus.stopped]


def progress(label: str, done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r{label:<22} [{'#' * filled}{'.' * (width - filled)}] {done:>9,}/{total:,}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def database(backend: str, folder: Path):
    if backend == "sqlite":
        return f"sqlite:///{folder / 'bench.db'}", lambda: None
    import psycopg2

    name = f"sigap_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres")
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')

    def drop():
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}", drop


def make_app(uri: str):
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "WTF_CSRF_ENABLED": False, "HUEY_IMMEDIATE": True,
                      "S3_LOCAL": False})
    with app.app_context():
        initialise()
        sm = app.appbuilder.sm
        sm.add_user("pimpinan", "Pimpinan", "Bench", "pimpinan@bench.local", sm.find_role("Pimpinan"),
                    password=PASSWORD)
        for number in range(OFFICERS):
            sm.add_user(f"petugas{number}", "Petugas", str(number), f"p{number}@bench.local", sm.find_role("BO"),
                        password=PASSWORD)
    return app


def _insert(session, table, rows, label, total):
    for start in range(0, len(rows), CHUNK):
        session.execute(table.insert(), rows[start:start + CHUNK])
        progress(label, min(start + CHUNK, len(rows)), total)
    session.commit()


def generate(app, applications: int, steps: int) -> None:
    """Bulk rows (Core inserts: the bench measures reading, not the audit of writing)."""
    rng = random.Random(10)
    now = dt.datetime.utcnow().replace(microsecond=0)
    with app.app_context():
        session = app.appbuilder.session
        services = session.query(Service).all()
        sop = current_sop(session)
        timed = [step for step in sop.steps if step.code not in ("applicant_arrives",)]
        officers = [user.id for user in app.appbuilder.sm.get_all_users() if user.username.startswith("petugas")]
        applicants = [{"kind": "individual", "name": f"Pemohon {n}", "nik": f"137701450290{n % 9999 + 1:04d}",
                       "created_at": now} for n in range(applications // 10)]
        _insert(session, Applicant.__table__, applicants, "applicants", len(applicants))
        first_applicant = session.query(Applicant.id).order_by(Applicant.id).first()[0]
        open_nodes = [node for node in flow_of(sop).track("sicantik").nodes if node.sop_code is None]
        steps_by_code = {step.code: step for step in sop.steps}
        rows, history, permits, answers = [], [], [], []
        per_application = steps // applications
        for n in range(applications):
            service = services[n % len(services)]
            created = now - dt.timedelta(minutes=rng.randrange(730 * 24 * 60))
            status = STATUSES[n % len(STATUSES)]
            is_open = status in (ApplicationStatus.in_progress, ApplicationStatus.waiting_applicant)
            node = open_nodes[n % len(open_nodes)] if is_open else None
            rows.append({
                "registration_number": f"REG-B-{n:07d}", "applicant_id": first_applicant + n % len(applicants),
                "service_id": service.id, "sector_id": service.sector_id, "channel": service.channel.name,
                "risk_level": rng.choice(list(RiskLevel)).name if service.channel.name == "oss_rba" else None,
                "sop_id": sop.id, "status": status.name, "problem_flag": False, "created_at": created,
                "current_node": node.id if node else None,
                "current_step_id": steps_by_code[node.step_code].id if node else None,
                "track": "sicantik",
            })
        _insert(session, Application.__table__, rows, "applications", applications)
        ids = [pk for (pk,) in session.query(Application.id).order_by(Application.id)]
        period = SkmPeriod(name="SKM bench", starts_on=(now - dt.timedelta(days=800)).date(),
                           ends_on=now.date(), is_open=True)
        session.add(period)
        session.commit()
        for n, (pk, row) in enumerate(zip(ids, rows)):
            finished = row["created_at"]
            for k in range(per_application):
                step = timed[k % len(timed)]
                finished = finished + dt.timedelta(minutes=rng.randrange(5, 600))
                minutes = int(rng.lognormvariate(2.3, 0.8))
                standard = step.standard_minutes
                history.append({
                    "application_id": pk, "step_id": step.id, "actor_role": step.actor_roles[0],
                    "user_id": officers[(n + k) % len(officers)], "started_at": finished, "finished_at": finished,
                    "sop_revision": sop.revision, "standard_minutes": standard, "working_minutes": minutes,
                    "met_standard": None if standard is None else minutes <= standard, "outcome": "done",
                    "node": step.code})
            if row["status"] == "done":
                permits.append({"application_id": pk, "number": f"IZ-B-{n:07d}", "permit_type": "Izin",
                                "issued_on": min(finished, now).date()})
            if n % 5 == 0:
                answers.append({"application_id": pk, "service_id": row["service_id"], "sector_id": row["sector_id"],
                                "period_id": period.id, "submitted_at": min(finished, now),
                                **{element: rng.randint(2, 4) for element in SKM_ELEMENTS}})
            if len(history) >= CHUNK:
                session.execute(StepHistory.__table__.insert(), history)
                history = []
                progress("step history", (n + 1) * per_application, steps)
        if history:
            session.execute(StepHistory.__table__.insert(), history)
        progress("step history", steps, steps)
        _insert(session, Permit.__table__, permits, "permits", len(permits))
        _insert(session, SkmResponse.__table__, answers, "survey answers", len(answers))
        session.execute(text("ANALYZE"))
        session.commit()


CPU = {}


def timed(client, url: str, repeat: int) -> list[float]:
    """Wall-clock seconds per request; the process's CPU seconds are kept in CPU[url] (on a shared machine
    the wall clock also counts waiting for the cores; on SQLite the CPU time includes the database's)."""
    seconds, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, (url, response.status_code)
    CPU[url] = cpu
    return seconds


def p95(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=20, method="inclusive")[18] if len(seconds) > 1 else seconds[0]


def without_rollups_or_indexes(app, client, url: str) -> float:
    """The dashboard as a plain reading of the rows would give it: one call, every day read from the rows."""
    with app.app_context():
        for name in REPORT_INDEXES:
            db.session.execute(text(f"DROP INDEX {name}"))
        for table in ("report_step_day", "report_sla_day", "report_day"):
            db.session.execute(text(f"DELETE FROM {table}"))
        db.session.commit()
    return timed(client, url, 1)[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    uri, drop = database(args.backend, Path(os.environ["SIGAP_INSTANCE_DIR"]))
    try:
        app = make_app(uri)
        started = time.perf_counter()
        generate(app, args.applications, args.steps)
        print(f"load average before timing: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"{args.backend}: {args.applications:,} applications, {args.steps:,} step-history rows "
              f"generated in {time.perf_counter() - started:.0f} s")
        client = app.test_client()
        assert client.post("/login/", data={"username": "pimpinan", "password": PASSWORD}).status_code == 302
        today = dt.date.today()
        year = f"start={today - dt.timedelta(days=364)}&end={today}"
        from app.reports.commands import prebuild  # not at the top: list_bench runs this module on main's tree
        from app.reports.rollup import prebuild_months

        started = time.perf_counter()
        with app.app_context():  # what `flask sigap reports prebuild` and the worker's nightly run do
            for month in prebuild_months():
                prebuild(month)
        built = time.perf_counter() - started
        first = timed(client, f"/reports/?{year}", 1)[0]
        dashboard = timed(client, f"/reports/?{year}", args.repeat)
        print(f"  dashboard, one year      p95 {p95(dashboard) * 1000:7.0f} ms  "
              f"(median {statistics.median(dashboard) * 1000:.0f} ms, CPU p95 "
              f"{p95(CPU[f'/reports/?{year}']) * 1000:.0f} ms; target 500)", flush=True)
        print(f"    rollups built ahead (reports prebuild): {built:.2f} s; then the first call: {first:.2f} s",
              flush=True)
        listing = timed(client, "/applications/list/", args.repeat)
        print(f"  application list         p95 {p95(listing) * 1000:7.0f} ms  "
              f"(median {statistics.median(listing) * 1000:.0f} ms, CPU p95 "
              f"{p95(CPU['/applications/list/']) * 1000:.0f} ms; target 200)", flush=True)
        export = timed(client, f"/reports/export?format=xlsx&{year}", 3)
        print(f"  XLSX export, one year    max {max(export):7.2f} s   (target 10)", flush=True)
        baseline = without_rollups_or_indexes(app, client, f"/reports/?{year}")
        print(f"  baseline dashboard, from the rows without rollups or the report indexes: {baseline:.2f} s "
              f"({baseline / p95(dashboard):.1f}x the p95)")
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        drop()


if __name__ == "__main__":
    main()
