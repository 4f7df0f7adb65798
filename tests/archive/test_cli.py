"""`flask sigap import-scans | reindex | search` (the sanity check: tests/ops/test_check.py)."""

import json

from app.archive.tasks import get_archive
from tests.archive.conftest import found_ids, fresh_word
from tests.archive.samples import image_bytes, scan_image, text_pdf


def run(app, *args):
    return app.test_cli_runner().invoke(args=["sigap", *args])


def test_import_scans_is_resumable_and_skips_what_is_stored(app, tmp_path, search):
    word = fresh_word()
    (tmp_path / "a.pdf").write_bytes(text_pdf(f"{word} satu"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.png").write_bytes(image_bytes(scan_image("Dua"), "PNG"))
    (tmp_path / "rusak.pdf").write_bytes(b"%PDF-1.4 rusak")
    first = run(app, "import-scans", str(tmp_path), "--service", "IZIN_KLINIK", "--type", "IZIN")
    assert first.exit_code == 0, first.output
    assert "stored: 2, skipped: 0, refused: 1" in first.output
    again = run(app, "import-scans", str(tmp_path), "--type", "IZIN")
    assert "stored: 0, skipped: 2, refused: 1" in again.output
    # Filed under the service's sector: its team finds the scan, another sector's team does not.
    assert len(found_ids(search("teknis_kesehatan", word))) == 1
    assert found_ids(search("teknis_pupr", word)) == set()
    assert "sector" in run(app, "import-scans", "--help").output


def test_reindex_rebuilds_a_lost_index_from_the_database(app, upload, tmp_path):
    word = fresh_word()
    document_id = upload("arsip", text_pdf(word)).get_json()["id"]
    with app.app_context():
        archive = get_archive()
        original, archive.index.path, archive.index._index = archive.index.path, tmp_path / "index", None
    try:
        assert run(app, "search", word, "--json").output.count('"document_id"') == 0
        result = run(app, "reindex", "--batch", "7")
        assert result.exit_code == 0, result.output
        hits = json.loads(run(app, "search", word, "--json").output)["hits"]
        assert [hit["document_id"] for hit in hits] == [document_id]
    finally:
        with app.app_context():
            archive.index.path, archive.index._index = original, None
