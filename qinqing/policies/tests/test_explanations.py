"""Explanations as users read them: chamber names (not ids), nested groups as nested groups, and no verdict on
policies that do not apply to the viewer's region. Membership conditions on real Member rows."""

import datetime
import re

import pytest
from django.urls import reverse

from qinqing.eligibility import rules
from qinqing.eligibility.attributes import enterprise_attrs, read_frame

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _member(enterprise, organization, *, joined_on=datetime.date(2020, 1, 1), left_on=None):
    from qinqing.registry.models import Member

    return Member.objects.create(
        organization=organization,
        org_path=organization.path,
        kind="enterprise",
        enterprise=enterprise,
        joined_on=joined_on,
        left_on=left_on,
    )


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_given_chamber_condition_when_enterprise_reads_detail_then_chamber_names_not_ids(
    login, users, firms, make_policy
):
    _member(firms.ent_a, firms.chamber_a)
    chambers = [firms.chamber_a.pk, firms.chamber_b.pk]
    rule = {"op": "all", "items": [{"attr": "chambers", "op": "has_any", "value": chambers}]}
    policy = make_policy(rule=rule)
    page = _text(login(users.enterprise).get(reverse("policies:detail", args=[policy.pk])))
    assert "所属商会 具有其一 岳阳县餐饮行业商会、华容县建材商会" in page
    assert "（本企业：岳阳县餐饮行业商会）" in page
    assert f"{firms.chamber_a.pk}、{firms.chamber_b.pk}" not in page


def test_given_chamber_condition_when_my_policies_api_read_then_names_in_text_and_actual(
    login, users, firms, make_policy
):
    _member(firms.ent_a, firms.chamber_a)
    make_policy(rule={"op": "all", "items": [{"attr": "chambers", "op": "has_any", "value": [firms.chamber_a.pk]}]})
    data = login(users.enterprise).get(reverse("api-my-policies")).json()
    condition = data["results"][0]["conditions"][0]
    assert condition["text"] == "所属商会 具有其一 岳阳县餐饮行业商会"
    assert condition["actual"] == "岳阳县餐饮行业商会"


def test_given_nested_groups_when_detail_rendered_then_the_tree_is_shown_as_nested_groups(
    login, users, firms, make_policy
):
    rule = {
        "op": "all",
        "items": [
            {"attr": "employees", "op": "ge", "value": 10},
            {
                "op": "any",
                "items": [
                    {"attr": "qualifications", "op": "has_any", "value": ["高新技术企业"]},
                    {"attr": "rd_ratio", "op": "ge", "value": 3},
                ],
            },
        ],
    }
    policy = make_policy(rule=rule)
    page = _text(login(users.county_b_staff).get(reverse("policies:detail", args=[policy.pk])))
    # The 满足其一 group sits inside the 同时满足 group, and holds exactly its two conditions.
    outer = page.index('data-op="all"')
    inner = page.index('data-op="any"')
    assert outer < page.index("从业人数 大于等于 10人") < inner
    group = page[inner : page.index("</ul>", inner)]
    assert "资质荣誉 具有其一 高新技术企业" in group and "研发投入占比 大于等于 3%" in group
    assert "从业人数" not in group


def test_given_nested_groups_when_enterprise_reads_detail_then_each_leaf_marked_inside_its_group(
    login, users, firms, make_policy
):
    rule = {
        "op": "any",
        "items": [
            {"attr": "employees", "op": "ge", "value": 1000},
            {
                "op": "all",
                "items": [{"attr": "employees", "op": "ge", "value": 10}, {"attr": "tax", "op": "ge", "value": 100}],
            },
        ],
    }
    policy = make_policy(rule=rule)
    page = _text(login(users.enterprise).get(reverse("policies:detail", args=[policy.pk])))
    inner = page.index('data-op="all"')
    group = page[inner : page.index("</ul>", inner)]
    assert '<li class="met">从业人数 大于等于 10人（本企业：50人）</li>' in group
    assert '<li class="met">纳税额 大于等于 100万元（本企业：120万元）</li>' in group
    assert '<li class="not_met">从业人数 大于等于 1000人（本企业：50人）</li>' in page[: page.index('data-op="all"')]


