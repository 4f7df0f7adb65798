"""Searching the archive: Whoosh syntax, filters, permissions, highlights and the matching page.

Two guards keep one query from stalling the office: a prefix or wildcard expands to at most
`max_expansions` terms (stock Whoosh expanded `1377*` to every NIK in the text: ~200 s at 100k
documents), and a query stops collecting after `time_limit` seconds. Either is told to the user.

Permissions are part of the query, never a sieve over its hits, so that totals and pages count only what
the user may see: the sector scope, the user's own filters and, for roles that may not see NIK and NPWP,
no identity documents (permission_filter). For those roles every part of the query that could match an
identity number matches nothing (without_identity_numbers), and snippets are masked on the whole text
(masked_text). The caller (a view) passes the user's sector scope and may-see-identity as plain values.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import islice, takewhile

from whoosh import query as q
from whoosh.analysis import Token
from whoosh.collectors import TimeLimit, TimeLimitCollector, TopCollector
from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight
from whoosh.matching import AndNotMatcher, IntersectionMatcher, NullMatcher, UnionMatcher, WrappingMatcher, wrappers
from whoosh.qparser import MultifieldPlugin, QueryParser, syntax
from whoosh.qparser.dateparse import DateParserPlugin
from whoosh.util import make_binary_tree

from app.archive.index import PAGE_BREAK, ArchiveIndex
from app.archive.scoring import saturated
from app.identity.documents import IDENTITY_DOCUMENT_TYPES
from app.identity.masking import mask_identity

SEARCH_FIELDS = ["content", "applicant_name", "registration_number", "nik", "npwp", "nib", "permit_number"]
# Fields of identifiers: every value holds digits, so a word without one is not looked up there.
ID_FIELDS = frozenset({"registration_number", "nik", "npwp", "nib", "permit_number"})
FILTER_FIELDS = ("document_type", "service", "sector", "state")
HIGHLIGHTED = 10
SNIPPET_WINDOW = 400  # characters of a page around its first match
# NIK, NPWP and NIB digit runs in snippets, also spaced or dotted, masked for users without the Identity
# permission.
IDENTITY_DIGITS = re.compile(r"(?<!\d)\d(?:[ .\-]?\d){11,}(?!\d)")
IDENTITY_FIELDS = ("nik", "npwp")
# Fields whose words may hold an identity number (the content's are joined into one word: analysis.py).
TEXT_FIELDS = ("content", "applicant_name")
IDENTITY_WORD = re.compile(r"\d{15,16}")
# A restricted user's total is counted exactly up to this many documents: an estimate would count
# documents it may not see.
EXACT_TOTAL_CAP = 500


@dataclass
class SearchRequest:
    text: str
    filters: dict = field(default_factory=dict)  # FILTER_FIELDS -> value
    # Uploaded within these stored (UTC) times, both included; the view turns office days into them.
    uploaded_from: dt.datetime | None = None
    uploaded_until: dt.datetime | None = None
    page: int = 1
    page_size: int = 20
    # None: every sector; else the only sector the user may see (0 when it sees none).
    sector_scope: int | None = None
    may_see_identity: bool = False


@dataclass
class Hit:
    document_id: int
    application_id: int | None
    registration_number: str | None
    filename: str
    document_type: str
    state: str
    uploaded_at: dt.datetime | None
    score: float
    page: int | None = None
    snippet: str = ""


@dataclass
class SearchPage:
    hits: list[Hit]
    total: int
    exact_total: bool
    page: int
    page_size: int
    notices: list[str] = field(default_factory=list)


def cap_expansions(query, reader, cap: int, notices: list):
    """The query with each prefix or wildcard replaced by a constant-scored Union of its first `cap` words
    in the whole index (noting the cut ones), the expansions of one word over several fields merged into
    one, every phrase constant-scored, every OR made a Union and every NOT an Excluding.

    Expanding once keeps the cap global: Whoosh's own Prefix expands, and would cap, on every segment.
    """
    def swap(node):
        if type(node) is q.Or:
            if node.subqueries and all(isinstance(sub, Expansion) for sub in node.subqueries):
                return Expansion.merged(node.subqueries)
            return Union(node.subqueries, boost=node.boost)
        if type(node) is q.AndNot:
            return Excluding(node.a, node.b)
        if isinstance(node, q.Phrase):
            return PhraseScore(node)
        if isinstance(node, (q.Prefix, q.Wildcard)) and node.text:
            return _expanded(node, reader, cap, notices)
        return node

    return query.accept(swap)


def _expanded(node, reader, cap: int, notices: list) -> Expansion:
    pattern = type(node)(node.fieldname, node.text.lower())
    words = [word.decode() for word in islice(pattern._btexts(reader), cap + 1)]
    if len(words) > cap and node.text not in notices:
        notices.append(node.text)
    kept = words[:cap]
    if isinstance(node, q.Prefix) and kept:
        return Expansion([q.Term(node.fieldname, word) for word in kept], boost=node.boost,
                         scans=((node.fieldname, pattern.text, kept[-1]),))
    return Expansion([q.Term(node.fieldname, word) for word in kept], boost=node.boost)


class Union(q.Or):
    """OR as a plain tree of unions over the subqueries that match on this segment.

    Whoosh's Or answers a segment of <= 5,000 documents with a matcher that reads and scores every
    posting (no block skipping), and otherwise first estimates every subquery's size to balance its
    tree: for a prefix's 200 words on 12 segments that estimate was most of the query.
    """

    def _matcher(self, subs, searcher, context):
        matchers = [m for m in (sub.matcher(searcher, context) for sub in subs) if m.is_active()]
        if not matchers:
            return NullMatcher()
        matcher = make_binary_tree(UnionMatcher, matchers)
        return WrappingMatcher(matcher, self.boost) if self.boost != 1.0 else matcher


class Expansion(Union):
    """The words a prefix or wildcard (over one or more fields) expanded to, matched as one union whose
    every match scores the same (the boost): once a page is full of them, the rest is skipped unread.
    Scored per word, `tan*` read and scored every posting of its 200 words (1 s at 10k documents).

    A capped prefix's words are found on each segment by walking that segment's words in order up to
    the last one kept (`scans`: field, prefix, last word kept): every such word is one of the kept
    ones, and a lookup per kept word per segment cost more (each NIK is on one segment only).
    """

    def __init__(self, subqueries, boost=1.0, scans=()):
        super().__init__(subqueries, boost=boost)
        self.scans = tuple(scans)
        self.unscanned = [term for term in self.subqueries if not self._scanned(term)]

    @classmethod
    def merged(cls, expansions) -> Expansion:
        return cls([term for part in expansions for term in part.subqueries],
                   boost=max(part.boost for part in expansions),
                   scans=[scan for part in expansions for scan in part.scans])

    def _scanned(self, term) -> bool:
        return any(term.fieldname == field and term.text.startswith(prefix) and term.text <= last
                   for field, prefix, last in self.scans)

    def estimate_size(self, reader):
        return sum(leaf.doc_frequency(term.fieldname, term.text) for leaf, _ in reader.leaf_readers()
                   for term in self._present(leaf))

    def _present(self, reader) -> list:
        """The expansion's words on this segment."""
        scanned = [q.Term(field, text.decode()) for field, prefix, last in self.scans
                   for text in takewhile(lambda word: word.decode() <= last, reader.expand_prefix(field, prefix))]
        return scanned + self.unscanned

    def matcher(self, searcher, context=None):
        context = searcher.boolean_context()  # every match scores the same: no term is scored
        matchers = [m for m in (term.matcher(searcher, context) for term in self._present(searcher.reader()))
                    if m.is_active()]
        if not matchers:
            return NullMatcher()
        return ConstantMatcher(make_binary_tree(UnionMatcher, matchers), self.boost, words=matchers)


