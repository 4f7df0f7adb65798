"""The one-loop analyzer gives the tokens of the Whoosh filter chain it replaced, attribute for attribute.

The reference is that chain, built from Whoosh's own filters: what indexing, the query parser (stop words
kept and marked), highlighting (chars) and spelling (no_morph) read must not change, or search results do.
"""

import pickle

import pytest
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter

from app.archive.analysis import SEPARATOR, WORD, indonesian_analyzer, stem, stop_words
from bench.corpus_realistic import document

ATTRIBUTES = ("text", "pos", "startchar", "endchar", "original", "stopped", "boost", "mode", "removestops",
              "positions", "chars")
EDGES = [
    "", "   ", "Yang DAN di", "NIK 1377 0112 0385 0002, NPWP 01.234.567.8-901.000 dan 1377011203850002",
    "Nomor 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 perizinan_berusaha PEMOHON-memohon Diizinkan.",
    "di Kelurahan Pasir 1377O11203850002 rn0hon\fhalaman dua\f", "ÉTAT Ünïcödé pemeriksaan ², ½",
]
OPTIONS = [
    {}, {"positions": True, "chars": True, "mode": "index"},
    {"positions": True, "chars": True, "removestops": False, "mode": "query", "start_pos": 3, "start_char": 7},
    {"chars": True, "removestops": False, "mode": "query", "keeporiginal": True},
    {"tokenize": False, "positions": True, "chars": True, "removestops": False},
    {"tokenize": False, "start_pos": 2}, {"no_morph": True, "positions": True}, {"extra": "kept"},
]


class JoinDigitGroups(Filter):
    def __call__(self, tokens):
        for token in tokens:
            if len(token.text) > 15 and token.text[0].isdigit():
                token.text = SEPARATOR.sub("", token.text)
            yield token


def reference_chain():
    return (RegexTokenizer(WORD) | JoinDigitGroups() | LowercaseFilter()
            | StopFilter(stoplist=stop_words(), minsize=1) | StemFilter(stemfn=stem, cachesize=None))


def tokens(analyzer, text, options):
    return [{name: getattr(token, name, None) for name in (*ATTRIBUTES, *options)}
            for token in analyzer(text, **options)]


@pytest.mark.parametrize("options", OPTIONS, ids=repr)
def test_the_analyzer_gives_the_reference_chains_tokens(options):
    texts = EDGES + [document(number)["content"] for number in range(0, 400, 7)]
    for text in texts:
        assert tokens(indonesian_analyzer(), text, options) == tokens(reference_chain(), text, options), text


def test_words_are_folded_to_their_root_and_identity_numbers_joined():
    words = [token.text for token in indonesian_analyzer()("Perizinan yang DIIZINKAN: NIK 1377 0112 0385 0002")]
    assert words == ["izin", "izin", "nik", "1377011203850002"]


def test_the_analyzer_survives_the_index_table_of_contents():
    # Whoosh pickles the schema's analyzers; the class alone travels (no stemmer, no stop list).
    restored = pickle.loads(pickle.dumps(indonesian_analyzer()))
    assert restored == indonesian_analyzer()
    assert len(pickle.dumps(restored)) < 200
    assert [token.text for token in restored("pemeriksaan")] == ["periksa"]
