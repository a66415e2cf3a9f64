"""Rollup tables: figures read from pre-aggregated rows kept in step with the records in the same transaction.

A ``Rollup`` declares, for one source model, the key of its rows — a day, an organisation path and a few
dimensions, each an ORM expression on the source — and its measures: counts of the source rows under a
condition (``Q()`` counts every row) and sums of a field. Its table (a model of the domain) has one column per
key and per measure and a unique constraint on the key columns. Figures for any period and subtree then read
a few thousand rollup rows instead of scanning the records.

Maintenance is by differences, so it is exact under concurrency without locking rollup rows:
``rollup.tracking(pks)`` reads the contribution of the given source rows (one GROUP BY on their keys, the same
conditions as the direct query) before and after a change and adds the difference to the rollup rows with one
``INSERT … ON CONFLICT (keys) DO UPDATE SET c = c + excluded.c`` (the same statement on PostgreSQL and
SQLite). Increments commute, so two transactions changing records of one key both land; the records
themselves are row-locked by the actions. A key whose last record moved away is deleted.

Who keeps it: a source model inherits ``RolledUpModel``, whose ``save()`` and ``delete()`` run inside
``tracking()`` in one atomic block, so every writer (actions, the deadline sweep, demo data, test fixtures)
keeps the rollup exact; a ``save(update_fields=…)`` that writes none of the rollup's ``depends_on`` fields
costs nothing. Bulk writers that skip ``save()`` (``bulk_create``, ``QuerySet.update``) call
``rollup.add(pks)`` / wrap the update in ``rollup.tracking(pks)``, or run ``manage.py rebuild_rollups``, which
rebuilds every table (or the named ones) from the records.

Where the figures read it: ``Figure(rollup=("appeals", "closed"))`` (qinqing.core.figures) takes its value
from the sum of that column over the rows of the period and subtree; the drill-down stays the records, and
the reports' traceability test and each domain's rollup test compare the two. Domains declare rollups in
``<app>/rollups.py`` with ``register()``; the registry imports those modules on first use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import connections, models, router, transaction
from django.db.models import Count, F, Q, QuerySet, Sum

from qinqing.core.discovery import domain_modules

Key = tuple
Vector = tuple


@dataclass(frozen=True, eq=False)
class Rollup:
    name: str  # "appeals"
    source: str  # "app_label.Model" of the records
    target: str  # "app_label.Model" of the rollup table
    day: Any  # the source's day (a lookup on a DateField, or an expression); target column ``day``
    path: str  # the source's organisation path lookup; target column ``org_path``
    keys: dict[str, Any] = field(default_factory=dict)  # other target key column -> source lookup/expression
    counts: dict[str, Q] = field(default_factory=dict)  # target column -> condition on the source rows
    sums: dict[str, str] = field(default_factory=dict)  # target column -> source field summed
    depends_on: frozenset[str] | None = None  # source fields the rows depend on (None: every save is tracked)
    where: Q | None = None  # only the source rows matching it are counted (e.g. a membership that has ended)
    # The name of a twin rollup of the same measures keyed by the first of each month (and the path): figures read
    # a period's whole months from it and only the days at its ends from this one (figure_values).
    months: str = ""

    # ------------------------------------------------------------------ declaration helpers
    @property
    def source_model(self) -> type[models.Model]:
        return apps.get_model(self.source)

    @property
    def target_model(self) -> type[models.Model]:
        return apps.get_model(self.target)

    @property
    def key_columns(self) -> list[str]:
        return ["day", "org_path", *self.keys]

    @property
    def measure_columns(self) -> list[str]:
        return [*self.counts, *self.sums]

    def concerns(self, update_fields: Iterable[str] | None) -> bool:
        """Whether a save writing ``update_fields`` (None: every field) can change the rollup."""
        return update_fields is None or self.depends_on is None or bool(self.depends_on & set(update_fields))

    # ------------------------------------------------------------------ contributions of source rows
    def _grouped(self, qs: QuerySet) -> QuerySet:
        """``qs`` grouped by the rollup key, with every measure: aliases are prefixed (``k_``/``m_``) because
        a key or measure may share its name with a field of the source."""
        exprs = {"k_day": _expr(self.day), "k_org_path": _expr(self.path)}
        exprs |= {f"k_{name}": _expr(expr) for name, expr in self.keys.items()}
        if self.where is not None:
            qs = qs.filter(self.where)
        aggregates: dict[str, Any] = {}
        for name, cond in self.counts.items():
            aggregates[f"m_{name}"] = Count("pk", filter=cond) if cond else Count("pk")
        for name, source_field in self.sums.items():
            aggregates[f"m_{name}"] = Sum(source_field)
        return qs.order_by().values(**exprs).annotate(**aggregates)

    def _split(self, row: dict) -> tuple[Key, Vector]:
        key = tuple(row[f"k_{c}"] for c in self.key_columns)
        vector = tuple(row[f"m_{c}"] or 0 for c in self.measure_columns)
        return key, vector

    def contributions(self, pks: Iterable[Any]) -> dict[Key, Vector]:
        """What the given source rows add to each rollup key, as they are in the database now."""
        pks = [pk for pk in pks if pk is not None]
        if not pks:
            return {}
        qs = self.source_model._default_manager.filter(pk__in=pks)
        return dict(self._split(row) for row in self._grouped(qs))

    # ------------------------------------------------------------------ writing differences
    def apply(self, before: dict[Key, Vector], after: dict[Key, Vector]) -> None:
        """Add ``after - before`` to the rollup rows (creating keys as needed; deleting emptied ones)."""
        delta: dict[Key, list] = {}
        for sign, side in ((-1, before), (1, after)):
            for key, vector in side.items():
                acc = delta.setdefault(key, [0] * len(vector))
                for i, v in enumerate(vector):
                    acc[i] += sign * v
        rows = [(key, vector) for key, vector in delta.items() if any(vector)]
        if rows:
            self._upsert(rows)
        emptied = [key for key in before if key not in after]
        if emptied:
            self._delete_empty(emptied)

    def _upsert(self, rows: list[tuple[Key, list]]) -> None:
        model = self.target_model
        using = router.db_for_write(model)
        conn = connections[using]
        q = conn.ops.quote_name
        meta = model._meta
        keys = [meta.get_field(c).column for c in self.key_columns]
        measures = [meta.get_field(c).column for c in self.measure_columns]
        table = q(meta.db_table)
        placeholders = ", ".join(["%s"] * (len(keys) + len(measures)))
        updates = ", ".join(f"{q(m)} = {table}.{q(m)} + excluded.{q(m)}" for m in measures)
        # Identifiers come from the model's meta, quoted; every value is a parameter.
        sql = (
            f"INSERT INTO {table} ({', '.join(q(c) for c in keys + measures)}) VALUES ({placeholders}) "  # noqa: S608
            f"ON CONFLICT ({', '.join(q(c) for c in keys)}) DO UPDATE SET {updates}"
        )
        key_fields = [meta.get_field(c) for c in self.key_columns]
        params = [
            [f.get_db_prep_value(v, conn) for f, v in zip(key_fields, key, strict=True)] + list(vector)
            for key, vector in rows
        ]
        with conn.cursor() as cursor:
            cursor.executemany(sql, params)

    def _delete_empty(self, keys: list[Key]) -> None:
        """Remove the rows of ``keys`` whose every measure is zero (no record left under that key)."""
        model = self.target_model
        match = Q()
        for key in keys:
            match |= Q(**dict(zip(self.key_columns, key, strict=True)))
        zero = Q(**{c: 0 for c in self.measure_columns})
        model._default_manager.filter(match, zero).delete()

    @contextmanager
    def tracking(self, pks: Iterable[Any]) -> Iterator[None]:
        """Keep the rollup in step with a change to the source rows ``pks`` made inside the block (atomic)."""
        pks = list(pks)
        with transaction.atomic(using=router.db_for_write(self.target_model)):
            before = self.contributions(pks)
            yield
            self.apply(before, self.contributions(pks))

    def add(self, pks: Iterable[Any]) -> None:
        """Count source rows written without ``save()`` (after a ``bulk_create``)."""
        self.apply({}, self.contributions(list(pks)))

    # ------------------------------------------------------------------ rebuilding
    def rebuild(self, batch_size: int = 5000) -> int:
        """Replace the rollup table with the aggregation of every source row; returns the number of rows."""
        model = self.target_model
        written = 0
        with transaction.atomic(using=router.db_for_write(model)):
            model._default_manager.all().delete()
            grouped = self._grouped(self.source_model._default_manager.all())
            pending = []
            for row in grouped.iterator(chunk_size=batch_size):
                key, vector = self._split(row)
                pending.append(
                    model(
                        **dict(zip(self.key_columns, key, strict=True)),
                        **dict(zip(self.measure_columns, vector, strict=True)),
                    )
                )
                if len(pending) >= batch_size:
                    model._default_manager.bulk_create(pending)
                    written += len(pending)
                    pending = []
            model._default_manager.bulk_create(pending)
            written += len(pending)
        return written

    # ------------------------------------------------------------------ reading
    def rows(self, scope_path: str, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet:
        """The rollup rows of a subtree (path prefix) and an optional closed interval of days."""
        qs = self.target_model._default_manager.filter(org_path__startswith=scope_path)
        if start is not None:
            qs = qs.filter(day__gte=start)
        if end is not None:
            qs = qs.filter(day__lte=end)
        return qs

    def total(self, column: str, scope_path: str, period) -> Any:
        """One measure summed over a subtree and a period (a figure's value)."""
        value = self.rows(scope_path, period.start, period.end).aggregate(v=Sum(column))["v"]
        if value is None:
            return Decimal(0) if column in self.sums else 0
        return value


@dataclass(frozen=True)
class Reading:
    """A figure read from rollup rows where one column summed over the period is not enough: signed terms
    (rollup name, column, +1/-1) summed over the rows whose key columns match ``where``, over the period's
    days (a flow) or, with ``stock``, over every day up to its end (a position: the net changes by day summed
    up to the end date, e.g. members joined minus members left)."""

    terms: tuple[tuple[str, str, int], ...]
    where: Q = field(default_factory=Q)
    stock: bool = False
    # (daily rollup, its twin keyed by 1 January): a position then reads the years before its end's year from
    # the twin and the days of that year from the daily rows, not every day since the first record.
    years: tuple[tuple[str, str], ...] = ()

    def _parts(self, name: str, periods: list) -> list[tuple[str, list[Q]]]:
        """(rollup, one day condition per period) to sum for a term."""
        if not self.stock:
            return [(name, [Q(day__gte=p.start, day__lte=p.end) for p in periods])]
        twin = dict(self.years).get(name)
        if twin is None:
            return [(name, [Q(day__lte=p.end) for p in periods])]
        firsts = [p.end.replace(month=1, day=1) for p in periods]
        return [
            (twin, [Q(day__lt=first) for first in firsts]),
            (name, [Q(day__gte=first, day__lte=p.end) for first, p in zip(firsts, periods, strict=True)]),
        ]

    def grouped(self, scope_path: str, periods: list, prefix_len: int | None = None) -> list[dict[str, Any]]:
        """Per period, {path prefix: value} (prefix_len: the children's path length; None: the scope's total)."""
        return read_many({"": self}, scope_path, periods, prefix_len)[""]

    def value(self, scope_path: str, period) -> Any:
        return sum(self.grouped(scope_path, [period])[0].values(), 0)


def read_many(
    readings: dict[str, Reading], scope_path: str, periods: list, prefix_len: int | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Several readings for several periods with one query per rollup table they read (conditional sums):
    per reading, per period, {path prefix: value}."""
    from . import compiled

    parts: dict[str, list[tuple[str, str, int, list[Q]]]] = {}
    for key, reading in readings.items():
        for name, column, sign in reading.terms:
            for table, days in reading._parts(name, periods):
                parts.setdefault(table, []).append((key, column, sign, [reading.where & d for d in days]))
    out: dict[str, list[dict[str, Any]]] = {key: [{} for _p in periods] for key in readings}
    for table, wanted in parts.items():

        def build(table=table, wanted=wanted):
            either = Q()
            aggregates = {}
            for j, (_key, column, _sign, conditions) in enumerate(wanted):
                for i, condition in enumerate(conditions):
                    either |= condition
                    aggregates[f"v{j}_{i}"] = Sum(column, filter=condition)
            return get(table).rows(scope_path).filter(either), aggregates

        # The SQL depends on the readings (by identity: held by the entry), periods and grouping only.
        key = ("read_many", table, tuple((k, id(r)) for k, r in readings.items()), tuple(periods))
        rows = compiled.by_prefix(get(table).target, key, build, "org_path", scope_path, prefix_len, keep=readings)
        for row in rows:
            prefix = row["_prefix"]
            for j, (key, _column, sign, conditions) in enumerate(wanted):
                for i in range(len(conditions)):
                    values = out[key][i]
                    values[prefix] = values.get(prefix, 0) + sign * (row[f"v{j}_{i}"] or 0)
    return out


def _expr(lookup: Any) -> Any:
    return F(lookup) if isinstance(lookup, str) else lookup


class RolledUpModel(models.Model):
    """Base for a source model with rollups: ``save()`` and ``delete()`` keep its rollups exact, atomically."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        tracked = [r for r in for_model(type(self)) if r.concerns(kwargs.get("update_fields"))]
        if not tracked:
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(type(self))):
            before = [r.contributions([self.pk]) if self.pk is not None else {} for r in tracked]
            super().save(*args, **kwargs)
            for rollup, old in zip(tracked, before, strict=True):
                rollup.apply(old, rollup.contributions([self.pk]))

    def delete(self, *args, **kwargs):
        tracked = for_model(type(self))
        if not tracked:
            return super().delete(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(type(self))):
            before = [r.contributions([self.pk]) for r in tracked]
            result = super().delete(*args, **kwargs)
            for rollup, old in zip(tracked, before, strict=True):
                rollup.apply(old, {})
            return result


# ---------------------------------------------------------------------- registry
_REGISTRY: dict[str, Rollup] = {}
_discovered = False


def register(*rollups: Rollup) -> None:
    """Declare rollups (called at import time from a domain's rollups.py)."""
    for rollup in rollups:
        existing = _REGISTRY.get(rollup.name)
        if existing is not None and existing is not rollup:
            raise ValueError(f"rollup {rollup.name} is declared twice")
        _REGISTRY[rollup.name] = rollup


def discover() -> None:
    global _discovered
    if _discovered:
        return
    for _config, _module in domain_modules("rollups"):
        pass  # importing a domain's rollups module registers its declarations
    _discovered = True


def get(name: str) -> Rollup:
    discover()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"no rollup {name!r} is registered") from None


def all_rollups() -> list[Rollup]:
    discover()
    return list(_REGISTRY.values())


def for_model(model: type[models.Model]) -> list[Rollup]:
    """The rollups whose records are rows of ``model``."""
    label = model._meta.label
    return [r for r in all_rollups() if r.source == label]
