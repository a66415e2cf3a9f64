"""Batch and incremental matching: read attributes, evaluate rules, store per-policy id sets.

Results live in PolicyMatch (one compact id set per policy per scope). One enterprise's explanations are
computed on demand from rules.explain over the same attributes, so nothing per pair is ever stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import polars as pl
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from qinqing.core.replica import replica_reads
from qinqing.eligibility import idsets
from qinqing.eligibility.attributes import read_frame
from qinqing.eligibility.matching import ancestor_paths, evaluate_owned

from .choices import PublishState, Status
from .models import Policy, PolicyMatch, status_q


def applicable_policies(scope_path: str) -> QuerySet[Policy]:
    """Published, currently active policies that apply to some enterprise of the scope."""
    return Policy.objects.filter(
        Q(org_path__startswith=scope_path) | Q(org_path__in=ancestor_paths(scope_path)),
        status_q(Status.ACTIVE, timezone.localdate()),
        state=PublishState.PUBLISHED,
    )


def evaluate_policies(policies: list[Policy], frame: pl.DataFrame, scope_path: str) -> dict[int, pl.Series]:
    """Eligible ids per policy; a policy owned below the scope only reaches its own subtree."""
    return evaluate_owned(((p.pk, p.org_path, p.rule) for p in policies), frame, scope_path)


@dataclass
class MatchRun:
    scope_path: str
    enterprises: int = 0
    policies: int = 0
    pairs: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    newly_eligible: dict[int, pl.Series] = field(default_factory=dict)  # ids, kept as Series (can be millions)


def run_matching(
    scope_path: str, *, progress: Callable[[int, int, str], None] | None = None, policies: list[Policy] | None = None
) -> MatchRun:
    """Match every applicable policy against every enterprise of the scope and store the id sets."""
    run = MatchRun(scope_path)
    step = time.perf_counter()
    if policies is None:
        policies = list(applicable_policies(scope_path))
    with replica_reads():  # on a streaming replica when one is configured and caught up (core.bulkread)
        frame = read_frame(scope_path)
    run.enterprises, run.policies = frame.height, len(policies)
    run.seconds["read"] = time.perf_counter() - step
    if progress:
        progress(1, 3, _("已读取企业数据"))

    step = time.perf_counter()
    results = evaluate_policies(policies, frame, scope_path)
    run.seconds["match"] = time.perf_counter() - step
    if progress:
        progress(2, 3, _("已完成匹配"))

    step = time.perf_counter()
    run.newly_eligible = store_results(scope_path, results, replace_all=policies is not None)
    run.pairs = sum(len(ids) for ids in results.values())
    run.seconds["store"] = time.perf_counter() - step
    if progress:
        progress(3, 3, _("已保存结果"))
    return run


def encode_all(results: dict[int, pl.Series]) -> dict[int, bytes]:
    """idsets.encode for every policy, on two threads (Polars and zstd release the GIL)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(results, pool.map(idsets.encode, results.values()), strict=True))


def _insert(rows: list[PolicyMatch]) -> None:
    """Insert the fresh sets; on PostgreSQL with a binary COPY, so the blobs travel as raw bytes (not as hex
    literals twice their size in an INSERT)."""
    if connection.vendor != "postgresql":
        PolicyMatch.objects.bulk_create(rows, batch_size=100)
        return
    columns = ["policy_id", "scope_path", "ids", "count", "ids_digest", "matched_at", "created_at", "updated_at"]
    types = ["int8", "varchar", "bytea", "int4", "bytea", "timestamptz", "timestamptz", "timestamptz"]
    sql = f"COPY {PolicyMatch._meta.db_table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT BINARY)"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row([row.policy_id, row.scope_path, row.ids, row.count, row.ids_digest, row.matched_at,
                            row.matched_at, row.matched_at])  # fmt: skip


def _sorted(ids: pl.Series) -> pl.Series:
    ids = ids.cast(pl.UInt32)
    return ids if ids.is_sorted() else ids.sort()


def _diff(stored: bytes | memoryview | None, ids: pl.Series) -> pl.Series:
    """The ids not in the stored set (all of them when nothing is stored yet: first run, first publication, just
    in effect)."""
    if stored is None:
        return ids
    return ids.filter(~ids.is_in(idsets.decode(stored).implode()))