class PhraseScore(q.WrappingQuery):
    """A phrase whose every match scores the same: its words' idf summed, as if each occurred once.

    A common legal phrase ("rencana tata ruang wilayah") is in most files: scored by its positions, every
    candidate was read and checked (1 s at 100k documents); at one score the first page is enough.
    """

    def _rewrap(self, child):
        return PhraseScore(child)

    def score(self, searcher) -> float:
        top = searcher.get_parent() or searcher
        return sum(top.idf(self.child.fieldname, word) for word in self.child.words) * saturated(1) * self.child.boost

    def matcher(self, searcher, context=None):
        phrase = self.child
        if phrase.slop == 1 and len(phrase.words) > 1:
            matcher = _adjacent_words(searcher, phrase.fieldname, phrase.words)
        else:
            matcher = phrase.matcher(searcher, searcher.boolean_context())
        if not matcher.is_active():
            return NullMatcher()
        return ConstantMatcher(matcher, self.score(searcher))


def _adjacent_words(searcher, fieldname: str, words):
    reader = searcher.reader()
    if fieldname not in searcher.schema or any((fieldname, word) not in reader for word in words):
        return NullMatcher()
    context = searcher.boolean_context()
    parts = [q.Term(fieldname, word).matcher(searcher, context) for word in words]
    return AdjacentMatcher(make_binary_tree(IntersectionMatcher, parts), parts)


