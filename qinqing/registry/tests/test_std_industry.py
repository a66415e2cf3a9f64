"""国民经济行业分类 (GB/T 4754-2017) table shipped with the registry."""

import pytest

from qinqing.registry.standards import industry
from qinqing.registry.standards.industry import UnknownIndustryCode


@pytest.mark.parametrize(("level", "count"), [("门类", 20), ("大类", 97), ("中类", 473)])
def test_given_shipped_table_when_counted_then_matches_the_2017_edition(level, count):
    assert len(industry.all_codes(level)) == count


def test_given_shipped_table_when_small_classes_counted_then_1381():
    # Published totals for 小类 differ (1380 / 1381 / 1382). Four independent public code lists
    # (our source and three cross-checks, all including the classes added around the 2019
    # amendment) hold exactly the same 1381 codes; none has a 1382nd, so none is invented.
    # See docs/standards.md, "小类 count".
    assert len(industry.all_codes("小类")) == 1381


@pytest.mark.parametrize(
    ("code", "name"),
    [
        # Present in every cross-checked list (see docs/standards.md).
        ("0231", "森林经营和管护"),
        ("0232", "森林改培"),
        ("7215", "农村集体经济组织管理"),
        ("7715", "动物园、水族馆管理服务"),
        ("7716", "植物园管理服务"),
        ("9541", "宗教团体服务"),
        ("9542", "宗教活动场所服务"),
        # Our source had “其他会议、展览及相关服务”; three independent lists have 会展.
        ("7289", "其他会议、会展及相关服务"),
    ],
)
def test_given_cross_checked_small_class_when_labelled_then_agreed_name(code, name):
    entry = industry.lookup(code)
    assert entry is not None and entry.level == "小类"
    assert entry.name == name


def test_given_every_entry_when_parent_checked_then_hierarchy_is_consistent():
    expected_parent_level = {"大类": "门类", "中类": "大类", "小类": "中类"}
    for level in industry.LEVELS:
        for code in industry.all_codes(level):
            entry = industry.lookup(code)
            assert entry.level == level
            if level == "门类":
                assert entry.parent is None and entry.section == code
                continue
            parent = industry.lookup(entry.parent)
            assert parent.level == expected_parent_level[level], code
            assert parent.section == entry.section
            if level != "大类":
                assert code.startswith(parent.code)
            assert entry.name


def test_given_each_section_when_divisions_listed_then_contiguous_01_to_97():
    divisions = industry.all_codes("大类")
    assert divisions == [f"{n:02d}" for n in range(1, 98)]
    assert industry.all_codes("门类") == list("ABCDEFGHIJKLMNOPQRST")


@pytest.mark.parametrize(
    ("code", "name"),
    [
        # 2011 "6510 软件开发" became 中类 651 with four 小类 in 2017.
        ("651", "软件开发"),
        ("6511", "基础软件开发"),
        ("6512", "支撑软件开发"),
        ("6513", "应用软件开发"),
        ("6519", "其他软件开发"),
        # 2011 "05 农、林、牧、渔服务业" became 专业及辅助性活动 in 2017.
        ("05", "农、林、牧、渔专业及辅助性活动"),
        ("11", "开采专业及辅助性活动"),
        ("58", "多式联运和运输代理业"),
        ("59", "装卸搬运和仓储业"),
        ("7040", "房地产租赁经营"),
        ("3963", "智能无人飞行器制造"),
        ("5267", "机动车充电销售"),
        ("6431", "互联网生产服务平台"),
        ("15", "酒、饮料和精制茶制造业"),
        ("87", "广播、电视、电影和录音制作业"),
    ],
)
def test_given_code_changed_since_2011_when_labelled_then_2017_name(code, name):
    assert industry.label(code) == name


def test_given_undivided_middle_class_when_looked_up_then_its_0_small_class_exists():
    assert industry.lookup("022").name == "造林和更新"
    assert industry.lookup("0220").parent == "022"
    assert [c.code for c in industry.children("022")] == ["0220"]


@pytest.mark.parametrize("code", ["C3311", "c3311", " 3311 ", "3311"])
def test_given_code_variants_when_looked_up_then_same_entry(code):
    entry = industry.lookup(code)
    assert entry.code == "3311" and entry.name == "金属结构制造" and entry.section == "C"
    assert industry.display(code) == "C3311 金属结构制造"


def test_given_wrong_section_letter_when_looked_up_then_not_found():
    assert industry.lookup("A3311") is None


@pytest.mark.parametrize(("code", "section"), [("0111", "A"), ("06", "B"), ("651", "I"), ("9700", "T"), ("K", "K")])
def test_given_code_when_section_asked_then_letter(code, section):
    assert industry.section_of(code) == section


@pytest.mark.parametrize("code", ["", "98", "6510", "Z", "12345"])
def test_given_unknown_code_when_used_then_none_or_chinese_error(code):
    assert industry.lookup(code) is None
    assert industry.label(code) == ""
    with pytest.raises(UnknownIndustryCode) as excinfo:
        industry.section_of(code)
    assert "不在国民经济行业分类" in str(excinfo.value)


def test_given_bad_level_when_listing_then_value_error():
    with pytest.raises(ValueError):
        industry.all_codes("细类")
