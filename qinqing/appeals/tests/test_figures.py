"""Figures a city leader reads: one row per county, departments by county, the league in the export."""

import io

import pytest
from django.urls import reverse

from qinqing.appeals import actions


@pytest.fixture
def city_appeals(make_appeal, users, tree, kinds):
    """County A: 2 appeals (one dispatched to its department); county B: 1; the city's own enterprise: 1."""
    from qinqing.registry.models import Enterprise

    first = make_appeal("贷款审批慢")
    actions.assign_appeal(
        actions.accept_appeal(first, actor=users.county_staff), actor=users.county_staff, lead_department=tree.dept_a
    )
    make_appeal("用地指标")
    actions.register_appeal(
        actor=users.enterprise_b,
        enterprise=tree.ent_b,
        appeal_type=kinds.consult,
        domain=kinds.labour,
        title="招工难",
        description="华容县企业招工困难",
    )
    ent_city = Enterprise.objects.create(
        credit_code="91430600MA4L00025Y",
        name="岳阳市米业",
        fic=tree.city,
        org_path=tree.city.path,
        region_code="430600",
    )
    actions.register_appeal(
        actor=users.city_staff,
        enterprise=ent_city,
        appeal_type=kinds.consult,
        domain=kinds.finance,
        channel="hotline",
        title="市直企业融资",
        description="市直企业流动资金紧张",
    )


def test_given_appeals_in_two_counties_when_city_leader_reads_by_region_then_one_row_per_county(
    city_appeals, users, login
):
    # When the city leader opens the figures by region
    response = login(users.leader).get(reverse("appeals:figures"), {"by": "region"})
    rows = {r["label"]: r for r in response.context["rows"]}
    # Then each county is its own row with its own counts, and only the city's own appeal is 本级
    assert set(rows) == {"岳阳县工商联", "华容县工商联", "本级：岳阳市工商联"}
    assert rows["岳阳县工商联"]["received"] == 2 and rows["岳阳县工商联"]["assigned"] == 1
    assert rows["华容县工商联"]["received"] == 1 and rows["华容县工商联"]["assigned"] == 0
    assert rows["本级：岳阳市工商联"]["received"] == 1
    assert "华容县工商联" in response.content.decode()


def test_given_county_staff_when_reading_by_region_then_own_appeals_are_under_its_own_level(city_appeals, users, login):
    response = login(users.county_staff).get(reverse("appeals:figures"), {"by": "region"})
    rows = {r["label"]: r["received"] for r in response.context["rows"]}
    assert rows == {"本级：岳阳县工商联": 2}


def test_given_city_leader_when_exporting_then_workbook_has_figures_and_league_with_county(city_appeals, users, login):
    from openpyxl import load_workbook

    # When the leader exports the by-region figures
    response = login(users.leader).get(reverse("appeals:figures_export"), {"by": "region"})
    book = load_workbook(io.BytesIO(response.content))
    # Then the first sheet has one row per county and the totals, the second the department league
    figures_rows = list(book["诉求统计"].iter_rows(values_only=True))
    assert sorted(r[0] for r in figures_rows[1:-1]) == ["华容县工商联", "岳阳县工商联", "本级：岳阳市工商联"]
    assert figures_rows[-1][0] == "合计" and figures_rows[-1][1] == 4
    league = list(book["承办单位排行榜"].iter_rows(values_only=True))
    assert league[0][:3] == ("名次", "承办单位", "所属地区")
    assert league[1][:4] == (1, "岳阳县市场监督管理局", "岳阳县工商联", 1)


def test_given_city_leader_when_reading_league_in_api_then_departments_carry_their_county(city_appeals, users, login):
    data = login(users.leader).get("/api/v1/appeals/figures/", {"by": "region"}).json()
    assert {r["label"] for r in data["rows"]} == {"岳阳县工商联", "华容县工商联", "本级：岳阳市工商联"}
    assert [(r["label"], r["region"]) for r in data["league"]] == [("岳阳县市场监督管理局", "岳阳县工商联")]


