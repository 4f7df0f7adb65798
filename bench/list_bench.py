"""List-page benchmark: every list a clerk opens daily, through the test client, with 10k applications
(issue 9: each ≤ 300 ms p95), before and after the list optimisations, in one run.

    python -m bench.list_bench [--backend sqlite|postgresql] [--applications 10000] [--repeat 20]

The data are report_bench's (applications over two years, ten steps each, permits, survey answers) plus
three documents, a survey and a recommendation per tenth application, and an audit entry per step row.
Each list is timed as the role that opens it daily (Admin; Kasi for "Tugas saya"). "Before" is the same
run with the list optimisations undone (bench.list_bench.UNDONE: the views' eager loads, and the indexes
of migration 0008_perflists_indexes dropped), measured last.
"""

import argparse
import datetime as dt
import os
import statistics
import time

from bench import report_bench as rb  # noqa: E402  (sets a throwaway instance before the app is imported)

from sqlalchemy import text  # noqa: E402

from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    Application, AuditLog, Document, DocumentType, Recommendation, RecommendationDecision, SurveySchedule,
)

# URL -> user who opens it daily.
PAGES = {
    "/applications/list/": "admin_bench",
    "/applicants/list/": "admin_bench",
    "/permits/list/": "admin_bench",
    "/documents/list/": "admin_bench",
    "/tasks/": "kasi_bench",
    "/surveys/list/": "admin_bench",
    "/recommendations/list/": "admin_bench",
    "/audit-log/list/": "admin_bench",
}
TARGET_MS = 300
INDEXES = ()  # the names migration 0008_perflists_indexes creates


def add_users(app) -> None:
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_user("admin_bench", "Admin", "Bench", "admin@bench.local", sm.find_role("Admin"), password=rb.PASSWORD)
        sm.add_user("kasi_bench", "Kasi", "Bench", "kasi@bench.local", sm.find_role("Kasi"), password=rb.PASSWORD)


def add_list_rows(app) -> None:
    """Documents, surveys, recommendations and audit entries beside report_bench's rows (Core inserts)."""
    now = dt.datetime.utcnow().replace(microsecond=0)
    with app.app_context():
        session = app.appbuilder.session
        types = [pk for (pk,) in session.query(DocumentType.id)]
        applications = session.query(Application.id, Application.sector_id, Application.created_at).all()
        documents, surveys, recommendations = [], [], []
        for n, (pk, sector_id, created) in enumerate(applications):
            for k in range(3):
                documents.append({
                    "application_id": pk, "sector_id": sector_id, "document_type_id": types[(n + k) % len(types)],
                    "object_key": f"bench/{pk}/{k}", "original_filename": f"scan-{pk}-{k}.pdf",
                    "media_type": "application/pdf", "size": 150_000 + n, "sha256": f"{pk:032d}{k:032d}",
                    "version": 1, "is_current": True, "uploaded_at": created, "extraction_state": "indexed"})
            if n % 10 == 0:
                surveys.append({"application_id": pk, "scheduled_at": created + dt.timedelta(days=3),
                                "location": "Jl. Bench", "team": "Tim", "created_at": created})
                recommendations.append({"application_id": pk, "sector_id": sector_id,
                                        "request_letter_number": f"REK-{pk}", "requested_at": created,
                                        "decision": RecommendationDecision.approve.name, "decided_at": now})
        rb._insert(session, Document.__table__, documents, "documents", len(documents))
        rb._insert(session, SurveySchedule.__table__, surveys, "surveys", len(surveys))
        rb._insert(session, Recommendation.__table__, recommendations, "recommendations", len(recommendations))
        steps = session.execute(text("SELECT count(*) FROM step_history")).scalar()
        audit = [{"at": now - dt.timedelta(minutes=n), "user_id": 1, "username": "bench", "action": "update",
                  "entity": "Application", "entity_id": str(n), "detail": "{}"} for n in range(steps)]
        rb._insert(session, AuditLog.__table__, audit, "audit entries", len(audit))
        session.execute(text("ANALYZE"))
        session.commit()


def time_pages(app, repeat: int) -> dict[str, tuple[list[float], list[float]]]:
    """Per page: (wall-clock seconds, process CPU seconds) of ``repeat`` requests after one warm-up."""
    results, clients = {}, {}
    for url, username in PAGES.items():
        if username not in clients:
            clients[username] = app.test_client()
            response = clients[username].post("/login/", data={"username": username, "password": rb.PASSWORD})
            assert response.status_code == 302, username
        rb.timed(clients[username], url, 1)
        seconds = rb.timed(clients[username], url, repeat)
        results[url] = (seconds, rb.CPU[url])
    return results


def undo_optimisations(app) -> None:
    """The "before": the list optimisations off (UNDONE), their indexes dropped."""
    with app.app_context():
        for name in INDEXES:
            db.session.execute(text(f"DROP INDEX {name}"))
        db.session.commit()
    for undo in UNDONE:
        undo()


def _views_without_eager_loads() -> None:
    from app.views.base import GuardedView

    pending = [GuardedView]
    while pending:
        view = pending.pop()
        pending.extend(view.__subclasses__())
        view.list_eager = ()


UNDONE = [_views_without_eager_loads]


def report(after: dict, before: dict) -> None:
    print(f"{'page':<24} {'p50':>7} {'p95':>7} {'CPU p95':>8} | {'before p95':>10} {'CPU':>7} | "
          f"{'ratio p95':>9} {'ratio CPU':>9}  (ms; target p95 ≤ {TARGET_MS})")
    for url in PAGES:
        (seconds, cpu), (old, old_cpu) = after[url], before[url]
        print(f"{url:<24} {statistics.median(seconds) * 1000:7.0f} {rb.p95(seconds) * 1000:7.0f} "
              f"{rb.p95(cpu) * 1000:8.0f} | {rb.p95(old) * 1000:10.0f} {rb.p95(old_cpu) * 1000:7.0f} | "
              f"{rb.p95(seconds) / rb.p95(old):9.2f} {rb.p95(cpu) / rb.p95(old_cpu):9.2f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    uri, drop = rb.database(args.backend, rb.Path(os.environ["SIGAP_INSTANCE_DIR"]))
    app = None
    try:
        app = rb.make_app(uri)
        add_users(app)
        started = time.perf_counter()
        rb.generate(app, args.applications, args.applications * 10)
        add_list_rows(app)
        print(f"{args.backend}: {args.applications:,} applications generated in {time.perf_counter() - started:.0f} s;"
              f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
        after = time_pages(app, args.repeat)
        undo_optimisations(app)
        before = time_pages(app, args.repeat)
        report(after, before)
    finally:
        if app is not None:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        drop()


if __name__ == "__main__":
    main()
