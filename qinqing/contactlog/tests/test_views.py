"""The 亲清日志 pages: logging with gifts and matters, bad input shown on the form with nothing saved, the
reviewer's queue and conclusion, one-step appeals, the negative list, and the list's query count."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from qinqing.contactlog import actions
from qinqing.contactlog.models import ConductItem, ContactEntry

from .conftest import flagged_data


def _form(tree, **over):
    data = {
        "date": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        "place": "县工商联会议室",
        "venue": "office",
        "purpose": "forum",
        "organiser": "own_unit",
        "entrepreneurs": "王五（董事长）",
        "enterprise_names": tree.ent_a.credit_code,
        "vehicle": "official",
        "costs_paid_by": "none",
        "gifts-TOTAL_FORMS": "2",
        "gifts-INITIAL_FORMS": "0",
        "matters-TOTAL_FORMS": "2",
        "matters-INITIAL_FORMS": "0",
    }
    data.update(over)
    return data


def test_given_the_form_when_staff_log_a_banquet_with_a_kept_gift_then_flagged_and_shown(client, tree, users):
    client.force_login(users.county_staff)
    assert client.get("/contactlog/new/").status_code == 200
    response = client.post("/contactlog/new/", _form(
        tree, had_meal="on", meal_standard="260", meal_paid_by="enterprise",
        **{"gifts-0-description": "购物卡", "gifts-0-value": "1000", "matters-0-text": "用地指标紧张",
           "matters-0-enterprise": tree.ent_a.name, "matters-0-department": str(tree.dept_a.pk)},
    ), follow=True)  # fmt: skip
    entry = ContactEntry.objects.get()
    assert entry.is_flagged and entry.review_status == "pending"
    assert entry.gifts.get().description == "购物卡" and entry.matters.get().department == tree.dept_a
    body = response.content.decode()
    assert "触及负面清单" in body and "收受礼品礼金未退还" in body and "已提交纪检监督审查" in body


def test_given_a_future_date_on_the_form_when_posted_then_the_field_says_why_and_nothing_is_saved(client, tree, users):
    client.force_login(users.county_staff)
    future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    response = client.post("/contactlog/new/", _form(tree, date=future))
    assert response.status_code == 200
    assert "日期不能晚于今天" in response.content.decode()
    assert ContactEntry.objects.count() == 0


def test_given_a_negative_gift_value_on_the_form_when_posted_then_the_row_is_named(client, tree, users):
    client.force_login(users.county_staff)
    response = client.post("/contactlog/new/", _form(tree, **{"gifts-0-description": "茶叶", "gifts-0-value": "-20"}))
    assert "第1项礼品的价值（元）不能为负数" in response.content.decode()
    assert ContactEntry.objects.count() == 0


def test_given_an_unknown_enterprise_on_the_form_when_posted_then_it_is_named(client, tree, users):
    client.force_login(users.county_staff)
    response = client.post("/contactlog/new/", _form(tree, enterprise_names=f"{tree.ent_b.name}\n不存在的公司"))
    body = response.content.decode()
    assert "企业库中未找到" in body and "不存在的公司" in body and tree.ent_b.name in body
    assert ContactEntry.objects.count() == 0


def test_given_a_flagged_entry_when_the_reviewer_concludes_on_the_page_then_it_leaves_the_queue(
    client, tree, users, flagged
):
    client.force_login(users.reviewer)
    queue = client.get("/contactlog/review/").content.decode()
    assert f"/contactlog/{flagged.pk}/" in queue
    page = client.get(f"/contactlog/{flagged.pk}/").content.decode()
    assert "review-form" in page
    empty = client.post(f"/contactlog/{flagged.pk}/review/", {"review-conclusion": "reminder",
                                                               "review-conclusion_text": ""})  # fmt: skip
    assert empty.status_code == 400 and "请填写审查意见" in empty.content.decode()
    flagged.refresh_from_db()
    assert flagged.review_status == "pending"
    client.post(f"/contactlog/{flagged.pk}/review/", {"review-conclusion": "criticism",
                                                      "review-conclusion_text": "接受企业宴请，批评教育"})  # fmt: skip
    flagged.refresh_from_db()
    assert flagged.conclusion == "criticism" and flagged.reviewed_by == users.reviewer
    assert f"/contactlog/{flagged.pk}/" not in client.get("/contactlog/review/").content.decode()


def test_given_a_matter_when_staff_turn_it_into_an_appeal_on_the_page_then_linked(client, tree, users):
    entry = actions.save_entry(actor=users.county_staff, data=flagged_data(tree, matters=[
        {"text": "申请专精特新认定遇阻", "enterprise": tree.ent_a.pk}]))  # fmt: skip
    matter = entry.matters.get()
    client.force_login(users.county_staff)
    assert "转为诉求" in client.get(f"/contactlog/{entry.pk}/").content.decode()
    response = client.post(f"/contactlog/matters/{matter.pk}/appeal/", follow=True)
    matter.refresh_from_db()
    assert matter.appeal is not None
    assert matter.appeal.number in response.content.decode()


def test_given_an_entry_when_its_official_adds_a_matter_on_the_page_then_it_appears(client, tree, users, flagged):
    client.force_login(users.county_staff)
    client.post(f"/contactlog/{flagged.pk}/matters/", {"matter-text": "物流成本高", "matter-enterprise":
                                                       tree.ent_a.credit_code})  # fmt: skip
    assert flagged.matters.get().enterprise == tree.ent_a


def test_given_an_entry_when_its_official_edits_it_then_the_form_is_prefilled_and_saved(client, tree, users, flagged):
    client.force_login(users.county_staff)
    page = client.get(f"/contactlog/{flagged.pk}/edit/").content.decode()
    assert "茶叶两盒" in page and tree.ent_a.name in page
    client.post(f"/contactlog/{flagged.pk}/edit/", _form(tree, **{
        "gifts-TOTAL_FORMS": "1", "gifts-0-description": "茶叶两盒", "gifts-0-value": "800", "gifts-0-returned": "on",
    }))  # fmt: skip
    flagged.refresh_from_db()
    assert not flagged.is_flagged and flagged.gifts.get().returned


def test_given_many_entries_when_the_list_is_shown_then_queries_do_not_grow_per_row(client, tree, users, data):
    client.force_login(users.leader)
    actions.save_entry(actor=users.county_staff, data=data())
    client.get("/contactlog/")  # the session's first request also stamps the session and warms the menu
    with CaptureQueriesContext(connection) as few:
        assert client.get("/contactlog/").status_code == 200
    for _i in range(6):
        actions.save_entry(actor=users.county_staff, data=data())
        actions.save_entry(actor=users.liaison, data=data())
    with CaptureQueriesContext(connection) as many:
        body = client.get("/contactlog/").content.decode()
    assert body.count("/contactlog/") >= 13
    assert len(many) == len(few)


def test_given_list_filters_when_a_bad_date_is_given_then_400_naming_the_field(client, users):
    client.force_login(users.county_staff)
    response = client.get("/contactlog/?from=2026-02-30")
    assert response.status_code == 400 and "起始日期" in response.content.decode()


def test_given_the_negative_list_when_the_reviewer_adds_an_item_then_staff_read_it_but_cannot_edit(client, users):
    client.force_login(users.reviewer)
    client.post("/contactlog/conduct/new/", {"code": "lodging", "name": "住宿由企业安排", "rule": "cost_by_enterprise",
                                             "order": "20", "is_active": "on"})  # fmt: skip
    item = ConductItem.objects.get(code="lodging")
    assert item.rule == "cost_by_enterprise" and item.is_active
    client.force_login(users.county_staff)
    assert "住宿由企业安排" in client.get("/contactlog/conduct/").content.decode()
    assert client.get(f"/contactlog/conduct/{item.pk}/").status_code == 403


def test_given_entries_when_the_leader_opens_figures_then_purposes_and_flags_link_to_their_rows(
    client, tree, users, data, flagged
):
    actions.save_entry(actor=users.liaison, data=data(purpose="research"))
    client.force_login(users.leader)
    page = client.get("/contactlog/figures/")
    assert page.status_code == 200
    rows = {r["figure"].key: r["value"] for r in page.context["rows"]}
    assert rows["contactlog.contacts"] == 2 and rows["contactlog.contacts_forum"] == 1
    assert rows["contactlog.flagged"] == 1 and rows["contactlog.flag_rate"]["value"] == 50.0
    records = client.get("/contactlog/figures/contactlog.flagged/")
    assert len(records.context["rows"]) == 1 and records.context["value"] == 1
    client.force_login(users.county_staff)
    assert client.get("/contactlog/figures/").status_code == 403
