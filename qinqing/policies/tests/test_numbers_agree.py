"""Numbers that agree (issue 10): the matching overview and a policy's 名单; the home page's 生效中的政策 and
政策统计's 有效."""

import datetime

import pytest

from qinqing.policies.figures import policy_figures
from qinqing.policies.matching import run_matching, stored_counts
from qinqing.policies.navigation import home_cards

pytestmark = pytest.mark.django_db


def test_given_only_the_city_ran_matching_when_county_reads_overview_then_count_equals_its_list(
    login, users, firms, make_policy
):
    # Given a policy matched by the city run only (ent_a of county A is eligible: 50 employees)
    policy = make_policy(title="小微企业稳岗补贴")
    from qinqing.policies.models import PolicyMatch

    PolicyMatch.objects.all().delete()
    run_matching(firms.city.path)
    # When county A's staff open the overview and the policy's list
    client = login(users.county_staff)
    overview = client.get("/policies/matching/").content.decode()
    listing = client.get(f"/policies/matching/{policy.pk}/").content.decode()
    # Then both show county A's one eligible enterprise, and the overview does not say 未匹配
    assert stored_counts([policy.pk], firms.county_a.path)[policy.pk]["count"] == 1
    assert firms.ent_a.name in listing and firms.ent_b.name not in listing
    row = overview[overview.index(policy.title) :].split("</tr>")[0]
    assert "未匹配" not in row and '<td class="num">1</td>' in row


def test_given_policies_above_and_below_when_counting_in_force_then_home_and_figures_agree(users, firms, make_policy):
    make_policy(title="市级有效政策")  # owned by the city: applies in county A
    make_policy(title="县级有效政策", actor=users.county_staff)
    make_policy(title="已过期政策", expires_on=datetime.date(2020, 1, 1), effective_on=datetime.date(2019, 1, 1))
    make_policy(title="华容县政策", actor=users.county_b_staff)  # another county: not county A's
    home = {c["label"]: c["value"] for c in home_cards(users.county_staff)}
    figures = {row["status"]: row["count"] for row in policy_figures(users.county_staff)["by_status"]}
    assert home["生效中的政策"] == figures["active"] == 2
    assert figures["expired"] == 1


def test_given_policies_short_by_one_and_by_two_when_enterprise_opens_my_policies_then_only_one_short_listed(
    login, users, firms, make_policy
):
    def leaf(attr, op, value):
        return {"attr": attr, "op": op, "value": value}

    # ent_a: 50 employees, revenue 3000 (万元), 高新技术企业
    make_policy(
        title="差一项政策", rule={"op": "all", "items": [leaf("employees", "ge", 100), leaf("revenue", "ge", 1)]}
    )
    make_policy(
        title="差两项政策", rule={"op": "all", "items": [leaf("employees", "ge", 100), leaf("revenue", "ge", 9999)]}
    )
    make_policy(
        title="任一项政策",
        rule={"op": "any", "items": [leaf("employees", "ge", 100), leaf("revenue", "ge", 9999)]},
    )
    html = login(users.enterprise).get("/policies/mine/").content.decode()
    near = html[html.index('id="near-miss"') : html.index('id="unknown"')]
    assert "差一项政策" in near and "任一项政策" in near and "差两项政策" not in near
    assert "满足下列任一项即符合条件" in near.split("任一项政策")[1]
