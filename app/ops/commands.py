"""`flask sigap check | backup | restore | serve-prod`: operating SIGAP from the command line."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter

import click
from flask import current_app
from flask.cli import with_appcontext

from app.archive.sanity import KINDS, SanityCheck


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


COMMANDS = [check_command]
