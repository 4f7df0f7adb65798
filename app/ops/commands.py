"""`flask sigap check | backup | restore | serve-prod`: operating SIGAP from the command line."""

from __future__ import annotations

import datetime as dt
import signal
import sys
from collections import Counter
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.archive.sanity import KINDS, SanityCheck
from app.ops.backup import Backup, BackupError, read_manifest, restore_database, restore_objects


@click.command("check")
@with_appcontext
@click.option("--fix", is_flag=True, help="Repair what can be repaired (re-queue, re-index, restore a good "
                                          "S3 version, remove old orphan objects).")
@click.option("--checksums/--no-checksums", default=True, show_default=True,
              help="Re-hash every stored object against its row's SHA-256.")
@click.option("--orphans-older-than", default=60, show_default=True, metavar="MINUTES",
              help="Orphan objects younger than this are kept by --fix (an upload may be committing them).")
@click.option("--stuck-after", default=60, show_default=True, metavar="MINUTES",
              help="A document waiting longer than this with no job queued is stuck.")
def check_command(fix, checksums, orphans_older_than, stuck_after):
    """Do the database, the object store and the search index agree? Exit 1 while damage remains."""
    from app.archive.tasks import get_archive
    from app.storage import get_store

    check = SanityCheck(current_app.appbuilder.session, get_store(), get_archive(),
                        orphan_age=dt.timedelta(minutes=orphans_older_than),
                        stuck_after=dt.timedelta(minutes=stuck_after))
    total = check.count_rows()
    with click.progressbar(length=total, label="Checking stored objects") as bar:
        damages = check.run(checksums, bar.update)
    if fix:
        check.repair(damages)
    for damage in damages:
        state = "repaired" if damage.repaired else ("found" if not fix else "NOT repaired")
        note = f" ({damage.note})" if damage.note else ""
        click.echo(f"{damage.kind}\tdocument {damage.document_id or '-'}\t{damage.key or '-'}\t{state}{note}")
    click.echo(summary(total, damages))
    sys.exit(1 if any(not damage.repaired for damage in damages) else 0)


def summary(total: int, damages) -> str:
    if not damages:
        return f"{total} documents: the database, the object store and the search index agree."
    counts = Counter(damage.kind for damage in damages)
    repaired = sum(damage.repaired for damage in damages)
    kinds = ", ".join(f"{kind}: {counts[kind]}" for kind in KINDS if counts[kind])
    return f"{total} documents; {kinds}; {repaired} of {len(damages)} repaired."


@click.command("backup")
@with_appcontext
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--objects", "with_objects", is_flag=True, help="Copy the stored objects too, each verified.")
def backup_command(folder, with_objects):
    """A consistent database dump and the object manifest (and objects) into FOLDER (new or empty)."""
    from app.storage import get_store

    run = Backup(current_app.config["SQLALCHEMY_DATABASE_URI"], get_store(), folder)
    try:
        total = run.dump_database()
        click.echo(f"Database ({run.backend}) dumped: {total} documents.")
        label = "Copying objects" if with_objects else "Listing objects"
        with click.progressbar(length=total, label=label) as bar:
            problems = run.copy_objects(with_objects, bar.update)
    except BackupError as error:
        raise click.ClickException(str(error))
    _finish(problems, f"Backup written to {folder}.")


@click.command("restore")
@with_appcontext
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.pass_context
def restore_command(context, folder):
    """Restore a backup onto a fresh instance (empty database): rows, objects, then the search index."""
    from app.archive.commands import reindex_command
    from app.archive.tasks import get_archive
    from app.cli import initialise
    from app.extensions import db
    from app.models import Document, ExtractionState
    from app.storage import get_store

    try:
        info = restore_database(db.engine, folder)
    except BackupError as error:
        raise click.ClickException(str(error))
    click.echo(f"Database restored from the backup of {info['taken_at']} ({info['documents']} documents).")
    initialise()  # migrations newer than the backup, permissions, roles
    session = current_app.appbuilder.session
    entries = read_manifest(folder)
    media_types = dict(session.query(Document.id, Document.media_type))
    with click.progressbar(length=len(entries), label="Restoring objects") as bar:
        problems = restore_objects(get_store(), folder, entries, media_types, bar.update)
    context.invoke(reindex_command, extract=False, batch=1000, restart=True)
    for (document_id,) in session.query(Document.id).filter_by(extraction_state=ExtractionState.waiting):
        get_archive().process(document_id)  # waiting when the backup was taken
    _finish(problems, "Restore complete: run `flask sigap check` to confirm.")


def _finish(problems: list[str], done: str) -> None:
    for problem in problems:
        click.echo(f"! {problem}", err=True)
    click.echo(done if not problems else f"{done} {len(problems)} problems (above).")
    sys.exit(1 if problems else 0)


@click.command("serve-prod")
@with_appcontext
@click.option("--local-services", is_flag=True,
              help="Also start what compose runs as containers: the S3 server (SeaweedFS on S3_ENDPOINT's port) "
                   "and the PostgreSQL database if missing.")
@click.option("--bind", help="host:port for gunicorn, overriding GUNICORN_CMD_ARGS's --bind.")
def serve_prod_command(local_services, bind):
    """gunicorn with several workers and the worker on Redis, configured from the environment as in
    docker-compose.yml (make prod reads prod.env). Stops everything on Ctrl-C or SIGTERM."""
    from app.ops.topology import Topology, TopologyError, environment

    instance_dir = Path(current_app.config["INSTANCE_DIR"])
    topology = Topology(environment(instance_dir), instance_dir, local_services, bind, echo=click.echo)
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, _stop_serving)
    try:
        topology.start()
        click.echo("SIGAP (production topology) is serving; Ctrl-C stops it.")
        ended = topology.wait()
    except TopologyError as error:
        raise click.ClickException(str(error))
    except KeyboardInterrupt:
        return
    finally:
        topology.stop()
    raise click.ClickException(f"Stopped: the {ended} process ended on its own.")


def _stop_serving(*_args):
    raise KeyboardInterrupt


COMMANDS = [check_command, backup_command, restore_command, serve_prod_command]


def init_app(_flask_app) -> None:
    """Adds these commands to `flask sigap` (they use its setup, so the group does not import them)."""
    from app.cli import sigap

    for command in COMMANDS:
        sigap.add_command(command)
