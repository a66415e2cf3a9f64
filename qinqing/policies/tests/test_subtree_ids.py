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