class AdjacentMatcher(WrappingMatcher):
    """The documents of an intersection where the words stand one after another: their positions compared
    as sets. Whoosh's span machinery (SpanNear2) did the same check at ~10x the cost, felt in the exact
    totals of restricted users, which verify up to EXACT_TOTAL_CAP phrase matches."""

    def __init__(self, child, parts):
        super().__init__(child)
        self.parts = parts
        self._find_next()

    def _replacement(self, newchild):
        return AdjacentMatcher(newchild, self.parts)

    def _adjacent(self) -> bool:
        starts = set(self.parts[0].value_as("positions"))
        for offset, part in enumerate(self.parts[1:], start=1):
            starts.intersection_update(position - offset for position in part.value_as("positions"))
            if not starts:
                return False
        return True

    def _find_next(self) -> bool:
        moved = False
        while self.child.is_active() and not self._adjacent():
            moved = self.child.next() or moved
        return moved

    def next(self):
        moved = self.child.next()
        return self._find_next() or moved

    def skip_to(self, id):
        self.child.skip_to(id)
        self._find_next()

    def all_ids(self):
        while self.is_active():
            yield self.id()
            self.next()

    def replace(self, minquality=0):
        return self if self.is_active() else NullMatcher()


class ConstantMatcher(WrappingMatcher):
    """Every match scores `score`; asked for more, it is done (a block-max bound for the collector).

    Over the words of an expansion, all its documents (an exact count) are read word by word into one
    set: stepping the union tree document by document cost ~10x more.
    """

    def __init__(self, child, score: float, words=None):
        super().__init__(child)
        self.constant = score
        self.done = False
        self.words = words  # the union's matchers, unmoved

    def _replacement(self, newchild):
        return ConstantMatcher(newchild, self.constant)

    def is_active(self):
        return not self.done and self.child.is_active()

    def supports_block_quality(self):
        return True

    def max_quality(self):
        return self.constant

    def block_quality(self):
        return self.constant

    def score(self):
        return self.constant

    def skip_to_quality(self, minquality):
        if self.constant < minquality:
            self.done = True
            return 1
        return 0

    def all_ids(self):
        if self.words is None or self.done:
            return super().all_ids()
        return iter(sorted(set().union(*(word.all_ids() for word in self.words))))

    def next(self):
        self.words = None  # moved: the union's matchers no longer stand at their start
        return self.child.next()

    def skip_to(self, id):
        self.words = None
        return self.child.skip_to(id)

    def replace(self, minquality=0):
        if not self.is_active() or (minquality and self.constant < minquality):
            return NullMatcher()
        return self


class Excluding(q.AndNot):
    """`a NOT b`: Whoosh's AndNotMatcher let a first match of `a` through when `b`'s first posting lay
    before it (it only compared the two first postings)."""

    def matcher(self, searcher, context=None):
        return ExcludingMatcher(self.a.matcher(searcher, context), self.b.matcher(searcher, searcher.boolean_context()))


