"""The rule builder's pickers: regions from the FIC tree in scope, GB/T 4754 search, operator-dependent hints,
the registry's qualification vocabulary, chambers and issuing departments limited to the user's scope."""

import pytest
from django.urls import reverse

from qinqing.eligibility import rules
from qinqing.policies.models import Policy

pytestmark = pytest.mark.django_db


def _row(client, **params) -> str:
    return client.get(reverse("policies:rule_node"), params).content.decode()


def test_given_region_condition_when_row_drawn_then_regions_of_the_users_fic_tree_are_offered(login, users, firms):
    city = _row(login(users.city_staff), path="r1", **{"rule-r1-attr": "region"})
    assert 'value="4306"' in city and 'value="430621"' in city and 'value="430623"' in city
    assert "岳阳县（430621）" in city
    county = _row(login(users.county_staff), path="r1", **{"rule-r1-attr": "region"})
    assert 'value="430621"' in county and 'value="430623"' not in county and 'value="4306"' not in county


def test_given_region_picked_when_operator_changes_to_in_then_values_become_full_codes(login, users, firms):
    client = login(users.city_staff)
    response = client.get(
        reverse("policies:rule_node"),
        {"path": "r1", "rule-r1-attr": "region", "rule-r1-op": "in", "rule-r1-value": ["4306"], "rule-r1-multi": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="rule-r1-op",
    )
    html = response.content.decode()
    assert 'value="430600" checked' in html


def test_given_industry_condition_when_searching_by_name_or_code_then_named_entries_offered(login, users, firms):
    client = login(users.city_staff)
    by_name = client.get(reverse("policies:industry_search"), {"leaf": "rule-r1", "rule-r1-q": "金属结构"})
    assert "3311 金属结构制造" in by_name.content.decode()
    assert 'name="rule-r1-value" value="3311"' in by_name.content.decode()
    by_code = client.get(reverse("policies:industry_search"), {"leaf": "rule-r1", "rule-r1-q": "3311"})
    assert "3311 金属结构制造" in by_code.content.decode()
    assert client.get(reverse("policies:industry_search"), {"leaf": "x<script>"}).status_code == 404


def test_given_saved_industry_condition_when_editing_then_chosen_codes_shown_with_names(
    login, users, firms, make_policy
):
    policy = make_policy(rule={"op": "all", "items": [{"attr": "industry", "op": "in", "value": ["3311"]}]})
    html = login(users.city_staff).get(reverse("policies:edit", args=[policy.pk])).content.decode()
    assert 'value="3311" checked> 3311 金属结构制造' in html


def test_given_number_condition_when_operator_changes_to_between_then_hint_says_lower_upper(login, users, firms):
    client = login(users.city_staff)
    ge = client.get(
        reverse("policies:rule_node"),
        {"path": "r1", "rule-r1-attr": "employees", "rule-r1-op": "ge"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="rule-r1-op",
    ).content.decode()
    between = client.get(
        reverse("policies:rule_node"),
        {"path": "r1", "rule-r1-attr": "employees", "rule-r1-op": "between"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="rule-r1-op",
    ).content.decode()
    assert 'placeholder="下限,上限"' not in ge and 'placeholder="下限,上限"' in between
    operator_select = between.split('name="rule-r1-op"')[1].split(">")[0]
    assert "hx-get" in operator_select  # the row is redrawn whenever the operator changes


def test_given_registry_qualifications_when_rule_vocabulary_read_then_the_same_choices(login, users):
    from qinqing.registry.choices import Qualification

    assert rules.qualifications() == [str(label) for label in Qualification.labels]
    assert "科技型中小企业" not in rules.qualifications()
    vocabulary = login(users.city_staff).get(reverse("api-policy-vocabulary")).json()
    assert vocabulary["qualifications"] == rules.qualifications()
    with pytest.raises(rules.RuleError, match="取值无效"):
        rules.normalize(
            {"op": "all", "items": [{"attr": "qualifications", "op": "has_any", "value": ["科技型中小企业"]}]}
        )


def test_given_every_registry_qualification_when_enterprise_holds_it_then_the_rule_sees_it(firms):
    from qinqing.eligibility.attributes import enterprise_attrs
    from qinqing.registry.choices import Qualification
    from qinqing.registry.models import Enterprise

    for code, label in Qualification.choices:
        Enterprise.objects.filter(pk=firms.ent_a.pk).update(qualifications=code)
        leaf = {"attr": "qualifications", "op": "has_any", "value": [str(label)]}
        rule = rules.normalize({"op": "all", "items": [leaf]})
        assert rules.explain(rule, enterprise_attrs(firms.ent_a)).eligible, label


def test_given_chamber_condition_when_row_drawn_then_only_chambers_in_scope(login, users, firms):
    county = _row(login(users.county_staff), path="r1", **{"rule-r1-attr": "chambers"})
    assert "岳阳县餐饮行业商会" in county and "华容县建材商会" not in county
    city = _row(login(users.city_staff), path="r1", **{"rule-r1-attr": "chambers"})
    assert "岳阳县餐饮行业商会" in city and "华容县建材商会" in city


def test_given_issuer_filter_when_list_opened_then_only_departments_in_scope(login, users, firms):
    county = login(users.county_staff).get(reverse("policies:list")).content.decode()
    assert "岳阳县市场监督管理局" in county and "华容县人力资源和社会保障局" not in county
    enterprise_b = login(users.enterprise_b).get(reverse("policies:list")).content.decode()
    assert "华容县人力资源和社会保障局" in enterprise_b and "岳阳县市场监督管理局" not in enterprise_b
    api = login(users.county_staff).get(reverse("api-policies"), {"issuer": firms.dept_b.pk})
    assert api.status_code == 400  # not a department of this scope


def test_given_policy_form_when_staff_choose_issuer_then_only_departments_in_scope(login, users, firms):
    html = login(users.county_b_staff).get(reverse("policies:create")).content.decode()
    assert "华容县人力资源和社会保障局" in html and "岳阳县市场监督管理局" not in html
    assert 'name="auto_push"' in html and "自动推送新符合条件的企业" in html


def test_given_region_and_industry_picked_when_saved_then_rule_stored_as_codes(login, users, firms):
    response = login(users.city_staff).post(
        reverse("policies:create"),
        {"title": "钢结构企业补助", "level": "city", "benefit_type": "subsidy", "application_method": "apply",
         "rule-op": "all",
         "rule-a-kind": "leaf", "rule-a-attr": "region", "rule-a-op": "startswith", "rule-a-multi": "1",
         "rule-a-value": ["430621"],
         "rule-b-kind": "leaf", "rule-b-attr": "industry", "rule-b-op": "startswith", "rule-b-multi": "1",
         "rule-b-value": ["3311", "13"], "rule-b-q": "金属"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Policy.objects.get().rule["items"] == [
        {"attr": "region", "op": "startswith", "value": ["430621"]},
        {"attr": "industry", "op": "startswith", "value": ["3311", "13"]},
    ]
