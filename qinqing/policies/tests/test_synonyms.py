"""The search synonym table page (检索同义词): maintained by the system administrator, audited, applied at the
next search."""

import pytest
from django.urls import reverse

from qinqing.core.models import AuditEntry
from qinqing.policies.models import Policy, SearchSynonym
from qinqing.policies.search import RankedResults
from qinqing.policies.synonyms import expand, split_synonyms

pytestmark = pytest.mark.django_db
URL = "/policies/synonyms/"


def _count(q):
    return RankedResults(Policy.objects.all(), q).count()


def test_given_cell_with_mixed_separators_when_split_then_words_in_order():
    assert split_synonyms("补助、奖补, 贴息；补助  资助") == ["补助", "奖补", "贴息", "资助"]


def test_given_synonym_of_several_words_when_expanded_then_alternative_needs_all():
    assert expand(["数字化"], {"数字化": ["上云", "两化融合"]}) == [[["数字化"], ["上云"], ["两化", "融合"]]]


def test_given_sys_admin_when_adding_synonym_on_page_then_next_search_uses_it_and_audited(client, users, make_policy):
    make_policy(title="人才公寓入住补助", body="对引进人才提供公寓。", benefit_type="talent")
    assert _count("住房") == 0
    client.force_login(users.sys_admin)
    response = client.post(URL, {"term": "住房", "synonyms": "公寓、安家"})
    assert response.status_code == 302
    assert _count("住房") == 1
    entry = AuditEntry.objects.filter(action="policies.save_synonym").get()
    assert entry.after == {"term": "住房", "synonyms": "公寓 安家"}
    assert "住房" in client.get(URL).content.decode()


def test_given_sys_admin_when_editing_and_deleting_then_applied(client, users):
    row = SearchSynonym.objects.create(term="样例", synonyms="甲")
    client.force_login(users.sys_admin)
    assert client.get(URL, {"edit": row.pk}).status_code == 200
    client.post(URL, {"id": row.pk, "term": "样例", "synonyms": "乙 丙"})
    row.refresh_from_db()
    assert row.synonyms == "乙 丙"
    client.post(reverse("policies:synonym_delete", args=[row.pk]))
    assert not SearchSynonym.objects.filter(pk=row.pk).exists()
    assert AuditEntry.objects.filter(action="policies.delete_synonym").exists()


def test_given_bad_row_when_saving_then_clear_message_and_nothing_saved(client, users):
    client.force_login(users.sys_admin)
    before = SearchSynonym.objects.count()
    page = client.post(URL, {"term": "补贴", "synonyms": "补贴"}).content.decode()
    assert "请至少填写一个与检索词不同的词" in page
    page = client.post(URL, {"term": "补贴", "synonyms": "津贴"}).content.decode()  # 补贴 is in the defaults
    assert "已有一行" in page
    assert SearchSynonym.objects.count() == before


@pytest.mark.parametrize("role", ["city_staff", "enterprise", "audit_admin"])
def test_given_other_roles_when_opening_synonyms_then_refused(client, users, role):
    client.force_login(getattr(users, role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"term": "甲", "synonyms": "乙"}).status_code == 403
    assert not SearchSynonym.objects.filter(term="甲").exists()


def test_given_synonym_hit_when_listed_then_the_synonym_is_marked(client, users, make_policy):
    make_policy(title="人才公寓入住补助", body="对引进人才提供公寓。", benefit_type="talent")
    client.force_login(users.city_staff)
    html = client.get("/policies/", {"q": "补贴"}).content.decode()
    assert "<mark>补助</mark>" in html