@transaction.atomic
def store_results(scope_path: str, results: dict[int, pl.Series], *, replace_all: bool = True) -> dict[int, pl.Series]:
    """Replace the scope's stored sets; returns, per policy, the ids that were not eligible before.

    Only the sets that changed are written: a policy whose stored set holds exactly the new ids keeps its row
    (only matched_at moves) and has no new ids; the others are encoded and replaced. Whether a set changed is
    told by its digest (idsets.digest, kept beside the blob): an unchanged set is neither fetched nor decoded.
    A row without a digest (written before digests) is decoded and compared. Only the changed sets' blobs are
    fetched, to find the newly eligible ids.
    """
    results = {policy_id: _sorted(ids) for policy_id, ids in results.items()}
    rows = PolicyMatch.objects.filter(scope_path=scope_path).order_by()  # no join for Meta.ordering
    # Lock the rows this call may replace first, in id order, as rematch_enterprises does: a re-match queued by
    # an import and this run then queue on the same first row instead of each holding one the other wants.
    locking = rows if replace_all else rows.filter(policy_id__in=list(results))
    list(locking.select_for_update().order_by("pk").values_list("pk", flat=True))
    stored = dict(rows.filter(policy_id__in=list(results)).values_list("policy_id", "ids_digest"))
    with ThreadPoolExecutor(max_workers=2) as pool:  # hashlib releases the GIL on large buffers
        digests = dict(zip(results, pool.map(idsets.digest, results.values()), strict=True))
    undigested = [pid for pid in results if pid in stored and not bytes(stored[pid])]
    blobs = dict(rows.filter(policy_id__in=undigested).values_list("policy_id", "ids"))
    same = [pid for pid in results if pid in stored and bytes(stored[pid]) == digests[pid]]
    undigested_same = [pid for pid, blob in blobs.items() if idsets.decode(blob).equals(results[pid])]
    for pid in undigested_same:  # once per row written before digests: from now on its digest decides
        rows.filter(policy_id=pid).update(ids_digest=digests[pid])
    same += undigested_same
    unchanged = set(same)
    changed = {pid: ids for pid, ids in results.items() if pid not in unchanged}
    fetch = [pid for pid in changed if pid in stored and pid not in blobs]
    blobs |= dict(rows.filter(policy_id__in=fetch).values_list("policy_id", "ids"))
    with ThreadPoolExecutor(max_workers=2) as pool:
        added = dict(zip(changed, pool.map(_diff, [blobs.get(pid) for pid in changed], changed.values()), strict=True))
    newly = {policy_id: ids for policy_id, ids in added.items() if len(ids)}
    encoded = encode_all(changed)
    now = timezone.now()
    fresh = [
        PolicyMatch(policy_id=policy_id, scope_path=scope_path, ids=encoded[policy_id], count=len(ids),
                    ids_digest=digests[policy_id], matched_at=now)
        for policy_id, ids in changed.items()
    ]  # fmt: skip
    rows.filter(policy_id__in=same).update(matched_at=now, updated_at=now)
    # One DELETE statement each (nothing references PolicyMatch and no delete receiver watches it, so Django
    # deletes without fetching the rows first; test_store_diff counts the statements).
    rows.filter(policy_id__in=list(changed)).delete()
    if replace_all:
        # Policies no longer applicable (withdrawn, expired) lose their stale results in this scope.
        rows.exclude(policy_id__in=list(results)).delete()
    _insert(fresh)
    return newly


def rematch_policy(policy: Policy) -> dict[str, list[int]]:
    """Re-evaluate one policy in every scope where it has stored results; newly eligible ids per scope."""
    newly: dict[str, list[int]] = {}
    active = applicable_policies(policy.org_path).filter(pk=policy.pk).exists()
    scopes = set(PolicyMatch.objects.filter(policy=policy).values_list("scope_path", flat=True))
    if not active:
        PolicyMatch.objects.filter(policy=policy).delete()
        return newly
    scopes.add(policy.org_path)
    for scope in scopes:
        frame = read_frame(scope)
        results = evaluate_policies([policy], frame, scope)
        added = store_results(scope, results, replace_all=False).get(policy.pk)
        if added is not None and len(added):
            newly[scope] = added.to_list()
    return newly


def policies_for_paths(paths: set[str]) -> list[Policy]:
    """Published, active policies applying to an enterprise at one of these org paths (owned at an ancestor)."""
    owners = {ancestor for path in paths for ancestor in ancestor_paths(path)}
    return list(
        Policy.objects.filter(
            status_q(Status.ACTIVE, timezone.localdate()), state=PublishState.PUBLISHED, org_path__in=owners
        )
    )


