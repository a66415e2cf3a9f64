"""Full-text search over policies: the tantivy index (search_index.py) when it is built, else the database's
own index — SQLite (FTS5, bm25) or PostgreSQL (tsvector + GIN, ts_rank).

Both index ``Policy.search_text`` (segmented words separated by spaces, see segment.py), so both databases
find the same policies: SQLite's unicode61 tokenizer and PostgreSQL's 'simple' parser only split at the
spaces and punctuation; neither has to understand Chinese. The migration creates the database index; the
actions call :func:`index_policy` whenever a policy changes, which keeps both indexes current.

The indexed text also holds the policy's benefit type (扶持类型, e.g. 融资支持) and application method labels, so
a search for 融资 finds every 融资支持 policy. Query words are expanded with the synonym table (synonyms.py)
the same way on every engine.
"""

# ruff: noqa: S608 -- the SQL interpolates only the constant table name and Django-compiled SQL; values are parameters.
from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from . import search_index, search_query, synonyms
from .choices import ApplicationMethod, BenefitType, Level, PublishState, Status
from .models import Policy, _choice_label, status_of
from .segment import highlight, query_words, segment

FTS_TABLE = "policies_policy_fts"
# What a list of search results shows (the policy list page: title, tags, status, issuer, date and excerpt).
PAGE_COLUMNS = (
    "title",
    "level",
    "benefit_type",
    "application_method",
    "effective_on",
    "expires_on",
    "state",
    "issuer_id",
    "issuer_name",
    "issuer__name",
    "published_on",
    "summary",
    "body",
)


class ResultRow(NamedTuple):
    """One search result as the list shows it (the PAGE_COLUMNS), read by one narrow query without the ORM."""

    pk: int
    title: str
    level: str
    benefit_type: str
    application_method: str
    effective_on: datetime.date | None
    expires_on: datetime.date | None
    state: str
    issuer_id: int | None
    issuer_name: str
    issuer_org_name: str | None
    published_on: datetime.date | None
    summary: str
    body: str

    @property
    def issuer_display(self) -> str:  # as Policy.issuer_display
        return self.issuer_org_name if self.issuer_id else self.issuer_name


# The ResultRow fields in the policy table (and the issuer's name), in order.
_ROW_SQL = (
    "SELECT policies_policy.id, policies_policy.title, policies_policy.level, policies_policy.benefit_type, "
    "policies_policy.application_method, policies_policy.effective_on, policies_policy.expires_on, "
    "policies_policy.state, policies_policy.issuer_id, policies_policy.issuer_name, orgs_organization.name, "
    "policies_policy.published_on, policies_policy.summary, policies_policy.body FROM policies_policy "
    "LEFT JOIN orgs_organization ON orgs_organization.id = policies_policy.issuer_id"
)  # the join's alias is the one Django gives a filter's first join to the issuer (the staff visibility rule)


# The rows' WHERE clauses compiled in this process, by the filter's tree (a WhereNode hashes and compares by its
# content: columns, lookups and values, the subtree's path and today's date included). The same few filters come
# back with every search — one visibility rule per role and scope, a handful of list choices — and compiling
# one, with the staff rule's issuer join, costs ~0.3 ms against ~0.1 ms to hash it (issue 17).
_where_sql: dict = {}
WHERE_SQL_KEPT = 1024


def _compiled_where(query) -> tuple[str, list] | None:
    """(SQL, params) of the query's WHERE ("" when it holds every row), or None when it holds none."""
    try:
        key = (connection.alias, connection.vendor, query.where)
        found = _where_sql.get(key)
    except TypeError:  # a value that does not hash (a subquery): compiled every time
        key, found = None, None
    if found is None:
        try:
            found = query.where.as_sql(query.get_compiler(connection=connection), connection)
        except EmptyResultSet:
            found = False
        except FullResultSet:
            found = ("", [])
        if key is not None:
            if len(_where_sql) >= WHERE_SQL_KEPT:
                _where_sql.clear()
            _where_sql[key] = found
    return found or None


