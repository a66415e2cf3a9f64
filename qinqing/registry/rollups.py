"""Registry rollups (qinqing.core.rollups): the dashboard and the figures page read a few thousand rollup rows
instead of counting 3 M enterprises and every membership of a subtree per figure.

Each table counts records per day of their state change × organisation path (× the keys the figures filter
on), so a flow (新发展会员, 新成立商会) is a SUM over the period's days and a position (在库企业, 会员数, 商会数
at the period's end) is a SUM over every day up to the end date (``Reading(stock=True)``):

- enterprises: +1 on the local day of ``created_at`` (an enterprise is in the register from its entry until
  it is deleted; a deletion removes its row's contribution, as it removes it from the direct count);
- FIC memberships: +1 on the join day (``joined``; ``opened`` when the membership lasts at least a day) and
  +1 on the leave day (``left``; ``closed`` for those opened), so members at the end of a period =
  opened − closed up to that day, exactly the direct "joined by then and not left by then";
- chambers: +1 on the registration day (0001-01-01 when none is recorded: existing always) by type,
  registration status and party organisation; a cancelled chamber drops out of every period, as in the
  direct query (the model keeps no cancellation date).

Who keeps them: ``Enterprise``, ``Member`` and ``Chamber`` are ``RolledUpModel``s, so every ``save()`` and
``delete()`` touching a key field (actions, provisional merges, chamber imports) keeps the rows in the same
transaction; saves of other fields (industry, size, contacts …) cost nothing. The bulk writers call in here:
the enterprise import counts each batch's new rows inside the batch's transaction from what it wrote (their
paths and the batch's one timestamp, ``count_new_enterprises``; ``count_imported_enterprises`` counts stored
rows by id ranges; an import never moves an enterprise or changes its entry day, so its updates do not touch
the rollup); the member and chamber imports wrap their bulk writes in ``tracking``.
``manage.py rebuild_rollups`` rebuilds them (after the demo seed or a generator that writes with COPY).

Each table has a twin by year (``*_by_year``: the same counts with the day's 1 January as key): keyed by day
alone, a position sums every day since the register began — as many rows as memberships when each joined on a
day of its own (120,000 rows for 120,000 members in bench/registry_figures) — while the years before the end's
year plus the days of that year are a few thousand rows for any subtree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace

from django.db.models import DateField, F, Q, Value
from django.db.models.functions import Coalesce, TruncDate, TruncYear

from qinqing.core import rollups as core

NO_REGISTRATION_DAY = dt.date(1, 1, 1)
_FIC = Q(organization__kind="fic")
_LASTS = Q(left_on__gte=F("joined_on"))  # in the register on at least one day

ENTERPRISES = core.Rollup(
    name="registry_enterprises",
    source="registry.Enterprise",
    target="registry.EnterpriseRollup",
    day=TruncDate("created_at"),
    path="org_path",
    counts={"enterprises": Q()},
    depends_on=frozenset({"created_at", "org_path"}),
)

_MEMBER_FIELDS = frozenset({"joined_on", "left_on", "org_path", "kind", "organization", "organization_id"})

MEMBER_JOINS = core.Rollup(
    name="registry_member_joins",
    source="registry.Member",
    target="registry.MemberJoinRollup",
    day="joined_on",
    path="org_path",
    keys={"kind": "kind"},
    counts={"joined": Q(), "opened": Q(left_on__isnull=True) | _LASTS},
    where=_FIC,
    depends_on=_MEMBER_FIELDS,
)

MEMBER_LEAVES = core.Rollup(
    name="registry_member_leaves",
    source="registry.Member",
    target="registry.MemberLeaveRollup",
    day="left_on",
    path="org_path",
    keys={"kind": "kind"},
    counts={"left": Q(), "closed": _LASTS},
    where=_FIC & Q(left_on__isnull=False),
    depends_on=_MEMBER_FIELDS,
)

CHAMBERS = core.Rollup(
    name="registry_chambers",
    source="registry.Chamber",
    target="registry.ChamberRollup",
    day=Coalesce("registered_on", Value(NO_REGISTRATION_DAY), output_field=DateField()),
    path="org_path",
    keys={
        "chamber_type": "chamber_type",
        "registration_status": "registration_status",
        "party_org_established": "party_org_established",
    },
    counts={"chambers": Q()},
    depends_on=frozenset({"registered_on", "org_path", "chamber_type", "registration_status", "party_org_established"}),
)


def _by_year(daily: core.Rollup, target: str) -> core.Rollup:
    """The same rollup keyed by the year (1 January) of its day: what a position reads for the years before
    its end's year."""
    day = TruncYear(daily.day if not isinstance(daily.day, str) else F(daily.day), output_field=DateField())
    return replace(daily, name=f"{daily.name}_by_year", target=target, day=day)


