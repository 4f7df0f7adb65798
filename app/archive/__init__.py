"""The digital archive: intake of scans, text extraction, the search index, and the sanity check.

Modules with narrow interfaces (after paperless-ngx's backend):
    intake      recognise and validate an upload by its content, before anything is stored
    extraction  text per page: the PDF's text layer, else OCR (ocr.py)
    analysis    the Indonesian analyzer (stop words, Sastrawi stemming behind a cache)
    index       the Whoosh index: schema, locked and batched writes
    index_sync  index entries rebuilt from the committed rows, and the events that say which ones
    search      queries, filters, highlights, permissions
    tasks       the background worker (huey) and the hook that queues work after each commit
    commands    `flask sigap worker | import-scans | reindex | search`
    crosscheck  identity numbers typed into a record, looked up in the text of its scans
    sanity      do the database, the object store (checksums included) and the index agree; repairs
"""

from huey import crontab

# Sunday 02:00 (the worker's clock, UTC): 09:00 WIB on a day the office is closed.
WEEKLY_CHECK = crontab(day_of_week="0", hour="2", minute="0")


def init_app(flask_app) -> None:
    from app.archive import tasks

    tasks.init_app(flask_app)
    _schedule_weekly_check(flask_app, flask_app.extensions[tasks.EXTENSION_KEY])


def _schedule_weekly_check(flask_app, archive) -> None:
    """The worker runs the sanity check weekly and repairs what it can (app/archive/sanity.py)."""
    from sqlalchemy.orm import Session

    from app.archive.sanity import weekly_check
    from app.extensions import db
    from app.storage import get_store

    def sanity_check():
        with flask_app.app_context(), Session(db.engine) as session:
            weekly_check(session, get_store(), archive)  # logged; nothing for the result store

    archive.weekly_check = archive.huey.periodic_task(WEEKLY_CHECK, name="weekly-sanity-check")(sanity_check)