def result_rows(policies, words: list[str]) -> list[dict]:
    """What each row of the policy list shows (partials/_list_rows.html), as plain strings: the highlighted title
    and excerpt, the address, and the tags. Worked out here once per page — today's date for the status, one
    ``reverse`` for the addresses, each label translated once — instead of per row in the template, where the
    status alone read the time zone twice a row (40 ``localdate`` calls a page) and the address was reversed 20
    times (issue 17: together ~1.5 ms of a search request)."""
    today = timezone.localdate()
    detail = reverse("policies:detail", args=[0]).removesuffix("0/")  # "/policies/", then pk/
    labels: dict[tuple, str] = {}

    def label(choices, value) -> str:
        key = (choices, value)
        if key not in labels:
            labels[key] = _choice_label(choices, value)
        return labels[key]

    rows = []
    for p in policies:
        status = status_of(p.effective_on, p.expires_on, today)
        rows.append(
            {
                "policy": p,
                "url": f"{detail}{p.pk}/",
                "title": highlight(p.title, words, 200),
                "excerpt": highlight(p.summary or p.body, words, 140),
                "level": label(Level, p.level),
                "benefit": label(BenefitType, p.benefit_type),
                "automatic": p.application_method == ApplicationMethod.AUTOMATIC,
                "status": status,
                "status_label": label(Status, status),
                "state": "" if p.state == PublishState.PUBLISHED else label(PublishState, p.state),
                "issuer": p.issuer_display,
                "published_on": p.published_on,
            }
        )
    return rows


def policy_search_text(policy: Policy) -> str:
    attachments = ""
    if policy.pk:  # names and extracted text (attachments.extract_text) of every attachment
        attachments = " ".join(f"{name} {text}" for name, text in policy.attachments.values_list("name", "text"))
    return segment(
        policy.title,
        policy.doc_number,
        policy.issuer_display,
        policy.summary,
        policy.body,
        attachments,
        _label(BenefitType, policy.benefit_type),
        _label(ApplicationMethod, policy.application_method),
    )


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else ""


def index_policy(policy: Policy) -> None:
    """Recompute the policy's segmented text and bring the index up to date."""
    policy.search_text = policy_search_text(policy)
    Policy.objects.filter(pk=policy.pk).update(search_text=policy.search_text)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [policy.pk])
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (%s, %s)",
                [policy.pk, policy.search_text],
            )
    # PostgreSQL: search_vector is a generated column, current as soon as search_text is.
    search_index.upsert([policy.pk])


def unindex_policy(policy_id: int) -> None:
    search_index.remove(policy_id)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [policy_id])


def reindex_all(batch: int = 2000) -> int:
    """Rebuild both indexes from search_text (after a bulk load); the number of policies indexed."""
    count = search_index.rebuild()
    if connection.vendor != "sqlite":
        return count
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        cursor.execute(f"INSERT INTO {FTS_TABLE}(rowid, search_text) SELECT id, search_text FROM policies_policy")
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")
        return cursor.fetchone()[0]


def _fts5_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _fts5_query(groups: list[synonyms.Group]) -> str:
    """Every group (AND); within a group any alternative (OR); an alternative's words all (AND)."""
    parts = []
    for group in groups:
        alternatives = [" AND ".join(_fts5_phrase(w) for w in alternative) for alternative in group]
        if len(alternatives) == 1:
            parts.append(alternatives[0])
        else:
            parts.append("(" + " OR ".join(f"({a})" for a in alternatives) + ")")
    return " AND ".join(parts)


def _tsquery(groups: list[synonyms.Group]) -> tuple[str, list[str]]:
    """The same as a PostgreSQL tsquery expression: plainto_tsquery per alternative (its words ANDed), || for
    OR, && for AND; every word is a parameter."""
    parts, params = [], []
    for group in groups:
        alternatives = []
        for alternative in group:
            alternatives.append("plainto_tsquery('simple', %s)")
            params.append(" ".join(alternative))
        parts.append("(" + " || ".join(alternatives) + ")")
    return " && ".join(parts), params


