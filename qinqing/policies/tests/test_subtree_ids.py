"""The staff visibility rule's issuer list (permissions.subtree_org_ids) is kept in the shared cache with the
organisation tree's version counter: a repeat search reads no organisation rows, and a committed change to the
tree is seen by the next search."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qinqing.policies.permissions import subtree_org_ids


def _org_reads(call) -> tuple[list, int]:
    with CaptureQueriesContext(connection) as context:
        result = call()
    return result, sum("orgs_organization" in q["sql"] for q in context.captured_queries)


@pytest.fixture
def fresh_cache():
    from django.core.cache import cache

    cache.clear()  # a transactional test's flush leaves the cache table alone


@pytest.mark.django_db(transaction=True)
def test_given_the_subtree_read_once_when_searched_again_then_no_organisation_is_read(tree, fresh_cache):
    first, reads = _org_reads(lambda: subtree_org_ids(tree.city.path))
    assert reads == 1
    again, reads = _org_reads(lambda: subtree_org_ids(tree.city.path))
    assert again == first and reads == 0
    assert tree.dept_a.pk in first and tree.province.pk not in first


@pytest.mark.django_db(transaction=True)
def test_given_the_subtree_kept_when_a_department_is_added_then_the_next_search_sees_it(tree, fresh_cache):
    from qinqing.orgs.actions import create_organization

    before = subtree_org_ids(tree.city.path)
    # When a department is created below the city (committed)
    dept = create_organization(kind="department", name="岳阳市科技局", region_code="430600", parent=tree.city)
    # Then the city's list holds it, read afresh; the county's does not
    after, reads = _org_reads(lambda: subtree_org_ids(tree.city.path))
    assert reads == 1 and set(after) == {*before, dept.pk}
    assert dept.pk not in subtree_org_ids(tree.county_a.path)


@pytest.mark.django_db
def test_given_a_transaction_when_the_subtree_is_asked_then_it_is_queried(tree, fresh_cache):
    # (A change inside the transaction moves no counter before the commit.)
    subtree_org_ids(tree.city.path)
    _ids, reads = _org_reads(lambda: subtree_org_ids(tree.city.path))
    assert reads == 1


@pytest.mark.django_db(transaction=True)
def test_given_the_visible_set_built_once_when_asked_again_then_its_filter_is_not_built_again(
    users, make_policy, fresh_cache, monkeypatch
):
    from django.db.models.sql.query import Query

    from qinqing.policies.permissions import visible_policies

    # Given a draft and a published policy, and the staff user's visible set asked once
    make_policy(title="草稿政策", publish=False)
    make_policy(title="已发布政策")
    first = visible_policies(users.city_staff)
    # When it is asked again (a repeat search)
    built = []
    original = Query.add_q
    monkeypatch.setattr(Query, "add_q", lambda self, q: built.append(q) or original(self, q))
    again = visible_policies(users.city_staff)
    # Then no filter is built: a clone of the same queryset, the caller's own to filter further
    assert built == [] and again is not first
    assert {p.title for p in again} == {p.title for p in first} == {"草稿政策", "已发布政策"}
    assert {p.title for p in again.filter(title="草稿政策")} == {"草稿政策"} and first.count() == 2
    # and another role's rule is its own: an enterprise user sees only the published policy
    assert {p.title for p in visible_policies(users.enterprise)} == {"已发布政策"}


@pytest.mark.django_db(transaction=True)
def test_given_the_visible_set_kept_when_a_department_joins_the_subtree_then_its_drafts_are_visible(
    tree, users, make_policy, fresh_cache
):
    from qinqing.orgs.actions import create_organization
    from qinqing.policies.models import Policy
    from qinqing.policies.permissions import visible_policies

    visible_policies(users.city_staff)  # kept
    # When a department is created below the city (committed) and a draft names it as issuer
    dept = create_organization(kind="department", name="岳阳市科技局", region_code="430600", parent=tree.city)
    draft = make_policy(title="科技局草稿", publish=False)
    Policy.objects.filter(pk=draft.pk).update(issuer=dept, issuer_name="")
    # Then the next visible set holds the draft (its rule names the new department)
    assert draft.pk in set(visible_policies(users.city_staff).values_list("pk", flat=True))