@transaction.atomic
def rematch_enterprises(enterprise_ids: list[int]) -> dict[int, list[int]]:
    """Re-evaluate some enterprises against every policy applying to them and update the stored sets.

    Returns, per policy, the given enterprises that are eligible now (the caller notifies those not yet
    notified: PolicyPush is unique per pair).
    """
    frame = read_frame("/", enterprise_ids=list(enterprise_ids))
    if frame.is_empty():
        return {}
    changed = frame.get_column("id").to_list()
    paths = set(frame.get_column("org_path").unique().to_list())
    policies = policies_for_paths(paths)
    results = evaluate_policies(policies, frame, "/") if policies else {}
    eligible = {pid: ids.cast(pl.Int64).to_list() for pid, ids in results.items()}
    scopes = {ancestor for path in paths for ancestor in ancestor_paths(path)}
    # Stored sets are locked in id order on every path (store_results too), so two writers never wait on each other
    matches = PolicyMatch.objects.select_for_update().filter(scope_path__in=scopes, policy_id__in=list(eligible))
    matches = matches.order_by("pk")
    path_of = dict(zip(changed, frame.get_column("org_path").to_list(), strict=True))
    now = timezone.now()
    for match in matches:
        inside = [i for i in changed if path_of[i].startswith(match.scope_path)]
        if not inside:
            continue
        present = [i for i in eligible[match.policy_id] if path_of[i].startswith(match.scope_path)]
        match.ids, match.count, match.ids_digest = idsets.with_ids(match.ids, inside, present)
        match.matched_at = now
        match.save(update_fields=["ids", "count", "ids_digest", "matched_at", "updated_at"])
    return {pid: ids for pid, ids in eligible.items() if ids}


def rematch_enterprise(enterprise) -> dict[int, bool]:
    """Re-evaluate one enterprise (see rematch_enterprises); policy id → eligible."""
    eligible = rematch_enterprises([enterprise.pk])
    return {policy.pk: policy.pk in eligible for policy in policies_for_paths({enterprise.org_path})}


def eligible_ids(policy: Policy, scope_path: str) -> pl.Series:
    """Stored eligible enterprise ids of a policy within a scope (from the nearest stored scope)."""
    # The caller restricts the ids to its scope (a set stored for a wider scope holds more enterprises).
    matches = list(PolicyMatch.objects.filter(policy=policy, scope_path__in=ancestor_paths(scope_path)))
    if not matches:
        return idsets.EMPTY.clone()
    best = max(matches, key=lambda m: (m.matched_at, -len(m.scope_path)))
    return idsets.decode(best.ids)


def eligible_policy_ids(enterprise) -> list[int]:
    """Policies whose stored sets contain the enterprise (≤ 500 membership probes)."""
    found = []
    for policy_id, blob in PolicyMatch.objects.filter(scope_path__in=ancestor_paths(enterprise.org_path)).values_list(
        "policy_id", "ids"
    ):
        if idsets.contains(blob, enterprise.pk):
            found.append(policy_id)
    return sorted(set(found))


def stored_counts(policy_ids: list[int], scope_path: str) -> dict[int, dict]:
    """Eligible counts within the scope, from the same stored set eligible_ids() (the 名单) reads: the nearest,
    most recent run of this scope or one above it, restricted to the scope's enterprises. So the overview and a
    policy's list always agree (a county whose city ran matching sees the city's result for its own firms)."""
    best: dict[int, tuple] = {}
    rows = PolicyMatch.objects.filter(policy_id__in=policy_ids, scope_path__in=ancestor_paths(scope_path))
    for policy_id, path, count, matched_at in rows.values_list("policy_id", "scope_path", "count", "matched_at"):
        key = (matched_at, -len(path))
        if policy_id not in best or key > best[policy_id][0]:
            best[policy_id] = (key, path, count, matched_at)
    wider = [pid for pid, (_key, path, _count, _at) in best.items() if path != scope_path]
    inside = pl.DataFrame(schema={"id": pl.Int64})
    if wider:
        from qinqing.registry.models import Enterprise

        ids_inside = Enterprise.objects.filter(org_path__startswith=scope_path).values_list("id", flat=True)
        inside = pl.DataFrame({"id": list(ids_inside)}, schema={"id": pl.Int64})
    blobs = {
        (policy_id, path): blob
        for policy_id, path, blob in PolicyMatch.objects.filter(
            policy_id__in=wider, scope_path__in=ancestor_paths(scope_path)
        ).values_list("policy_id", "scope_path", "ids")
    }
    result = {}
    for policy_id, (_key, path, count, matched_at) in best.items():
        if path != scope_path:
            ids = idsets.decode(blobs[policy_id, path]).cast(pl.Int64).to_frame("id")
            count = ids.join(inside, on="id", how="semi").height
        result[policy_id] = {"count": count, "matched_at": matched_at}
    return result
