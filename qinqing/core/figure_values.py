"""Many figures of one scope evaluated together: what a dashboard or a figures page asks the registry for.

Asking each figure for its value costs one query per figure and period (about 200 on a province leader's
dashboard, 20–300 ms each at 3 million enterprises). Here the figures are grouped by where their value comes
from, and each group is one query:

- figures counted or summed from their records (``model``, ``date_field``, ``filters``, ``where``): one query per
  model and path field, with one conditional aggregate (``COUNT(*) FILTER (WHERE …)``) per figure and period,
  over the rows any of them counts, grouped by the path prefix naming a direct child when asked;
- figures read from one rollup column (``Figure.rollup``): one query per rollup table (conditional sums by day;
  with a month twin, ``Rollup.months``, the whole months from the twin: a second, small query);
- figures read with a ``Reading``: ``rollups.read_many``, one query per rollup table.

Distinct counts from the records: one query per model too, for the scope alone (they do not add up over
children). Figures with a ``compute`` or a ``records`` function are asked one by one (a function's records
cannot join another query). A figure whose conditions
cross a one-to-many or many-to-many relation gets a grouped query of its own: in a shared one its join would
repeat the rows the other figures count. The values are those of ``Figure.value`` (the traceability and
batching tests compare them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, Sum

from . import compiled, rollups
from .figures import Figure, Period, Rate, rollup_readings

PerPeriod = list[dict[str, Any]]  # per period, {path prefix: value}


def zero(figure: Figure):
    return Decimal(0) if figure.measure.startswith("sum:") else 0


def grouped(
    figures: Iterable[Figure | Rate], scope_path: str, periods: list[Period], prefix_len: int | None, *, raw=False
) -> dict[str, PerPeriod]:
    """Per figure that can be split by path prefix (``prefix_len``: the children's path length; None: one group,
    the scope): per period {prefix: value}, where a prefix without rows of the figure is absent or 0 (``raw``: a
    figure counted from its records gives None where no row matched). Figures that cannot be split (see the
    module's docstring) are left out."""
    figures = [f for f in figures if isinstance(f, Figure)]
    out: dict[str, PerPeriod] = {}
    by_table: dict[str, list[Figure]] = {}
    by_source: dict[tuple[str, str], list[Figure]] = {}
    for f in figures:
        if f.compute is not None:
            continue
        if f.reading is not None:
            continue  # below, with read_many
        if f.rollup is not None:
            by_table.setdefault(f.rollup[0], []).append(f)
        elif f.records is None and not f.measure.startswith("distinct:"):  # distinct counts: distinct_totals
            # A figure whose conditions cross a to-many relation gets a query of its own (as before the batching).
            by_source.setdefault((f.model, f.path_field, "" if batchable(f) else f.key), []).append(f)
    for name, declared in by_table.items():
        columns = sorted({f.rollup[1] for f in declared})
        per_column = _rollup_columns(name, columns, scope_path, periods, prefix_len)
        out |= {f.key: per_column[f.rollup[1]] for f in declared}
    read = rollup_readings(figures)
    if read:
        out |= rollups.read_many(read, scope_path, periods, prefix_len)
    for (model, path_field, alone), declared in by_source.items():
        out |= _records(model, path_field, declared, scope_path, periods, prefix_len, raw, exact=bool(alone))
    return out


def distinct_totals(figures: Iterable[Figure | Rate], scope_path: str, periods: list[Period]) -> dict[str, list[Any]]:
    """The distinct counts (``measure="distinct:…"``) counted from their records, per period: one query per model
    and path field (``COUNT(DISTINCT x) FILTER (…)`` per figure and period). Not split by child: an enterprise
    reached in two children counts once in the scope."""
    by_source: dict[tuple[str, str], list[Figure]] = {}
    for f in figures:
        if isinstance(f, Figure) and f.measure.startswith("distinct:") and batchable(f):
            by_source.setdefault((f.model, f.path_field), []).append(f)
    out: dict[str, list[Any]] = {}
    for (model, path_field), declared in by_source.items():
        per_figure = _records(model, path_field, declared, scope_path, periods, None, raw=True)
        out |= {key: [groups[scope_path] or 0 for groups in per_period] for key, per_period in per_figure.items()}
    return out


def totals(figures: Iterable[Figure | Rate], scope_path: str, periods: list[Period]) -> dict[str, list[Any]]:
    """Every figure's value (``Figure.value``) per period; the others than ``grouped`` takes are asked one by one.
    Rates are left to the caller (numerator / denominator of two of these)."""
    figures = [f for f in figures if isinstance(f, Figure)]
    together = grouped(figures, scope_path, periods, None, raw=True)
    out: dict[str, list[Any]] = distinct_totals(figures, scope_path, periods)
    for f in figures:
        per_period = together.get(f.key)
        if f.key in out:
            continue
        if per_period is None:
            out[f.key] = [f.value(scope_path, p) for p in periods]
        elif f.reading is not None:
            out[f.key] = [sum(groups.values(), 0) for groups in per_period]
        else:
            out[f.key] = [_or_zero(groups.get(scope_path), f) for groups in per_period]
    return out


def _or_zero(value, figure: Figure):
    return zero(figure) if value is None else value


# ---------------------------------------------------------------------------------------------- from the records


def batchable(figure: Figure) -> bool:
    """Whether the figure can share a query with the other figures of its model: counted, summed or counted
    distinct from ``model`` (no function), every condition on single-valued relations."""
    if figure.records is not None or figure.compute is not None:
        return False
    model = apps.get_model(figure.model)
    lookups = [figure.path_field, *([figure.date_field] if figure.date_field else [])]
    lookups += _lookups(figure.condition(Period.year(2000)))
    measure = figure.measure.partition(":")[2]
    return all(_single_valued(model, lookup) for lookup in [*lookups, *([measure] if measure else [])])


def _lookups(q: Any) -> list[str]:
    if isinstance(q, Q):
        out = []
        for child in q.children:
            out += _lookups(child) if isinstance(child, Q) else [child[0]]
        return out
    return []


def _conjuncts(q: Q) -> list:
    """The parts of a condition joined by AND (a lookup tuple or a Q each)."""
    if q.connector != Q.AND or q.negated:
        return [q]
    out = []
    for child in q.children:
        out += _conjuncts(child) if isinstance(child, Q) else [child]
    return out


def _single_valued(model, lookup: str) -> bool:
    for part in lookup.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return True  # a lookup or transform ("isnull", "in", "pk") ends the path
        if not field.is_relation:
            return True
        if field.many_to_many or field.one_to_many:
            return False
        model = field.related_model
    return True


def _records(
    model: str,
    path_field: str,
    figures: list[Figure],
    scope_path: str,
    periods,
    prefix_len,
    raw: bool,
    exact: bool = False,
):
    """One query for every figure of ``model`` and period: conditional aggregates over the rows any of them
    counts (the days of any of them; ``exact``: their whole conditions), grouped by path prefix."""

    def build():
        aggregates: dict[str, Any] = {}
        days = Q()
        seen: set[str] = set()
        common: dict[str, Any] | None = None
        for j, f in enumerate(figures):
            for i, period in enumerate(periods):
                condition = f.condition(period)
                aggregates[f"v{j}_{i}"] = f.aggregate_expression_where(condition)
                these = f.date_condition(period) if f.date_field and not exact else condition
                if str(these) not in seen:  # the rows to read: each figure's days (its other conditions in FILTER)
                    seen.add(str(these))
                    days |= these
                parts = {str(c): c for c in _conjuncts(condition)}
                common = parts if common is None else {k: v for k, v in common.items() if k in parts}
        # The conditions every figure and period shares narrow the rows read too (an index or a small table joined
        # first: the legal talks among activities' attendances, 282 -> 29 ms at the province).
        wanted = days
        for part in (common or {}).values():
            wanted &= part if isinstance(part, Q) else Q(part)
        qs = apps.get_model(model)._default_manager.filter(wanted, **{f"{path_field}__startswith": scope_path})
        return qs, aggregates

    key = ("records", tuple((f.key, id(f)) for f in figures), tuple(periods), exact)
    rows = compiled.by_prefix(model, key, build, path_field, scope_path, prefix_len, keep=figures)
    out = {}
    for j, f in enumerate(figures):
        per_period = [{r["_prefix"]: r[f"v{j}_{i}"] for r in rows} for i in range(len(periods))]
        # The dashboard's children and sums: 0 where no row matched (as counted one figure at a time before).
        out[f.key] = per_period if raw else [{k: v or 0 for k, v in groups.items()} for groups in per_period]
    return out


# ---------------------------------------------------------------------------------------------- one rollup column


def _rollup_columns(name: str, columns: list[str], scope_path: str, periods, prefix_len) -> dict[str, PerPeriod]:
    """Figures read from one rollup column (``Figure.rollup``): one query on the table for all its columns and
    periods (conditional sums by day), per path prefix. {column: [{prefix: value}, …]}. A rollup with a month
    twin (``Rollup.months``) gives each period's whole months from the twin and only the days outside them from
    the daily table: two queries, a few thousand rows instead of every day × key of a year."""
    rollup = rollups.get(name)
    none = {col: Decimal(0) if col in rollup.sums else 0 for col in columns}
    out = {col: [{} for _p in periods] for col in columns}
    split = [month_split(p) for p in periods] if rollup.months else [(None, [(p.start, p.end)]) for p in periods]
    daily = [[Q(day__gte=a, day__lte=b) for a, b in days] for _months, days in split]
    parts = [(rollup, [_either(conditions) for conditions in daily])]
    if rollup.months:
        parts.append((rollups.get(rollup.months), [_months(months) for months, _days in split]))
    for table, conditions in parts:
        for col, per_period in _sums(table, columns, conditions, scope_path, prefix_len).items():
            for i, groups in enumerate(per_period):
                for prefix, value in groups.items():
                    if value is not None:
                        out[col][i][prefix] = out[col][i].get(prefix, none[col]) + value
    if rollup.months:  # every prefix one of the tables has rows for, as from one table
        for col in columns:
            prefixes = set().union(*out[col])
            for groups in out[col]:
                for prefix in prefixes:
                    groups.setdefault(prefix, none[col])
    return out


def month_split(period: Period) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """The period's whole calendar months (first day of the first, first day of the last; None if none) and the
    day ranges outside them (at most two)."""
    first = period.start if period.start.day == 1 else _next_month(period.start)
    after = period.end + dt.timedelta(days=1)
    after = after.replace(day=1)  # the first day after the whole months (the end's month, unless it is whole)
    if first >= after:
        return None, [(period.start, period.end)]
    days = []
    if period.start < first:
        days.append((period.start, first - dt.timedelta(days=1)))
    if after <= period.end:
        days.append((after, period.end))
    return (first, _previous_month(after)), days


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _previous_month(first: dt.date) -> dt.date:
    return (first - dt.timedelta(days=1)).replace(day=1)


def _either(conditions: list[Q]) -> Q | None:
    out = None
    for c in conditions:
        out = c if out is None else out | c
    return out


def _months(months) -> Q | None:
    return None if months is None else Q(day__gte=months[0], day__lte=months[1])


def _sums(rollup, columns: list[str], conditions: list[Q | None], scope_path: str, prefix_len):
    """Per column, per period, {prefix: sum of the column over the rows of the period's condition (None: no
    rows)}: one query on the rollup's table, nothing when no period has a condition."""
    if all(c is None for c in conditions):
        return {col: [{} for _c in conditions] for col in columns}

    def build():
        either = _either([c for c in conditions if c is not None])
        aggregates = {
            f"v{i}_{col}": Sum(col, filter=c) for col in columns for i, c in enumerate(conditions) if c is not None
        }
        return rollup.rows(scope_path).filter(either), aggregates

    key = ("rollup", rollup.name, tuple(columns), tuple(conditions_key(c) for c in conditions))
    rows = compiled.by_prefix(rollup.target, key, build, "org_path", scope_path, prefix_len)
    return {
        col: [{r["_prefix"]: r.get(f"v{i}_{col}") for r in rows} for i in range(len(conditions))] for col in columns
    }


def conditions_key(condition: Q | None) -> str:
    return "" if condition is None else str(condition)
