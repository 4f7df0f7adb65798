"""Searching the archive: Whoosh syntax, filters, permissions, highlights and the matching page.

Two guards keep one query from stalling the office: a prefix or wildcard expands to at most
`max_expansions` terms (stock Whoosh expanded `1377*` to every NIK in the text: ~200 s at 100k
documents), and a query stops collecting after `time_limit` seconds. Either is told to the user.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import islice, takewhile

from whoosh import query as q
from whoosh.collectors import FilterCollector, TimeLimit, TimeLimitCollector, TopCollector
from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight
from whoosh.matching import NullMatcher, UnionMatcher, WrappingMatcher
from whoosh.qparser import MultifieldParser
from whoosh.qparser.dateparse import DateParserPlugin
from whoosh.util import make_binary_tree

from app.archive.index import PAGE_BREAK, ArchiveIndex
from app.identity.masking import mask_identity

SEARCH_FIELDS = ["content", "applicant_name", "registration_number", "nik", "npwp", "nib", "permit_number"]
FILTER_FIELDS = ("document_type", "service", "sector", "state")
HIGHLIGHTED = 10
SNIPPET_WINDOW = 400  # characters of a page around its first match
# NIK, NPWP and NIB digit runs in snippets, masked for users without the Identity permission.
IDENTITY_DIGITS = re.compile(r"(?<!\d)\d[\d.\-]{10,20}\d(?!\d)")


@dataclass
class SearchRequest:
    text: str
    filters: dict = field(default_factory=dict)  # FILTER_FIELDS -> value
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = 1
    page_size: int = 20
    # None: every sector; else the only sector the user may see (0 when it sees none).
    sector_scope: int | None = None
    mask_identity: bool = False


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
    """The query with each prefix or wildcard replaced by a Union of its first `cap` words in the whole
    index (noting the cut ones), and every OR made a Union.

    Expanding once keeps the cap global: Whoosh's own Prefix expands, and would cap, on every segment.
    """
    def swap(node):
        if type(node) is q.Or:
            return Union(node.subqueries, boost=node.boost)
        if isinstance(node, (q.Prefix, q.Wildcard)) and node.text:
            pattern = type(node)(node.fieldname, node.text.lower())
            words = [word.decode() for word in islice(pattern._btexts(reader), cap + 1)]
            if len(words) > cap and node.text not in notices:
                notices.append(node.text)
            union = Union([q.Term(node.fieldname, word) for word in words[:cap]], boost=node.boost)
            if isinstance(node, q.Prefix) and words:
                union.scan = (node.fieldname, pattern.text, words[min(cap, len(words)) - 1])
            return union
        return node

    return query.accept(swap)


class Union(q.Or):
    """OR as a plain tree of unions over the subqueries that match on this segment.

    Whoosh's Or answers a segment of <= 5,000 documents with a matcher that reads and scores every
    posting (no block skipping), and otherwise first estimates every subquery's size to balance its
    tree: for a prefix's 200 words on 12 segments that estimate was most of the query.

    A capped prefix's words are found on each segment by walking that segment's words in order up to
    the last one kept (`scan`): every such word is one of the kept ones, and a lookup per kept word
    per segment cost more (each NIK is on one segment only).
    """

    scan = None  # (field, prefix, last word kept) of a capped prefix

    def estimate_size(self, reader):
        if self.scan is None:
            return super().estimate_size(reader)
        field = self.scan[0]
        return sum(leaf.doc_frequency(field, word) for leaf, _ in reader.leaf_readers()
                   for word in self._present(leaf))

    def _present(self, reader) -> list[str]:
        field, prefix, last = self.scan
        return list(takewhile(lambda word: word <= last,
                              (text.decode() for text in reader.expand_prefix(field, prefix))))

    def _matcher(self, subs, searcher, context):
        if self.scan is not None:
            subs = [q.Term(self.scan[0], word) for word in self._present(searcher.reader())]
        matchers = [m for m in (sub.matcher(searcher, context) for sub in subs) if m.is_active()]
        if not matchers:
            return NullMatcher()
        matcher = make_binary_tree(UnionMatcher, matchers)
        return WrappingMatcher(matcher, self.boost) if self.boost != 1.0 else matcher


class StrictTopCollector(TopCollector):
    """Top N where a block is skipped when it cannot beat the Nth hit, ties included.

    A document enters the top N only with a score above the Nth's, yet Whoosh's AND and OR matchers
    skip a block only when its best score is *below* the bar: with CappedTf's few score values
    the best blocks tie with it and were all read. Raising the bar by a hair skips them too.
    """

    def _collect(self, global_docnum, score):
        key = super()._collect(global_docnum, score)
        if len(self.items) >= self.limit:
            self.minscore = self.items[0][0] * (1 + 1e-9)
        return key


class ArchiveSearch:
    def __init__(self, index: ArchiveIndex, max_expansions: int = 200, time_limit: float = 1.0):
        self.index = index
        self.max_expansions = max_expansions
        self.time_limit = time_limit

    def parse(self, text: str, cut: list, searcher):
        parser = MultifieldParser(SEARCH_FIELDS, searcher.schema)
        parser.add_plugin(DateParserPlugin())
        return cap_expansions(parser.parse(text), searcher.reader(), self.max_expansions, cut)

    def search(self, request: SearchRequest) -> SearchPage:
        cut: list[str] = []
        searcher = self.index.shared_searcher()
        query = self.parse(request.text, cut, searcher) if request.text.strip() else q.Every()
        allowed = _filter(request)
        limit = request.page * request.page_size
        results, timed_out = self._collect(searcher, query, allowed, limit)
        start = (request.page - 1) * request.page_size
        window = [results[i] for i in range(start, min(limit, results.scored_length()))]
        terms = _content_terms(query, searcher)
        hits = [_hit(found, rank < HIGHLIGHTED, terms, searcher.schema, request.mask_identity)
                for rank, found in enumerate(window)]
        total = len(results) if results.has_exact_length() else results.estimated_length()
        page = SearchPage(hits, total, results.has_exact_length(), request.page, request.page_size)
        page.notices = _notices(cut, timed_out, self)
        return page

    def _collect(self, searcher, query, allowed, limit):
        collector = TimeLimitCollector(StrictTopCollector(limit=limit), self.time_limit, use_alarm=False)
        if allowed is not None:
            # Outermost: a filter inside the time limit is bypassed (it filters in collect_matches).
            collector = FilterCollector(collector, allowed)
        try:
            searcher.search_with_collector(query, collector)
        except TimeLimit:
            return collector.results(), True
        return collector.results(), False


def _filter(request: SearchRequest):
    """The permitted and chosen subset: sector scope first, then the user's filters."""
    clauses = [q.Term(name, str(value)) for name, value in request.filters.items() if value not in (None, "")]
    if request.sector_scope is not None:
        clauses.append(q.Term("sector", str(request.sector_scope)))
    if request.date_from or request.date_to:
        start = dt.datetime.combine(request.date_from, dt.time.min) if request.date_from else None
        end = dt.datetime.combine(request.date_to, dt.time.max) if request.date_to else None
        clauses.append(q.DateRange("uploaded_at", start, end))
    return q.And(clauses) if clauses else None


