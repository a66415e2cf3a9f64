"""The target audience built with the rule builder on the activity form, by a chamber secretary as by FIC staff:
the rule saved from the builder's posted rows equals the JSON it replaces, selects the right enterprises (a
chamber's activity: its members), and a bad condition is refused naming the field, nothing saved."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from qinqing.activities import audience
from qinqing.activities.models import Activity
from qinqing.eligibility import rules

pytestmark = pytest.mark.django_db

# 从业人数 ≥ 20, and (制造业 or 中型).
AUDIENCE = {
    "op": "all",
    "items": [
        {"attr": "employees", "op": "ge", "value": 20},
        {"op": "any", "items": [{"attr": "industry", "op": "startswith", "value": ["C"]},
                                {"attr": "size_class", "op": "in", "value": ["中型"]}]},
    ],
}  # fmt: skip

# The same rule as the builder posts it: one row per condition, a group with its rows, a row ticked 删除.
BUILDER_ROWS = {
    "rule-op": "all",
    "rule-a-kind": "leaf", "rule-a-attr": "employees", "rule-a-op": "ge", "rule-a-value": "20",
    "rule-g-kind": "group", "rule-g-op": "any",
    "rule-g.b-kind": "leaf", "rule-g.b-attr": "industry", "rule-g.b-op": "startswith", "rule-g.b-value": "C",
    "rule-g.b-multi": "1",
    "rule-g.c-kind": "leaf", "rule-g.c-attr": "size_class", "rule-g.c-op": "in", "rule-g.c-value": "中型",
    "rule-g.c-multi": "1",
    "rule-x-kind": "leaf", "rule-x-attr": "region", "rule-x-op": "in", "rule-x-value": "430623", "rule-x-delete": "1",
}  # fmt: skip

FORM = {"kind": "lecture", "title": "会员企业数字化转型讲座", "place": "商会会议室", "capacity": "30",
        "registration_open": "on"}  # fmt: skip


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def county(tree, users):
    """County A: ent_a (50 staff, 制造业, member of the chamber), a small manufacturer member, a 中型 retailer
    member with 80 staff, and a large manufacturer that is no member; county B's firm is out of scope."""
    from qinqing.accounts.actions import create_user
    from qinqing.registry.models import Enterprise, Member

    Enterprise.objects.filter(pk=tree.ent_a.pk).update(employees=50, industry_code="1311", size_class="小型")
    Enterprise.objects.filter(pk=tree.ent_b.pk).update(employees=90, industry_code="1311", size_class="中型")

    def firm(code, name, **data):
        return Enterprise.objects.create(credit_code=code, name=name, fic=tree.county_a, org_path=tree.county_a.path,
                                         region_code="430621", **data)  # fmt: skip

    small = firm("91430621MA4L0001X1", "岳阳县小作坊食品厂", employees=5, industry_code="1311", size_class="微型")
    retail = firm("91430621MA4L0002X1", "岳阳县洞庭商贸有限公司", employees=80, industry_code="5211", size_class="中型")
    outsider = firm("91430621MA4L0003X1", "岳阳县非会员机械厂", employees=100, industry_code="3311", size_class="中型")
    for enterprise in (tree.ent_a, small, retail):
        Member.objects.create(organization=tree.chamber_a, org_path=tree.chamber_a.path, kind="enterprise",
                              enterprise=enterprise, joined_on=dt.date(2020, 1, 1))  # fmt: skip
    retail_user = create_user(username="retail", name="retail", role="enterprise", org=tree.county_a,
                              enterprise=retail, password="Qinqing@2026!", must_change_password=False)  # fmt: skip
    return {"ent_a": tree.ent_a, "small": small, "retail": retail, "outsider": outsider, "retail_user": retail_user}


def _post(user, **extra):
    from qinqing.activities import actions

    return _client(user).post(reverse("activities:new"), {**FORM, "starts_on": str(actions.today()), **extra})


def test_given_a_secretary_when_building_the_audience_on_the_form_then_saved_equal_to_the_json_and_members_selected(
    users, tree, county
):
    from qinqing.notifications.models import Notification

    page = _client(users.secretary).get(reverse("activities:new")).content.decode()
    assert 'id="rule-builder"' in page and "<textarea" not in page.split('id="rule-builder"')[1].split("</fieldset>")[0]

    response = _post(users.secretary, **BUILDER_ROWS)

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.organiser == tree.chamber_a
    assert activity.audience == rules.normalize(AUDIENCE)
    # Members meeting the rule: ent_a (50, 制造业) and the 中型 retailer; not the 5-person member, not the
    # non-member manufacturer, nothing of county B.
    assert set(audience.eligible_ids(activity)) == {county["ent_a"].pk, county["retail"].pk}
    invited = Notification.objects.filter(key=f"activities-invite-{activity.pk}")
    assert set(invited.values_list("recipient_id", flat=True)) == {users.enterprise.pk, county["retail_user"].pk}
    detail = _client(county["retail_user"]).get(reverse("activities:detail", args=[activity.pk]))
    assert detail.status_code == 200 and 'id="register-form"' in detail.content.decode()


def test_given_staff_when_building_the_same_audience_then_every_enterprise_of_their_county_is_considered(
    users, tree, county
):
    response = _post(users.county_staff, organiser=str(tree.county_a.pk), **BUILDER_ROWS)

    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.audience == rules.normalize(AUDIENCE)
    assert set(audience.eligible_ids(activity)) == {county["ent_a"].pk, county["retail"].pk, county["outsider"].pk}


def test_given_a_saved_audience_when_editing_then_the_builder_shows_it_and_resaving_keeps_it(users, county):
    _post(users.secretary, **BUILDER_ROWS)
    activity = Activity.objects.get()

    page = _client(users.secretary).get(reverse("activities:edit", args=[activity.pk])).content.decode()

    assert 'value="employees" selected' in page and 'value="20"' in page
    assert 'value="中型" checked' in page and 'value="C" checked' in page


def test_given_a_condition_without_a_number_when_saved_then_refused_naming_the_field_and_nothing_saved(users, county):
    response = _post(users.secretary, **{**BUILDER_ROWS, "rule-a-value": "很多"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "目标对象：条件项“从业人数”的取值必须是数字" in html
    assert 'value="很多"' in html  # the builder is drawn again with what was typed
    assert not Activity.objects.exists()