def test_given_policy_of_another_county_when_enterprise_opens_it_then_no_verdict(login, users, firms, make_policy):
    policy = make_policy(actor=users.county_b_staff, level="county", title="华容县稳岗补贴")
    page = _text(login(users.enterprise).get(reverse("policies:detail", args=[policy.pk])))
    assert "本企业：" not in page and "不符合" not in page and "符合" not in page.split("申报条件")[0]
    assert "贵企业不在适用范围内" in page
    # the same policy is explained for county B's own enterprise
    page_b = _text(login(users.enterprise_b).get(reverse("policies:detail", args=[policy.pk])))
    assert "本企业：" in page_b


def test_given_region_and_industry_conditions_when_described_then_names_shown(login, users, firms, make_policy):
    from qinqing.orgs.models import Region

    Region.objects.get_or_create(code="430600", valid_from=None, defaults={"name": "岳阳市", "level": 2})
    rule = {
        "op": "all",
        "items": [
            {"attr": "region", "op": "startswith", "value": ["4306"]},
            {"attr": "industry", "op": "in", "value": ["3311"]},
        ],
    }
    policy = make_policy(rule=rule)
    page = _text(login(users.county_b_staff).get(reverse("policies:detail", args=[policy.pk])))
    assert "所在地区 以…开头 4306 岳阳市" in page
    assert "所属行业 属于 3311 金属结构制造" in page


# --- membership and chambers from real Member rows: read_frame and explain agree ----------------------------


def _membership_rules(chamber_a: int, chamber_b: int) -> list[dict]:
    member = {"attr": "member", "op": "eq", "value": True}
    return [
        {"op": "all", "items": [member]},
        {"op": "all", "items": [{**member, "value": False}]},
        {"op": "all", "items": [{"attr": "chambers", "op": "has_any", "value": [chamber_a]}]},
        {"op": "all", "items": [{"attr": "chambers", "op": "has_none", "value": [chamber_a]}]},
        {"op": "any", "items": [member, {"attr": "chambers", "op": "has_any", "value": [chamber_b]}]},
    ]


def _firm(tree, name, code):
    from qinqing.registry.models import Enterprise

    return Enterprise.objects.create(
        credit_code=code, name=name, fic=tree.county_a, org_path=tree.county_a.path, region_code="430621"
    )


def test_given_real_member_rows_when_frame_read_and_explained_then_both_evaluators_agree(tree):
    fic_member = _firm(tree, "会员企业", "91430621MA4L0000X1")
    chamber_member = _firm(tree, "商会会员企业", "91430621MA4L0000X2")
    both = _firm(tree, "两者都是", "91430621MA4L0000X3")
    former = _firm(tree, "已退会企业", "91430621MA4L0000X4")
    future = _firm(tree, "尚未入会企业", "91430621MA4L0000X5")
    _member(fic_member, tree.county_a)
    _member(chamber_member, tree.chamber_a)
    _member(both, tree.county_a)
    _member(both, tree.chamber_b)
    _member(former, tree.chamber_a, left_on=TODAY - datetime.timedelta(days=1))
    _member(future, tree.county_a, joined_on=TODAY + datetime.timedelta(days=10))
    firms = [fic_member, chamber_member, both, former, future, tree.ent_a]
    frame = read_frame(tree.county_a.path)
    ids = {firm.pk for firm in firms}
    assert set(frame.get_column("id").to_list()) == ids

    expected = {
        0: {fic_member.pk, both.pk},
        1: {chamber_member.pk, former.pk, future.pk, tree.ent_a.pk},
        2: {chamber_member.pk},
        3: ids - {chamber_member.pk},
        4: {fic_member.pk, both.pk},
    }
    for index, raw in enumerate(_membership_rules(tree.chamber_a.pk, tree.chamber_b.pk)):
        rule = rules.normalize(raw)
        batch = set(rules.evaluate_all({1: rule}, frame)[1].to_list())
        one_by_one = {firm.pk for firm in firms if rules.explain(rule, enterprise_attrs(firm)).eligible}
        assert batch == one_by_one == expected[index], (index, rule)
