"""Pages through the client: each with a restricted-permission case and other-county isolation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qinqing.policies import matching
from qinqing.policies.models import Policy, PolicyPush

pytestmark = pytest.mark.django_db


def test_given_staff_when_searching_then_highlighted_hits(login, users, firms, make_policy):
    make_policy(title="民营企业融资担保补助")
    response = login(users.enterprise).get(reverse("policies:list"), {"q": "融资"})
    assert response.status_code == 200
    assert "<mark>融资</mark>" in response.content.decode()


def test_given_list_when_loaded_then_bounded_queries(login, users, firms, make_policy, django_assert_max_num_queries):
    for i in range(5):
        make_policy(title=f"政策{i}")
    client = login(users.city_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("policies:list"))
    assert response.status_code == 200


def test_given_draft_when_other_county_opens_then_404(login, users, firms, make_policy):
    draft = make_policy(actor=users.county_staff, publish=False)
    assert login(users.county_b_staff).get(reverse("policies:detail", args=[draft.pk])).status_code == 404
    assert login(users.county_b_staff).get(reverse("policies:edit", args=[draft.pk])).status_code == 404


def test_given_enterprise_user_when_opening_create_then_forbidden(login, users, firms):
    assert login(users.enterprise).get(reverse("policies:create")).status_code == 403


def test_given_rule_builder_post_when_saved_then_rule_tree_stored(login, users, firms):
    client = login(users.city_staff)
    response = client.post(
        reverse("policies:create"),
        {
            "title": "高新技术企业研发补助",
            "level": "city",
            "benefit_type": "subsidy",
            "application_method": "automatic",
            "rule-op": "all",
            "rule-a1-kind": "leaf",
            "rule-a1-attr": "employees",
            "rule-a1-op": "ge",
            "rule-a1-value": "10",
            "rule-g1-kind": "group",
            "rule-g1-op": "any",
            "rule-g1.b1-kind": "leaf",
            "rule-g1.b1-attr": "qualifications",
            "rule-g1.b1-op": "has_any",
            "rule-g1.b1-multi": "1",
            "rule-g1.b1-value": ["高新技术企业", "专精特新"],
            "rule-g1.b2-kind": "leaf",
            "rule-g1.b2-attr": "rd_ratio",
            "rule-g1.b2-op": "ge",
            "rule-g1.b2-value": "3",
            "rule-x9-kind": "leaf",
            "rule-x9-attr": "tax",
            "rule-x9-op": "ge",
            "rule-x9-value": "1",
            "rule-x9-delete": "1",
        },
    )
    assert response.status_code == 302
    policy = Policy.objects.get()
    assert policy.rule == {
        "op": "all",
        "items": [
            {"attr": "employees", "op": "ge", "value": 10.0},
            {
                "op": "any",
                "items": [
                    {"attr": "qualifications", "op": "has_any", "value": ["高新技术企业", "专精特新"]},
                    {"attr": "rd_ratio", "op": "ge", "value": 3.0},
                ],
            },
        ],
    }
    edit = client.get(reverse("policies:edit", args=[policy.pk])).content.decode()
    assert 'value="高新技术企业" checked' in edit


def test_given_bad_value_when_saving_then_error_shown_and_nothing_saved(login, users, firms):
    response = login(users.city_staff).post(
        reverse("policies:create"),
        {"title": "x", "level": "city", "benefit_type": "subsidy", "application_method": "apply", "rule-op": "all",
         "rule-a-kind": "leaf", "rule-a-attr": "employees", "rule-a-op": "ge", "rule-a-value": "很多"},
    )  # fmt: skip
    assert response.status_code == 200 and "必须是数字" in response.content.decode()
    assert not Policy.objects.exists()


def test_given_attribute_changed_when_row_redrawn_then_operators_follow(login, users, firms):
    response = login(users.city_staff).get(
        reverse("policies:rule_node"), {"path": "r1", "rule-r1-attr": "qualifications"}
    )
    html = response.content.decode()
    assert "具有其一" in html and "大于等于" not in html and 'name="rule-r1-value"' in html


def test_given_enterprise_when_opening_my_policies_then_grouped_with_reasons(login, users, firms, make_policy):
    make_policy(title="吸纳就业补贴")  # employees ≥ 10: ent_a has 50
    make_policy(title="规上企业奖励", rule={"op": "all", "items": [{"attr": "employees", "op": "ge", "value": 100}]})
    make_policy(title="纳税大户奖励", rule={"op": "all", "items": [{"attr": "total_assets", "op": "ge", "value": 1}]})
    html = login(users.enterprise).get(reverse("policies:mine")).content.decode()
    eligible, near, unknown = (
        html.split('id="near-miss"')[0],
        html.split('id="near-miss"')[1],
        html.split('id="unknown"')[1],
    )
    assert "吸纳就业补贴" in eligible and "从业人数 大于等于 10人（本企业：50人）" in eligible
    assert "规上企业奖励" in near.split('id="unknown"')[0] and "还差：从业人数 大于等于 100人" in near
    assert "纳税大户奖励" in unknown and "请补充：资产总额" in unknown


TWO_SHORT = {"op": "all", "items": [
    {"attr": "employees", "op": "ge", "value": 1000}, {"attr": "size_class", "op": "in", "value": ["大型"]},
]}  # fmt: skip


def test_given_many_policies_when_enterprise_opens_mine_then_same_queries_and_the_unmet_counted(
    login, users, firms, make_policy, django_assert_num_queries
):
    """我的政策 reads the policies in one query whatever their number (a province's enterprise has hundreds; the
    page reads only the fields it shows, so a field left out would cost one query per policy), and the policies
    not met, counted without their explanation, are the number explain() gives."""
    make_policy(title="吸纳就业补贴")
    make_policy(title="大型企业奖励", rule=TWO_SHORT)
    client = login(users.enterprise)
    client.get(reverse("policies:mine"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("policies:mine"))
    for i in range(6):
        make_policy(title=f"稳岗补贴{i}", issuer_name="岳阳市人社局")
        make_policy(title=f"大型企业奖励{i}", rule=TWO_SHORT)
    with django_assert_num_queries(len(few)):
        html = client.get(reverse("policies:mine")).content.decode()
    assert "另有 7 项政策暂不符合条件" in html and "大型企业奖励" not in html
    assert "稳岗补贴5" in html and "岳阳市人社局" in html and "从业人数 大于等于 10人（本企业：50人）" in html


def test_given_other_county_policy_when_enterprise_opens_mine_then_not_listed(login, users, firms, make_policy):
    make_policy(actor=users.county_b_staff, title="华容县专属政策", rule={})
    assert "华容县专属政策" not in login(users.enterprise).get(reverse("policies:mine")).content.decode()


def test_given_staff_user_when_opening_mine_then_forbidden(login, users, firms):
    assert login(users.city_staff).get(reverse("policies:mine")).status_code == 403


def test_given_matching_run_when_staff_views_and_exports_then_list_and_xlsx(login, users, firms, make_policy):
    policy = make_policy(application_method="automatic")
    matching.run_matching(firms.city.path)
    client = login(users.city_staff)
    assert "1" in client.get(reverse("policies:matching")).content.decode()
    detail = client.get(reverse("policies:matching_detail", args=[policy.pk])).content.decode()
    assert firms.ent_a.name in detail and firms.ent_b.name not in detail
    export = client.get(reverse("policies:matching_detail", args=[policy.pk]), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    client.post(reverse("policies:matching_push", args=[policy.pk]))
    assert PolicyPush.objects.filter(policy=policy, enterprise=firms.ent_a).exists()
    # the enterprise opens the policy: tracked
    login(users.enterprise).get(reverse("policies:detail", args=[policy.pk]))
    assert PolicyPush.objects.get(policy=policy).opened_at is not None


def test_given_county_b_staff_when_reading_county_a_matching_then_404(login, users, firms, make_policy):
    policy = make_policy(actor=users.county_staff)
    assert login(users.county_b_staff).get(reverse("policies:matching_detail", args=[policy.pk])).status_code == 404


def test_given_banker_when_opening_matching_then_forbidden(login, users, firms):
    assert login(users.banker).get(reverse("policies:matching")).status_code == 403


def test_given_staff_when_opening_figures_then_counts(login, users, firms, make_policy):
    make_policy()
    html = login(users.leader).get(reverse("policies:figures")).content.decode()
    assert "资金补贴" in html and "推送次数" in html
    assert login(users.enterprise).get(reverse("policies:figures")).status_code == 403


def test_given_policy_with_dates_when_staff_opens_edit_then_date_inputs_show_them(login, users, firms, make_policy):
    # Given a policy in effect from 2024-01-01
    policy = make_policy(title="日期回显测试")
    # When staff open its edit page
    html = login(users.city_staff).get(reverse("policies:edit", args=[policy.pk])).content.decode()
    # Then the browser's date input gets the ISO value it accepts (2024/01/01 would show blank and be lost on save)
    assert 'value="2024-01-01"' in html
