"""Snapshots of the leaders' report pages: the dashboard and the figures page (stale-while-revalidate).

At a province (3 M enterprises) counting every figure of the dashboard takes over half a second alone and
seconds under load, and the page holds a worker while it does. Issue 16 counts figures and dashboards among the
reads that tolerate a little lag, so a page's figure values are kept in the cache per (page, node, period,
language, the reader's visible-figure set, day) together with when they were counted and how long that took:

- A count that took less than ``QINQING_FIGURES_SNAPSHOT_MS`` is never kept: small FICs (and the test suite)
  always see their figures counted in the request, as before.
- An expensive one is shown while younger than ``QINQING_FIGURES_SECONDS``, the page saying when it was counted;
  older, it is shown while one background task recounts it (one queued recount per key, not one per view: the
  guard is read with the snapshot); past ``QINQING_FIGURES_STALE_SECONDS`` (no worker ran) the view counts.
- Staff may ask for a recount now (the page's 立即更新); ``warm_default_pages`` (run by the scheduler) keeps the
  province's and cities' default pages counted so the first leader of the morning does not wait.

Only the figure values are kept, never the records: every drill-down list, CSV, the API and the annual summary
count live. A snapshot's values are those of its count's start (``counted_at``), which the page shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from qinqing.core.figures import Figure, Period, Rate, all_figures
from qinqing.orgs.models import Organization

logger = logging.getLogger(__name__)

PAGES = ("dashboard", "figures")
SNAPSHOT_MS = 150  # settings.QINQING_FIGURES_SNAPSHOT_MS: a count this quick is never kept
FRESH_SECONDS = 300  # settings.QINQING_FIGURES_SECONDS: older snapshots are shown and recounted in the background
STALE_SECONDS = 3600  # settings.QINQING_FIGURES_STALE_SECONDS: older ones (no worker ran) are counted by the view
KEEP_SECONDS = 86400 + 3600  # the entry outlives the bounds (the day is part of its key)
CHEAP_SECONDS = 3600  # the warm task does not recount a page found cheap for this long
WARM_SECONDS = 120  # how often the scheduler runs warm_default_pages (reports/tasks.py)
# The warm task keeps a page that took this share of the threshold: counted alone in the background it runs several
# times faster than a view's count under load (3 M province figures page: 180-214 ms alone, 0.4-1.3 s in the load test).
WARM_SHARE = 1 / 3


def threshold_ms() -> float:
    return float(getattr(settings, "QINQING_FIGURES_SNAPSHOT_MS", SNAPSHOT_MS))


def fresh_seconds() -> float:
    return float(getattr(settings, "QINQING_FIGURES_SECONDS", FRESH_SECONDS))


def stale_seconds() -> float:
    return float(getattr(settings, "QINQING_FIGURES_STALE_SECONDS", STALE_SECONDS))


@dataclass(frozen=True)
class Target:
    """One page of one node and period, for a set of visible figures."""

    page: str  # "dashboard" or "figures"
    node: Organization
    period: Period
    figures: tuple[Figure | Rate, ...]

    def key(self) -> str:
        digest = hashlib.sha256(",".join(sorted(f.key for f in self.figures)).encode()).hexdigest()[:16]
        day = timezone.localdate().isoformat()
        return (
            f"qinqing:reports:{self.page}:{self.node.path}:{self.period.start}:{self.period.end}:"
            f"{translation.get_language()}:{digest}:{day}"
        )


@dataclass
class Shown:
    """What a page shows: the values, when they were counted, how long that took, and from where."""

    data: object
    counted_at: dt.datetime
    build_ms: float
    snapshot: bool  # False: counted in this request
    refreshing: bool = False  # older than the fresh bound: a recount is queued or running

    @property
    def minutes(self) -> int:
        return max(1, round(fresh_seconds() / 60))

    @property
    def at_text(self) -> str:
        """The count's local time (with the date when it was not today)."""
        local = timezone.localtime(self.counted_at)
        return local.strftime("%H:%M" if local.date() == timezone.localdate() else "%Y-%m-%d %H:%M")


def figures_by_keys(keys) -> tuple[Figure | Rate, ...]:
    """The registered figures named by ``keys``, in registry order (as ``visible_figures`` lists them)."""
    wanted = set(keys)
    return tuple(f for f in all_figures() if f.key in wanted)


def _build(target: Target):
    from . import dashboard, drilldown

    if target.page == "dashboard":
        data = dashboard.build(target.node, target.period, figures=list(target.figures))
        data.pop("node")  # the view puts the node back (a model instance is not kept)
        return data
    return drilldown.values(target.figures, target.node.path, target.period)


