"""The search page's rows read without the ORM (issue 17, search ≤ 5 ms): one narrow query with the caller's
filter gives what the list shows, the same as the policies themselves, and still drops what the filter no longer
lets through."""

import datetime

import pytest
from django.urls import reverse

from qinqing.policies.filters import PolicyFilter
from qinqing.policies.models import Policy, status_of
from qinqing.policies.permissions import visible_policies
from qinqing.policies.search import PAGE_COLUMNS, RankedResults, ResultRow, result_rows

from .test_search_index import FILTERS, library  # noqa: F401 -- the fixture, used by name

pytestmark = pytest.mark.django_db

SHOWN = ("pk", "title", "level", "benefit_type", "application_method", "state", "issuer_display", "published_on")


@pytest.mark.parametrize("who", ["city_staff", "county_staff", "enterprise", "liaison"])
def test_given_visibility_and_filters_when_searched_then_rows_equal_the_policies(library, users, who):  # noqa: F811
    today = datetime.date.today()
    user = getattr(users, who)
    for params in FILTERS:
        queryset = PolicyFilter(params, queryset=visible_policies(user)).qs
        for q in ["融资", "补贴", "融资 补贴"]:
            # Given the same search read as rows and as policies
            rows = RankedResults(queryset, q, columns=PAGE_COLUMNS)[0:20]
            policies = RankedResults(queryset, q)[0:20]
            # Then the same results in the same order, showing the same things
            assert all(isinstance(row, ResultRow) for row in rows)
            assert [[getattr(r, f) for f in SHOWN] for r in rows] == [[getattr(p, f) for f in SHOWN] for p in policies]
            assert [status_of(r.effective_on, r.expires_on, today) for r in rows] == [p.status for p in policies]
            assert [r.summary or r.body for r in rows] == [p.summary or p.body for p in policies]


def test_given_an_index_entry_the_database_no_longer_allows_when_searched_then_it_is_not_shown(library, users):  # noqa: F811
    # Given a published policy the index still holds as published, withdrawn in the database behind its back
    policy = Policy.objects.get(title="稳岗补贴发放通知")
    enterprise = visible_policies(users.enterprise)
    assert [r.pk for r in RankedResults(enterprise, "稳岗", columns=PAGE_COLUMNS)[0:20]] == [policy.pk]
    Policy.objects.filter(pk=policy.pk).update(state="withdrawn")
    # When an enterprise searches for it
    results = RankedResults(enterprise, "稳岗", columns=PAGE_COLUMNS)
    # Then the index still counts it, but the page shows no row for it
    assert results.engine is not None and results.count() == 1
    assert results[0:20] == []


def test_given_rows_when_the_page_shows_them_then_tags_and_addresses_are_those_of_each_policy(library, users, client):  # noqa: F811
    client.force_login(users.city_staff)
    html = client.get(reverse("policies:list"), {"q": "融资"}, HTTP_HX_REQUEST="true").content.decode()
    for policy in Policy.objects.filter(title__in=["过期的融资补贴", "融资补贴草案", "长期有效的融资补贴"]):
        assert f'href="{reverse("policies:detail", args=[policy.pk])}"' in html
    assert '<span class="tag bad">已失效</span>' in html  # 过期的融资补贴
    assert '<span class="tag warn">草稿</span>' in html  # 融资补贴草案, the staff's own draft
    assert '<span class="tag">税费减免</span>' in html
    rows = result_rows(RankedResults(visible_policies(users.city_staff), "融资", columns=PAGE_COLUMNS)[0:20], ["融资"])
    assert {row["status"] for row in rows} >= {"active", "expired"}
