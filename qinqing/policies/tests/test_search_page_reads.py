"""What one search on the list page reads (issue 17, search ≤ 5 ms): the page's columns only, with no query per
result, and the synonym table from the process's copy outside a transaction — fresh after a change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qinqing.policies import synonyms
from qinqing.policies.models import Policy, SearchSynonym
from qinqing.policies.search import RankedResults


def _page_queries(client, q: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("policies:list"), {"q": q})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.django_db
def test_given_one_or_twenty_results_when_searching_then_the_page_reads_the_same_queries(client, users, make_policy):
    # Given one policy about 稳岗 and twenty-one about 人才
    make_policy(title="稳岗补贴", body="稳岗。", summary="")
    for i in range(21):
        make_policy(title=f"人才引进奖励{i}", body="引进人才给予奖励。", summary="" if i % 2 else "人才摘要")
    client.force_login(users.city_staff)
    _page_queries(client, "人才")  # warm
    # When each is searched on the list page
    one, _html = _page_queries(client, "稳岗")
    twenty, twenty_html = _page_queries(client, "人才")
    # Then a page of twenty results reads no more than a page of one (no column loaded row by row) and shows
    # what the list shows: issuer, level, status, highlighted excerpt
    assert twenty == one, (one, twenty)
    assert twenty_html.count('class="policy-card"') == 20
    assert "<mark>人才</mark>" in twenty_html and '<span class="tag">市</span>' in twenty_html
    assert "岳阳市工商联" in twenty_html


@pytest.mark.django_db(transaction=True)  # outside a transaction, where the copy is used
def test_given_the_synonym_table_copied_when_it_changes_then_searches_follow(users, make_policy, monkeypatch):
    synonyms.forget()
    make_policy(title="人才公寓入住补助", body="对引进人才提供公寓。", benefit_type="talent")
    assert RankedResults(Policy.objects.all(), "住房").count() == 0  # the copy is taken: no row for 住房
    # A row saved in this process is used at once
    row = SearchSynonym.objects.create(term="住房", synonyms="公寓")
    assert RankedResults(Policy.objects.all(), "住房").count() == 1
    # A row changed by another process (no signal here) is used once the copy is older than CACHE_SECONDS
    SearchSynonym.objects.filter(pk=row.pk).update(synonyms="安家")
    assert RankedResults(Policy.objects.all(), "住房").count() == 1
    monkeypatch.setattr(synonyms, "CACHE_SECONDS", -1)
    assert RankedResults(Policy.objects.all(), "住房").count() == 0
    # A deleted row is forgotten at once
    monkeypatch.setattr(synonyms, "CACHE_SECONDS", 30)
    SearchSynonym.objects.filter(pk=row.pk).update(synonyms="公寓")
    synonyms.forget()
    assert RankedResults(Policy.objects.all(), "住房").count() == 1
    row.delete()
    assert RankedResults(Policy.objects.all(), "住房").count() == 0