def _shown(entry: dict, *, snapshot: bool, refreshing: bool = False) -> Shown:
    counted_at = dt.datetime.fromtimestamp(entry["at"], tz=dt.UTC)
    return Shown(entry["data"], counted_at, entry["ms"], snapshot=snapshot, refreshing=refreshing)


def shown(target: Target) -> Shown:
    """The page's values: its snapshot while one is young enough (queuing one background recount once it is past
    the fresh bound), else counted now (and kept when the count was expensive). One cache read on a repeat view."""
    key = target.key()
    found = cache.get_many([key, f"{key}:recounting"])
    entry = found.get(key)
    if entry is not None and entry["data"] is not None:
        age = time.time() - entry["at"]
        if age <= stale_seconds():
            stale = age > fresh_seconds()
            if stale and f"{key}:recounting" not in found:
                _recount_later(target, key)
            return _shown(entry, snapshot=True, refreshing=stale)
    return count(target, kept=entry is not None and entry["data"] is not None)


def count(target: Target, *, kept: bool = True, keep_ms: float | None = None) -> Shown:
    """Count the page now; keep it when the count took at least ``keep_ms`` (the threshold). A page that has become
    cheap drops its snapshot (``kept``: one may exist), so its next view counts live again."""
    key = target.key()
    at = time.time()  # the values are at least as new as the count's start
    t0 = time.perf_counter()
    data = _build(target)
    ms = (time.perf_counter() - t0) * 1000
    entry = {"data": data, "at": at, "ms": ms}
    if ms >= (threshold_ms() if keep_ms is None else keep_ms):
        cache.set(key, entry, KEEP_SECONDS)
    elif kept:
        cache.delete(key)
    return _shown(entry, snapshot=False)


def _recount_later(target: Target, key: str) -> None:
    """Queue one background recount of the page (not one per view while it waits)."""
    if not cache.add(f"{key}:recounting", 1, 120):
        return
    from .tasks import recount_report_page

    try:
        recount_report_page.enqueue(*task_args(target))
    except Exception:  # the snapshot is shown either way; past the stale bound the view counts
        logger.exception("report page %s could not be queued for a recount", key)
        cache.delete(f"{key}:recounting")


def task_args(target: Target) -> list:
    return [
        target.page,
        target.node.pk,
        target.period.start.isoformat(),
        target.period.end.isoformat(),
        translation.get_language(),
        [f.key for f in target.figures],
    ]


def recount(page: str, node_id: int, start: str, end: str, language: str, keys: list[str]) -> float | None:
    """The background half of ``shown``: count the page again and keep it (the ms it took; None when the node
    is gone)."""
    node = Organization.objects.filter(pk=node_id, kind="fic").first()
    if node is None:
        return None
    period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    with translation.override(language):
        target = Target(page, node, period, figures_by_keys(keys))
        try:
            return count(target).build_ms
        finally:
            cache.delete(f"{target.key()}:recounting")


def default_targets() -> list[Target]:
    """The pages a leader opens first: the dashboard and figures page of the province and every city node for
    the default period (本年), for each report reader role's set of figures."""
    from qinqing.accounts.models import User
    from qinqing.orgs.choices import FicLevel

    from .periods import from_params
    from .permissions import GRANTS

    period = from_params({})[0]
    nodes = Organization.objects.filter(kind="fic", is_active=True, fic_level__lte=FicLevel.CITY).order_by("path")
    targets = []
    for node in nodes:
        sets = {}
        for role in GRANTS:
            from qinqing.core.figures import visible_figures

            figures = tuple(visible_figures(User(role=role, org=node)))
            sets[tuple(f.key for f in figures)] = figures
        targets += [Target(page, node, period, figures) for figures in sets.values() for page in PAGES]
    return targets


def warm(targets: list[Target]) -> dict[str, int]:
    """Count each target whose snapshot is missing or would pass the fresh bound before the next warm run (with
    half a minute for the count), unless it was found cheap within the hour (a marker with no values records
    that); keep it when it took ``WARM_SHARE`` of the threshold. Returns how many were counted, kept and skipped."""
    done = {"counted": 0, "kept": 0, "skipped": 0}
    found = cache.get_many([t.key() for t in targets])
    now = time.time()
    still_fresh = fresh_seconds() - WARM_SECONDS - 30
    for target in targets:
        entry = found.get(target.key())
        if entry is not None:
            age = now - entry["at"]
            cheap = entry["data"] is None
            if (cheap and age < CHEAP_SECONDS) or (not cheap and age < still_fresh):
                done["skipped"] += 1
                continue
        result = count(target, kept=False, keep_ms=threshold_ms() * WARM_SHARE)
        done["counted"] += 1
        if result.build_ms >= threshold_ms() * WARM_SHARE:
            done["kept"] += 1
        else:
            cache.set(target.key(), {"data": None, "at": now, "ms": result.build_ms}, CHEAP_SECONDS)
    return done