class ExcludingMatcher(AndNotMatcher):
    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class Require(q.Require):
    """The query's matches that the filter also matches, scored by the query alone.

    The filter's documents are read once per segment and filter (cached on the segment's reader) and
    kept as a set: Whoosh's intersection with the filter's matcher (for "no identity documents" a
    NOT that steps through every document) cost more than the query itself for users without Identity.
    """

    def matcher(self, searcher, context=None):
        matcher = self.a.matcher(searcher, context)
        if not matcher.is_active():
            return NullMatcher()
        ids, exclude = _filter_ids(searcher, self.b)
        return KeptMatcher(matcher, ids, exclude=exclude)


FILTERS_KEPT = 32  # per segment reader: the permission filters and a few of the users' own


def _filter_ids(searcher, query) -> tuple[frozenset, bool]:
    """The segment's documents the filter matches, or (exclude=True) those it does not, whichever is fewer."""
    reader = searcher.reader()
    cache = reader.__dict__.setdefault("_sigap_filters", {})
    key = repr(query)
    if key not in cache:
        if len(cache) >= FILTERS_KEPT:
            cache.clear()
        matched = frozenset(query.matcher(searcher, searcher.boolean_context()).all_ids())
        if len(matched) * 2 > reader.doc_count_all():
            cache[key] = (frozenset(range(reader.doc_count_all())) - matched, True)
        else:
            cache[key] = (matched, False)
    return cache[key]


class KeptMatcher(wrappers.FilterMatcher):
    """Whoosh's FilterMatcher, which lost the block boundaries and the skips that need them: its next()
    answered None (a new block went unnoticed) and skipping to a better block left it on a filtered-out
    document."""

    def next(self):
        moved = self.child.next()
        return self._find_next() or moved

    def skip_to_quality(self, minquality):
        skipped = self.child.skip_to_quality(minquality)
        self._find_next()
        return skipped


class StrictTopCollector(TopCollector):
    """Top N where a block is skipped when it cannot beat the Nth hit, ties included.

    A document enters the top N only with a score above the Nth's, yet Whoosh's AND and OR matchers
    skip a block only when its best score is *below* the bar: with CappedTf's few score values
    the best blocks tie with it and were all read. Raising the bar by a hair skips them too.

    Likewise a whole segment is skipped, its matcher never built, when the query's best possible score
    (best_score) cannot beat the Nth hit: a prefix's 200 words were looked up on every segment.
    """

    def _collect(self, global_docnum, score):
        key = super()._collect(global_docnum, score)
        if len(self.items) >= self.limit:
            self.minscore = self.items[0][0] * (1 + 1e-9)
        return key

    def set_subsearcher(self, subsearcher, offset):
        if len(self.items) >= self.limit:
            best = best_score(self.q, self.top_searcher)
            if best is not None and best < self.minscore:
                self.subsearcher, self.offset, self.matcher = subsearcher, offset, NullMatcher()
                return
        super().set_subsearcher(subsearcher, offset)


def best_score(query, searcher) -> float | None:
    """An upper bound of the query's score on any document, for constant-scored queries (None: unknown)."""
    if isinstance(query, Expansion):
        return query.boost
    if isinstance(query, PhraseScore):
        return query.score(searcher)
    if isinstance(query, (q.Require, q.AndNot)):
        return best_score(query.a, searcher)
    if isinstance(query, Union):
        bounds = [best_score(sub, searcher) for sub in query.subqueries]
        return None if None in bounds else sum(bounds) * query.boost
    return None


