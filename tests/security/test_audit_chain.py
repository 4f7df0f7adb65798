"""The audit log is hash-chained: `flask sigap audit-verify` finds an entry edited, deleted or moved with plain
SQL (restored after each test: the database is shared), and concurrent writers never fork the chain."""

import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select, text

from app import audit
from app.extensions import db
from app.models import AuditLog, Sector

COLUMNS = ["id", "at", "user_id", "username", "action", "entity", "entity_id", "detail", "ip_address",
           "prev_hash", "entry_hash"]


def verify(app):
    return app.test_cli_runner().invoke(args=["sigap", "audit-verify"])


def make_entries(app, count: int = 3) -> list[int]:
    """Audited events (downloads of a sector, as far as the log cares); their ids."""
    with app.app_context():
        session = app.appbuilder.session
        sector = session.query(Sector).first()
        for n in range(count):
            audit.record("download", sector, {"n": n})
        return [row.id for row in session.query(AuditLog).order_by(AuditLog.id.desc()).limit(count)][::-1]


@contextmanager
def raw_sql(app):
    with app.app_context(), db.engine.begin() as connection:
        yield connection


def saved_row(app, entry_id: int) -> dict:
    with raw_sql(app) as sql:
        return dict(sql.execute(select(AuditLog.__table__).where(AuditLog.id == entry_id)).mappings().one())


def restore(app, row: dict) -> None:
    with raw_sql(app) as sql:
        sql.execute(AuditLog.__table__.delete().where(AuditLog.id == row["id"]))
        sql.execute(AuditLog.__table__.insert().values(**row))


@contextmanager
def tampered(app, entry_ids: list[int], tamper):
    """tamper(sql) changes the entries with plain SQL; they are put back afterwards, and the log verifies again."""
    saved = [saved_row(app, entry_id) for entry_id in entry_ids]
    with raw_sql(app) as sql:
        tamper(sql)
    try:
        yield
    finally:
        for row in saved:
            restore(app, row)
    assert verify(app).exit_code == 0


def assert_broken_at(app, message: str) -> None:
    result = verify(app)
    assert result.exit_code == 1
    assert f"Audit log broken at entry {message}" in result.output


def test_audit_verify_passes_on_the_untouched_log(app):
    make_entries(app)
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "Audit log intact" in result.output


def test_audit_verify_detects_an_edited_entry(app):
    _first, middle, _last = make_entries(app)
    edit = text("UPDATE audit_log SET username = 'orang_lain' WHERE id = :id")
    with tampered(app, [middle], lambda sql: sql.execute(edit, {"id": middle})):
        assert_broken_at(app, f"{middle}: its content was changed")


def test_audit_verify_detects_a_deleted_entry(app):
    _first, middle, last = make_entries(app)
    with tampered(app, [middle], lambda sql: sql.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": middle})):
        assert_broken_at(app, f"{last}: does not follow the entry before it")


def test_audit_verify_detects_the_newest_entries_deleted(app):
    _first, middle, last = make_entries(app)
    with tampered(app, [last], lambda sql: sql.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": last})):
        assert_broken_at(app, f"{middle}: entries after it were deleted")


def test_audit_verify_detects_reordered_entries(app):
    first, middle, _last = make_entries(app)
    rows = [saved_row(app, first), saved_row(app, middle)]

    def swap(sql):
        sql.execute(AuditLog.__table__.delete().where(AuditLog.id.in_([first, middle])))
        sql.execute(AuditLog.__table__.insert(), [{**rows[1], "id": first}, {**rows[0], "id": middle}])

    with tampered(app, [first, middle], swap):
        assert_broken_at(app, f"{first}: does not follow the entry before it")


def test_audit_log_concurrent_writers_do_not_fork_the_chain(app):
    writers, entries_each = 4, 10
    start = threading.Barrier(writers)
    errors = []

    def write():
        try:
            start.wait()
            make_entries(app, entries_each)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    with app.app_context():
        before = app.appbuilder.session.query(func.count(AuditLog.id)).scalar()
    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with raw_sql(app) as sql:
        assert sql.execute(select(func.count()).select_from(AuditLog.__table__)).scalar() == \
            before + writers * entries_each
        forks = sql.execute(select(AuditLog.prev_hash).group_by(AuditLog.prev_hash)
                            .having(func.count() > 1)).all()
    assert forks == []
    assert verify(app).exit_code == 0


@pytest.mark.parametrize("column", ["entry_hash", "prev_hash"])
def test_every_entry_is_chained(app, column):
    make_entries(app, 1)
    with raw_sql(app) as sql:
        assert sql.execute(select(func.count()).select_from(AuditLog.__table__)
                           .where(getattr(AuditLog, column).is_(None))).scalar() == 0
