"""The SIGAP app factory."""

from pathlib import Path

from flask import Flask
from flask_appbuilder import AppBuilder, Model
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app import instance
from app.extensions import db, migrate

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(overrides: dict | None = None) -> Flask:
    flask_app = Flask(__name__)
    flask_app.config.from_object("config")
    flask_app.config.update(overrides or {})
    instance.prepare(flask_app.config)
    from app.security.networks import parse_networks

    parse_networks(flask_app.config["OFFICE_NETWORKS"])  # a mistyped network stops the start, not a request

    from app import models  # noqa: F401  (registers the tables)

    db.init_app(flask_app)
    migrate.init_app(flask_app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    # A new AppBuilder per app: one shared across apps silently skips view registration.
    from app.views.home import SigapIndexView

    appbuilder = AppBuilder(indexview=SigapIndexView)
    with flask_app.app_context():
        appbuilder.init_app(flask_app, db.session)
        from app import archive, audit, cli, notify, storage, views
        from app.archive import tasks
        from app.identity import text
        from app.ops import commands as ops_commands
        from app.reports import tasks as report_tasks
        from app.storage import documents
        from app.views import error_handlers

        views.register(appbuilder)
        error_handlers.init_app(flask_app)
        storage.init_app(flask_app)
        archive.init_app(flask_app)
        notify.init_app(flask_app)
        report_tasks.init_app(flask_app)
        cli.init_app(flask_app)
        ops_commands.init_app(flask_app)
        # The session events, all here: the audit trail; stored objects settled with their transaction and
        # documents filed under their application's sector; extraction and index resync after each commit.
        audit.init_app(flask_app)
        documents.listen()
        text.listen()
        tasks.listen()
    return flask_app


def metadata():
    """Every SIGAP and FAB table (FAB's Model carries its own MetaData, not db.metadata)."""
    return Model.metadata


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, _record):
    """SQLite checks foreign keys only when asked, per connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
