"""Pages for each role through the HTTP client: the funnel end to end, and a bank seeing only its own."""

import io

import pytest
from django.urls import reverse

from qinqing.financing import actions
from qinqing.financing.models import FinancingNeed, NeedReferral

from .conftest import need_data, past


def login(client, user):
    client.force_login(user)
    return client


def xlsx(rows) -> io.BytesIO:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for i, row in enumerate(rows):
        sheet.write_row(i, 0, row)
    book.close()
    buffer.seek(0)
    buffer.name = "x.xlsx"
    return buffer


def test_given_enterprise_when_stating_need_on_page_then_created_and_detail_shows_products(client, tree, users, fin):
    actions.save_product(actor=users.banker, data={"name": "税易贷", "amount_min": "10", "amount_max": "500",
                         "term_min": 1, "term_max": 36, "rate_min": "3.5", "rate_max": "6",
                         "guarantees": ["credit"]})  # fmt: skip
    login(client, users.enterprise)
    response = client.post(
        reverse("financing:need_new"),
        {"amount": "200", "term_months": "12", "purpose": "working", "guarantee": "credit"},
    )
    need = FinancingNeed.objects.order_by("-pk").first()
    assert response.status_code == 302 and need.amount == 200
    page = client.get(reverse("financing:need_detail", args=[need.pk])).content.decode()
    assert "税易贷" in page and "符合" in page


def test_given_bad_amount_when_posting_then_field_error_and_nothing_created(client, tree, users, fin):
    login(client, users.enterprise)
    before = FinancingNeed.objects.count()
    response = client.post(
        reverse("financing:need_new"), {"amount": "0", "term_months": "12", "purpose": "working", "guarantee": "credit"}
    )
    assert response.status_code == 200 and "融资金额" in response.content.decode()
    assert FinancingNeed.objects.count() == before


def test_given_staff_when_pushing_list_then_bank_sees_it_and_other_bank_does_not(client, tree, users, fin):
    login(client, users.county_staff)
    assert client.get(reverse("financing:lists")).status_code == 200
    response = client.post(reverse("financing:lists_push"), {"need": [fin.need.pk], "bank": tree.bank.pk})
    assert response.status_code == 302
    referral = NeedReferral.objects.get(need=fin.need)
    client.logout()
    login(client, users.banker)
    assert fin.need.number in client.get(reverse("financing:bank")).content.decode()
    client.logout()
    login(client, fin.banker2)
    assert fin.need.number not in client.get(reverse("financing:bank")).content.decode()
    assert client.get(reverse("financing:referral_detail", args=[referral.pk])).status_code == 404
    assert client.get(reverse("financing:need_detail", args=[fin.need.pk])).status_code == 404


def test_given_bank_when_recording_lent_before_credit_on_page_then_error_shown(client, tree, users, fin):
    referral = actions.push_batch(actor=users.county_staff, bank=tree.bank, needs=[fin.need]).referrals.get()
    login(client, users.banker)
    response = client.post(reverse("financing:referral_stage", args=[referral.pk]), {"stage": "lent", "amount": "10"})
    assert response.status_code == 200 and "须先登记授信" in response.content.decode()
    response = client.post(
        reverse("financing:referral_stage", args=[referral.pk]), {"stage": "credited", "amount": "10"}
    )
    assert response.status_code == 302


def test_given_feedback_file_naming_unpushed_need_then_row_error_and_nothing_recorded(client, tree, users, fin):
    referral = actions.push_batch(
        actor=users.county_staff, bank=tree.bank, needs=[fin.need], on=past(5)
    ).referrals.get()
    other = actions.state_need(actor=users.county_staff, enterprise=tree.ent_a, data=need_data())
    login(client, users.banker)
    header = ["需求编号", "办理进展", "日期", "金额（万元）", "执行年利率（%）", "未获贷原因", "原因说明", "备注"]
    rows = [header, [fin.need.number, "授信", str(past(2)), "300", "", "", "", ""],
            [other.number, "授信", str(past(2)), "100", "", "", "", ""]]  # fmt: skip
    response = client.post(reverse("financing:feedback_import"), {"file": xlsx(rows)})
    page = response.content.decode()
    assert "第 3 行" in page and "未推送给本机构" in page
    referral.refresh_from_db()
    assert referral.stage == "pushed"
    rows = [header, [fin.need.number, "授信", str(past(2)), "300", "", "", "", ""],
            [fin.need.number, "放款", str(past(1)), "300", "4.2", "", "", ""]]  # fmt: skip
    assert client.post(reverse("financing:feedback_import"), {"file": xlsx(rows)}).status_code == 302
    referral.refresh_from_db()
    assert referral.stage == "lent" and referral.loan_amount == 300


