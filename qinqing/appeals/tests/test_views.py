import pytest
from django.urls import reverse

from qinqing.appeals import actions
from qinqing.appeals import workflow as wf
from qinqing.appeals.models import Appeal


@pytest.fixture
def appeal_b(users, tree, kinds):
    return actions.register_appeal(
        actor=users.enterprise_b,
        enterprise=tree.ent_b,
        appeal_type=kinds.consult,
        domain=kinds.labour,
        title="招工难",
        description="华容县企业招工困难",
    )


def test_enterprise_submits_through_page_and_sees_timeline(users, login, kinds):
    client = login(users.enterprise)
    response = client.post(
        reverse("appeals:new"),
        {"appeal_type": kinds.consult.pk, "domain": kinds.finance.pk, "title": "融资难", "description": "贷款审批慢"},
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response.url == reverse("appeals:detail", args=[appeal.pk])
    page = client.get(response.url).content.decode()
    assert appeal.number in page and "登记" in page and "已登记" in page


def test_given_empty_description_then_field_error_and_nothing_saved(users, login, kinds):
    client = login(users.enterprise)
    response = client.post(
        reverse("appeals:new"), {"appeal_type": kinds.consult.pk, "domain": kinds.finance.pk, "title": "x"}
    )
    assert response.status_code == 200
    assert "诉求内容" in response.content.decode()
    assert not Appeal.objects.exists()


def test_staff_registers_by_credit_code_outside_scope_is_refused(users, login, kinds, tree):
    client = login(users.county_staff)
    data = {
        "credit_code": tree.ent_b.credit_code,
        "channel": "hotline",
        "appeal_type": kinds.consult.pk,
        "domain": kinds.finance.pk,
        "title": "热线",
        "description": "热线来电反映",
    }
    response = client.post(reverse("appeals:new"), data)
    assert "未找到" in response.content.decode()
    data["credit_code"] = tree.ent_a.credit_code
    response = client.post(reverse("appeals:new"), data)
    assert response.status_code == 302
    assert Appeal.objects.get().channel == "hotline"


def test_steps_through_pages_for_each_role(make_appeal, users, login, tree):
    appeal = make_appeal()
    staff = login(users.county_staff)
    staff.post(reverse("appeals:step", args=[appeal.pk, "accept"]), {"comment": ""})
    staff.post(reverse("appeals:step", args=[appeal.pk, "assign"]), {"lead_department": tree.dept_a.pk})
    liaison = login(users.liaison)
    liaison.post(reverse("appeals:step", args=[appeal.pk, "contact"]), {"comment": "已联系"})
    liaison.post(reverse("appeals:step", args=[appeal.pk, "reply"]), {"comment": "已解决"})
    ent = login(users.enterprise)
    page = ent.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "评价办理结果" in page
    ent.post(reverse("appeals:step", args=[appeal.pk, "callback"]), {"satisfaction": "4", "solved": "1"})
    appeal.refresh_from_db()
    assert appeal.status == wf.CLOSED and appeal.satisfaction == 4


def test_step_refused_shows_chinese_message(make_appeal, users, login):
    appeal = make_appeal()
    client = login(users.liaison)
    # the liaison cannot see an unassigned appeal at all
    assert client.post(reverse("appeals:step", args=[appeal.pk, "accept"])).status_code == 404
    staff = login(users.county_staff)
    staff.post(reverse("appeals:step", args=[appeal.pk, "accept"]))
    response = staff.post(reverse("appeals:step", args=[appeal.pk, "accept"]), follow=True)
    assert "不能执行“受理”" in response.content.decode()


@pytest.mark.parametrize(
    "who, sees_a, sees_b",
    [
        ("county_staff", True, False),
        ("county_b_staff", False, True),
        ("city_staff", True, True),
        ("leader", True, True),
        ("enterprise", True, False),
        ("enterprise_b", False, True),
        ("secretary", True, False),
        ("liaison", False, False),
        ("banker", False, False),
    ],
)
def test_visibility_per_role(make_appeal, appeal_b, users, login, membership, who, sees_a, sees_b):
    appeal_a = make_appeal()
    client = login(getattr(users, who))
    for appeal, expected in ((appeal_a, sees_a), (appeal_b, sees_b)):
        status = client.get(reverse("appeals:detail", args=[appeal.pk])).status_code
        assert status == (200 if expected else (403 if who == "banker" else 404)), (who, appeal.number)


def test_liaison_sees_lead_and_co_handled_only(assigned, appeal_b, users, login, tree):
    client = login(users.liaison)
    assert client.get(reverse("appeals:detail", args=[assigned.pk])).status_code == 200
    assert client.get(reverse("appeals:detail", args=[appeal_b.pk])).status_code == 404
    listing = client.get(reverse("appeals:list")).content.decode()
    assert assigned.number in listing and appeal_b.number not in listing


def test_list_query_count_is_bounded(make_appeal, users, login, django_assert_max_num_queries):
    for i in range(15):
        make_appeal(f"诉求{i}")
    client = login(users.city_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("appeals:list"))
    assert response.status_code == 200


def test_list_htmx_returns_partial(make_appeal, users, login):
    make_appeal()
    client = login(users.county_staff)
    response = client.get(reverse("appeals:list"), {"status": "registered"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "SQ" in body


def test_track_by_number_other_enterprise_404(make_appeal, appeal_b, users, login):
    client = login(users.enterprise)
    assert client.get(reverse("appeals:track"), {"number": appeal_b.number}).status_code == 404
    mine = make_appeal()
    assert client.get(reverse("appeals:track"), {"number": mine.number}).status_code == 302


def test_similar_suggestions_partial(make_appeal, users, login, tree):
    make_appeal("银行贷款审批太慢", description="向银行申请流动资金贷款三个月未审批")
    client = login(users.county_staff)
    response = client.get(
        reverse("appeals:similar"),
        {"title": "贷款审批慢", "description": "银行流动资金贷款审批三个月", "credit_code": tree.ent_a.credit_code},
    )
    assert "可能重复" in response.content.decode()


def test_figures_page_and_export(assigned, users, login):
    client = login(users.leader)
    response = client.get(reverse("appeals:figures"), {"by": "region"})
    assert response.status_code == 200 and "受理量" in response.content.decode()
    export = client.get(reverse("appeals:figures_export"), {"by": "department"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert login(users.enterprise).get(reverse("appeals:figures")).status_code == 403


def test_classification_admin_only(users, login):
    assert login(users.county_staff).get(reverse("appeals:classification")).status_code == 403
    client = login(users.sys_admin)
    client.post(
        reverse("appeals:classification"),
        {"code": "env", "name": "环保", "order": 20, "is_active": "on", "kind": "domain"},
    )
    from qinqing.appeals.models import AppealDomain

    assert AppealDomain.objects.get(code="env").name == "环保"


def test_figures_single_scan_totals_match_direct_aggregate(assigned, make_appeal, users):
    from qinqing.appeals import figures
    from qinqing.appeals.permissions import visible_appeals

    make_appeal("另一个")
    qs = visible_appeals(users.city_staff)
    rows = figures.by_dimension(qs, "department")
    assert figures.totals_from(rows) == figures.totals(qs)
    league = figures.league_from(rows)
    assert [r["label"] for r in league] == ["岳阳县市场监督管理局"]


def test_capped_paginator_counts_at_most_cap(make_appeal, monkeypatch):
    from qinqing.appeals.models import Appeal
    from qinqing.core.pagination import CappedPaginator

    for i in range(3):
        make_appeal(f"诉求{i}")
    monkeypatch.setattr(CappedPaginator, "CAP", 2)
    paginator = CappedPaginator(Appeal.objects.order_by("id"), 1)
    assert paginator.count == 2 and paginator.capped


def test_admin_changes_deadline_rule_for_new_appeals_only(make_appeal, users, login, kinds):
    from qinqing.appeals.models import DeadlineRule

    old = make_appeal()
    client = login(users.sys_admin)
    data = {"kind": "rule", "domain": kinds.finance.pk, "accept_days": 1, "contact_days": 2, "reply_days": 4,
            "warn_days": 1, "supervise_after": 2}  # fmt: skip
    assert client.post(reverse("appeals:classification"), data).status_code == 302
    assert DeadlineRule.objects.get(domain=kinds.finance).reply_days == 4
    new = make_appeal("新诉求")
    old.refresh_from_db()
    assert old.reply_days == 5 and new.reply_days == 4 and new.accept_days == 1


def test_given_more_than_a_page_when_paging_the_searched_list_then_the_rows_are_the_ordered_matches_read_by_id(
    make_appeal, users, login
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qinqing.appeals.models import Appeal

    # Given 33 matching appeals (over two registration days) and 2 that do not match
    for i in range(33):
        make_appeal(f"物流诉求{i}", actor=users.county_staff)
    Appeal.objects.filter(title__in=["物流诉求3", "物流诉求20"]).update(registered_on="2026-01-05")
    make_appeal("用地指标", actor=users.county_staff)
    make_appeal("招工难", actor=users.county_staff)
    expected = list(Appeal.objects.filter(title__contains="物流").order_by("-registered_on", "-id"))
    client = login(users.county_staff)
    # When both pages are read
    with CaptureQueriesContext(connection) as ctx:  # read before the next request resets the log
        first = client.get(reverse("appeals:list"), {"q": "物流"})
        statements = [q["sql"] for q in ctx.captured_queries]
    second = client.get(reverse("appeals:list"), {"q": "物流", "page": 2})
    # Then they hold the matches in the list's order (newest first, then by id), as many as counted
    shown = [*first.context["page"].object_list, *second.context["page"].object_list]
    assert [a.pk for a in shown] == [a.pk for a in expected] and len(shown) == 33
    assert first.context["page"].paginator.count == 33
    assert shown[0].enterprise.name and "物流诉求" in first.content.decode()
    # And the sorted statement selects the ids alone (from an index on PostgreSQL), the rows are read by id
    page_sql = [sql for sql in statements if "ORDER BY" in sql and "LIKE" in sql and "appeals_appeal" in sql]
    assert page_sql and all(sql.split(" FROM ")[0].count(",") == 0 for sql in page_sql), page_sql


def test_given_more_matches_than_the_search_cap_when_searching_then_the_page_says_the_count_is_capped(
    make_appeal, users, login, monkeypatch
):
    from qinqing.appeals import views

    # Given five matching appeals and a search cap of three (1,000 in production, under the plain list's 10,000)
    assert views.SearchPaginator.CAP < views.CappedPaginator.CAP
    monkeypatch.setattr(views.SearchPaginator, "CAP", 3)
    for i in range(5):
        make_appeal(f"物流诉求{i}", actor=users.county_staff)
    client = login(users.county_staff)
    # When the list is searched
    searched = client.get(reverse("appeals:list"), {"q": "物流"})
    # Then the count stops at the cap and the page says so in Chinese; the plain list still counts all five
    assert searched.context["page"].paginator.capped and searched.context["page"].paginator.count == 3
    assert "符合条件的记录超过 3 条，仅可翻阅前 3 条，请缩小筛选范围。" in searched.content.decode()
    plain = client.get(reverse("appeals:list"))
    assert not plain.context["page"].paginator.capped and plain.context["page"].paginator.count == 5


def test_given_a_department_officer_when_listing_then_its_page_ids_follow_a_department_newest_first_index(
    make_appeal, users, login, tree
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Given three appeals led by the officer's department and one it does not lead
    led = []
    for title in ("融资难一", "融资难二", "融资难三"):
        appeal = make_appeal(title)
        Appeal.objects.filter(pk=appeal.pk).update(lead_department=tree.dept_a, status=wf.ASSIGNED)  # assigned to it
        led.append(Appeal.objects.get(pk=appeal.pk))
    make_appeal("别的部门")
    client = login(users.liaison)
    # When the officer opens the list
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("appeals:list"))
    # Then it shows its department's appeals, newest first
    shown = [a.pk for a in response.context["page"].object_list]
    assert shown == [a.pk for a in sorted(led, key=lambda a: (a.registered_on, a.pk), reverse=True)]
    # And the page's ids are read by the department alone, newest first ...
    department = f'WHERE "appeals_appeal"."lead_department_id" = {tree.dept_a.pk} ORDER BY'
    ids_sql = [q["sql"] for q in ctx.captured_queries if department in q["sql"]]
    assert len(ids_sql) == 1 and ids_sql[0].startswith('SELECT "appeals_appeal"."id" AS "pk" FROM'), ids_sql
    assert 'ORDER BY "appeals_appeal"."registered_on" DESC, "appeals_appeal"."id" DESC LIMIT' in ids_sql[0]
    # ... in the order of an index that leads with the department, then newest first (migration 0016)
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Appeal._meta.db_table)
    index = constraints["appeal_dept_newest"]
    assert index["index"] and index["columns"] == ["lead_department_id", "registered_on", "id"]
    assert index["orders"] == ["ASC", "DESC", "DESC"]
