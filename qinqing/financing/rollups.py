"""Financing rollups (qinqing.core.rollups): the figures page reads a few thousand rollup rows instead of
joining 3 M stage events to their referrals and needs.

Sums and counts (``NEEDS``, ``REFERRALS``, ``STEPS``) are ordinary rollups per day × organisation path, kept by
``RolledUpModel.save()``; their measures are built from the figures' own conditions (figures.py), so a figure
and its rollup column cannot drift apart. A step's measures depend only on the step and on referral fields
fixed before it is written (organisation path and 信用贷款 at the push, the refusal reason before the 未获贷
step), so a referral's later saves do not move them.

The six distinct-enterprise figures (走访收集需求企业, 提出需求企业, 已对接企业, 授信户数, 放款户数, 首贷户数)
cannot be added up from daily rows: an enterprise with records on several days counts once. ``REACH`` makes
them sums, exactly, for every period that starts on the first of a month (the page's and the dashboards'
periods) and any end day:

- for each such figure, enterprise and organisation subtree (every ancestor path of the record's path), take
  the distinct days on which the enterprise has a record of the figure in the subtree, d1 < d2 < … ;
- day di counts 1 in ``FinancingReach`` under (figure, subtree, di, prev_month = first of di-1's month, or
  NO_PREVIOUS for d1);
- for a period [s, e] with s the first of a month, an enterprise with a day in the period has exactly one such
  day whose previous day is before s, i.e. whose prev_month < s. So the figure is
  SUM(n) over (figure, subtree = scope, s ≤ day ≤ e, prev_month < s).

Keeping one chain per subtree (not per record path) keeps it exact when an enterprise has records under two
FICs. A period starting on another day is answered by the direct query (exact, slower). The reach of an
enterprise is recomputed from its few records whenever one of them changes (``ReachTracked`` in models.py),
before and after the write in the same transaction, and the difference added with the rollup's upsert; the
enterprise's row is locked first (reaches do not add up, so two writers of one enterprise take turns).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.db import connections, router, transaction
from django.db.models import Case, DecimalField, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from qinqing.core import rollups as core
from qinqing.core.figures import Figure, Period

from .choices import Stage
from .figures import FIGURES

NO_PREVIOUS = dt.date(1, 1, 1)
_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _figures(model: str, measure: str) -> list[Figure]:
    return [f for f in FIGURES if isinstance(f, Figure) and f.model == model and f.measure.startswith(measure)]


def _condition(figure: Figure) -> Q:
    q = Q(**figure.filters)
    if figure.where is not None:
        q &= figure.where
    return q


def _name(figure: Figure) -> str:
    return figure.key.split(".", 1)[1]


NEEDS = core.Rollup(
    name="financing_needs",
    source="financing.FinancingNeed",
    target="financing.NeedRollup",
    day="stated_on",
    path="org_path",
    counts={"needs": Q()},
    sums={"amount": "amount"},
    depends_on=frozenset({"stated_on", "org_path", "amount"}),
)

REFERRALS = core.Rollup(
    name="financing_referrals",
    source="financing.NeedReferral",
    target="financing.ReferralRollup",
    day="pushed_on",
    path="org_path",
    counts={"referrals": Q()},
    depends_on=frozenset({"pushed_on", "org_path"}),
)

STEPS = core.Rollup(
    name="financing_steps",
    source="financing.StageEvent",
    target="financing.StepRollup",
    day="on",
    path="referral__org_path",
    keys={
        "reason": Case(
            When(stage=Stage.REFUSED, then=Coalesce("referral__refusal_reason_id", Value(0))),
            default=Value(0),
            output_field=IntegerField(),
        )
    },
    counts={"steps": Q()} | {_name(f): _condition(f) for f in _figures("financing.StageEvent", "count")},
    sums={
        _name(f): Case(When(_condition(f), then=F("amount")), output_field=_MONEY)
        for f in _figures("financing.StageEvent", "sum:amount")
    },
    depends_on=frozenset({"referral", "referral_id", "stage", "on", "amount"}),
)


# ---------------------------------------------------------------------- distinct enterprises
@dataclass(frozen=True)
class _Kind:
    key: str  # the figure's key
    model: str
    enterprise: str  # lookup to the enterprise id
    path: str
    day: str
    condition: Q


def _kinds() -> list[_Kind]:
    out = []
    for f in FIGURES:
        if isinstance(f, Figure) and f.measure.startswith("distinct:"):
            out.append(_Kind(f.key, f.model, f.measure.split(":", 1)[1], f.path_field, f.date_field, _condition(f)))
    return out


def _ancestors(path: str) -> list[str]:
    """Every subtree a record under ``path`` belongs to: its prefixes ending in "/" ("/A/B/" → "/", "/A/", "/A/B/")."""
    return [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


class _Chains:
    """Accumulates reach rows: feed each enterprise's (path, day) records of one kind, read the counted keys."""

    def __init__(self) -> None:
        self.counts: dict[tuple, int] = defaultdict(int)

    def add(self, kind: str, records: Iterable[tuple[str, dt.date]]) -> None:
        days: dict[str, set] = defaultdict(set)
        for path, day in records:
            for scope in _ancestors(path or ""):
                days[scope].add(day)
        for scope, found in days.items():
            previous = NO_PREVIOUS
            for day in sorted(found):
                self.counts[(day, scope, kind, previous)] += 1
                previous = _month(day)

    def vectors(self) -> dict[tuple, tuple]:
        return {key: (n,) for key, n in self.counts.items() if n}


