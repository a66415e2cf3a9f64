"""Programs pages: each flow through the HTTP client, scoped by role, bad input shown beside its field with
nothing changed, the county ledger export (cell-safe, audited), list pages with a bounded number of queries."""

import io

import pytest

from qinqing.core.models import AuditEntry
from qinqing.programs.models import Donation, ListingCandidate, Pairing, ProjectYear

from .conftest import past

pytestmark = pytest.mark.django_db


def _pairing_post(tree, **over):
    data = {"party_kind": "enterprise", "credit_code": tree.ent_a.credit_code, "county_code": "430621",
            "village": "新墙镇双港村", "started_on": past(30).isoformat()}  # fmt: skip
    data.update(over)
    return data


def test_given_staff_when_registering_a_pairing_on_the_page_then_it_opens_with_its_county(tree, users, login):
    client = login(users.county_staff)

    response = client.post("/programs/pairings/new/", _pairing_post(tree))

    pairing = Pairing.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/programs/pairings/{pairing.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "新墙镇双港村" in page and "湖南省岳阳市岳阳县" in page


def test_given_an_unknown_county_code_on_the_page_then_the_form_says_so_and_nothing_is_saved(tree, users, login):
    response = login(users.county_staff).post("/programs/pairings/new/", _pairing_post(tree, county_code="439999"))

    assert response.status_code == 200
    assert "不是现行的 GB/T 2260 县级区划代码" in response.content.decode()
    assert not Pairing.objects.exists()


def test_given_the_pairing_enterprise_when_filing_funds_on_the_page_then_saved_and_negative_spent_refused(
    prog, users, login
):
    client = login(users.enterprise)
    url = f"/programs/projects/{prog.project.pk}/year/"

    bad = client.post(url, {"year": prog.year.year, "committed": "80", "spent": "-1", "employed": "3"})
    assert bad.status_code == 200 and "实际到位资金（万元）不能为负数" in bad.content.decode()
    assert ProjectYear.objects.get(pk=prog.year.pk).employed == 12

    good = client.post(url, {"year": prog.year.year, "committed": "80", "spent": "55", "employed": "20"})
    assert good.status_code == 302
    assert ProjectYear.objects.get(pk=prog.year.pk).spent == 55


def test_given_roles_when_listing_pairings_then_each_sees_its_own(prog, users, login, client):
    assert "荣家湾镇杨林村" in login(users.enterprise).get("/programs/").content.decode()
    client.force_login(users.secretary)
    page = client.get("/programs/").content.decode()
    assert "新墙镇清水村" in page and "荣家湾镇杨林村" not in page
    client.force_login(users.enterprise_b)
    assert "杨林村" not in client.get("/programs/").content.decode()
    assert client.get(f"/programs/pairings/{prog.pairing.pk}/").status_code == 404
    client.force_login(users.county_b_staff)
    assert client.get(f"/programs/pairings/{prog.pairing.pk}/").status_code == 404
    assert client.get(f"/programs/projects/{prog.project.pk}/year/").status_code == 404


def test_given_many_pairings_when_listing_then_queries_stay_bounded(
    prog, tree, users, login, django_assert_max_num_queries
):
    from qinqing.programs import actions

    from .conftest import pairing_data

    for i in range(15):
        actions.save_pairing(actor=users.county_staff, data=pairing_data(tree, village=f"第{i}村"))
    client = login(users.county_staff)

    with django_assert_max_num_queries(15):
        response = client.get("/programs/?party_kind=enterprise")

    assert response.status_code == 200 and "第14村" in response.content.decode()


def test_given_a_county_when_exporting_the_ledger_then_rows_totals_safe_cells_and_an_audit_entry(
    prog, tree, users, login
):
    from openpyxl import load_workbook

    from qinqing.programs import actions

    from .conftest import pairing_data

    evil = actions.save_pairing(actor=users.county_staff,
                                data=pairing_data(tree, village="=HYPERLINK(\"http://x\")村"))  # fmt: skip
    response = login(users.county_staff).get("/programs/ledger.xlsx?county=430621")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    villages = [r[5] for r in rows[:-1]]
    assert set(villages) == {"荣家湾镇杨林村", "新墙镇清水村", evil.village}
    cell = next(c for row in sheet.iter_rows(min_row=3) for c in row if c.value == evil.village)
    assert cell.data_type == "s"  # text, never a formula
    assert rows[-1][0] == "合计" and rows[-1][11] == 80 and rows[-1][12] == 30.5 and rows[-1][13] == 12
    assert AuditEntry.objects.filter(action="programs.export_ledger").get().after["rows"] == 3


@pytest.mark.parametrize("query", ["", "?county=999999", "?county=abc", "?county=430621&year=abc"])
def test_given_a_bad_county_or_year_when_exporting_the_ledger_then_400_in_chinese(prog, users, login, query):
    response = login(users.county_staff).get(f"/programs/ledger.xlsx{query}")

    body = response.content.decode()
    assert response.status_code == 400
    assert ("年度" if "year" in query else "县级区划代码") in body
    assert not AuditEntry.objects.filter(action="programs.export_ledger").exists()


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_given_the_enterprise_when_registering_a_donation_with_a_receipt_then_it_downloads_back(users, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(users.enterprise)
    response = client.post("/programs/donations/new/", {
        "form": "cash", "amount": "20", "recipient": "县教育基金会", "purpose": "奖教奖学",
        "donated_on": past(3).isoformat(), "receipt": SimpleUploadedFile("票据.png", _png(), "image/png"),
    })  # fmt: skip

    donation = Donation.objects.get()
    assert response.status_code == 302 and donation.enterprise_id == users.enterprise.enterprise_id
    download = client.get(f"/programs/donations/{donation.pk}/receipt/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"\x89PNG")
    assert download["Content-Disposition"].startswith("attachment")


def test_given_a_receipt_whose_content_is_not_its_extension_when_registering_then_refused_and_nothing_saved(
    users, login
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(users.enterprise).post("/programs/donations/new/", {
        "form": "cash", "amount": "20", "recipient": "县教育基金会", "purpose": "奖教奖学",
        "donated_on": past(3).isoformat(), "receipt": SimpleUploadedFile("票据.pdf", b"<html>x</html>"),
    })  # fmt: skip

    assert response.status_code == 200 and "捐赠票据：文件内容与扩展名 .pdf 不符" in response.content.decode()
    assert not Donation.objects.exists()


def test_given_staff_without_a_donor_when_registering_then_the_credit_code_field_says_so(users, login):
    response = login(users.county_staff).post("/programs/donations/new/", {
        "credit_code": "", "form": "cash", "amount": "20", "recipient": "县教育基金会", "purpose": "奖教奖学",
        "donated_on": past(3).isoformat(),
    })  # fmt: skip

    assert response.status_code == 200 and "请填写捐赠企业" in response.content.decode()
    assert not Donation.objects.exists()


def test_given_the_reporting_filter_when_listing_donations_then_only_unreported_majors_and_report_clears_it(
    prog, users, login
):
    client = login(users.county_staff)
    page = client.get("/programs/donations/?unreported=1").content.decode()
    assert prog.major.number in page and prog.small.number not in page

    assert client.post(f"/programs/donations/{prog.major.pk}/report/").status_code == 302
    assert prog.major.number not in client.get("/programs/donations/?unreported=1").content.decode()
    assert prog.major.number in client.get("/programs/donations/?major=1").content.decode()


def test_given_a_candidate_when_advancing_on_the_page_then_in_order_only(prog, users, login):
    client = login(users.county_staff)
    url = f"/programs/listing/{prog.candidate.pk}/stage/"
    officer = users.county_staff.pk

    client.post(url, {"stage": "tutor", "on": past(5).isoformat(), "officer": officer})
    assert ListingCandidate.objects.get(pk=prog.candidate.pk).stage == "reserve"
    page = client.get(f"/programs/listing/{prog.candidate.pk}/").content.decode()
    assert "下一阶段应为“培育”" in page

    client.post(url, {"stage": "cultivate", "on": past(5).isoformat(), "officer": officer})
    assert ListingCandidate.objects.get(pk=prog.candidate.pk).stage == "cultivate"
    board = client.get("/programs/listing/").content.decode()
    assert "金种子" in board and "岳阳县洞庭食品有限公司" in board


def test_given_the_enterprise_when_opening_the_pipeline_then_refused(prog, users, login):
    client = login(users.enterprise)

    assert client.get("/programs/listing/").status_code == 403
    assert client.get(f"/programs/listing/{prog.candidate.pk}/").status_code == 403


def test_given_staff_when_opening_the_figures_page_then_each_figure_links_to_its_records(prog, users, login):
    page = login(users.city_staff).get("/programs/figures/").content.decode()

    assert "村企结对" in page and "100万元以上捐赠" in page and "/reports/figures/programs.pairings/" in page
