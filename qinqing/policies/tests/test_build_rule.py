"""The rule builder for every role that builds a rule (policies.build_rule): its row endpoints answer policy
editors, activity organisers, survey builders and bank officers, refuse everyone else with 403, and offer only
vocabulary and the user's own scope."""

import pytest
from django.urls import reverse

from qinqing.core.roles import Role, permissions_for
from qinqing.policies.permissions import BUILD_RULE

pytestmark = pytest.mark.django_db

BUILDERS = ("county_staff", "city_staff", "secretary", "banker", "liaison")
REFUSED = ("enterprise", "lawyer", "leader", "mediator", "reviewer", "sys_admin", "sec_admin", "audit_admin")

# Who edits a rule-bearing object: policy conditions, activity and survey audiences, bank products' conditions.
RULE_EDITING = (
    "policies.change_policy",
    "activities.manage_activity",
    "surveys.manage_survey",
    "financing.manage_product",
)


def _endpoints():
    return [
        (reverse("policies:rule_node"), {"path": "r1", "rule-r1-attr": "employees"}),
        (reverse("policies:rule_node"), {"parent": "", "kind": "group"}),
        (reverse("policies:industry_search"), {"leaf": "rule-r1", "rule-r1-q": "金属结构"}),
    ]


@pytest.mark.parametrize("who", BUILDERS)
def test_given_a_role_that_builds_rules_when_the_builder_rows_are_asked_for_then_drawn(login, users, who):
    client = login(getattr(users, who))
    for url, params in _endpoints():
        response = client.get(url, params, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, (who, url)
    row = client.get(reverse("policies:rule_node"), {"path": "r1", "rule-r1-attr": "employees"}).content.decode()
    assert 'name="rule-r1-attr"' in row and 'name="rule-r1-value"' in row


@pytest.mark.parametrize("who", REFUSED)
def test_given_a_role_that_builds_no_rule_when_the_builder_rows_are_asked_for_then_403(login, users, who):
    client = login(getattr(users, who))
    for url, params in _endpoints():
        assert client.get(url, params, HTTP_HX_REQUEST="true").status_code == 403, (who, url)


def test_given_the_role_table_when_read_then_exactly_the_roles_editing_a_rule_may_build_one():
    editing = {role for role in Role if permissions_for(role) & set(RULE_EDITING)}
    building = {role for role in Role if BUILD_RULE in permissions_for(role)}

    assert building == editing
    assert building == {Role.FIC_STAFF, Role.DEPT_LIAISON, Role.CHAMBER_SECRETARY, Role.BANK_OFFICER}
    assert not any("policies.change_policy" in permissions_for(r) for r in (Role.CHAMBER_SECRETARY, Role.BANK_OFFICER))


def _choices(client, attr: str, op: str = "") -> str:
    params = {"path": "r1", "rule-r1-attr": attr, "rule-r1-op": op}
    return client.get(reverse("policies:rule_node"), params).content.decode()


def test_given_a_chamber_secretary_when_picking_then_the_chambers_fic_regions_and_only_their_own_chamber(
    login, users, tree
):
    client = login(users.secretary)  # 岳阳县餐饮行业商会, under 岳阳县工商联

    regions = _choices(client, "region", "in")
    chambers = _choices(client, "chambers")

    assert 'value="430621"' in regions and 'value="430623"' not in regions and 'value="430600"' not in regions
    assert f'value="{tree.chamber_a.pk}"' in chambers and tree.chamber_a.name in chambers
    assert f'value="{tree.chamber_b.pk}"' not in chambers and tree.chamber_b.name not in chambers


def test_given_a_bank_officer_when_picking_then_the_regions_and_chambers_under_the_banks_fic(login, users, tree):
    client = login(users.banker)  # 岳阳农商银行, under 岳阳市工商联

    regions = _choices(client, "region", "in")
    chambers = _choices(client, "chambers")

    assert all(f'value="{code}"' in regions for code in ("430600", "430621", "430623"))
    assert 'value="430000"' not in regions
    assert tree.chamber_a.name in chambers and tree.chamber_b.name in chambers


def test_given_an_organisation_id_posted_as_a_chamber_when_the_row_is_redrawn_then_its_name_is_not_shown(
    login, users, tree
):
    client = login(users.secretary)
    html = client.get(
        reverse("policies:rule_node"),
        {"path": "r1", "rule-r1-attr": "chambers", "rule-r1-op": "has_none", "rule-r1-multi": "1",
         "rule-r1-value": [str(tree.chamber_b.pk), str(tree.bank.pk), str(tree.chamber_a.pk)]},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="rule-r1-op",
    ).content.decode()  # fmt: skip

    assert tree.chamber_b.name not in html and tree.bank.name not in html
    assert f'value="{tree.chamber_b.pk}" checked' in html  # kept as posted, shown by its id only
    assert f'value="{tree.chamber_a.pk}" checked> {tree.chamber_a.name}' in html


def test_given_a_secretary_searching_industries_then_only_the_standards_entries_come_back(login, users, firms):
    html = (
        login(users.secretary)
        .get(reverse("policies:industry_search"), {"leaf": "rule-r1", "rule-r1-q": "13"})
        .content.decode()
    )

    assert "1311" in html and 'name="rule-r1-value"' in html
    assert firms.ent_a.name not in html and firms.ent_a.credit_code not in html


def test_given_a_rule_naming_a_non_chamber_organisation_when_named_then_only_chambers_get_their_names(tree):
    from qinqing.policies.labels import value_names

    rule = {"op": "all", "items": [{"attr": "chambers", "op": "has_any", "value": [tree.chamber_a.pk, tree.bank.pk]}]}

    names = value_names([rule])["chambers"]

    assert names == {str(tree.chamber_a.pk): tree.chamber_a.name}
