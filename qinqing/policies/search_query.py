"""Searching the policy index (search_index.py): a queryset's WHERE tree as tantivy clauses (:func:`translate`),
the words as a BM25 query (:func:`text_query`), and the exact count and ranked ids of both (:class:`EngineSearch`).
Anything the index cannot answer exactly raises ``Untranslatable`` and the database's index answers instead."""

from __future__ import annotations

import datetime
import re

import tantivy
from django.db.models import lookups
from django.db.models.expressions import Col
from django.db.models.sql.where import AND, OR, NothingNode, WhereNode

from .search_index import (
    CLOSED_FIELDS,
    DATE_FIELDS,
    INT_FIELDS,
    ISSUER_PATH,
    ISSUER_SCOPE_FIELD,
    NULLABLE_FIELDS,
    NULLS_FIELD,
    PATH,
    SCOPE_FIELD,
    STRING_FIELDS,
    Untranslatable,
    _Handle,
)

ANY_OF_TERMS = 16  # up to this many values a union of term postings; more: tantivy's term set (a bit set)

_RANGES = {
    lookups.GreaterThan: (False, None),
    lookups.GreaterThanOrEqual: (True, None),
    lookups.LessThan: (None, False),
    lookups.LessThanOrEqual: (None, True),
}


def _value(field: str, value):
    if hasattr(value, "resolve_expression"):
        raise Untranslatable(field)
    value = getattr(value, "pk", value)
    if field in DATE_FIELDS:
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            raise Untranslatable(field)
        return value.toordinal()
    if field in STRING_FIELDS:
        if not isinstance(value, str):
            raise Untranslatable(field)
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise Untranslatable(field)
    return value


_prefix_queries: dict[tuple[str, str], tantivy.Query] = {}
PREFIX_QUERIES_KEPT = 1024  # organisation paths: a few hundred nodes search; the dict starts afresh past this


def _prefix_query(schema: tantivy.Schema, field: str, prefix: str) -> tantivy.Query:
    """``field`` starts with ``prefix`` (the visibility rule's org_path). Building the regex automaton cost
    ~0.5 ms of every search, always for the same few paths, so each is built once per process (a query holds
    no index state: the schema is fixed by SCHEMA_VERSION)."""
    key = (field, prefix)
    query = _prefix_queries.get(key)
    if query is None:
        if len(_prefix_queries) >= PREFIX_QUERIES_KEPT:
            _prefix_queries.clear()
        query = _prefix_queries[key] = tantivy.Query.regex_query(schema, field, re.escape(prefix) + ".*")
    return query


Must, Should, MustNot = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot


def _conjunction(clauses: list) -> tantivy.Query:
    """One query for clauses that must all hold (a query of MustNot clauses alone would match nothing)."""
    if not clauses:
        return tantivy.Query.all_query()
    if len(clauses) == 1 and clauses[0][0] == Must:
        return clauses[0][1]
    if all(occur != Must for occur, _query in clauses):
        clauses = [(Must, tantivy.Query.all_query()), *clauses]
    return tantivy.Query.boolean_query(clauses)


