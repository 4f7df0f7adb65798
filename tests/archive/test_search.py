"""Search: words inside text and scanned files, stemming, filters, paging, permissions, consistency."""

import io
import re

import pytest

from app.models import Document, DocumentType, Sector, Service
from app.storage.documents import delete_document, store_document
from tests.archive.conftest import found_ids, fresh_word
from tests.archive.samples import image_bytes, scan_image, scanned_pdf, text_pdf


def test_text_pdf_is_found_by_a_word_inside_on_its_page(upload, search, application_in):
    word = fresh_word()
    response = upload("arsip", text_pdf("halaman pertama", f"halaman kedua {word}"),
                      application_id=application_in())
    body = search("arsip", word)
    assert [hit["document_id"] for hit in body["hits"]] == [response.get_json()["id"]]
    assert body["hits"][0]["page"] == 2
    assert "<mark" in body["hits"][0]["snippet"] and word in body["hits"][0]["snippet"]


@pytest.mark.parametrize("make", [
    lambda text: scanned_pdf(text),
    lambda text: image_bytes(scan_image(text), "PNG"),
], ids=["scanned pdf", "png"])
def test_scans_are_read_by_ocr_and_found(app, upload, search, make):
    document_id = upload("arsip", make("Izin Mendirikan Bangunan\nKelurahan Pasir Pariaman")).get_json()["id"]
    with app.app_context():
        document = app.appbuilder.session.get(Document, document_id)
        assert document.extraction_state.name == "indexed"
        assert document.pages[0].ocr and "Pariaman" in document.pages[0].text
    assert document_id in found_ids(search("arsip", '"pasir pariaman" AND bangunan', page_size=100))


def test_stemming_finds_derived_words(upload, search):
    word = fresh_word()
    perizinan = upload("arsip", text_pdf(f"{word} pelayanan perizinan terpadu")).get_json()["id"]
    diizinkan = upload("arsip", text_pdf(f"{word} kegiatan ini diizinkan")).get_json()["id"]
    assert found_ids(search("arsip", f"{word} AND izin")) == {perizinan, diizinkan}
    assert found_ids(search("arsip", f"{word} AND NOT kegiatan")) == {perizinan}
    assert found_ids(search("arsip", f"{word} AND NOT diizinkan")) == set()  # same root as perizinan


def test_technical_team_finds_only_its_sector(upload, search, application_in):
    word = fresh_word()
    pupr = upload("arsip", text_pdf(word), application_id=application_in("PUPR"), doc_type="BAP").get_json()["id"]
    health = upload("arsip", text_pdf(word), application_id=application_in("KESEHATAN"),
                    doc_type="BAP").get_json()["id"]
    assert found_ids(search("kasi", word)) == {pupr, health}
    assert found_ids(search("teknis_pupr", word)) == {pupr}
    assert found_ids(search("teknis_kesehatan", word)) == {health}
    assert found_ids(search("teknis_pupr", word, sector="")) == {pupr}


def test_identity_numbers_in_snippets_are_masked_without_the_identity_permission(upload, search):
    word = fresh_word()
    upload("arsip", text_pdf(f"{word} NIK 1377015708990002"), doc_type="BAP")
    assert "1377015708990002" in search("kasi", word)["hits"][0]["snippet"]
    masked = search("pimpinan", word)["hits"][0]["snippet"]
    assert "1377015708990002" not in masked and "0002" in masked


def test_filters_and_paging(upload, search, application_in):
    word = fresh_word()
    ids = [upload("arsip", text_pdf(f"{word} nomor {n}"), doc_type="NIB").get_json()["id"] for n in range(3)]
    ktp = upload("arsip", text_pdf(word), doc_type="KTP").get_json()["id"]
    assert found_ids(search("arsip", word, document_type="NIB")) == set(ids)
    first = search("arsip", word, page_size=2)
    second = search("arsip", word, page_size=2, page=2)
    assert first["total"] == 4 and len(first["hits"]) == 2
    assert found_ids(first) | found_ids(second) == {*ids, ktp}
    assert found_ids(search("arsip", word, date_to="2000-01-01")) == set()


def test_a_prefix_matching_too_many_terms_is_capped_and_the_user_told(app, upload, search):
    app.config["SEARCH_MAX_EXPANSIONS"] = 3
    try:
        prefix = fresh_word()
        upload("arsip", text_pdf(" ".join(f"{prefix}{n}" for n in range(10))))
        body = search("arsip", f"{prefix}*")
    finally:
        app.config["SEARCH_MAX_EXPANSIONS"] = 200
    assert len(body["hits"]) == 1
    assert body["notices"] and prefix in body["notices"][0]


def test_search_page_shows_highlighted_hits_with_a_link_to_the_page(app, upload, login):
    word = fresh_word()
    document_id = upload("arsip", text_pdf("sampul", f"isi {word}")).get_json()["id"]
    page = login("arsip").get(f"/archive/search/?q={word}").get_data(as_text=True)
    assert f"/documents/preview/{document_id}?page=2" in page
    assert f'<mark class="match term0">{word}</mark>' in page


def test_search_page_offers_a_technical_team_only_its_own_sector(app, login):
    with app.app_context():
        session = app.appbuilder.session
        pupr = session.query(Sector).filter_by(code="PUPR").one().id
        pupr_services = {service.code for service in session.query(Service).filter_by(sector_id=pupr)}
    page = login("teknis_pupr").get("/archive/search/").get_data(as_text=True)
    assert _options(page, "sector") == {str(pupr)}
    assert _options(page, "service") == pupr_services


def _options(page: str, name: str) -> set[str]:
    """The values a <select> offers, without its blank "all"."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return set(re.findall(r'value="([^"]+)"', select))


# --- the index follows the database ----------------------------------------------------------------
def test_a_rolled_back_upload_is_never_searchable(app, search, monkeypatch):
    word = fresh_word()
    with app.app_context():
        session = app.appbuilder.session
        ktp = session.query(DocumentType).filter_by(code="KTP").one()

        store_document(session, io.BytesIO(text_pdf(word)), filename="x.pdf", media_type="application/pdf",
                       document_type=ktp)
        session.rollback()
        session.commit()  # a later commit must not bring the rolled-back row back
    assert search("arsip", word)["hits"] == []


def test_a_superseded_version_is_not_returned_and_a_deleted_document_disappears(app, upload, search,
                                                                               application_in):
    word = fresh_word()
    application_id = application_in()
    first = upload("arsip", text_pdf(f"{word} versi satu"), application_id=application_id).get_json()["id"]
    second = upload("arsip", text_pdf(f"{word} versi dua"), application_id=application_id).get_json()["id"]
    assert found_ids(search("arsip", word)) == {second}
    with app.app_context():
        session = app.appbuilder.session
        delete_document(session, session.get(Document, second))
        session.commit()
    assert found_ids(search("arsip", word)) == {first}  # the old version is current again
    with app.app_context():
        session = app.appbuilder.session
        delete_document(session, session.get(Document, first))
        session.commit()
    assert found_ids(search("arsip", word)) == set()