def _content_terms(query, searcher) -> frozenset:
    return frozenset(
        text.decode() if isinstance(text, bytes) else text
        for fieldname, text in query.existing_terms(searcher.reader(), phrases=True, expand=True)
        if fieldname == "content"
    )


def _hit(found, highlighted: bool, terms, schema, masked: bool) -> Hit:
    stored = found.fields()
    hit = Hit(
        document_id=int(stored["doc_id"]), application_id=stored.get("application_id"),
        registration_number=stored.get("registration_number"), filename=stored.get("filename", ""),
        document_type=stored.get("document_type", ""), state=stored.get("state", ""),
        uploaded_at=stored.get("uploaded_at"), score=found.score or 0.0,
    )
    if highlighted and terms:
        hit.page, hit.snippet = matching_page(stored.get("content", ""), terms, schema["content"].analyzer)
    if masked:
        hit.snippet = mask_digits(hit.snippet)
    return hit


def matching_page(content: str, terms: frozenset, analyzer) -> tuple[int | None, str]:
    """The first page whose text holds a query term, with its highlighted snippet (HTML-escaped).

    Only SNIPPET_WINDOW characters around the first match are highlighted: analysing whole pages
    with Sastrawi for every hit was a fifth of a query's time.
    """
    for number, text in enumerate(content.split(PAGE_BREAK), start=1):
        start = _first_match(text, terms, analyzer)
        if start is not None:
            begin = text.rfind(" ", 0, max(0, start - SNIPPET_WINDOW // 2)) + 1  # whole words only
            end = text.find(" ", start + SNIPPET_WINDOW)
            window = text[begin:end if end >= 0 else len(text)]
            return number, highlight(window, terms, analyzer, ContextFragmenter(maxchars=160, surround=60),
                                     HtmlFormatter(tagname="mark", between=" … "), top=2)
    return None, ""


def _first_match(text: str, terms: frozenset, analyzer) -> int | None:
    for token in analyzer(text, chars=True):
        if token.text in terms:
            return token.startchar
    return None


def mask_digits(text: str) -> str:
    return IDENTITY_DIGITS.sub(lambda match: mask_identity(match.group()), text)


def _notices(cut: list[str], timed_out: bool, search: ArchiveSearch) -> list[str]:
    from app.i18n import _

    notices = [_("%(prefix)s* matches too many words: only the first %(count)s were searched. Type more of the word.",
                 prefix=text, count=search.max_expansions) for text in cut]
    if timed_out:
        notices.append(_("The search took longer than %(seconds)s s and was stopped: the results are incomplete. "
                         "Narrow it down with more words or filters.", seconds=f"{search.time_limit:g}"))
    return notices
