"""N强 lists: ties share a rank and are listed by credit code; exclusions counted; the command's CSV contract."""

import csv
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from qinqing.registry.models import Enterprise, EnterpriseYearFigures
from qinqing.reports import rankings


def _ent(tree, code, county=None, **flags):
    county = county or tree.county_a
    return Enterprise.objects.create(
        credit_code=code, name=f"企业{code[-4:]}", fic=county, org_path=county.path, region_code="430621", **flags
    )


@pytest.fixture
def firms(tree):
    data = [
        ("91430621MA4L0000A1", Decimal("500.00"), 10, {}),
        ("91430621MA4L0000C3", Decimal("300.00"), 30, {}),
        ("91430621MA4L0000B2", Decimal("300.00"), 30, {}),  # ties with C3, lower code comes first
        ("91430621MA4L0000D4", Decimal("200.00"), 5, {}),
        ("91430621MA4L0000E5", Decimal("900.00"), 99, {"serious_dishonesty": True}),
        ("91430621MA4L0000F6", Decimal("800.00"), 99, {"non_private_controlled": True}),
    ]
    for code, revenue, employees, flags in data:
        e = _ent(tree, code, **flags)
        EnterpriseYearFigures.objects.create(enterprise=e, year=2025, revenue_wan=revenue, employees=employees)
    _ent(tree, "91430621MA4L0000G7")  # no figure that year
    other = _ent(tree, "91430623MA4L0000H8", county=tree.county_b)
    EnterpriseYearFigures.objects.create(enterprise=other, year=2025, revenue_wan=Decimal("9999"), employees=1)
    return data


def test_given_ties_when_ranking_then_shared_rank_and_credit_code_order(firms, tree):
    r = rankings.compute("revenue", 2025, 4, tree.county_a.path)
    assert [(e["rank"], e["credit_code"][-2:]) for e in r.entries] == [(1, "A1"), (2, "B2"), (2, "C3"), (4, "D4")]
    assert (r.excluded_dishonest, r.excluded_non_private, r.excluded_no_figure) == (1, 1, 2)  # + tree.ent_a
    assert "严重失信1家" in r.note() and "无营业收入数据2家" in r.note()


def test_given_tie_at_cutoff_then_all_tied_listed():
    assert rankings.standard_ranks([9, 7, 7, 7, 3]) == [1, 2, 2, 2, 5]


def test_given_top_two_with_tie_at_second_then_three_rows(firms, tree):
    r = rankings.compute("revenue", 2025, 2, tree.county_a.path)
    assert [e["rank"] for e in r.entries] == [1, 2, 2]


def test_given_command_then_csv_has_contract_columns(firms, tree, tmp_path):
    target = tmp_path / "top.csv"
    call_command("rankings", "employees", "2025", "--top", "3", "--org", tree.county_a.code, "--csv", str(target))
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert rows[0][:3] == ["名次", "统一社会信用代码", "企业名称"]
    assert rows[1:] == [
        ["1", "91430621MA4L0000B2", "企业00B2", "30"],
        ["1", "91430621MA4L0000C3", "企业00C3", "30"],
        ["3", "91430621MA4L0000A1", "企业00A1", "10"],
    ]
    whole = tmp_path / "all.csv"
    call_command("rankings", "revenue", "2025", "--top", "1", "--csv", str(whole))
    assert list(csv.reader(whole.open(encoding="utf-8")))[1] == ["1", "91430623MA4L0000H8", "企业00H8", "9999.00"]


def test_given_unknown_org_then_chinese_error(db, tmp_path):
    with pytest.raises(CommandError, match="未找到组织编码"):
        call_command("rankings", "tax", "2025", "--top", "3", "--org", "999999", "--csv", str(tmp_path / "x.csv"))
