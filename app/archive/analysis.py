"""The Indonesian analyzer: words, lowercase, Sastrawi's stop words, Sastrawi stemming behind a cache.

Whoosh pickles the analyzer into the index's table of contents: it is a stateless class and the
stemmer sits behind plain module-level functions (a bound stemmer method would drag Sastrawi's whole
dictionary into the TOC). Sastrawi's own cache is an unbounded dict; an lru_cache around the inner
stemmer bounds it and is ~2,500x faster than stemming again (~4,000 distinct words/s). On the realistic
corpus (bench/corpus_realistic.py, 10k documents): 2.2M tokens, 56k distinct words, 96 % cache hits;
30 % of the distinct words are OCR misspellings, which Sastrawi stems 2.5x slower (no rule finds a root)
and which grow with the archive, so the cache holds words only, never numbers."""

from functools import lru_cache

import re

from whoosh.analysis import Token, Tokenizer

STEM_CACHE_SIZE = 200_000
# A NIK (16 digits) or NPWP (15 or 16) as scans print it: "1377 0112 0385 0002", "01.234.567.8-901.000".
# It is one token (its digits), so its groups are not words of their own: neither a phrase nor an AND of
# groups finds it, only the whole number, which search keeps from users who may not see identity numbers.
# A longer run of digit groups is left as groups: which 15 or 16 of its digits make the number is unknown.
IDENTITY_RUN = r"(?<![\d.\-])(?<!\d )\d(?:[ .\-]?\d){14,15}(?![ .\-]?\d)"
WORD = re.compile(rf"{IDENTITY_RUN}|\w+")
WHOLE = re.compile(r"\A.*", re.DOTALL)  # the one token of a value not to be tokenized
SEPARATOR = re.compile(r"[ .\-]")


@lru_cache(maxsize=1)
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    # The factory's stemmer wraps the real one in a dict cache that never forgets: unwrap it.
    return StemmerFactory().create_stemmer().delegatedStemmer


def stem(word: str) -> str:
    """Sastrawi's root of one lowercase word ("perizinan", "diizinkan" -> "izin"); numbers, NIKs and words
    with digits (OCR noise) pass through, and stay out of the cache: it holds words only."""
    return _root(word) if word.isalpha() else word


@lru_cache(maxsize=STEM_CACHE_SIZE)
def _root(word: str) -> str:
    return _stemmer().stem(word) or word


@lru_cache(maxsize=1)
def stop_words() -> frozenset:
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return frozenset(StopWordRemoverFactory().get_stop_words())


class IndonesianAnalyzer(Tokenizer):
    """Words and identity numbers, lowercased, stop words marked, stemmed: in one loop.

    The same tokens as Whoosh's RegexTokenizer | (identity groups joined) | LowercaseFilter |
    StopFilter(minsize=1) | StemFilter chain (tests/archive/test_analysis.py holds it as the reference),
    every attribute Whoosh reads included: positions renumbered over the kept words as StopFilter does,
    stop words kept with `stopped=True` when removestops is False (the query parser), stemming skipped
    under no_morph. One loop over the matches costs a third of the chain's five stacked generators.
    Stateless: the index's TOC pickles just the class.
    """

    is_morph = True  # no_morph skips the stemming (Whoosh's spelling words)

    def __call__(self, value: str, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", no_morph=False, **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        stops = stop_words()
        keeporiginal = keeporiginal or not tokenize  # an untokenized value is its own original
        kept_pos = None
        for number, match in enumerate((WORD if tokenize else WHOLE).finditer(value)):
            original = text = match.group()
            if len(text) > 15 and text[0].isdigit():  # only an identity run is that long and starts so
                text = SEPARATOR.sub("", text)
            text = text.lower()
            stopped = not text or text in stops
            if stopped and removestops:
                continue
            if positions:
                if stopped:
                    token.pos = start_pos + number
                else:
                    kept_pos = start_pos + number if kept_pos is None else kept_pos + 1
                    token.pos = kept_pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            if keeporiginal:
                token.original = original
            token.text = text if stopped or no_morph else stem(text)
            token.stopped = stopped
            token.boost = 1.0
            yield token


def indonesian_analyzer() -> IndonesianAnalyzer:
    return IndonesianAnalyzer()
