"""诉求分类 shows names, never the internal keys (issue 10: the page showed complaint, finance)."""

import pytest

from qinqing.appeals.models import AppealDomain

pytestmark = pytest.mark.django_db


def test_given_default_classification_when_admin_opens_page_then_no_raw_keys(users, login):
    user = next(u for u in vars(users).values() if u.has_perm("appeals.manage_classification"))
    html = login(user).get("/appeals/classification/").content.decode()
    assert "融资" in html and "投诉维权" in html
    visible = html.replace('value="complaint"', "").replace('value="finance"', "")
    assert ">complaint<" not in visible and ">finance<" not in visible and "complaint" not in visible


def test_given_row_form_when_renamed_then_saved_by_its_hidden_key(users, login):
    user = next(u for u in vars(users).values() if u.has_perm("appeals.manage_classification"))
    client = login(user)
    client.post("/appeals/classification/", {"kind": "domain", "code": "finance", "name": "融资信贷", "order": 1})
    assert AppealDomain.objects.get(code="finance").name == "融资信贷"