def test_given_city_appeal_dispatched_to_county_department_when_by_region_then_departments_roll_up_to_county(
    city_appeals, users, tree, login
):
    from qinqing.appeals.models import Appeal

    # Given the city's own appeal dispatched by city staff to county A's department
    own = Appeal.objects.get(title="市直企业融资")
    actions.assign_appeal(
        actions.accept_appeal(own, actor=users.city_staff), actor=users.city_staff, lead_department=tree.dept_a
    )
    # When the leader reads by region
    response = login(users.leader).get(reverse("appeals:figures"), {"by": "region"})
    # Then by registering FIC it is the city's own, but by handling department it is county A's (2 dispatched)
    rows = {r["label"]: r for r in response.context["rows"]}
    assert rows["本级：岳阳市工商联"]["assigned"] == 1
    regions = {r["label"]: r["received"] for r in response.context["department_regions"]}
    assert regions == {"岳阳县工商联": 2}
    api = login(users.leader).get("/api/v1/appeals/figures/", {"by": "region"}).json()
    assert [(r["label"], r["received"]) for r in api["department_regions"]] == [("岳阳县工商联", 2)]


def test_given_a_rejected_and_a_merged_appeal_when_counting_then_only_the_accepted_one_is_受理(
    make_appeal, users, login
):
    # Given three registered appeals: one accepted, one rejected, one accepted and then merged into the first
    kept = actions.accept_appeal(make_appeal("贷款审批慢"), actor=users.county_staff)
    actions.reject_appeal(make_appeal("不属于受理范围"), actor=users.county_staff, reason="属于司法程序")
    duplicate = actions.accept_appeal(make_appeal("贷款审批慢（重复）"), actor=users.county_staff)
    actions.merge_appeal(duplicate, actor=users.county_staff, master=kept)
    # When the county's figures are read
    total = login(users.county_staff).get(reverse("appeals:figures")).context["total"]
    # Then 登记量 counts all three and 受理量 only the one being handled
    assert total["received"] == 3 and total["accepted"] == 1
    assert "登记量" in login(users.county_staff).get(reverse("appeals:figures")).content.decode()


def test_given_an_appeal_unanswered_past_its_deadline_when_rating_timeliness_then_it_counts_as_late(
    make_appeal, users, tree, fixed_today, login
):
    from datetime import date

    from qinqing.appeals import figures
    from qinqing.appeals.models import Appeal

    # Given two appeals dispatched on the same day: one replied in time, one never contacted nor replied
    fixed_today(date(2026, 11, 2))
    answered, silent = (
        actions.assign_appeal(
            actions.accept_appeal(make_appeal(title), actor=users.county_staff),
            actor=users.county_staff,
            lead_department=tree.dept_a,
        )
        for title in ("贷款审批慢", "用地指标")
    )
    answered = actions.contact_enterprise(answered, actor=users.liaison, comment="已电话联系企业")
    actions.reply_appeal(answered, actor=users.liaison, reply="已协调银行加快审批")
    # When the figures are read after both deadlines have passed
    fixed_today(date(2026, 11, 20))
    total = figures.totals(Appeal.objects.filter(pk__in=[answered.pk, silent.pk]))
    # Then the silent one is late in both rates (not left out of them): 1 of 2 on time
    assert (total["contact_missed"], total["reply_missed"]) == (1, 1)
    assert total["contact_rate"] == 50.0 and total["reply_rate"] == 50.0


def test_given_a_city_leader_when_opening_the_figures_page_then_departments_come_from_the_month_department_rollup(
    city_appeals, users, login, tree
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(users.leader)
    # When the default page (by department, no filter) is opened
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("appeals:figures"))
    statements = [q["sql"] for q in ctx.captured_queries]
    # Then its department rows and league are summed from the month × department table, not the daily rows
    assert any("appeals_appealdepartmentrollup" in sql for sql in statements)
    assert not any("appeals_appealrollup" in sql for sql in statements)
    rows = {r["label"]: r for r in response.context["rows"]}
    assert rows[tree.dept_a.name]["received"] == 1 and rows["（未交办）"]["received"] == 3
    assert response.context["total"]["received"] == 4
    # And another dimension still reads the daily rows for itself, the league the department table
    with CaptureQueriesContext(connection) as ctx:
        by_type = client.get(reverse("appeals:figures"), {"by": "type"})
    statements = [q["sql"] for q in ctx.captured_queries]
    assert any("appeals_appealdepartmentrollup" in sql for sql in statements)
    assert any("appeals_appealrollup" in sql for sql in statements)
    assert [r["label"] for r in by_type.context["league"]] == [tree.dept_a.name]
