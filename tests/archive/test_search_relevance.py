"""Relevance on an archive like the real one (issue 12): 30 queries, each made from one document of the
realistic corpus at 10k documents (its rarest word; its applicant's given name and surname with a rarer
word; a recurring legal phrase with its rarest word), must each find that document in the top 10, on the
page that holds the match."""

import pytest

from app.archive.index import ArchiveIndex
from app.archive.search import ArchiveSearch, SearchRequest
from bench.corpus_realistic import GIVEN, PHRASES, SURNAMES, document, vocabulary

SIZE = 10_000
BATCH = 2_000
TARGETS = [97 + 331 * k for k in range(30)]
RARE_RANK = 15_000
LETTERHEAD = "pelayanan terpadu satu pintu"  # the corpus's long tail: made-up words few documents share


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    index = ArchiveIndex(tmp_path_factory.mktemp("relevance") / "index")
    for start in range(0, SIZE, BATCH):
        index.write([document(n) for n in range(start, min(SIZE, start + BATCH))], [])
    return ArchiveSearch(index)


def rarest_word(text: str, analyzer) -> str:
    """The document's word of the highest Zipf rank that the stemmer leaves as it is (so that no common
    root stands for it) and that is not also a name (names recur in every applicant block)."""
    ranked, _weights = vocabulary()
    rank = {word: position for position, word in enumerate(ranked)}
    names = {name.lower() for name in GIVEN + SURNAMES}
    words = {word for word in text.lower().split() if rank.get(word, 0) >= RARE_RANK and word not in names}
    kept = [word for word in words if [token.text for token in analyzer(word)] == [word]]
    return max(kept, key=rank.__getitem__)


def query_for(number: int, analyzer) -> str:
    made = document(number)
    rare = rarest_word(made["content"], analyzer)
    if number % 3 == 0:
        return rare
    if number % 3 == 1:
        given, surname = made["applicant_name"].lower().split()
        return f"{given} AND {surname} AND {rare}"
    # The letterhead's phrase is in every document: one of the body's, when it has one.
    phrase = next(phrase for phrase in sorted(PHRASES, key=lambda phrase: phrase in LETTERHEAD)
                  if phrase in made["content"].lower())
    return f'"{phrase}" AND {rare}'


@pytest.mark.parametrize("number", TARGETS)
def test_the_document_a_query_was_made_from_is_in_the_top_10_on_its_matching_page(archive, number):
    analyzer = archive.index.open().schema["content"].analyzer
    text = query_for(number, analyzer)
    page = archive.search(SearchRequest(text, page_size=10, may_see_identity=True))
    found = {hit.document_id: hit for hit in page.hits}
    assert number in found, f"{text!r}: document {number} not in the top 10 {list(found)}"
    matched_page = document(number)["content"].split("\f")[found[number].page - 1]
    assert "<mark" in found[number].snippet
    assert any(word in matched_page.lower() for word in text.lower().replace('"', "").split() if word != "and")
