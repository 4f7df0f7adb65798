"""`flask sigap ...`: set up the database and catalogue, and run SIGAP with what it needs."""

import secrets
import signal
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_appbuilder.security.manager import BaseSecurityManager
from flask_migrate import upgrade

from app.catalogue import load_catalogue
from app.notify.templates import seed_templates
from app.security.sync import sync_roles
from app.workflow.sop_loader import load_sops

sigap = AppGroup("sigap", help="SIGAP administration.")
ADMIN_USERNAME = "admin"


def _admin_password_file() -> Path:
    return Path(current_app.config["INSTANCE_DIR"]) / "initial-admin-password"


def ensure_first_admin() -> None:
    """Create the first administrator with a random password kept (0600) in the instance folder."""
    sm = current_app.appbuilder.sm
    if sm.find_user(username=ADMIN_USERNAME) or sm.count_users() > 0:
        return
    password = secrets.token_urlsafe(12)
    sm.add_user(ADMIN_USERNAME, "Administrator", "SIGAP", "admin@localhost",
                sm.find_role(sm.auth_role_admin), password=password)
    path = _admin_password_file()
    path.touch(mode=0o600)
    path.write_text(password)


def initialise() -> None:
    """Schema, FAB's built-in roles and permissions, catalogue, SOPs, message texts, SIGAP roles, first admin."""
    from app.views import MENU

    appbuilder = current_app.appbuilder
    upgrade(revision="heads")
    BaseSecurityManager.create_db(appbuilder.sm)
    appbuilder.add_permissions(update_perms=True)
    load_catalogue(appbuilder.session)
    load_sops(appbuilder.session)
    seed_templates(appbuilder.session)
    sync_roles(appbuilder.sm, MENU)
    ensure_first_admin()


@sigap.command("init")
def init_command():
    """Create or upgrade everything SIGAP needs in the database (safe to run again)."""
    initialise()
    click.echo("SIGAP database ready.")


def login_hint() -> str:
    path = _admin_password_file()
    if path.exists():
        return f"Log in as '{ADMIN_USERNAME}' with password '{path.read_text().strip()}' (from {path})."
    return "Log in with your SIGAP account."


def serve(flask_app, host: str = "127.0.0.1", port: int = 5000) -> None:
    """Serve SIGAP with its extraction worker, starting the local S3 server first when no S3 endpoint is
    configured."""
    from werkzeug.serving import run_simple

    from app.storage import LocalS3Server, get_store

    config = flask_app.config
    local_s3 = None
    if config["S3_LOCAL"]:
        local_s3 = LocalS3Server(config["S3_LOCAL_DATA_DIR"], config["S3_ACCESS_KEY"],
                                 config["S3_SECRET_KEY"], s3_port=config["LOCAL_S3_PORT"])
        click.echo(f"Starting the local S3 server on {local_s3.endpoint} ...")
        local_s3.start()
    worker = start_worker()
    # Ctrl-C and SIGTERM both end in the finally below, which stops what was started here
    # (SIGINT set explicitly: a parent may have left it ignored).
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, _raise_keyboard_interrupt)
    try:
        with flask_app.app_context():
            get_store().ensure_bucket()
            click.echo(f"SIGAP is at http://{host}:{port}/  {login_hint()}")
        # werkzeug directly: under the `flask` command (`flask sigap run`) app.run() returns at once.
        run_simple(host, port, flask_app, threaded=True)
    except KeyboardInterrupt:
        pass
    finally:
        stop_worker(worker)
        if local_s3:
            click.echo("Stopping the local S3 server ...")
            local_s3.stop()


def start_worker() -> subprocess.Popen:
    """The extraction worker (`flask sigap worker`) as a child process of the web app."""
    click.echo("Starting the extraction worker ...")
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "sigap", "worker"],
                            cwd=Path(__file__).resolve().parent.parent)


def stop_worker(worker: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM lets huey finish the current step; SIGKILL after `timeout`."""
    click.echo("Stopping the extraction worker ...")
    worker.terminate()
    try:
        worker.wait(timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _raise_keyboard_interrupt(*_args):
    raise KeyboardInterrupt


@sigap.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def run_command(host, port):
    """Serve SIGAP with the local S3 server when no S3 endpoint is configured."""
    serve(current_app._get_current_object(), host, port)


def init_app(flask_app) -> None:
    from app.archive.commands import COMMANDS
    from app.audit import audit_verify_command
    from app.reports.commands import reports_group

    for command in [*COMMANDS, audit_verify_command, reports_group]:
        sigap.add_command(command)
    flask_app.cli.add_command(sigap)
