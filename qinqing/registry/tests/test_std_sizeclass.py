"""统计上大中小微型企业划分办法（2017）: table-driven boundary tests for every group.

The table below is typed in again from the 办法 (not imported from the module), so a slip in
either copy makes a test fail.
"""

from decimal import Decimal

import pytest

from qinqing.registry.standards.sizeclass import SIZES, classify, group_for

# group, sample industry code, {indicator: (大型下限, 中型下限, 小型下限)}
TABLE = [
    ("农、林、牧、渔业", "A0111", {"revenue": (20000, 500, 50)}),
    ("工业", "C3311", {"employees": (1000, 300, 20), "revenue": (40000, 2000, 300)}),
    ("建筑业", "E4710", {"revenue": (80000, 6000, 300), "assets": (80000, 5000, 300)}),
    ("批发业", "F5111", {"employees": (200, 20, 5), "revenue": (40000, 5000, 1000)}),
    ("零售业", "F5211", {"employees": (300, 50, 10), "revenue": (20000, 500, 100)}),
    ("交通运输业", "G5411", {"employees": (1000, 300, 20), "revenue": (30000, 3000, 200)}),
    ("仓储业", "G5920", {"employees": (200, 100, 20), "revenue": (30000, 1000, 100)}),
    ("邮政业", "G6010", {"employees": (1000, 300, 20), "revenue": (30000, 2000, 100)}),
    ("住宿业", "H6110", {"employees": (300, 100, 10), "revenue": (10000, 2000, 100)}),
    ("餐饮业", "H6210", {"employees": (300, 100, 10), "revenue": (10000, 2000, 100)}),
    ("信息传输业", "I6311", {"employees": (2000, 100, 10), "revenue": (100000, 1000, 100)}),
    ("软件和信息技术服务业", "I6511", {"employees": (300, 100, 10), "revenue": (10000, 1000, 50)}),
    ("房地产开发经营", "K7010", {"revenue": (200000, 1000, 100), "assets": (10000, 5000, 2000)}),
    ("物业管理", "K7020", {"employees": (1000, 300, 100), "revenue": (5000, 1000, 500)}),
    ("租赁和商务服务业", "L7211", {"employees": (300, 100, 10), "assets": (120000, 8000, 100)}),
    ("其他未列明行业", "M7320", {"employees": (300, 100, 10)}),
]


def figures(bounds, tier, lower_one=None):
    """Every indicator exactly at the tier's lower bound; optionally one of them just below."""
    values = {"employees": None, "revenue": None, "assets": None}
    for key, b in bounds.items():
        value = b[tier]
        if key == lower_one:
            value = value - 1 if key == "employees" else Decimal(value) - Decimal("0.01")
        values[key] = value if key == "employees" else Decimal(value)
    return values["employees"], values["revenue"], values["assets"]


AT_BOUND = [
    pytest.param(code, group, bounds, tier, id=f"{group}-{SIZES[tier]}-at-bound")
    for group, code, bounds in TABLE
    for tier in range(3)
]
ONE_BELOW = [
    pytest.param(code, group, bounds, tier, key, id=f"{group}-{SIZES[tier]}-{key}-below")
    for group, code, bounds in TABLE
    for tier in range(3)
    for key in bounds
]


@pytest.mark.parametrize(("code", "group", "bounds", "tier"), AT_BOUND)
def test_given_every_indicator_at_lower_bound_when_classified_then_that_size(code, group, bounds, tier):
    result = classify(code, *figures(bounds, tier))
    assert (result.size, result.group) == (SIZES[tier], group), result.reason


@pytest.mark.parametrize(("code", "group", "bounds", "tier", "key"), ONE_BELOW)
def test_given_one_indicator_just_below_bound_when_classified_then_next_size_down(code, group, bounds, tier, key):
    result = classify(code, *figures(bounds, tier, lower_one=key))
    assert (result.size, result.group) == (SIZES[tier + 1], group), result.reason