def test_given_staff_when_importing_needs_with_bad_row_then_nothing_created(client, tree, users, fin):
    login(client, users.county_staff)
    header = ["统一社会信用代码", "融资金额（万元）", "期限（月）", "用途", "担保方式", "是否首贷"]
    before = FinancingNeed.objects.count()
    rows = [header, [tree.ent_a.credit_code, "100", "12", "流动资金", "信用", "是"],
            [tree.ent_a.credit_code, "100", "999", "流动资金", "信用", "否"]]  # fmt: skip
    page = client.post(reverse("financing:need_import"), {"file": xlsx(rows)}).content.decode()
    assert "第 3 行“期限（月）”" in page
    assert FinancingNeed.objects.count() == before
    rows.pop()
    assert client.post(reverse("financing:need_import"), {"file": xlsx(rows)}).status_code == 302
    assert FinancingNeed.objects.count() == before + 1


@pytest.mark.parametrize("name", ["needs", "lists", "events", "fixes", "products", "figures", "batches"])
def test_given_staff_then_pages_open(client, tree, users, fin, name):
    login(client, users.county_staff)
    assert client.get(reverse(f"financing:{name}")).status_code == 200


def test_given_lent_referral_when_opening_figures_then_figure_and_list_agree(client, tree, users, fin):
    referral = actions.push_batch(
        actor=users.county_staff, bank=tree.bank, needs=[fin.need], on=past(5)
    ).referrals.get()
    actions.record_stage(referral, actor=users.banker, data={"stage": "credited", "amount": "300", "on": past(4)})
    actions.record_stage(referral, actor=users.banker, data={"stage": "lent", "amount": "280", "on": past(3)})
    login(client, users.leader)
    start, end = past(30), past(0)
    page = client.get(reverse("financing:figures"), {"start": start, "end": end}).content.decode()
    assert "280" in page
    drill = client.get(reverse("financing:figure_records", args=["financing.loan_amount"]),
                       {"start": start, "end": end, "bank": tree.bank.pk})  # fmt: skip
    assert drill.status_code == 200 and fin.need.number in drill.content.decode()
    other = client.get(reverse("financing:figure_records", args=["financing.loan_amount"]),
                       {"start": start, "end": end, "bank": fin.bank2.pk})  # fmt: skip
    assert fin.need.number not in other.content.decode()
    export = client.get(reverse("financing:figures_export"), {"start": start, "end": end})
    assert export.status_code == 200
    from qinqing.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="financing.export_figures").exists()


@pytest.mark.parametrize("dims", [{}, {"bank": "BANK"}, {"region": "4306"}, {"size": "小型", "industry": "C"}])
def test_given_a_funnel_when_all_figures_batched_then_each_equals_its_own_records(tree, users, fin, dims):
    from qinqing.core import figures as registry
    from qinqing.financing import figures as fin_figures

    referral = actions.push_batch(
        actor=users.county_staff, bank=tree.bank, needs=[fin.need], on=past(5)
    ).referrals.get()
    actions.record_stage(referral, actor=users.banker, data={"stage": "intended", "amount": "350", "on": past(4)})
    actions.record_stage(referral, actor=users.banker, data={"stage": "credited", "amount": "300", "on": past(4)})
    actions.record_stage(referral, actor=users.banker, data={"stage": "lent", "amount": "280", "on": past(3)})
    event = actions.save_event(actor=users.county_staff, data={"title": "会", "date": past(2), "banks": [tree.bank]})
    actions.sign_intention(event, actor=users.county_staff, need=actions.state_need(
        actor=users.enterprise, enterprise=tree.ent_a, data=need_data()), bank=tree.bank, amount="100")  # fmt: skip
    dims = {k: (str(tree.bank.pk) if v == "BANK" else v) for k, v in dims.items()}
    dims = {"bank": "", "region": "", "industry": "", "size": "", **dims}
    period = registry.Period(past(30), past(0))
    batch = fin_figures.values_batch(tree.province.path, period, dims)
    for figure in registry.all_figures(domain="financing"):
        assert batch[figure.key] == fin_figures.value(figure, tree.province.path, period, dims), figure.key
    if not dims["size"]:
        assert batch["financing.loan_amount"] == 280