class ArchiveSearch:
    def __init__(self, index: ArchiveIndex, max_expansions: int = 200, time_limit: float = 1.0):
        self.index = index
        self.max_expansions = max_expansions
        self.time_limit = time_limit
        self._parser: QueryParser | None = None

    def parser(self, schema) -> QueryParser:
        """The query parser of this schema, made once (~4 ms a query when made per query); a searcher
        on a new commit brings a new schema object."""
        if self._parser is None or self._parser.schema is not schema:
            parser = QueryParser(None, schema)
            parser.add_plugin(IdentifierAwareMultifield(SEARCH_FIELDS))
            parser.add_plugin(DateParserPlugin())
            self._parser = parser
        return self._parser

    def parse(self, text: str, cut: list, searcher, may_see_identity: bool):
        query = self.parser(searcher.schema).parse(text)
        if not may_see_identity:
            query = without_identity_numbers(query)
        return cap_expansions(query, searcher.reader(), self.max_expansions, cut)

    def search(self, request: SearchRequest) -> SearchPage:
        cut: list[str] = []
        searcher = self.index.shared_searcher()
        query = (self.parse(request.text, cut, searcher, request.may_see_identity) if request.text.strip()
                 else q.Every())
        terms = _content_terms(query, searcher)
        allowed = _and(permission_filter(request.sector_scope, request.may_see_identity), chosen_filter(request))
        if allowed is not None:
            # Scores come from the user's query alone; the filter only decides which documents take part.
            query = Require(query, allowed)
        limit = request.page * request.page_size
        results, timed_out = self._collect(searcher, query, limit)
        start = (request.page - 1) * request.page_size
        window = [results[i] for i in range(start, min(limit, results.scored_length()))]
        words = QueryWords(searcher.schema["content"].analyzer, terms) if terms else None
        hits = [_hit(found, rank < HIGHLIGHTED, words, request.may_see_identity)
                for rank, found in enumerate(window)]
        # Fewer matches than the pages asked for: the collector read every one (it skips only once they are
        # full), so their number is exact.
        complete = not timed_out and results.scored_length() < limit
        total, exact = _total(searcher, query, results, complete, restricted=allowed is not None)
        page = SearchPage(hits, total, exact, request.page, request.page_size)
        page.notices = _notices(cut, timed_out, self)
        return page

    def _collect(self, searcher, query, limit):
        collector = TimeLimitCollector(StrictTopCollector(limit=limit), self.time_limit, use_alarm=False)
        try:
            searcher.search_with_collector(query, collector)
        except TimeLimit:
            return collector.results(), True
        return collector.results(), False


class IdentifierAwareMultifield(MultifieldPlugin):
    """Whoosh's MultifieldPlugin, except that a word without a digit is not looked up in ID_FIELDS:
    "izin" cannot be a NIK, and each identifier field was one more lookup (or prefix walk) per word."""

    def do_multifield(self, parser, group):
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_multifield(parser, node)
            elif node.has_fieldname and node.fieldname is None:
                group[i] = self.group([_fielded(node, name) for name in self.fieldnames
                                       if name not in ID_FIELDS or _may_be_identifier(node)])
        return group


def _fielded(node, fieldname: str):
    fielded = copy.copy(node)
    fielded.set_fieldname(fieldname)
    return fielded


def _may_be_identifier(node) -> bool:
    text = getattr(node, "text", None)
    return not isinstance(text, str) or any(char.isdigit() for char in text)


def permission_filter(sector_scope: int | None, may_see_identity: bool):
    """The documents a user may see, as a query to require (None: all): those of its sector (none when
    the scope is 0) and, without the Identity permission, no identity documents (KTP, NPWP)."""
    clauses = []
    if sector_scope is not None:
        clauses.append(q.Term("sector", str(sector_scope)) if sector_scope else q.NullQuery)
    if not may_see_identity:
        clauses.append(q.Not(q.Or([q.Term("document_type", code) for code in IDENTITY_DOCUMENT_TYPES])))
    return _and(*clauses)


def chosen_filter(request: SearchRequest):
    """The user's own filters and dates, as a query to require (None: none chosen)."""
    clauses = [q.Term(name, str(value)) for name, value in request.filters.items() if value not in (None, "")]
    if request.uploaded_from or request.uploaded_until:
        clauses.append(q.DateRange("uploaded_at", request.uploaded_from, request.uploaded_until))
    return _and(*clauses)


def _and(*clauses):
    present = [clause for clause in clauses if clause is not None]
    if len(present) > 1:
        return q.And(present)
    return present[0] if present else None


def without_identity_numbers(query):
    """The query with every part that could match a NIK or NPWP made to match nothing: any part on the
    nik and npwp fields, and in text a 15-16 digit word, a phrase holding one, and any prefix, wildcard,
    fuzzy word or range reaching digits. No answer (hits, total, page) then depends on such a number."""
    def swap(node):
        if node.is_leaf() and _may_match_identity(node):
            return Nothing()
        return node

    return query.accept(swap)


