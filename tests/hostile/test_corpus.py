"""The hostile corpus (make_corpus.py) through every entry point: each file is refused with its Indonesian
sentence and nothing is stored, or it is stored once (one row, one object, the same key) and served
safely: a preview only as the type intake recognised, a download only as an attachment.

The five entry points: the upload screen, the multi-file page, the API, the step form (a step that
fails: what intake stored for it is removed again) and `import-scans`, which a name that no disk can hold
(a path, NUL, 300 characters) cannot reach. All five run on SQLite; on PostgreSQL the API and the step
form only, for time (the other three share their code path after the request is read, and the
database takes no part in refusing a file).
"""

import functools
import urllib.parse
import urllib.request
import uuid

import pytest

from app.archive import tasks
from app.archive.intake import ACCEPTED
from app.models import Document
from app.storage import get_store
from tests.archive.test_one_way_in import entry_points
from tests.desk import Desk
from tests.conftest import api_token
from tests.hostile.make_corpus import BY_NAME, CORPUS, Hostile
from tests.web.test_workflow_screens import web

@functools.cache
def refused_bytes(name: str) -> bytes:
    """A refused file, made once per run (a bomb takes a second or two to make)."""
    return BY_NAME[name].make()


def unique_bytes(hostile: Hostile) -> bytes:
    """A file to be stored, made unique so that import-scans (which skips what is stored) stores it too:
    a comment line after a PDF's end or bytes after an image's, which readers ignore."""
    return hostile.make() + b"\n%" + uuid.uuid4().hex.encode() + b"\n"


def fits_on_disk(filename: str) -> bool:
    return "/" not in filename and "\x00" not in filename and len(filename.encode()) <= 255


def sent_on(app, entry_point: str, filename: str) -> bool:
    if app.config["SIGAP_BACKEND"] == "postgresql" and entry_point not in ("api", "step_form"):
        return False
    return entry_point != "import_scans" or fits_on_disk(filename)


def state(app) -> tuple[set[str], set[str]]:
    """The keys of the document rows, and the objects in the bucket."""
    with app.app_context():
        session = app.appbuilder.session
        session.remove()
        return {key for (key,) in session.query(Document.object_key)}, set(get_store().iter_keys("documents/"))


@pytest.fixture(scope="module")
def senders(app, tmp_path_factory):
    """An application at BO's permit step (a form with a file) and the five entry points, logged in once.
    Stored files are not read for text here (OCR of each would take seconds): intake is under test."""
    own = app.test_client()
    desk = Desk(app, own, lambda username: api_token(own, username))
    application = desk.register("SK_PENELITIAN")
    desk.up_to_the_permit(application)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tasks, "extract_pages", lambda *args: [])
        yield entry_points(app, application, tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def viewer(app):
    return web(app, "arsip")


def test_the_corpus_is_large_and_covers_what_the_issue_lists():
    assert len(CORPUS) >= 40
    names = [hostile.name for hostile in CORPUS]
    kinds = " ".join(names)
    for kind in ("corrupt pdf", "encrypted", "truncated", "javascript", "open action", "launch", "zip", "html then pdf",
                 "flate bomb", "nested flate", "lzw", "run-length", "inline image", "png pixel", "tiff pixel",
                 "jpeg pixel", "multi-frame tiff", "empty", "huge page", "named .", "path", "NUL", "300 characters", "escape",
                 "svg", "html", "x-msdownload"):
        assert kind in kinds, kind
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("name", BY_NAME)
def test_each_hostile_file_is_refused_or_stored_safely_at_every_entry_point(app, senders, viewer, name):
    hostile = BY_NAME[name]
    for send in senders:
        if not sent_on(app, send.__name__, hostile.filename):
            continue
        (rows, objects) = state(app)
        told = send(refused_bytes(name) if hostile.refused else unique_bytes(hostile), hostile.filename,
                    hostile.media_type)
        (rows_after, objects_after) = state(app)
        where = f"{name} through {send.__name__}"
        assert rows <= rows_after and objects <= objects_after, where
        new_rows, new_objects = rows_after - rows, objects_after - objects
        assert new_rows == new_objects, f"{where}: a row without its object or an object without its row"
        if hostile.refused or send.__name__ == "step_form":
            assert not new_rows, f"{where}: something was stored"
            if hostile.refused:
                assert hostile.refused in told, f"{where}: {told[-600:]}"
            continue
        assert len(new_rows) == 1, f"{where}: not stored ({told[-600:]})"
        served_safely(app, viewer, new_rows.pop(), hostile.stored_as or (hostile.filename,))


def served_safely(app, client, key: str, expected_names: tuple[str, ...]) -> None:
    """The stored row's name, its preview (the recognised type, straight from S3) and its download."""
    with app.app_context():
        document = app.appbuilder.session.query(Document).filter_by(object_key=key).one()
        document_id, media_type, stored_name = document.id, document.media_type, document.original_filename
    assert media_type in ACCEPTED
    assert stored_name in expected_names
    assert len(stored_name) <= 255
    preview = client.get(f"/documents/preview/{document_id}")
    assert preview.status_code == 302
    link = preview.headers["Location"].split("#")[0]
    asked = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    assert asked["response-content-type"] == [media_type]
    with urllib.request.urlopen(link, timeout=10) as answer:  # what the browser gets from S3
        assert answer.headers["Content-Type"] == media_type
        assert answer.headers["Content-Disposition"].startswith("inline")
    download = client.get(f"/documents/file/{document_id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.mimetype == media_type