ENTERPRISES_BY_YEAR = _by_year(ENTERPRISES, "registry.EnterpriseYearRollup")
MEMBER_JOINS_BY_YEAR = _by_year(MEMBER_JOINS, "registry.MemberJoinYearRollup")
MEMBER_LEAVES_BY_YEAR = _by_year(MEMBER_LEAVES, "registry.MemberLeaveYearRollup")
CHAMBERS_BY_YEAR = _by_year(CHAMBERS, "registry.ChamberYearRollup")
DAILY = (ENTERPRISES, MEMBER_JOINS, MEMBER_LEAVES, CHAMBERS)
YEARLY = (ENTERPRISES_BY_YEAR, MEMBER_JOINS_BY_YEAR, MEMBER_LEAVES_BY_YEAR, CHAMBERS_BY_YEAR)
ALL = DAILY + YEARLY
BY_YEAR = tuple((d.name, y.name) for d, y in zip(DAILY, YEARLY, strict=True))  # for core.rollups.Reading(years=…)

MEMBERS = (MEMBER_JOINS, MEMBER_LEAVES, MEMBER_JOINS_BY_YEAR, MEMBER_LEAVES_BY_YEAR)
CHAMBER_ROLLUPS = (CHAMBERS, CHAMBERS_BY_YEAR)

core.register(*ALL)

RANGES_PER_QUERY = 200


def _ranges(ids: Iterable[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for i in sorted(ids):
        if out and i == out[-1][1] + 1:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def count_imported_enterprises(new_ids: Sequence[int]) -> None:
    """Count an import batch's new enterprises, inside the batch's transaction: one query over their id ranges
    (new ids are mostly consecutive) grouped by the stored ``created_at`` and path — a batch writes one
    timestamp — whose local day is then taken in Python, as ``TruncDate`` takes it (SQLite would call a Python
    function per row for it: +18 % on a 100,000-row import), and one upsert per table of the few rows."""
    from django.db.models import Count
    from django.utils import timezone

    from .models import Enterprise

    by_day: dict[tuple, int] = {}
    ranges = _ranges(int(i) for i in new_ids)
    for start in range(0, len(ranges), RANGES_PER_QUERY):
        condition = Q()
        for low, high in ranges[start : start + RANGES_PER_QUERY]:
            condition |= Q(pk__range=(low, high))
        rows = Enterprise.objects.filter(condition).order_by().values("created_at", "org_path").annotate(n=Count("pk"))
        for row in rows:
            key = (timezone.localdate(row["created_at"]), row["org_path"])
            by_day[key] = by_day.get(key, 0) + row["n"]
    _count_enterprises(by_day)


def count_new_enterprises(created_at: dt.datetime, by_path: dict[str, int]) -> None:
    """Count an import batch's new enterprises from what the batch wrote, without reading them back: all were
    stored with ``created_at`` (one timestamp per batch) and ``by_path[org_path]`` of them under each path.
    The same rows as ``count_imported_enterprises`` (the rollup test checks it against the direct count)."""
    from django.utils import timezone

    day = timezone.localdate(created_at)
    _count_enterprises({(day, path): n for path, n in by_path.items() if n})


def _count_enterprises(by_day: dict[tuple, int]) -> None:
    by_year: dict[tuple, int] = {}
    for (day, path), n in by_day.items():
        key = (day.replace(month=1, day=1), path)
        by_year[key] = by_year.get(key, 0) + n
    ENTERPRISES.apply({}, {key: (n,) for key, n in by_day.items()})
    ENTERPRISES_BY_YEAR.apply({}, {key: (n,) for key, n in by_year.items()})


def enterprises_under(path: str) -> int:
    """Enterprises in the register under the organisation path ``path`` (the node and its subtree), from the
    yearly rollup: a few rows per node and year instead of a count over every enterprise of the subtree (3 M at
    a province: a sequential scan of the table, 1–2 s). The same number as counting the enterprises whose
    ``org_path`` starts with ``path``: the rollup is kept in the same transaction as every write to them."""
    from django.db.models import Sum

    return ENTERPRISES_BY_YEAR.rows(path).aggregate(n=Sum("enterprises"))["n"] or 0


@contextmanager
def tracking(rollups: Iterable[core.Rollup], pks: Iterable[int]) -> Iterator[None]:
    """Keep ``rollups`` in step with a bulk change (``QuerySet.update``, ``bulk_update``) of the source rows
    ``pks`` made in the block."""
    pks = list(pks)
    with ExitStack() as stack:
        for rollup in rollups:
            stack.enter_context(rollup.tracking(pks))
        yield


def count_members(new_pks: Iterable[int]) -> None:
    """Count memberships written by ``bulk_create`` (their ids known)."""
    pks = list(new_pks)
    for rollup in MEMBERS:
        rollup.add(pks)
