"""The staff visibility rule names the issuer's subtree by its path (``issuer__path__startswith``), not by a list of
the subtree's organisation ids: a search reads no organisation rows and no cache entry for it, the search index
answers it (search_index.ISSUER_SCOPE_FIELD), and a department created in the subtree is in it at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def fresh_cache():
    from django.core.cache import cache

    cache.clear()  # a transactional test's flush leaves the cache table alone


@pytest.mark.django_db
def test_given_a_staff_user_when_the_visible_set_is_built_then_no_organisation_or_cache_row_is_read(users):
    from qinqing.policies.permissions import visible_policies

    with CaptureQueriesContext(connection) as context:
        queryset = visible_policies(users.city_staff)
    assert context.captured_queries == []
    sql = str(queryset.query)
    assert "orgs_organization" in sql and users.city_staff.org.path in sql


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
