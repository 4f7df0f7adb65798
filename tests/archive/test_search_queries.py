"""Query forms on a small index of their own: stop words inside an AND, exclusions, prefixes over fields."""

import pytest

from app.archive.index import ArchiveIndex
from app.archive.search import ArchiveSearch, SearchRequest, count_matches


def entry(number: int, content: str, **fields) -> dict:
    return {"doc_id": str(number), "content": content, "document_type": "BAP", "sector": "1", "state": "indexed",
            "filename": f"scan-{number}.pdf", **fields}


@pytest.fixture
def archive(tmp_path):
    index = ArchiveIndex(tmp_path / "index")
    index.write([
        entry(1, "berkas pemeriksaan lapangan"),  # the excluded word comes first in the index
        entry(2, "surat perizinan dengan pemeriksaan lapangan"),
        entry(3, "surat perizinan yang lengkap"),
        entry(4, "catatan tanpa kata itu", applicant_name="Izinah Putri"),
    ], [])
    return ArchiveSearch(index)


def found(archive, text: str, may_see_identity=True) -> list[int]:
    return [hit.document_id for hit in archive.search(SearchRequest(text, may_see_identity=may_see_identity)).hits]


@pytest.mark.parametrize("text", ["izin AND yang", "yang AND izin", "izin yang"])
def test_a_stop_word_drops_out_of_an_and_instead_of_emptying_it(archive, text):
    assert sorted(found(archive, text)) == [2, 3]


@pytest.mark.parametrize("text", ["izin ANDNOT periksa", "surat ANDNOT pemeriksaan", "izin NOT periksa"])
def test_a_not_excludes_a_document_even_when_the_excluded_word_is_found_first(archive, text):
    assert found(archive, text) == [3]
    # A restricted user's total is counted match by match (count_matches), where Whoosh let document 2 through.
    searcher = archive.index.shared_searcher()
    assert count_matches(searcher, archive.parse(text, [], searcher, may_see_identity=False), 10) == 1


def test_a_prefix_finds_words_of_every_text_field_once(archive):
    assert sorted(found(archive, "izin*")) == [2, 3, 4]
    assert archive.search(SearchRequest("izin*")).total == 3


def test_a_phrase_finds_only_its_words_in_order(archive):
    assert sorted(found(archive, '"pemeriksaan lapangan"')) == [1, 2]
    assert found(archive, '"lapangan pemeriksaan"') == []


@pytest.mark.parametrize("may_see_identity", [True, False])
def test_fewer_matches_than_a_page_are_counted_exactly(archive, may_see_identity):
    page = archive.search(SearchRequest("lapangan", may_see_identity=may_see_identity))
    assert (page.total, page.exact_total) == (2, True)  # not "Sekitar 2"
