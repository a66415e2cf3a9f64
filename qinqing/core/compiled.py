"""Grouped queries whose SQL is built once: the figure queries of dashboards and figures pages.

A dashboard's grouped figure query holds hundreds of conditional aggregates; turning them into SQL through the
ORM (resolving every ``Q``, compiling every expression) costs more than running the query on most tables, and a
leader's dashboard asks the same queries of the same node and period on every view. ``rows()`` keeps, per key
(what determines the SQL: the figures, scope, periods, grouping — the caller's part — and the database alias and
time zone), the compiled statement and its parameters, and runs it again; rows are read fresh every time, with
the ORM's converters, so nothing but the text of the statement is reused.

The cache is per process, bounded (least recently used first out) and emptied when a setting changes (a figure's
condition may read one, e.g. the legal talks' keywords).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.apps import apps
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Substr
from django.utils import timezone

SIZE = 2000
_CACHE: OrderedDict[Hashable, tuple] = OrderedDict()
_LOCK = threading.Lock()


def rows(model, key: Hashable, build: Callable[[], QuerySet], keep: Any = None) -> list[dict[str, Any]]:
    """The rows of the ``values()`` queryset ``build()`` makes (called only when ``key`` is new) as dicts.
    ``keep``: objects the key names by identity, held as long as the entry so no other object takes their id."""
    alias = router.db_for_read(apps.get_model(model) if isinstance(model, str) else model)
    full = (alias, timezone.get_current_timezone_name(), key)
    with _LOCK:
        entry = _CACHE.get(full)
        if entry is not None:
            _CACHE.move_to_end(full)
    if entry is None:
        qs = build()
        compiler = qs.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        names = [alias_ for _expr, _sql, alias_ in compiler.select[: compiler.col_count]]
        entry = (compiler, sql, params, names, keep)
        with _LOCK:
            _CACHE[full] = entry
            while len(_CACHE) > SIZE:
                _CACHE.popitem(last=False)
    compiler, sql, params, names, _keep = entry
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return [dict(zip(names, row, strict=True)) for row in compiler.results_iter(results=[fetched])]


def by_prefix(
    model, key: Hashable, build: Callable[[], tuple[QuerySet, dict]], path: str, scope_path: str, prefix_len, keep=None
) -> list[dict[str, Any]]:
    """The aggregates of ``build()`` (a queryset, {alias: aggregate}) per path prefix of ``path`` (its first
    ``prefix_len`` characters: the scope's children) or, without ``prefix_len``, one row for the whole scope;
    ``_prefix`` names the group."""

    def make() -> QuerySet:
        qs, aggregates = build()
        group = Substr(path, 1, prefix_len) if prefix_len else Value(scope_path, output_field=CharField())
        return qs.annotate(_prefix=group).order_by().values("_prefix").annotate(**aggregates)

    return rows(model, (key, path, scope_path, prefix_len), make, keep)


def clear(**kwargs) -> None:
    with _LOCK:
        _CACHE.clear()


setting_changed.connect(clear, dispatch_uid="qinqing_compiled_queries")
