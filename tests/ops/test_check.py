"""`flask sigap check`: each kind of damage is made directly, reported, and repaired by --fix where it can be."""

import datetime as dt
import hashlib
import io
import uuid

from sqlalchemy import delete, insert, update

from app.archive.tasks import get_archive
from app.models import Document, DocumentType, ExtractionState
from app.storage import get_store
from tests.archive.conftest import fresh_word
from tests.archive.samples import text_pdf
from tests.conftest import api_token
from tests.ops.conftest import object_key, run, search_ids, upload


def _line(output: str, kind: str, document_id=None, key=None) -> str:
    """The report line of one damage (exactly one)."""
    lines = [line for line in output.splitlines() if line.startswith(kind + "\t")
             and (document_id is None or f"\tdocument {document_id}\t" in line) and (key is None or key in line)]
    assert len(lines) == 1, output
    return lines[0]


def _download(app, document_id) -> bytes:
    client = app.test_client()
    response = client.get(f"/api/v1/document/{document_id}/file", headers=api_token(client, "arsip"))
    assert response.status_code == 200
    return response.data


def _ghost_row(app) -> int:
    """A document row whose object was never stored (Core insert: no worker job follows)."""
    with app.app_context():
        session = app.appbuilder.session
        type_id = session.query(DocumentType.id).filter_by(code="KTP").scalar()
        key = f"documents/2026/01/{uuid.uuid4().hex}"
        session.execute(insert(Document).values(
            object_key=key, original_filename="hantu.pdf", media_type="application/pdf", size=10, sha256="0" * 64,
            document_type_id=type_id, version=1, is_current=False, extraction_state=ExtractionState.indexed,
            uploaded_at=dt.datetime(2026, 1, 5)))
        session.commit()
        return session.query(Document.id).filter_by(object_key=key).scalar()


def test_a_new_instance_agrees(own_app):
    result = run(own_app, "check")
    assert result.exit_code == 0, result.output
    assert "the database, the object store and the search index agree" in result.output


def test_each_kind_of_damage_is_reported_and_fix_repairs_what_it_can(own_app):
    app = own_app
    words = {name: fresh_word() for name in ("deleted", "tampered", "waiting", "dropped")}
    pdfs = {name: text_pdf(word) for name, word in words.items()}
    ids = {name: upload(app, pdf).get_json()["id"] for name, pdf in pdfs.items()}
    keys = {name: object_key(app, document_id) for name, document_id in ids.items()}
    ghost = _ghost_row(app)
    orphan = f"documents/2026/01/{uuid.uuid4().hex}"
    with app.app_context():
        store, index, session = get_store(), get_archive().index, app.appbuilder.session
        store._client.remove_object(store.bucket, keys["deleted"])  # through the S3 API: a delete marker
        store._client.put_object(store.bucket, keys["tampered"], io.BytesIO(b"diubah"), 6)
        store.put_at(orphan, io.BytesIO(b"yatim"), "application/pdf")
        session.execute(update(Document).where(Document.id == ids["waiting"])
                        .values(extraction_state=ExtractionState.waiting))
        session.commit()
        index.write([], [ids["dropped"]])
        index.write([{"doc_id": "987654", "content": "basi"}], [])

    report = run(app, "check", "--stuck-after", "0")
    assert report.exit_code == 1
    _line(report.output, "missing-object", ids["deleted"], keys["deleted"])
    _line(report.output, "missing-object", ghost)
    _line(report.output, "checksum-mismatch", ids["tampered"], keys["tampered"])
    _line(report.output, "orphan-object", key=orphan)
    _line(report.output, "stuck-waiting", ids["waiting"])
    _line(report.output, "stale-index-entry", 987654)
    _line(report.output, "missing-index-entry", ids["dropped"])
    assert "missing-object: 2, checksum-mismatch: 1, orphan-object: 1, stuck-waiting: 1, stale-index-entry: 1, " \
           "missing-index-entry: 1; 0 of 7 repaired" in report.output
    assert "checksum-mismatch" not in run(app, "check", "--no-checksums").output
    assert search_ids(app, words["dropped"]) == set()

    fixed = run(app, "check", "--fix", "--stuck-after", "0")
    assert fixed.exit_code == 1, fixed.output  # the ghost row's bytes exist nowhere
    assert _line(fixed.output, "missing-object", ghost).endswith("restore it from a backup (flask sigap restore))")
    assert "kept: an upload may still be committing it" in _line(fixed.output, "orphan-object", key=orphan)
    for kind, name in [("missing-object", "deleted"), ("checksum-mismatch", "tampered"),
                       ("stuck-waiting", "waiting"), ("missing-index-entry", "dropped")]:
        assert "\trepaired" in _line(fixed.output, kind, ids[name])
    # What a clerk sees again: the original bytes of both objects, the dropped document found.
    assert hashlib.sha256(_download(app, ids["tampered"])).digest() == hashlib.sha256(pdfs["tampered"]).digest()
    assert _download(app, ids["deleted"]) == pdfs["deleted"]
    assert search_ids(app, words["dropped"]) == {ids["dropped"]}
    assert search_ids(app, words["waiting"]) == {ids["waiting"]}
    with app.app_context():
        assert get_archive().index.doc_ids().isdisjoint({987654})
        app.appbuilder.session.execute(delete(Document).where(Document.id == ghost))
        app.appbuilder.session.commit()

    orphans = run(app, "check", "--fix", "--orphans-older-than", "0")
    assert "\trepaired" in _line(orphans.output, "orphan-object", key=orphan)
    assert orphans.exit_code == 0, orphans.output
    with app.app_context():
        assert not get_store().exists(orphan)
    assert run(app, "check").exit_code == 0


