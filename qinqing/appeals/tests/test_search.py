"""The appeal list's search (filters.filter_appeals): a word matches the number, the title or the enterprise's
name; Latin letters in any case; a word without cased letters (Chinese) is matched without UPPER() over every
appeal in scope, which was most of the searched list's time at 3 M enterprises (docs/performance/province.md)."""

import pytest
from django.db import connection
from django.urls import reverse

from qinqing.appeals.filters import filter_appeals
from qinqing.appeals.models import Appeal
from qinqing.registry.enterprises.actions import update_enterprise
from qinqing.registry.models import Enterprise


def _lookups(node):
    for child in node.children:
        if hasattr(child, "children"):
            yield from _lookups(child)
        else:
            yield child.lookup_name


@pytest.fixture
def two_appeals(make_appeal, tree):
    Enterprise.objects.filter(pk=tree.ent_a.pk).update(name="洞庭Abc食品有限公司")
    return make_appeal("物流园道路破损"), make_appeal("企业贷款审批慢")


def test_given_words_when_the_list_is_searched_then_number_title_and_name_match(two_appeals, users, login):
    # Given two appeals of an enterprise named 洞庭Abc食品有限公司
    by_title, other = two_appeals
    client = login(users.county_staff)

    def found(word: str) -> set[int]:
        response = client.get(reverse("appeals:list"), {"q": word})
        assert response.status_code == 200
        return {a.pk for a in response.context["page"].object_list}

    # When searched, then a title word, the enterprise's name, Latin letters in any case and a number match
    assert found("物流") == {by_title.pk}
    assert found("洞庭") == {by_title.pk, other.pk}
    assert found("abc") == found("ABC") == {by_title.pk, other.pk}
    assert found(other.number) == {other.pk}
    assert found("无此词") == set()


def test_given_a_word_without_case_then_it_is_matched_without_upper_and_latin_keeps_it(two_appeals):
    # When a Chinese word and a Latin word are searched
    chinese, _ = filter_appeals(Appeal.objects.all(), {"q": "洞庭"})
    latin, _ = filter_appeals(Appeal.objects.all(), {"q": "abc"})
    # Then the Chinese word uses a case-sensitive LIKE (same rows: it has no letters with a case), the Latin one ILIKE
    assert sorted(_lookups(chinese.query.where)) == ["contains", "contains", "exact"]
    assert sorted(_lookups(latin.query.where)) == ["exact", "icontains", "icontains"]
    if connection.vendor == "postgresql":  # the cost itself: UPPER() of every title and name in scope
        assert "UPPER(" not in str(chinese.query) and "UPPER(" in str(latin.query)
    assert chinese.count() == latin.count() == 2


def _copied() -> dict[int, str]:
    return dict(Appeal.objects.values_list("pk", "enterprise_name"))


def _names() -> dict[int, str]:
    return dict(Appeal.objects.values_list("pk", "enterprise__name"))


def test_given_every_way_a_name_or_an_appeals_enterprise_changes_then_the_copy_on_the_appeal_follows(
    two_appeals, tree, users
):
    # Given appeals registered for an enterprise (the copy is taken when they are inserted)
    first, second = two_appeals
    assert _copied() == _names() and _copied()[first.pk] == "洞庭Abc食品有限公司"
    # When the enterprise is renamed by the edit action, then its appeals carry the new name
    ent = Enterprise.objects.get(pk=tree.ent_a.pk)
    update_enterprise(ent, actor=users.county_staff, name="岳阳新名字有限公司")
    assert _copied()[first.pk] == _copied()[second.pk] == "岳阳新名字有限公司"
    # When it is renamed in SQL (the import's UPDATE … FROM), then too
    Enterprise.objects.filter(pk=tree.ent_a.pk).update(name="湖南改名后企业")
    assert _copied()[first.pk] == "湖南改名后企业"
    # When an appeal is moved to another enterprise (the provisional merge's queryset update), it takes that name
    Appeal.objects.filter(pk=second.pk).update(enterprise=tree.ent_b)
    assert _copied()[second.pk] == tree.ent_b.name
    # And an instance holding an old copy, saved whole, does not write it back
    stale = Appeal.objects.get(pk=first.pk)
    stale.enterprise_name = "过时的名字"
    stale.save()
    assert _copied() == _names()
    # And the search follows the names: the old one finds nothing, the new ones their appeals
    assert not filter_appeals(Appeal.objects.all(), {"q": "洞庭"})[0].exists()
    assert set(filter_appeals(Appeal.objects.all(), {"q": "改名后"})[0]) == {first}


def test_given_a_search_when_counted_then_no_enterprise_row_is_read(two_appeals):
    # When the searched list is filtered by a word of the enterprise's name
    qs, _ = filter_appeals(Appeal.objects.all(), {"q": "洞庭"})
    # Then its rows are those whose enterprise has that name, and the count's SQL joins no enterprise
    assert set(qs) == set(Appeal.objects.filter(enterprise__name__contains="洞庭"))
    assert "registry_enterprise" not in str(qs.order_by().select_related(None).query)
