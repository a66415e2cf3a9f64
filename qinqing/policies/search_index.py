"""The policy search index: tantivy on disk (``var/search/…``), shared by every process.

Why: the databases' full-text indexes (FTS5, tsvector) score and count *every* match, which for a common
word (融资 in 17% of 100,000 policies) costs 40–500 ms; tantivy ranks the top k with BM25 and counts the
matches in about a millisecond. The database index (search.py) stays current too and serves as the
fallback whenever this index is not built (a fresh install before ``rebuild_policy_index``), or a
queryset's filter cannot be expressed here.

What is indexed per policy: its segmented words (``search_text``) and its small filter columns (state,
level, benefit type, owner path, issuer, dates…), so a search restricted by any queryset of plain lookups on
those columns — the visibility rules and the list filters — is answered here with an exact count.
:func:`translate` turns the queryset's WHERE tree into a tantivy query, or returns None (fallback).

Several processes: one writer at a time (tantivy's lock file; :func:`_writer` retries while another process
holds it); readers check ``meta.json`` before each search and reload when another process committed.
Every page of ids is re-read through the caller's queryset, so an entry the database no longer has (a
rolled-back transaction, a policy deleted elsewhere) is never shown; the nightly rebuild removes it.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import shutil
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import tantivy
from django.conf import settings
from django.db import connection
from django.db.models import lookups
from django.db.models.expressions import Col
from django.db.models.sql.where import AND, OR, NothingNode, WhereNode

from .choices import PublishState

logger = logging.getLogger(__name__)

# 2: the indexed text holds the benefit type and method labels; 3: org_scope, issuer_scope and nulls (filter terms)
SCHEMA_VERSION = "3"
TOKENIZER = "words"  # whitespace + lowercase: the words are already segmented (segment.py)
# Policy columns that can appear in a filter, and how each is indexed.
STRING_FIELDS = ("state", "level", "benefit_type", "application_method", "org_path")
INT_FIELDS = ("issuer_id", "owner_id", "created_by_id")
DATE_FIELDS = ("published_on", "effective_on", "expires_on")
NULLABLE_FIELDS = (*INT_FIELDS, *DATE_FIELDS)  # their NULLs are terms of the nulls field
ISSUER_PATH = "issuer__path"  # the issuing organisation's path (the staff visibility rule's join)
COLUMNS = ("id", "search_text", *STRING_FIELDS, *INT_FIELDS, *DATE_FIELDS, ISSUER_PATH)
# Columns the database holds to a closed set of values (a CheckConstraint on the model): ``col = v`` is then exactly
# ``col NOT IN (the other values)``, answered from the others' postings — few, since nearly every policy is
# published — instead of intersecting every match with the postings of v (all of the published ones).
CLOSED_FIELDS = {"state": tuple(PublishState.values)}
# Besides the columns, fields of terms that make the visibility rule's filters postings, not scans: org_scope
# holds every prefix of org_path that ends in "/" (so ``org_path LIKE '/A/B/%'`` is the term "/A/B/"),
# issuer_scope the same of the issuer's path (``issuer__path__startswith``: the staff rule's "issued in my
# subtree", through the issuer join), nulls the names of the integer and date columns that are NULL (so
# ``issuer_id IS NULL`` is the term "issuer_id"). A regex or an "all but those that exist" query visits every
# document of the index: 0.2-0.4 ms of each search at 100,000. (An organisation's path never changes.)
SCOPE_FIELD, ISSUER_SCOPE_FIELD, NULLS_FIELD = "org_scope", "issuer_scope", "nulls"
PATH = re.compile(r"(?:/[A-Za-z0-9_-]+)*/")  # an organisation path, or a prefix of one that ends in "/"
ANY_OF_TERMS = 16  # up to this many values a union of term postings; more: tantivy's term set (a bit set)


class Untranslatable(Exception):
    """The queryset's filter uses something this index does not hold; search in the database instead."""


def enabled() -> bool:
    """False when settings.POLICY_SEARCH_ENGINE is "database" (QINQING_POLICY_SEARCH_ENGINE): the database's own
    index (tsvector/GIN on PostgreSQL, FTS5 on SQLite) answers every search and nothing is kept on the machine.
    The setting for several application servers: one server's index would not see another's writes."""
    return getattr(settings, "POLICY_SEARCH_ENGINE", "tantivy") != "database"


def index_path() -> Path:
    """settings.POLICY_SEARCH_INDEX, else var/search/<database>/policies (each database its own index)."""
    configured = getattr(settings, "POLICY_SEARCH_INDEX", None)
    if configured:
        return Path(configured)
    name = Path(str(connection.settings_dict.get("NAME") or "default")).name
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{connection.vendor}-{name}")[:80]
    return Path(settings.BASE_DIR) / "var" / "search" / slug / "policies"


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("pid", stored=True, indexed=True, fast=True)  # i64: the binding deletes by i64 terms
    builder.add_text_field("text", tokenizer_name=TOKENIZER, index_option="freq")
    for name in STRING_FIELDS:
        builder.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    for name in (*INT_FIELDS, *DATE_FIELDS):
        builder.add_integer_field(name, indexed=True, fast=True)
    builder.add_text_field(SCOPE_FIELD, tokenizer_name="raw", index_option="basic")
    builder.add_text_field(ISSUER_SCOPE_FIELD, tokenizer_name="raw", index_option="basic")
    builder.add_text_field(NULLS_FIELD, tokenizer_name="raw", index_option="basic")
    return builder.build()


def _analyzer() -> tantivy.TextAnalyzer:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).filter(tantivy.Filter.lowercase()).build()


