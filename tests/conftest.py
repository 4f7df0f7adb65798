"""Shared fixtures: a real local S3 server, and the app on SQLite and on PostgreSQL.

Every test that takes ``app`` (or anything built on it) runs once per database backend.
"""

import os
import secrets
import tempfile
import uuid

# Settings are read at import: point the instance folder away from the developer's own first.
os.environ["SIGAP_INSTANCE_DIR"] = tempfile.mkdtemp(prefix="sigap-instance-")

import psycopg2  # noqa: E402
import pytest  # noqa: E402
from psycopg2 import sql  # noqa: E402

from app import create_app  # noqa: E402
from app.cli import initialise  # noqa: E402
from app.models import Sector, UserSector  # noqa: E402
from app.security.roles import ROLES, TECHNICAL_TEAM  # noqa: E402
from app.storage import LocalS3Server  # noqa: E402

POSTGRES_ADMIN_DSN = os.environ.get("SIGAP_TEST_POSTGRES_DSN", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")
PASSWORD = "Rahasia-123"
# The browser tests' fixtures (Chromium on a live app), for every folder.
pytest_plugins = ["tests.browser"]
# A technical-team user for each of two sectors, to check they never see each other's files.
TEAM_SECTORS = {"teknis_pupr": "PUPR", "teknis_kesehatan": "KESEHATAN"}


def role_username(role: str) -> str:
    return role.lower().replace(" ", "_")


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    server = LocalS3Server(
        tmp_path_factory.mktemp("s3"), f"test-{secrets.token_hex(4)}", secrets.token_urlsafe(24), s3_port=0
    )
    with server:
        yield server


def _postgres_database():
    name = f"sigap_test_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(POSTGRES_ADMIN_DSN)
    admin.autocommit = True
    admin.cursor().execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    params = admin.get_dsn_parameters()

    def drop():
        admin.cursor().execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()

    return f"postgresql+psycopg2://{params['user']}@{params['host']}:{params['port']}/{name}", drop


def _database(backend, tmp_path_factory):
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'sigap.db'}", lambda: None
    return _postgres_database()


def _create_users(flask_app):
    sm = flask_app.appbuilder.sm
    session = flask_app.appbuilder.session
    for role in ROLES:
        if role != TECHNICAL_TEAM:
            sm.add_user(role_username(role), role, "Test", f"{role_username(role)}@test.local",
                        sm.find_role(role), password=PASSWORD)
    for username, sector_code in TEAM_SECTORS.items():
        user = sm.add_user(username, username, "Test", f"{username}@test.local",
                           sm.find_role(TECHNICAL_TEAM), password=PASSWORD)
        sector = session.query(Sector).filter_by(code=sector_code).one()
        session.add(UserSector(user_id=user.id, sector_id=sector.id))
    sm.add_user("admin_test", "Admin", "Test", "admin_test@test.local", sm.find_role("Admin"), password=PASSWORD)
    session.commit()


def build_app(backend: str, s3_server, tmp_path_factory, bucket: str | None = None, initialised: bool = True,
              **config):
    """An app on a new database of `backend` (initialised, with its users, unless told otherwise), its own
    bucket on `s3_server`, index and queue, and any other `config`. Returns the app and a function that drops
    its database."""
    uri, drop = _database(backend, tmp_path_factory)
    flask_app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": uri,
        "WTF_CSRF_ENABLED": False,
        "S3_ENDPOINT": s3_server.endpoint,
        "S3_LOCAL": False,
        "S3_ACCESS_KEY": s3_server.access_key,
        "S3_SECRET_KEY": s3_server.secret_key,
        "S3_BUCKET": bucket or f"sigap-test-{backend}",
        "SIGAP_BACKEND": backend,
        "SIGAP_INDEX_DIR": str(tmp_path_factory.mktemp("index")),
        "HUEY_SQLITE_PATH": str(tmp_path_factory.mktemp("queue") / "huey.db"),
        # Extraction runs inline; tests/archive/test_worker.py runs the real consumer.
        "HUEY_IMMEDIATE": True,
        # Every test logs in from 127.0.0.1: the login limit per address is tested on its own.
        "AUTH_RATE_LIMIT": "10000 per minute",
        **config,
    })
    with flask_app.app_context():
        from app.storage import get_store

        get_store().ensure_bucket()
        if initialised:
            initialise()
            _create_users(flask_app)

    def close():
        with flask_app.app_context():
            from app.extensions import db

            flask_app.appbuilder.session.remove()
            db.engine.dispose()
        drop()

    return flask_app, close


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def app(request, s3_server, tmp_path_factory):
    flask_app, close = build_app(request.param, s3_server, tmp_path_factory)
    yield flask_app
    close()


@pytest.fixture
def client(app):
    with app.test_client() as test_client:
        yield test_client


@pytest.fixture
def db_session(app):
    with app.app_context():
        yield app.appbuilder.session


def web_login(client, username: str, password: str = PASSWORD):
    response = client.post("/login/", data={"username": username, "password": password})
    assert response.status_code == 302, f"login of {username} failed"
    return response


def api_token(client, username: str, password: str = PASSWORD) -> dict:
    response = client.post(
        "/api/v1/security/login",
        json={"username": username, "password": password, "provider": "db", "refresh": True},
    )
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


@pytest.fixture
def login(client):
    def _login(username):
        web_login(client, username)
        return client
    return _login


@pytest.fixture
def auth(client):
    return lambda username: api_token(client, username)


@pytest.fixture
def desk(app):
    """Registers applications and completes their steps over the API (tests/desk.py).

    Its own client, outside a `with` block: a kept request context would share `g` (the logged-in
    user) with the web clients of the same test."""
    from tests.desk import Desk

    own = app.test_client()
    return Desk(app, own, lambda username: api_token(own, username))