class Nothing(q.Query):
    """A part of a query that matches no document. (Whoosh's NullQuery would be dropped from an AND,
    which would then match without it.)"""

    fieldname = None

    def __eq__(self, other):
        return isinstance(other, Nothing)

    def __hash__(self):
        return hash(Nothing)

    def __repr__(self):
        return "Nothing()"

    def estimate_size(self, ixreader):
        return 0

    def docs(self, searcher):
        return iter(())

    def matcher(self, searcher, context=None):
        return NullMatcher()


def _may_match_identity(node) -> bool:
    fieldname = getattr(node, "fieldname", None)
    if fieldname in IDENTITY_FIELDS:
        return True
    if fieldname not in TEXT_FIELDS:
        return False
    if isinstance(node, q.TermRange):
        return not all(bound and str(bound)[0].isalpha() for bound in (node.start, node.end))
    if isinstance(node, q.MultiTerm):
        return any(char.isdigit() for char in str(getattr(node, "text", "")))
    if isinstance(node, q.Phrase):
        return any(IDENTITY_WORD.fullmatch(str(word)) for word in node.words)
    return isinstance(node, q.Term) and IDENTITY_WORD.fullmatch(str(node.text)) is not None


def _total(searcher, query, results, complete: bool, restricted: bool) -> tuple[int, bool]:
    """The number of matches and whether it is exact. Whoosh estimates it once it skipped blocks, from
    the sizes of the query's parts: for a restricted user that counts documents it may not see, so its
    total is counted, up to EXACT_TOTAL_CAP (over it: that many, as an estimate)."""
    if complete:
        return results.scored_length(), True
    if results.has_exact_length():
        return len(results), True
    if not restricted:
        return results.estimated_length(), False
    count = count_matches(searcher, query, EXACT_TOTAL_CAP + 1)
    return (count, True) if count <= EXACT_TOTAL_CAP else (EXACT_TOTAL_CAP, False)


def count_matches(searcher, query, stop_at: int) -> int:
    """Documents matching the query, counted one by one (deleted ones excluded) until stop_at."""
    count = 0
    for leaf, _offset in searcher.leaf_searchers():
        for _docnum in query.matcher(leaf, leaf.boolean_context()).all_ids():
            count += 1
            if count >= stop_at:
                return count
    return count


def _content_terms(query, searcher) -> frozenset:
    """The content words the query matches (for highlights). An expansion's words were read from the
    index: checking each for existence again (Whoosh's existing_terms) cost ~5 ms for a prefix."""
    reader = searcher.reader()
    return frozenset(_text(text) for fieldname, text in _existing_terms(query, reader) if fieldname == "content")


def _existing_terms(node, reader):
    if isinstance(node, Expansion):
        return [(term.fieldname, term.text) for term in node.subqueries]
    if node.is_leaf():
        return node.existing_terms(reader, phrases=True, expand=True)
    return [pair for child in node.children() for pair in _existing_terms(child, reader)]


def _text(text) -> str:
    return text.decode() if isinstance(text, bytes) else text


def _hit(found, highlighted: bool, words: QueryWords | None, may_see_identity: bool) -> Hit:
    stored = found.fields()
    known = () if may_see_identity else (stored.get("nik"), stored.get("npwp"))
    hit = Hit(
        document_id=int(stored["doc_id"]), application_id=stored.get("application_id"),
        registration_number=stored.get("registration_number"), filename=stored.get("filename", ""),
        document_type=stored.get("document_type", ""), state=stored.get("state", ""),
        uploaded_at=stored.get("uploaded_at"), score=found.score or 0.0,
    )
    if not may_see_identity:
        hit.filename = masked_text(hit.filename, known)
    if highlighted and words is not None:
        content = stored.get("content", "")
        if not may_see_identity:
            content = masked_text(content, known)  # the whole text: a cut never shows part of a number
        hit.page, hit.snippet = matching_page(content, words)
    return hit


