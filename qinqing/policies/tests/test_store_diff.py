"""matching.store_results writes only the sets that changed: a set holding the same ids keeps its row (its
matched_at moves), a changed one is replaced and reports the ids that are new. Whether a set changed is told by
its digest; a row without one is compared by its ids."""

import polars as pl
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qinqing.eligibility import idsets
from qinqing.policies import matching
from qinqing.policies.models import PolicyMatch
from qinqing.registry.models import Enterprise


def _ids(*values: int) -> pl.Series:
    return pl.Series("id", values, dtype=pl.UInt32)


def _stored(scope: str) -> dict[int, list[int]]:
    return {m.policy_id: idsets.decode(m.ids).to_list() for m in PolicyMatch.objects.filter(scope_path=scope)}


def test_given_stored_sets_when_stored_again_then_only_changed_sets_rewritten(users, firms, make_policy):
    one, two, three = (make_policy(title=f"岳阳市稳岗补贴政策{i}") for i in range(3))
    scope = firms.city.path
    first = matching.store_results(scope, {one.pk: _ids(1, 5, 9), two.pk: _ids(2, 3), three.pk: _ids(7)})
    assert {k: v.to_list() for k, v in first.items()} == {one.pk: [1, 5, 9], two.pk: [2, 3], three.pk: [7]}
    rows = {m.policy_id: m for m in PolicyMatch.objects.filter(scope_path=scope)}

    # one unchanged, two gains 4 and loses 3, three no longer applicable (replace_all drops it)
    again = matching.store_results(scope, {one.pk: _ids(9, 1, 5), two.pk: _ids(2, 4)})
    assert {k: v.to_list() for k, v in again.items()} == {two.pk: [4]}
    assert _stored(scope) == {one.pk: [1, 5, 9], two.pk: [2, 4]}
    after = {m.policy_id: m for m in PolicyMatch.objects.filter(scope_path=scope)}
    assert after[one.pk].pk == rows[one.pk].pk  # kept, not rewritten
    assert after[one.pk].matched_at > rows[one.pk].matched_at and after[one.pk].count == 3
    assert after[two.pk].pk != rows[two.pk].pk and after[two.pk].count == 2

    # a stored blob in other bytes holding the same ids (the legacy layout): kept, nothing new
    PolicyMatch.objects.filter(pk=after[one.pk].pk).update(ids=_legacy_blob([1, 5, 9]))
    third = matching.store_results(scope, {one.pk: _ids(1, 5, 9), two.pk: _ids(2, 4)}, replace_all=False)
    assert third == {}
    assert _stored(scope) == {one.pk: [1, 5, 9], two.pk: [2, 4]}
    assert PolicyMatch.objects.get(scope_path=scope, policy=one).pk == after[one.pk].pk
    # one id fewer, one id more: rewritten
    fourth = matching.store_results(scope, {one.pk: _ids(1, 5), two.pk: _ids(2, 4, 8)}, replace_all=False)
    assert {k: v.to_list() for k, v in fourth.items()} == {two.pk: [8]}
    assert _stored(scope) == {one.pk: [1, 5], two.pk: [2, 4, 8]}


def _legacy_blob(ids: list[int]) -> bytes:
    """A blob as written before gaps were stored (column "id"): decodes to the same ids, other bytes."""
    import io

    buffer = io.BytesIO()
    pl.DataFrame({"id": pl.Series(ids, dtype=pl.UInt32)}).write_ipc(buffer, compression="zstd")
    return buffer.getvalue()


def _digests_hold(scope: str) -> bool:
    rows = PolicyMatch.objects.filter(scope_path=scope)
    return all(bytes(m.ids_digest) == idsets.digest(idsets.decode(m.ids)) for m in rows)


def test_given_sets_stored_with_digests_when_stored_again_then_digest_decides_and_stays_the_ids_digest(
    users, firms, make_policy
):
    one, two = (make_policy(title=f"岳阳市稳岗补贴政策{i}") for i in range(2))
    scope = firms.city.path
    matching.store_results(scope, {one.pk: _ids(1, 5, 9), two.pk: _ids(2, 3)})
    assert _digests_hold(scope)
    kept = PolicyMatch.objects.get(scope_path=scope, policy=one).pk

    # one unchanged (told by its digest), two changed: only two's stored blob is fetched, to find its new ids
    with CaptureQueriesContext(connection) as queries:
        added = matching.store_results(scope, {one.pk: _ids(1, 5, 9), two.pk: _ids(2, 3, 6)})
    assert {k: v.to_list() for k, v in added.items()} == {two.pk: [6]}
    blobs_fetched = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and '"ids"' in q["sql"]]
    assert len(blobs_fetched) == 1 and PolicyMatch.objects.get(scope_path=scope, policy=one).pk == kept
    # the changed set's row and the rows of policies no longer given: one DELETE statement each, no row fetched
    assert len([q for q in queries if q["sql"].startswith("DELETE")]) == 2
    assert _stored(scope) == {one.pk: [1, 5, 9], two.pk: [2, 3, 6]} and _digests_hold(scope)


def test_given_rows_without_digest_when_stored_then_compared_by_their_ids_and_digests_written(
    users, firms, make_policy
):
    one, two = (make_policy(title=f"岳阳市稳岗补贴政策{i}") for i in range(2))
    scope = firms.city.path
    matching.store_results(scope, {one.pk: _ids(1, 5, 9), two.pk: _ids(2, 3)})
    PolicyMatch.objects.filter(scope_path=scope).update(ids_digest=b"")  # as written before digests
    kept = PolicyMatch.objects.get(scope_path=scope, policy=one).pk

    added = matching.store_results(scope, {one.pk: _ids(9, 5, 1), two.pk: _ids(3)})
    assert added == {}  # two lost an id: rewritten, nothing new
    assert PolicyMatch.objects.get(scope_path=scope, policy=one).pk == kept
    assert _stored(scope) == {one.pk: [1, 5, 9], two.pk: [3]}
    assert _digests_hold(scope)  # the kept row got its digest too: the next run compares digests


def test_given_enterprise_rematched_then_stored_digest_follows_its_set(users, firms, make_policy):
    policy = make_policy()  # employees ≥ 10: ent_a (50) eligible, ent_b (5) not
    scope = firms.city.path
    matching.run_matching(scope, policies=[policy])
    Enterprise.objects.filter(pk=firms.ent_b.pk).update(employees=20)

    matching.rematch_enterprises([firms.ent_b.pk])
    match = PolicyMatch.objects.get(scope_path=scope, policy=policy)
    assert firms.ent_b.pk in idsets.decode(match.ids).to_list() and _digests_hold(scope)
    # the next batch run finds the set unchanged by its digest: the row is kept
    matching.run_matching(scope, policies=[policy])
    assert PolicyMatch.objects.get(scope_path=scope, policy=policy).pk == match.pk
