"""The digital archive: intake of scans, text extraction, the search index, and the fixity check.

Modules with narrow interfaces (after paperless-ngx's backend):
    intake      recognise and validate an upload by its content, before anything is stored
    extraction  text per page: the PDF's text layer, else OCR (ocr.py)
    analysis    the Indonesian analyzer (stop words, Sastrawi stemming behind a cache)
    index       the Whoosh index: schema, locked and batched writes
    index_sync  index entries rebuilt from the committed rows, and the events that say which ones
    search      queries, filters, highlights, permissions
    tasks       the background worker (huey) and the hook that queues work after each commit
    commands    `flask sigap worker | import-scans | reindex | search | fixity`
    crosscheck  identity numbers typed into a record, looked up in the text of its scans
    fixity      re-hash every stored object against its record
"""


def init_app(flask_app) -> None:
    from app.archive import tasks

    tasks.init_app(flask_app)