def _open(path: Path) -> tantivy.Index:
    index = tantivy.Index(_schema(), path=str(path), reuse=True)
    index.register_tokenizer(TOKENIZER, _analyzer())
    index.config_reader(reload_policy="Manual")
    return index


def _version_file(path: Path) -> Path:
    return path / "qinqing-version"


def _build_id(path: Path) -> str | None:
    """The build id of a complete index of the current schema at ``path``, else None."""
    try:
        version, build = _version_file(path).read_text().split()
    except (OSError, ValueError):
        return None
    return build if version == SCHEMA_VERSION else None


@dataclass
class _Handle:
    index: tantivy.Index
    build: str
    meta_mtime: int


_handles: dict[str, _Handle] = {}
_lock = threading.Lock()


def _meta_mtime(path: Path) -> int:
    try:
        return (path / "meta.json").stat().st_mtime_ns
    except OSError:
        return 0


def handle() -> _Handle | None:
    """This process's open index, reloaded if another process committed; None when it is not built."""
    if not enabled():
        return None
    path = index_path()
    key = str(path)
    with _lock:
        build = _build_id(path)
        current = _handles.get(key)
        if build is None:
            _handles.pop(key, None)
            return None
        if current is None or current.build != build:
            try:
                current = _Handle(_open(path), build, _meta_mtime(path))
            except ValueError as exc:  # an index of another schema: unusable until rebuilt
                logger.warning("policy search index at %s cannot be opened (%s); run rebuild_policy_index", path, exc)
                _handles.pop(key, None)
                return None
            _handles[key] = current
        else:
            mtime = _meta_mtime(path)
            if mtime != current.meta_mtime:
                current.index.reload()
                current.meta_mtime = mtime
        return current


def is_ready() -> bool:
    return handle() is not None


# --- writing ----------------------------------------------------------------------------------------


def _writer(index: tantivy.Index, timeout: float = 10.0) -> tantivy.IndexWriter:
    """The index's single writer; another process holding it is waited for (up to ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return index.writer(heap_size=15_000_000, num_threads=1)
        except ValueError as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _date(value: datetime.date | None) -> int | None:
    return value.toordinal() if value is not None else None


def _document(row: dict) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_integer("pid", row["id"])
    doc.add_text("text", row["search_text"] or "")
    for name in STRING_FIELDS:
        doc.add_text(name, row[name] or "")
    for field, path in ((SCOPE_FIELD, row["org_path"]), (ISSUER_SCOPE_FIELD, row.get(ISSUER_PATH))):
        for end, char in enumerate(path or ""):
            if char == "/":
                doc.add_text(field, path[: end + 1])
    for name in NULLABLE_FIELDS:
        if row[name] is None:
            doc.add_text(NULLS_FIELD, name)
        else:
            doc.add_integer(name, _date(row[name]) if name in DATE_FIELDS else row[name])
    return doc


def _commit(current: _Handle, change) -> None:
    """Apply ``change`` and commit. A failure is logged, not raised: saving a policy must not fail because
    of its search entry (the page re-read hides a stale entry; the nightly rebuild repairs it)."""
    try:
        _apply(current, change)
    except (ValueError, OSError):
        logger.exception("policy search index update failed at %s", index_path())


def _apply(current: _Handle, change) -> None:
    writer = _writer(current.index)
    try:
        change(writer)
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    finally:
        writer.wait_merging_threads()
    current.index.reload()
    current.meta_mtime = _meta_mtime(index_path())


def upsert(policy_ids: list[int]) -> None:
    """Bring the given policies' entries up to date (removed when the policy no longer exists)."""
    from .models import Policy

    current = handle()
    if current is None or not policy_ids:
        return
    rows = list(Policy.objects.filter(pk__in=policy_ids).values(*COLUMNS))

    def change(writer):
        for pk in policy_ids:
            writer.delete_documents_by_term("pid", pk)
        for row in rows:
            writer.add_document(_document(row))

    _commit(current, change)


def remove(policy_id: int) -> None:
    current = handle()
    if current is not None:
        _commit(current, lambda writer: writer.delete_documents_by_term("pid", policy_id))


def rebuild(batch: int = 5000, *, rows=None) -> int:
    """Build the whole index afresh from the database (or from ``rows``) beside the live one, then swap it in."""
    from .models import Policy

    if not enabled():  # the database's index is current already; nothing to build on this machine
        return Policy.objects.count()
    if rows is None:
        rows = Policy.objects.order_by().values(*COLUMNS).iterator(chunk_size=batch)
    path = index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(f"{path.name}.build-{uuid.uuid4().hex[:8]}")
    fresh.mkdir()
    index = _open(fresh)
    writer = index.writer(heap_size=100_000_000, num_threads=1)
    count = 0
    for row in rows:
        writer.add_document(_document(row))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    _version_file(fresh).write_text(f"{SCHEMA_VERSION} {uuid.uuid4().hex}\n")
    old = path.with_name(f"{path.name}.old-{uuid.uuid4().hex[:8]}")
    live = handle()
    held = _writer(live.index, timeout=60) if live is not None else None  # no other process mid-write
    try:
        if path.exists():
            os.rename(path, old)
        os.rename(fresh, path)
    finally:
        if held is not None:
            held.rollback()
            held.wait_merging_threads()
    shutil.rmtree(old, ignore_errors=True)
    return count


def drop() -> None:
    """Remove the index (searches fall back to the database until the next rebuild)."""
    shutil.rmtree(index_path(), ignore_errors=True)
    _handles.pop(str(index_path()), None)


# --- searching ------------------------------------------------------------------------------------

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