class _Translator:
    """A WHERE tree as tantivy clauses. Filters are laid out for tantivy's cost, which is the postings it walks:
    the conjunction's clauses stay flat (a search ANDs them with the words directly), a closed column's equality
    becomes the exclusion of its other values, and an OR holding one becomes ``NOT (NOT a AND NOT b …)``, so the
    visibility rule (published OR editable) costs the few unpublished policies' postings, not a union over all."""

    def __init__(self, schema: tantivy.Schema, alias: str, issuer_alias: str | None = None):
        self.schema = schema
        self.alias = alias
        self.issuer_alias = issuer_alias  # the join to the issuing organisation, when the filter has it
        self.negated = False  # under an odd number of NOTs

    def node(self, node) -> tantivy.Query:
        return _conjunction(self.clauses(node))

    def clauses(self, node) -> list:
        """The node as (occur, query) clauses that a matching document satisfies all of."""
        if isinstance(node, NothingNode):
            return [(Must, tantivy.Query.empty_query())]
        if isinstance(node, WhereNode):
            self.negated ^= node.negated
            try:
                if node.connector == AND:
                    combined = [clause for child in node.children for clause in self.clauses(child)]
                elif node.connector == OR:
                    combined = self._disjunction(node.children)
                else:
                    raise Untranslatable(node.connector)
            finally:
                self.negated ^= node.negated
            return [(MustNot, _conjunction(combined))] if node.negated else combined
        if isinstance(node, lookups.Lookup):
            closed = self._closed(node)
            if closed is not None:  # col = v: none of the other values (an empty list: every document)
                return [(MustNot, self._any_of(*closed))] if closed[1] else []
            if isinstance(node, lookups.IsNull) and not node.rhs and self.field(node.lhs) in NULLABLE_FIELDS:
                return [(MustNot, self._null(self.field(node.lhs)))]
            return [(Must, self.lookup(node))]
        raise Untranslatable(type(node).__name__)

    def _disjunction(self, children) -> list:
        if not children:
            return [(Must, tantivy.Query.empty_query())]
        if len(children) == 1:
            return self.clauses(children[0])
        for child in children:
            closed = self._closed(child)
            if closed is not None:
                # a OR b OR … = NOT (NOT a AND NOT b AND …), and NOT (col = v) is col IN (the other values).
                field, others = closed
                first = self._any_of(field, others) if others else tantivy.Query.empty_query()
                excluded = [(Must, first), *((MustNot, self.node(c)) for c in children if c is not child)]
                return [(MustNot, tantivy.Query.boolean_query(excluded))]
        return [(Must, tantivy.Query.boolean_query([(Should, self.node(child)) for child in children]))]

    def _closed(self, node) -> tuple[str, list[str]] | None:
        """(field, its other values) for an equality on a closed column, else None."""
        if not isinstance(node, lookups.Exact) or isinstance(node, lookups.IExact):
            return None
        field = self.field(node.lhs)
        if field not in CLOSED_FIELDS:
            return None
        value = _value(field, node.rhs)
        return field, [other for other in CLOSED_FIELDS[field] if other != value]

    def _any_of(self, field: str, values: list) -> tantivy.Query:
        if len(values) > ANY_OF_TERMS:
            return tantivy.Query.term_set_query(self.schema, field, values)
        terms = [tantivy.Query.term_query(self.schema, field, value, index_option="basic") for value in values]
        return terms[0] if len(terms) == 1 else tantivy.Query.boolean_query([(Should, term) for term in terms])

    def _null(self, field: str) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, NULLS_FIELD, field, index_option="basic")

    def field(self, lhs) -> str:
        if isinstance(lhs, Col) and lhs.alias == self.issuer_alias and lhs.target.column == "path":
            return ISSUER_PATH
        if not isinstance(lhs, Col) or lhs.alias != self.alias:
            raise Untranslatable("column")
        name = lhs.target.attname if lhs.target.column == lhs.target.attname else lhs.target.column
        if name == "id":
            return "pid"
        if name not in (*STRING_FIELDS, *INT_FIELDS, *DATE_FIELDS):
            raise Untranslatable(name)
        return name

    def lookup(self, lookup) -> tantivy.Query:
        field = self.field(lookup.lhs)
        kind = type(lookup)
        if field == ISSUER_PATH:  # a subtree of the issuer's; nothing else is indexed of the join
            if issubclass(kind, lookups.IsNull):  # the path is NOT NULL: NULL only where there is no issuer
                null = self._null("issuer_id")
                return null if lookup.rhs else _conjunction([(MustNot, null)])
            prefix = lookup.rhs
            if not (issubclass(kind, lookups.StartsWith) and isinstance(prefix, str) and PATH.fullmatch(prefix)):
                raise Untranslatable(field)
            # Under a NOT, a policy without an issuer makes this NULL in SQL, and Django adds no "IS NOT NULL" for
            # a column of an outer join, so the database leaves the row out where the index would take it.
            if self.negated:
                raise Untranslatable(field)
            return tantivy.Query.term_query(self.schema, ISSUER_SCOPE_FIELD, prefix, index_option="basic")
        if field == "pid":
            if issubclass(kind, lookups.In) and not hasattr(lookup.rhs, "resolve_expression"):
                values = [_value("id", v) for v in lookup.rhs]
                if not values:
                    return tantivy.Query.empty_query()
                return self._any_of("pid", values)
            if issubclass(kind, lookups.Exact):
                return tantivy.Query.term_query(self.schema, "pid", _value("id", lookup.rhs))
            raise Untranslatable("id")
        if issubclass(kind, lookups.IsNull):
            if field in STRING_FIELDS:  # text columns here are NOT NULL
                return tantivy.Query.empty_query() if lookup.rhs else tantivy.Query.all_query()
            if lookup.rhs:
                return self._null(field)
            return _conjunction([(MustNot, self._null(field))])
        if issubclass(kind, lookups.In):
            if hasattr(lookup.rhs, "resolve_expression") or hasattr(lookup.rhs, "query"):
                raise Untranslatable(field)
            values = [_value(field, v) for v in lookup.rhs if v is not None]
            if not values:
                return tantivy.Query.empty_query()
            return self._any_of(field, values)
        if issubclass(kind, lookups.Exact) and not isinstance(lookup, lookups.IExact):
            return tantivy.Query.term_query(self.schema, field, _value(field, lookup.rhs), index_option="basic")
        if issubclass(kind, lookups.StartsWith) and field in STRING_FIELDS:
            prefix = _value(field, lookup.rhs)
            if not re.fullmatch(r"[A-Za-z0-9/_-]*", prefix):  # codes and paths only: no case folding issues
                raise Untranslatable(field)
            if field == "org_path" and PATH.fullmatch(prefix):  # a subtree: one term of org_scope
                return tantivy.Query.term_query(self.schema, SCOPE_FIELD, prefix, index_option="basic")
            return _prefix_query(self.schema, field, prefix)
        if field in STRING_FIELDS:
            raise Untranslatable(field)
        if kind in _RANGES:
            include_lower, include_upper = _RANGES[kind]
            value = _value(field, lookup.rhs)
            return tantivy.Query.range_query(
                self.schema,
                field,
                tantivy.FieldType.Integer,
                lower_bound=value if include_lower is not None else None,
                upper_bound=value if include_upper is not None else None,
                include_lower=include_lower is not False,  # an unbounded side must say inclusive
                include_upper=include_upper is not False,
            )
        if issubclass(kind, lookups.Range):
            low, high = (_value(field, v) for v in lookup.rhs)
            return tantivy.Query.range_query(
                self.schema, field, tantivy.FieldType.Integer, lower_bound=low, upper_bound=high
            )
        raise Untranslatable(kind.__name__)