@pytest.mark.parametrize(("group", "code", "bounds"), TABLE, ids=[row[0] for row in TABLE])
def test_given_one_indicator_below_small_and_others_huge_when_classified_then_micro(group, code, bounds):
    for key in bounds:
        values = {k: (10**7 if k == "employees" else Decimal(10**9)) for k in bounds}
        values[key] = 0 if key == "employees" else Decimal(0)
        result = classify(code, values.get("employees"), values.get("revenue"), values.get("assets"))
        assert result.size == "微型", result.reason
        assert "微型企业只须满足一项指标" in result.reason


def test_given_large_industrial_enterprise_when_classified_then_reason_lists_each_indicator():
    result = classify("C3311", 1200, Decimal("45000.5"), None)
    assert result.size == "大型"
    assert "从业人员1200人（大型下限1000人）" in result.reason
    assert "营业收入45000.5万元（大型下限40000万元）" in result.reason


def test_given_many_staff_but_little_revenue_when_classified_then_falls_a_tier():
    # 说明 1: 大型、中型和小型企业须同时满足所列指标的下限，否则下划一档
    assert classify("C3311", 5000, Decimal(2500), None).size == "中型"


@pytest.mark.parametrize(
    ("code", "employees", "revenue", "assets", "fragment"),
    [
        ("C3311", 500, None, None, "需要营业收入"),
        ("E4710", None, Decimal(7000), None, "需要资产总额"),
        ("M7320", None, None, None, "需要从业人员"),
        ("C3311", -1, Decimal(1), None, "不能为负数"),
    ],
)
def test_given_missing_or_bad_figure_when_classified_then_none_with_reason(code, employees, revenue, assets, fragment):
    result = classify(code, employees, revenue, assets)
    assert result.size is None
    assert fragment in result.reason


def test_given_missing_figure_but_another_below_small_bound_when_classified_then_micro():
    assert classify("C3311", 8, None, None).size == "微型"


def test_given_float_and_int_amounts_when_classified_then_handled_as_decimal():
    assert classify("A0111", None, 499.99, None).size == "小型"
    assert classify("A0111", None, 500, None).size == "中型"


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("0111", "农、林、牧、渔业"),
        ("A", "农、林、牧、渔业"),
        ("B0610", "工业"),
        ("C", "工业"),
        ("D4411", "工业"),
        ("43", "工业"),
        ("E", "建筑业"),
        ("5810", "交通运输业"),
        ("591", "交通运输业"),
        ("5910", "交通运输业"),
        ("5920", "仓储业"),
        ("599", "仓储业"),
        ("6020", "邮政业"),
        ("6421", "信息传输业"),
        ("6513", "软件和信息技术服务业"),
        ("7010", "房地产开发经营"),
        ("7030", "其他未列明行业"),
        ("7090", "其他未列明行业"),
        ("L", "租赁和商务服务业"),
        ("7111", "租赁和商务服务业"),
        ("7310", "其他未列明行业"),
        ("N7610", "其他未列明行业"),
        ("8010", "其他未列明行业"),
        ("8510", "其他未列明行业"),
        ("R", "其他未列明行业"),
        (" c3311 ", "工业"),
    ],
)
def test_given_industry_code_when_grouped_then_办法_group(code, group):
    assert group_for(code) == (group, "")


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("5310", "铁路运输业"),
        ("J6621", "金融业"),
        ("J", "门类J"),
        ("7040", "房地产租赁经营"),
        ("8310", "教育"),
        ("8411", "卫生"),
        ("S9210", "公共管理"),
        ("9700", "国际组织"),
        ("G", "只到门类"),
        ("59", "请提供中类代码"),
        ("70", "请提供中类代码"),
        ("A3311", "门类字母与大类33不一致"),
        ("98", "不是国民经济行业分类"),
        ("", "未填写行业代码"),
        ("XYZ", "格式不正确"),
    ],
)
def test_given_uncovered_or_unclear_industry_when_classified_then_none_with_reason(code, fragment):
    result = classify(code, 500, Decimal(50000), Decimal(50000))
    assert result.size is None and result.group is None
    assert fragment in result.reason


def test_given_every_small_class_of_gbt4754_when_grouped_then_group_or_explicit_exclusion():
    from qinqing.registry.standards import industry

    for code in industry.all_codes("小类"):
        group, reason = group_for(code)
        assert group is not None or "不对" in reason, (code, reason)
        assert group_for(industry.section_of(code) + code) == (group, reason)
