"""In headless Chromium: a chamber secretary builds an activity's target audience with the rule builder on the
page (a condition row added and redrawn through HTMX, no JSON); the member enterprise in the audience is told of
the activity and registers; a member outside it is shown the unmet condition."""

import datetime as dt

import pytest

from qinqing.core.tests.browser import htmx_ready, launch, new_page, require_chromium, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_given_a_secretary_building_the_audience_on_the_page_when_saved_then_the_member_in_it_sees_the_activity(
    live_server, users, tree
):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    from qinqing.accounts.actions import create_user
    from qinqing.activities import actions
    from qinqing.activities.models import Activity
    from qinqing.registry.models import Enterprise, Member

    Enterprise.objects.filter(pk=tree.ent_a.pk).update(employees=50)
    small = Enterprise.objects.create(credit_code="91430621MA4L0001X1", name="岳阳县小作坊食品厂", fic=tree.county_a,
                                      org_path=tree.county_a.path, region_code="430621", employees=5)  # fmt: skip
    for enterprise in (tree.ent_a, small):
        Member.objects.create(organization=tree.chamber_a, org_path=tree.chamber_a.path, kind="enterprise",
                              enterprise=enterprise, joined_on=dt.date(2020, 1, 1))  # fmt: skip
    small_user = create_user(username="small", name="small", role="enterprise", org=tree.county_a, enterprise=small,
                             password="Qinqing@2026!", must_change_password=False)  # fmt: skip
    sessions = {"secretary": session_cookie(users.secretary), "member": session_cookie(users.enterprise),
                "small": session_cookie(small_user)}  # fmt: skip
    today = str(actions.today())
    with sync_playwright() as p:
        browser = launch(p)
        url = live_server.url

        secretary = new_page(browser, live_server, sessions["secretary"])
        secretary.goto(f"{url}/activities/new/")
        expect(secretary.locator("#activity-form textarea[name=audience]")).to_have_count(0)
        secretary.select_option("#id_kind", "lecture")
        secretary.fill("#id_title", "会员企业用工政策讲座")
        secretary.fill("#id_starts_on", today)
        secretary.fill("#id_place", "商会会议室")
        secretary.fill("#id_capacity", "20")
        builder = secretary.locator("#rule-builder")
        builder.get_by_role("button", name="＋ 添加条件", exact=True).click()
        htmx_ready(secretary, builder.get_by_label("条件项"))
        builder.get_by_label("条件项").select_option("employees")  # the row is redrawn for a number
        value = builder.get_by_label("取值")
        expect(value).to_be_visible()
        expect(builder.get_by_label("运算")).to_have_value("ge")
        value.fill("20")
        secretary.get_by_role("button", name="保存").click()
        expect(secretary.locator("#activity-reach")).to_contain_text("本商会会员中符合条件的企业 1 家")
        expect(secretary.locator(".rule-tree")).to_contain_text("从业人数")
        activity_url = secretary.url

        member = new_page(browser, live_server, sessions["member"])
        member.goto(f"{url}/activities/")
        member.get_by_role("link", name="会员企业用工政策讲座").click()
        expect(member).to_have_url(activity_url)
        member.fill("#id_attendee_name", "张三")
        member.get_by_role("button", name="提交报名").click()
        expect(member.locator("#registration-status")).to_have_text("已报名")

        outside = new_page(browser, live_server, sessions["small"])
        outside.goto(activity_url)
        expect(outside.locator("p.error")).to_contain_text("贵企业不符合本活动的目标对象条件")

    activity = Activity.objects.get()
    assert activity.audience == {"op": "all", "items": [{"attr": "employees", "op": "ge", "value": 20.0}]}
    assert activity.organiser == tree.chamber_a