def translate(queryset, current: _Handle) -> tantivy.Query:
    """The queryset's filter as a tantivy query; raises Untranslatable for anything else."""
    return _conjunction(translate_clauses(queryset, current))


def translate_clauses(queryset, current: _Handle) -> list:
    """The queryset's filter as (occur, query) clauses that must all hold; raises Untranslatable."""
    query = queryset.query
    if query.is_sliced or query.distinct or query.combinator or query.extra:
        raise Untranslatable("query shape")
    base = query.get_initial_alias()
    joined = [alias for alias in query.alias_map if alias != base and query.alias_refcount.get(alias)]
    issuer = issuer_join(query)
    if any(alias != issuer for alias in joined):  # trimmed joins stay at refcount 0
        raise Untranslatable("query shape")
    if query.is_empty():
        return [(Must, tantivy.Query.empty_query())]
    return _Translator(current.index.schema, base, issuer).clauses(query.where)


def issuer_join(query) -> str | None:
    """The alias of the query's join from the policy to its issuing organisation, if it has one."""
    base = query.get_initial_alias()
    for alias, join in query.alias_map.items():
        if (
            alias != base
            and getattr(join, "parent_alias", None) == base
            and join.table_name == "orgs_organization"
            and join.join_cols == (("issuer_id", "id"),)
        ):
            return alias
    return None


def text_query(current: _Handle, groups: list[list[list[str]]]) -> tantivy.Query:
    """Every group must match (as in FTS5's AND and the && of tsqueries), a group by any of its alternatives
    (the word or a synonym, synonyms.py), an alternative by all its words; BM25 ranks."""
    schema = current.index.schema

    def every(words: list[str]) -> tantivy.Query:
        terms = [tantivy.Query.term_query(schema, "text", word, index_option="freq") for word in words]
        return terms[0] if len(terms) == 1 else tantivy.Query.boolean_query([(tantivy.Occur.Must, t) for t in terms])

    parts = []
    for group in groups:
        alternatives = [every(alternative) for alternative in group]
        if len(alternatives) == 1:
            parts.append(alternatives[0])
        else:
            parts.append(tantivy.Query.boolean_query([(tantivy.Occur.Should, a) for a in alternatives]))
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, part) for part in parts])


class EngineSearch:
    """The matches of ``words`` within the queryset's filter: exact count and ranked pages of ids."""

    FIRST_PAGE = 50  # the count's search also collects this many ranked ids (the first page of any list)

    def __init__(self, current: _Handle, queryset, groups: list[list[list[str]]]):
        scored = text_query(current, groups)
        # The filter's clauses beside the words', not one nested filter: an exclusion is then checked only for
        # the words' matches (the words' postings lead), and the filters that must hold score nothing.
        where = [
            (occur, tantivy.Query.const_score_query(query, 0.0) if occur == Must else query)
            for occur, query in translate_clauses(queryset, current)
        ]
        self.current = current
        self.query = tantivy.Query.boolean_query([(Must, scored), *where])
        self._first: list[int] | None = None
        self._count: int | None = None

    def _search(self, offset: int, limit: int, count: bool) -> tuple[list[int], int | None]:
        searcher = self.current.index.searcher()
        result = searcher.search(self.query, limit=limit, count=count, offset=offset)
        return searcher.fast_field_values("pid", [address for _score, address in result.hits]), result.count

    def count(self) -> int:
        if self._count is None:
            self._first, self._count = self._search(0, self.FIRST_PAGE, True)
        return self._count

    def ids(self, offset: int, limit: int) -> list[int]:
        if limit <= 0:
            return []
        if offset + limit <= self.FIRST_PAGE:
            self.count()
            return self._first[offset : offset + limit]
        return self._search(offset, limit, False)[0]