class ReachRollup(core.Rollup):
    """The distinct-enterprise figures as sums (see the module's text). Keys: day, org_path (the subtree),
    kind (the figure's key), prev_month; measure ``n``. Kept per enterprise by ``ReachTracked``, not by
    ``RolledUpModel`` (``source`` names no model, so ``for_model`` never returns it)."""

    def kinds(self) -> list[_Kind]:
        return _kinds()

    def contributions_of(self, enterprises: Iterable[int]) -> dict[tuple, tuple]:
        """The reach rows of the given enterprises, from their records as they are in the database now."""
        enterprises = sorted({e for e in enterprises if e is not None})
        if not enterprises:
            return {}
        chains = _Chains()
        for kind in self.kinds():
            model = apps.get_model(kind.model)
            rows = (
                model._default_manager.filter(kind.condition, **{f"{kind.enterprise}__in": enterprises})
                .order_by()
                .values_list(kind.enterprise, kind.path, kind.day)
            )
            by_enterprise: dict[int, list] = defaultdict(list)
            for enterprise, path, day in rows:
                by_enterprise[enterprise].append((path, day))
            for records in by_enterprise.values():
                chains.add(kind.key, records)
        return chains.vectors()

    def contributions(self, pks: Iterable) -> dict:  # not per source row: see contributions_of
        raise NotImplementedError("the reach is kept per enterprise (ReachTracked)")

    @contextmanager
    def tracking(self, enterprises: Iterable[int]) -> Iterator[None]:
        """Keep the reach of ``enterprises`` in step with a change of their records inside the block."""
        enterprises = sorted(set(enterprises))
        with transaction.atomic(using=router.db_for_write(self.target_model)):
            # One writer per enterprise at a time: a reach is not additive (two new records of one enterprise on
            # one day count once), so a concurrent change must see the other's result before computing its own.
            # Rows locked in id order (no deadlock between two such writers); a no-op on SQLite (one writer).
            from qinqing.registry.models import Enterprise

            list(Enterprise.objects.select_for_update().filter(pk__in=enterprises).order_by("pk").values_list("pk"))
            before = self.contributions_of(enterprises)
            yield
            self.apply(before, self.contributions_of(enterprises))

    def rebuild(self, batch_size: int = 5000) -> int:
        """Replace the table with the reach of every enterprise: in SQL on PostgreSQL (``rebuild_sql``), else
        from the records read in enterprise order, streamed, in Python (``rebuild_python``); equal (tested)."""
        if connections[router.db_for_write(self.target_model)].vendor == "postgresql":
            return self.rebuild_sql()
        return self.rebuild_python(batch_size)

    def rebuild_sql(self) -> int:
        """The same rows as ``rebuild_python`` from one INSERT … SELECT per figure: each record's subtrees (the
        prefixes of its path ending in "/"), the distinct (enterprise, subtree, day), the month of the previous
        day by ``lag`` over (enterprise, subtree), counted per (day, subtree, previous month)."""
        model = self.target_model
        using = router.db_for_write(model)
        table = model._meta.db_table
        rows = 0
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            model._default_manager.all().delete()
            for kind in self.kinds():
                source = apps.get_model(kind.model)
                records, params = (
                    source._default_manager.filter(kind.condition)
                    .order_by()
                    .values_list(kind.enterprise, kind.path, kind.day)
                    .query.sql_with_params()
                )
                # Interpolated: only the table name and Django-compiled SQL; values are parameters.
                cursor.execute(
                    f"""
                    WITH records (enterprise, path, day) AS ({records}),
                    reached AS (
                        SELECT DISTINCT r.enterprise, left(r.path, p) AS scope, r.day
                        FROM records r, generate_series(1, length(coalesce(r.path, ''))) AS p
                        WHERE r.enterprise IS NOT NULL AND r.day IS NOT NULL AND substr(r.path, p, 1) = '/'
                    ),
                    chained AS (
                        SELECT scope, day, coalesce(date_trunc('month', lag(day) OVER (
                            PARTITION BY enterprise, scope ORDER BY day))::date, %s) AS prev_month
                        FROM reached
                    )
                    INSERT INTO {table} (day, org_path, kind, prev_month, n)
                    SELECT day, scope, %s, prev_month, count(*) FROM chained GROUP BY day, scope, prev_month
                    """,  # noqa: S608
                    [*params, NO_PREVIOUS, kind.key],
                )
                rows += cursor.rowcount
        return rows

    def rebuild_python(self, batch_size: int = 5000) -> int:
        model = self.target_model
        chains = _Chains()
        with transaction.atomic(using=router.db_for_write(model)):
            model._default_manager.all().delete()
            for kind in self.kinds():
                source = apps.get_model(kind.model)
                rows = (
                    source._default_manager.filter(kind.condition)
                    .order_by(kind.enterprise)
                    .values_list(kind.enterprise, kind.path, kind.day)
                )
                current, records = None, []
                for enterprise, path, day in rows.iterator(chunk_size=batch_size):
                    if enterprise != current:
                        chains.add(kind.key, records)
                        current, records = enterprise, []
                    records.append((path, day))
                chains.add(kind.key, records)
            pending = [
                model(day=day, org_path=scope, kind=kind, prev_month=previous, n=n)
                for (day, scope, kind, previous), n in chains.counts.items()
                if n
            ]
            model._default_manager.bulk_create(pending, batch_size=batch_size)
        return len(pending)

    # ------------------------------------------------------------------ reading
    @staticmethod
    def answers(scope_path: str, period: Period) -> bool:
        """Whether the table gives this scope and period exactly (a subtree path; a period from a month's 1st)."""
        return scope_path.endswith("/") and period.start.day == 1

    def values(self, scope_path: str, period: Period) -> dict[str, int]:
        """Every distinct figure of a scope and period (``answers`` must hold), one query."""
        kinds = [kind.key for kind in self.kinds()]
        # ``kind`` leads the table's unique index (kind, org_path, day, prev_month): without it PostgreSQL read the
        # whole table for every figure and period (354 sequential scans of 7.5 M rows in the province load test).
        rows = (
            self.target_model._default_manager.filter(
                kind__in=kinds,
                org_path=scope_path,
                day__gte=period.start,
                day__lte=period.end,
                prev_month__lt=period.start,
            )
            .values("kind")
            .annotate(v=Sum("n"))
            .order_by()
        )
        found = {r["kind"]: r["v"] for r in rows}
        return {kind: found.get(kind, 0) for kind in kinds}

    def value(self, key: str, scope_path: str, period: Period) -> int:
        if not self.answers(scope_path, period):
            from qinqing.core.figures import get

            return get(key).direct_value(scope_path, period)
        return self.values(scope_path, period)[key]


REACH = ReachRollup(
    name="financing_reach",
    source="",
    target="financing.FinancingReach",
    day="day",
    path="org_path",
    keys={"kind": "kind", "prev_month": "prev_month"},
    counts={"n": Q()},
)

core.register(NEEDS, REFERRALS, STEPS, REACH)


@contextmanager
def cascade_tracking(*, referrals=None, steps=None) -> Iterator[None]:
    """Keep the referral and step rollups in step with rows a delete removes by cascade (no delete() of theirs)."""
    with ExitStack() as stack:
        if referrals is not None:
            stack.enter_context(REFERRALS.tracking(list(referrals.values_list("pk", flat=True))))
        if steps is not None:
            stack.enter_context(STEPS.tracking(list(steps.values_list("pk", flat=True))))
        yield
