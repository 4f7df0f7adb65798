"""Upgrading a SQLite database with users to the security revision: user ids are no longer reused, and
nothing hangs off the rebuilt user table is lost (its rebuild must not cascade to the users' roles)."""

import secrets

from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db

ROLE_ID, USER_ID = 7, 41


def test_upgrade_keeps_users_roles_and_chains_old_audit_entries(tmp_path, s3_server):
    flask_app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}", "TESTING": True,
                            "SIGAP_INDEX_DIR": str(tmp_path / "index"), "S3_ENDPOINT": s3_server.endpoint})
    with flask_app.app_context():
        upgrade(revision="0003_archive")
        with db.engine.begin() as sql:
            sql.execute(text("INSERT INTO ab_role (id, name) VALUES (:id, 'Kasi')"), {"id": ROLE_ID})
            sql.execute(text("INSERT INTO ab_user (id, first_name, last_name, username, password, active, email)"
                             " VALUES (:id, 'A', 'B', 'lama', 'x', 1, 'lama@test.local')"), {"id": USER_ID})
            sql.execute(text("INSERT INTO ab_user_role (user_id, role_id) VALUES (:u, :r)"),
                        {"u": USER_ID, "r": ROLE_ID})
            for n in range(3):
                sql.execute(text("INSERT INTO audit_log (at, action, entity, detail) VALUES "
                                 "('2026-01-0%d 01:02:03.000004', 'create', 'Sector', :d)" % (n + 1)),
                            {"d": secrets.token_hex(4)})
        upgrade(revision="heads")
        with db.engine.begin() as sql:
            assert sql.execute(text("SELECT role_id FROM ab_user_role WHERE user_id = :u"), {"u": USER_ID}).all() == [
                (ROLE_ID,)]
            assert sql.execute(text("PRAGMA foreign_keys")).scalar() == 1
            sql.execute(text("DELETE FROM ab_user_role WHERE user_id = :u"), {"u": USER_ID})
            sql.execute(text("DELETE FROM ab_user WHERE id = :u"), {"u": USER_ID})
            sql.execute(text("INSERT INTO ab_user (first_name, last_name, username, password, active, email)"
                             " VALUES ('C', 'D', 'baru', 'x', 1, 'baru@test.local')"))
            assert sql.execute(text("SELECT id FROM ab_user WHERE username = 'baru'")).scalar() == USER_ID + 1
        result = flask_app.test_cli_runner().invoke(args=["sigap", "audit-verify"])
        assert result.exit_code == 0 and "Audit log intact: 3 entries, newest hash " in result.output, result.output
        db.engine.dispose()