class RankedResults(Sequence):
    """The matching policies of a filtered queryset, best first; sliced lazily (works with Paginator).

    Answered by the tantivy index when it is built and the queryset's filter translates (``engine`` is set),
    else by the database's full-text index.
    """

    def __init__(
        self,
        queryset: QuerySet[Policy],
        query: str,
        *,
        use_engine: bool = True,
        use_synonyms: bool = True,
        columns: tuple[str, ...] | None = None,
    ):
        self.queryset = queryset
        self.columns = columns  # the columns a page shows (PAGE_COLUMNS); None: every column but search_text
        words = query_words(query)
        self.groups = synonyms.expand(words, synonyms.table_for(words) if use_synonyms else {})
        self.words = synonyms.flat(self.groups)  # every word a hit may show (for highlighting)
        self._count: int | None = None
        self.engine: search_query.EngineSearch | None = None
        current = search_index.handle() if (use_engine and self.groups) else None
        if current is not None:
            try:
                self.engine = search_query.EngineSearch(current, queryset, self.groups)
            except search_index.Untranslatable as exc:
                search_index.logger.debug("policy search falls back to the database: %s", exc)

    def _where(self) -> tuple[str, list] | None:
        """The queryset's WHERE clause on policies_policy alone (None when it needs joins)."""
        query = self.queryset.order_by().values("id").query
        compiler = query.get_compiler(connection=connection)
        compiler.setup_query()
        if len(query.alias_map) > 1:
            return None
        if not query.where:
            return "1=1", []
        return compiler.compile(query.where)

    def _sql(self, select: str, tail: str = "") -> tuple[str, list]:
        inner, inner_params = self.queryset.order_by().values("id").query.sql_with_params()
        where = self._where() if connection.vendor == "sqlite" else None
        if where is not None and select.startswith("count"):
            # Count: the (few) matching rowids probe the policy table by primary key.
            sql = (
                f"SELECT count(*) FROM policies_policy WHERE ({where[0]}) "
                f"AND id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
            )
            return sql, [*where[1], _fts5_query(self.groups)]
        if where is not None:
            # Ranked page: the full-text index drives (ORDER BY rank) and joins the policy row.
            sql = (
                f"SELECT {select.replace('rowid', f'{FTS_TABLE}.rowid')} FROM {FTS_TABLE} "
                f"JOIN policies_policy ON policies_policy.id = {FTS_TABLE}.rowid "
                f"WHERE {FTS_TABLE} MATCH %s AND ({where[0]}) {tail}"
            )
            return sql, [_fts5_query(self.groups), *where[1]]
        if connection.vendor == "sqlite":
            sql = f"SELECT {select} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND +rowid IN ({inner}) {tail}"
            return sql, [_fts5_query(self.groups), *inner_params]
        where = self._where()
        tsquery, words = _tsquery(self.groups)
        if where is not None:
            sql = (
                f"SELECT {select.replace('p.', 'policies_policy.')} FROM policies_policy, "
                f"(SELECT {tsquery} AS q) tq WHERE policies_policy.search_vector @@ q AND ({where[0]}) "
                f"{tail.replace('p.', 'policies_policy.')}"
            )
            return sql, [*words, *where[1]]
        sql = (
            f"SELECT {select} FROM policies_policy p, (SELECT {tsquery} AS q) tq "
            f"WHERE p.search_vector @@ q AND p.id IN ({inner}) {tail}"
        )
        return sql, [*words, *inner_params]

    def _page_rows(self, ids: list[int]) -> list[ResultRow] | None:
        """The page's rows by one query with the caller's filter (so a stale index entry is still dropped):
        the columns the list shows, as plain tuples — the ORM's query building and 20 model instances cost
        ~0.7 ms of a search. None when the filter needs a join other than the issuer (then the ORM reads them)."""
        query = self.queryset.query
        issuer = search_query.issuer_join(query)  # the filter may name the issuer's path (the staff rule)
        allowed = {query.base_table, "orgs_organization" if issuer == "orgs_organization" else None}
        if any(alias not in allowed and query.alias_refcount.get(alias) for alias in query.alias_map):
            return None
        if query.is_empty():
            return []
        compiled = _compiled_where(query)
        if compiled is None:
            return []
        where, params = compiled
        sql = f"{_ROW_SQL} WHERE policies_policy.id IN ({', '.join(['%s'] * len(ids))})"
        if where:
            sql += f" AND ({where})"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*ids, *params])
            found = {row[0]: ResultRow(*row) for row in cursor.fetchall()}
        return [found[i] for i in ids if i in found]

    def count(self) -> int:
        if self._count is None:
            if not self.groups:
                self._count = 0
            elif self.engine is not None:
                self._count = self.engine.count()
            else:
                sql, params = self._sql("count(*)")
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def ids(self, offset: int, limit: int) -> list[int]:
        if not self.groups:
            return []
        if self.engine is not None:
            return self.engine.ids(offset, limit)
        if connection.vendor == "sqlite":
            sql, params = self._sql("rowid", "ORDER BY rank LIMIT %s OFFSET %s")
        else:
            sql, params = self._sql("p.id", "ORDER BY ts_rank(p.search_vector, q) DESC, p.id DESC LIMIT %s OFFSET %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def __getitem__(self, index):
        if isinstance(index, slice):
            start = index.start or 0
            stop = index.stop if index.stop is not None else self.count()
            ids = self.ids(start, max(0, stop - start))
            # Through the caller's queryset: an index entry the database no longer agrees with is dropped.
            if self.columns == PAGE_COLUMNS and ids:
                rows = self._page_rows(ids)
                if rows is not None:
                    return rows
            if self.columns is not None:  # only what the page shows: no owner join, no rule JSON, no timestamps
                rows = self.queryset.select_related(None).select_related("issuer").only(*self.columns)
            else:
                rows = self.queryset.select_related("issuer", "owner").defer("search_text")
            objects = rows.order_by().in_bulk(ids)
            return [objects[i] for i in ids if i in objects]
        found = self[index : index + 1]
        if not found:
            raise IndexError(index)
        return found[0]
