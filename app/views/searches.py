"""Searches a clerk types into the daily lists beyond the model's own columns: the applicant's name or
NIK, the registration number, through the record's relationships.

A search is declared on a view as ``related_searches = {"applicant_name": APPLICANT_NAME_VIA_APPLICATION}``
(and named in ``search_columns``); GuardedView gives each a text box and hides those on identity columns
(IDENTITY_SEARCHES) from roles that may not see NIK or NPWP.
"""

from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import (
    FilterContains, FilterEndsWith, FilterNotContains, FilterNotEndsWith, FilterNotStartsWith, FilterStartsWith,
    get_field_setup_query,
)
from flask_babel import lazy_gettext as _l

from app.identity import normalise_digits
from app.security.scope import may_see_identity

# Columns and searches that reveal NIK or NPWP: never searchable or orderable without Identity.
IDENTITY_SEARCHES = frozenset({"nik", "npwp", "npwp_input", "applicant_nik"})


def related_search(path: tuple[str, ...], column: str, *, exact_digits: bool = False) -> type[BaseFilter]:
    """A filter on ``column`` of the record reached through the relationships ``path``: "contains"
    (case-insensitive), or for identity numbers the exact digits, whatever separators were typed."""

    class RelatedSearch(BaseFilter):
        name = _l("Equal to") if exact_digits else _l("Contains")
        arg_name = "eq" if exact_digits else "ct"

        def apply(self, query, value):
            model, relationships = self.model, []
            for name in path:
                relationship = getattr(model, name)
                relationships.append(relationship)
                model = relationship.property.mapper.class_
            target = getattr(model, column)
            criterion = (target == normalise_digits(value) if exact_digits
                         else target.ilike(f"%{like_literal(value)}%", escape=LIKE_ESCAPE))
            for relationship in reversed(relationships):
                criterion = relationship.has(criterion)
            return query.filter(criterion)

    return RelatedSearch


def searchable(column: str) -> bool:
    """Whether the current user may search or order by ``column`` (also through a relationship: applicant.nik)."""
    return column.rsplit(".", 1)[-1] not in IDENTITY_SEARCHES or may_see_identity()


LIKE_ESCAPE = "\\"


def like_literal(text) -> str:
    """``text`` inside a LIKE pattern, its wildcards % and _ (and the escape character) matching themselves."""
    escaped = str(text).replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
    return escaped.replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


class _LiteralLike(BaseFilter):
    """One of FAB's LIKE filters (name and operator inherited) with the typed text taken literally."""

    pattern = "{}"
    negated = False

    def apply(self, query, value):
        query, field = get_field_setup_query(query, self.model, self.column_name)
        criterion = field.ilike(self.pattern.format(like_literal(value)), escape=LIKE_ESCAPE)
        return query.filter(~criterion if self.negated else criterion)


def _literal(fab_filter: type[BaseFilter], pattern: str, negated: bool = False) -> type[BaseFilter]:
    return type(fab_filter.__name__, (_LiteralLike, fab_filter), {"pattern": pattern, "negated": negated})


LITERAL_LIKE = {
    fab_filter: _literal(fab_filter, pattern, negated)
    for fab_filter, pattern, negated in [
        (FilterStartsWith, "{}%", False), (FilterNotStartsWith, "{}%", True),
        (FilterEndsWith, "%{}", False), (FilterNotEndsWith, "%{}", True),
        (FilterContains, "%{}%", False), (FilterNotContains, "%{}%", True),
    ]
}


def literal_like(filter_class: type[BaseFilter]) -> type[BaseFilter]:
    """The filter class to use for ``filter_class``: FAB's LIKE filters pass % and _ on as wildcards."""
    return LITERAL_LIKE.get(filter_class, filter_class)
