"""Summary, ranking, output and theme pages through the HTTP client, with their refusals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from qinqing.appeals.models import Appeal, AppealDomain, AppealType
from qinqing.registry.models import EnterpriseYearFigures, Member
from qinqing.registry.rollups import count_members
from qinqing.reports.models import AdvisoryOutput, AnnualSummary, RankingList

YEAR = 2025


def _members(tree, n, day=dt.date(YEAR, 4, 1)):
    rows = Member.objects.bulk_create(
        Member(organization=tree.county_a, org_path=tree.county_a.path, kind="individual", person_name=f"人{i}",
               joined_on=day)
        for i in range(n)
    )  # fmt: skip
    count_members(m.pk for m in rows)  # written without save(): into the figures' rollups


def test_given_staff_when_editing_and_finalising_then_values_freeze_and_changes_show(client, users, tree):
    _members(tree, 3)
    client.force_login(users.city_staff)
    url = f"/reports/summaries/{tree.city.code}/{YEAR}/"
    page = client.get(url).content.decode()
    assert "全年新发展会员" in page and "/reports/figures/registry.members_new/" in page
    text = "今年我们新发展会员{{registry.members_new}}个，工作扎实。"
    response = client.post(url, {"op": "save", "text_organisation": text})
    assert response.status_code == 302
    assert "今年我们新发展会员" in client.get(url).content.decode()
    client.post(url, {"op": "finalise"})
    summary = AnnualSummary.objects.get(org=tree.city, year=YEAR)
    assert summary.state == "final" and summary.snapshot["values"]["registry.members_new"] == 3
    # When data change after finalising, then the frozen value stays and the change is shown
    _members(tree, 2)
    page = client.get(url).content.decode()
    assert "今年我们新发展会员<a" in page and ">3</a>" in page
    assert 'id="changed"' in page and "定稿时 3，现为 5" in page
    # A finalised summary refuses edits with a clear message and changes nothing
    client.post(url, {"op": "save", "text_organisation": "改"})
    assert AnnualSummary.objects.get(pk=summary.pk).texts["organisation"] == text
    assert client.get(url + "export.docx").status_code == 200
    assert client.get(url + "export.pdf")["Content-Type"] == "application/pdf"


def test_given_unknown_figure_in_text_then_refused_with_its_name(client, users, tree):
    client.force_login(users.city_staff)
    url = f"/reports/summaries/{tree.city.code}/{YEAR}/"
    response = client.post(url, {"op": "save", "text_politics": "开展活动{{nope.events}}场"}, follow=True)
    assert "{{nope.events}} 不存在" in response.content.decode()
    assert all("nope" not in (s.texts.get("politics") or "") for s in AnnualSummary.objects.all())


def test_given_leader_then_reads_but_cannot_edit_and_sibling_is_404(client, users, tree):
    client.force_login(users.leader)
    url = f"/reports/summaries/{tree.city.code}/{YEAR}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"op": "finalise"}).status_code == 404
    client.force_login(users.county_b_staff)
    assert client.get(f"/reports/summaries/{tree.county_a.code}/{YEAR}/").status_code == 404


def test_given_ranking_when_published_then_frozen_snapshot_exports(client, users, tree):
    e = tree.ent_a
    EnterpriseYearFigures.objects.create(enterprise=e, year=YEAR, revenue_wan=Decimal("100.50"))
    client.force_login(users.city_staff)
    page = client.get(f"/reports/rankings/?metric=revenue&year={YEAR}&top=10").content.decode()
    assert e.credit_code in page and "并列" in page
    response = client.post("/reports/rankings/", {"org": tree.city.code, "metric": "revenue", "year": YEAR, "top": 10})
    obj = RankingList.objects.get()
    assert response.status_code == 302 and obj.entries[0]["value"] == "100.50"
    EnterpriseYearFigures.objects.filter(enterprise=e).update(revenue_wan=Decimal("1"))
    assert "100.50" in client.get(f"/reports/rankings/{obj.pk}/").content.decode()  # frozen
    assert client.get(f"/reports/rankings/{obj.pk}/export.xlsx").status_code == 200
    assert client.get(f"/reports/rankings/{obj.pk}/export.docx").status_code == 200
    client.force_login(users.county_b_staff)
    assert client.get(f"/reports/rankings/{obj.pk}/").status_code == 404


def test_given_output_form_when_sqmy_too_long_then_refused_and_nothing_saved(client, users):
    client.force_login(users.county_staff)
    data = {"kind": "sqmy", "title": "关于融资难的情况反映", "submitted_on": "2025-05-01", "body": "字" * 1501}
    response = client.post("/reports/outputs/new/", data)
    assert "不超过1500字" in response.content.decode() and not AdvisoryOutput.objects.exists()
    data.update(body="一、基本情况", adoption=["cppcc_national", "province"])
    response = client.post("/reports/outputs/new/", data)
    obj = AdvisoryOutput.objects.get()
    assert response.status_code == 302 and obj.adoption_codes == ["cppcc_national", "province"]
    page = client.get("/reports/figures/reports.adopted_national/?from=2025-01-01&to=2025-12-31").content.decode()
    assert "关于融资难的情况反映" in page


@pytest.fixture
def appeals(tree, users):
    t = AppealType.objects.get(code="consult")
    d = AppealDomain.objects.get(code="finance")
    d2 = AppealDomain.objects.get(code="labour")
    today = timezone.localdate()
    texts = [(d, "贷款审批慢", "岳阳县洞庭食品有限公司申请贷款审批太慢，联系电话13800138000"),
             (d, "贷款审批慢希望加快", "银行贷款审批周期长"),
             (d, "贷款利率高", "贷款利率偏高融资成本高"),
             (d2, "社保缴费问题", "社保缴费基数调整")]  # fmt: skip
    for i, (domain, title, desc) in enumerate(texts):
        Appeal.objects.create(number=f"T{i:04d}", enterprise=tree.ent_a, fic=tree.county_a, org_path=tree.county_a.path,
                              appeal_type=t, domain=domain, title=title, description=desc, registered_on=today,
                              solved=i % 2 == 0, satisfaction=5)  # fmt: skip


def d_names(page):
    return all(d.name in page for d in AppealDomain.objects.filter(code__in=["finance", "labour"]))


def test_given_appeals_when_theming_then_domain_clusters_anonymised_and_draft_saves(client, users, tree, appeals):
    client.force_login(users.county_staff)
    page = client.get("/reports/themes/?period=year").content.decode()
    assert d_names(page)
    assert "洞庭食品" not in page and "13800138000" not in page
    from qinqing.core.figures import Period
    from qinqing.reports import themes

    found = themes.build(tree.county_a.path, Period.year(timezone.localdate().year))
    assert sum(t.count for t in found) == 4
    top = found[0]
    response = client.get(f"/reports/themes/{top.key}/?period=year")
    body = response.context["body"]
    assert "一、基本情况" in body and "二、原因分析" in body and "三、意见建议" in body and len(body) <= 1500
    response = client.post(f"/reports/themes/{top.key}/?period=year", {"title": "关于贷款审批的情况反映", "body": body})
    assert response.status_code == 302 and AdvisoryOutput.objects.get().kind == "sqmy"
    client.force_login(users.leader)
    assert client.get("/reports/themes/").status_code == 403


def test_given_flag_form_then_enterprise_excluded_and_counted(client, users, tree):
    EnterpriseYearFigures.objects.create(enterprise=tree.ent_a, year=YEAR, revenue_wan=Decimal("9"))
    client.force_login(users.county_staff)
    client.post("/reports/rankings/flags/", {"credit_code": tree.ent_a.credit_code.lower(), "serious_dishonesty": "on"})
    tree.ent_a.refresh_from_db()
    assert tree.ent_a.serious_dishonesty and not tree.ent_a.non_private_controlled
    page = client.get(f"/reports/rankings/?metric=revenue&year={YEAR}&top=5").content.decode()
    assert "严重失信1家" in page and tree.ent_a.credit_code not in page.split('id="ranking"')[1]
    response = client.post("/reports/rankings/flags/", {"credit_code": tree.ent_b.credit_code}, follow=True)
    assert "未找到" in response.content.decode()  # county B's enterprise is outside county A's scope
    client.force_login(users.leader)
    assert client.post("/reports/rankings/flags/", {"credit_code": tree.ent_a.credit_code}).status_code == 403