def test_the_worker_runs_the_check_weekly_and_repairs(own_app):
    app = own_app
    word = fresh_word()
    document_id = upload(app, text_pdf(word)).get_json()["id"]
    with app.app_context():
        archive = get_archive()
        archive.index.write([], [document_id])
        due = {moment: [task.name for task in archive.huey.read_periodic(moment)]
               for moment in (dt.datetime(2026, 11, 29, 2, 0), dt.datetime(2026, 11, 30, 2, 0))}
        sunday, monday = due.values()
        assert "weekly-sanity-check" in sunday and "weekly-sanity-check" not in monday  # on Sundays only
        archive.weekly_check()  # what the consumer calls when it is due (tasks run inline in tests)
    assert search_ids(app, word) == {document_id}
    assert run(app, "check").exit_code == 0


def test_a_multipart_upload_left_incomplete_is_reported_after_an_hour_and_fix_aborts_it(own_app, monkeypatch):
    """An uploader that died mid-file leaves parts no object listing shows: check finds them once they are
    an hour old (younger ones may still be going on) and --fix aborts them."""
    from app.archive import sanity

    key = f"documents/2026/12/{uuid.uuid4().hex}"
    with own_app.app_context():
        store = get_store()
        upload_id = store._client._create_multipart_upload(store.bucket, key, {"Content-Type": "application/pdf"})
        store._client._upload_part(store.bucket, key, b"%PDF-1.7 " * 700_000, None, upload_id, 1)
        assert [(u.key, u.upload_id) for u in store.incomplete_uploads("documents/")] == [(key, upload_id)]
    fresh = run(own_app, "check", "--fix")
    assert fresh.exit_code == 0 and "stuck-upload" not in fresh.output  # it may be under way
    later = sanity._utcnow() + dt.timedelta(minutes=61)
    monkeypatch.setattr(sanity, "_utcnow", lambda: later)
    report = run(own_app, "check")
    assert report.exit_code == 1
    assert f"\tfound (upload {upload_id}, 6" in _line(report.output, "stuck-upload", key=key)
    assert "stuck-upload: 1" in report.output
    fixed = run(own_app, "check", "--fix")
    assert fixed.exit_code == 0
    assert "\trepaired (upload " in _line(fixed.output, "stuck-upload", key=key)
    with own_app.app_context():
        assert list(get_store().incomplete_uploads("documents/")) == []
    assert run(own_app, "check").exit_code == 0