def matching_page(content: str, words: QueryWords) -> tuple[int | None, str]:
    """The first page whose text holds a query term, with its highlighted snippet (HTML-escaped).

    Only SNIPPET_WINDOW characters around the first match are highlighted, and only the words that could
    stem to a query term are stemmed (QueryWords): Sastrawi on every word of the pages was most of a
    query's time (the OCR noise makes most words new to the stemmer's cache).
    """
    for number, text in enumerate(content.split(PAGE_BREAK), start=1):
        start = words.first_match(text)
        if start is not None:
            begin = text.rfind(" ", 0, max(0, start - SNIPPET_WINDOW // 2)) + 1  # whole words only
            end = text.find(" ", start + SNIPPET_WINDOW)
            window = text[begin:end if end >= 0 else len(text)]
            return number, highlight(window, words.terms, words, ContextFragmenter(maxchars=160, surround=60),
                                     HtmlFormatter(tagname="mark", between=" … "), top=2)
    return None, ""


# A word, or a run of digits with single spaces, dots or dashes between them (an identity number as scans
# print it is one token to the analyzer).
WORD = re.compile(r"\d(?:[ .\-]?\d)*|\w+")
NUMBER_RUN = r"\d(?:[ .\-]?\d){14,}"


class QueryWords:
    """The analyzer as the highlighter sees it, cheaper: a word runs through it only when it could stem to
    one of the terms. A stem is the word less its affixes, with at most its first letter changed
    (memeriksa -> periksa), so a word that does not hold the start of a term less its first letter
    cannot match;
    the other words are given lowercased (context for the snippet, never a match). With an identity
    number among the terms, every run of digits goes through the analyzer (it may be printed in groups)."""

    def __init__(self, analyzer, terms: frozenset):
        self.analyzer = analyzer
        self.terms = terms
        # The cores' first four letters: a prefix's 200 words share a few (a pattern of 200 took ~5 ms to compile).
        cores = "|".join(sorted({re.escape((term[1:] or term)[:4]) for term in terms}, key=len, reverse=True))
        self.could_match = re.compile(cores).search
        self.numbers = any(IDENTITY_WORD.fullmatch(term) for term in terms)
        numbers = f"{NUMBER_RUN}|" if self.numbers else ""
        self.candidates = re.compile(rf"{numbers}\w*(?:{cores})\w*", re.IGNORECASE).finditer  # whole words

    def first_match(self, text: str) -> int | None:
        """Where the first word that analyses to a term starts in the text."""
        for candidate in self.candidates(text):
            for token in self.analyzer(candidate.group(), chars=True, start_char=candidate.start()):
                if token.text in self.terms:
                    return token.startchar
        return None

    def __call__(self, text: str, chars=True, **kwargs):
        plain = Token(chars=True, removestops=False)
        for match in WORD.finditer(text):
            word = match.group()
            if (self.numbers and word[0].isdigit()) or self.could_match(word.lower()):
                yield from self.analyzer(word, chars=True, start_char=match.start(), **kwargs)
            else:
                plain.text, plain.startchar, plain.endchar = word.lower(), match.start(), match.end()
                yield plain


def masked_text(text: str, known=()) -> str:
    """The text with the given NIK/NPWP values (the applicant's), however written, and every digit run
    that could be an identity number masked to its last four digits."""
    for value in known:
        for digits in _printed_forms(value or ""):
            text = _written_as(digits).sub(lambda match: mask_identity(match.group()), text)
    return IDENTITY_DIGITS.sub(lambda match: mask_identity(match.group()), text)


def _printed_forms(value: str) -> list[str]:
    """The digit strings a value is printed as: an NPWP kept as 0 + 15 digits is printed as the 15."""
    digits = re.sub(r"\D", "", value)
    if not digits:
        return []
    return [digits, digits[1:]] if len(digits) == 16 and digits.startswith("0") else [digits]


def _written_as(digits: str) -> re.Pattern:
    """The digits with any spaces, dots or dashes between them."""
    return re.compile(r"(?<!\d)" + r"[\s.\-]*".join(digits) + r"(?!\d)")


def _notices(cut: list[str], timed_out: bool, search: ArchiveSearch) -> list[str]:
    from app.i18n import _

    notices = [_("%(prefix)s* matches too many words: only the first %(count)s were searched. Type more of the word.",
                 prefix=text, count=search.max_expansions) for text in cut]
    if timed_out:
        notices.append(_("The search took longer than %(seconds)s s and was stopped: the results are incomplete. "
                         "Narrow it down with more words or filters.", seconds=f"{search.time_limit:g}"))
    return notices