def test_given_sys_admin_when_adding_a_reason_then_banks_can_use_it_and_others_cannot_open_the_page(client, users, fin):
    from qinqing.accounts.actions import create_user
    from qinqing.financing.models import RefusalReason

    admin = create_user(username="sysadm", name="sysadm", role="sys_admin", org=users.city_staff.org,
                        password="Qinqing@2026!x", must_change_password=False)  # fmt: skip
    login(client, admin)
    response = client.post(reverse("financing:reasons"), {"code": "", "name": "担保链风险", "is_active": "on"})
    assert response.status_code == 200 and "编码" in response.content.decode()
    response = client.post(reverse("financing:reasons"), {"code": "guarantee_chain", "name": "担保链风险",
                                                          "is_active": "on"})  # fmt: skip
    assert response.status_code == 302 and RefusalReason.objects.filter(code="guarantee_chain").exists()
    client.logout()
    login(client, users.banker)
    assert client.get(reverse("financing:reasons")).status_code == 403


def test_given_secretary_when_picking_members_on_the_chamber_page_then_one_batch_for_the_ticked_ones(
    client, tree, users, fin
):
    from qinqing.financing.models import PushBatch

    login(client, users.secretary)
    page = client.get(reverse("financing:chamber")).content.decode()
    assert tree.ent_a.name in page and tree.ent_b.name not in page  # the chamber's own members only
    key = str(tree.ent_a.pk)
    form = {"bank": tree.bank.pk, "credit_line": "5000", "note": "会员均无不良记录", "pick": [key],
            f"amount_{key}": "abc", f"term_{key}": "12", f"purpose_{key}": "working", f"guarantee_{key}": "credit",
            f"note_{key}": "会员五年"}  # fmt: skip
    bad = client.post(reverse("financing:chamber"), form)
    assert bad.status_code == 200 and f"“{tree.ent_a.name}”：融资金额（万元）应为数字" in bad.content.decode()
    assert not PushBatch.objects.filter(kind="chamber").exists()
    outsider = client.post(reverse("financing:chamber"), {**form, "pick": [str(tree.ent_b.pk)], f"amount_{key}": "200"})
    assert "只能推荐本商会的在册会员企业" in outsider.content.decode()
    assert not PushBatch.objects.filter(kind="chamber").exists()
    done = client.post(reverse("financing:chamber"), {**form, f"amount_{key}": "200"})
    batch = PushBatch.objects.get(kind="chamber")
    assert done.status_code == 302 and batch.referrals.count() == 1 and batch.credit_line == 5000


HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "rows"}


def test_given_list_filters_when_changed_with_htmx_then_only_the_rows_are_swapped_and_the_page_works_without(
    client, tree, users, fin
):
    # Given two needs, one pushed to the bank
    other = actions.state_need(actor=users.county_staff, enterprise=tree.ent_a, data=need_data(amount="120"))
    actions.push_batch(actor=users.county_staff, bank=tree.bank, needs=[fin.need], on=past(3))
    login(client, users.county_staff)
    url = reverse("financing:needs")
    # When the page is opened without JavaScript it is the whole page with a filter form that htmx can drive
    page = client.get(url).content.decode()
    assert "<h1>" in page and 'id="rows"' in page and f'hx-get="{url}"' in page and 'hx-target="#rows"' in page
    # When a filter changes through htmx
    rows = client.get(url, {"stage": "pushed"}, **HTMX).content.decode()
    # Then only the table comes back, filtered
    assert "<h1>" not in rows and "<form" not in rows and "<table" in rows
    assert fin.need.number in rows and other.number not in rows
    # And the same filter without htmx gives the whole page with the same rows
    full = client.get(url, {"stage": "pushed"}).content.decode()
    assert "<h1>" in full and fin.need.number in full and other.number not in full


@pytest.mark.parametrize(
    ("who", "name"),
    [("banker", "financing:bank"), ("county_staff", "financing:events"), ("county_staff", "financing:products"),
     ("county_staff", "financing:batches"), ("county_staff", "financing:fixes")],
)  # fmt: skip
def test_given_each_financing_list_when_paged_with_htmx_then_rows_partial_with_boosted_pagination(
    client, tree, users, fin, who, name
):
    for i in range(31):  # more than one page of 30 for the bank: pagination links appear
        need = actions.state_need(actor=users.county_staff, enterprise=tree.ent_a, data=need_data(amount=str(10 + i)))
        need.list_state = "recommended"
        need.save(update_fields=["list_state"])
        if name == "financing:bank":
            actions.push_batch(actor=users.county_staff, bank=tree.bank, needs=[need], on=past(2))
        else:
            break
    login(client, getattr(users, who))
    url = reverse(name)
    response = client.get(url, {"page": 1}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>" not in body and "<table" in body
    if name == "financing:bank":
        assert 'hx-boost="true"' in body and "page=2" in body
        second = client.get(url, {"page": 2}, **HTMX).content.decode()
        assert "<h1>" not in second and "第 2 / 2 页" in second
    assert "<h1>" in client.get(url).content.decode()  # no htmx: the whole page
