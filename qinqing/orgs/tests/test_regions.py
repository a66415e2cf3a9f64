"""GB/T 2260 table: the committed CSV, the pure lookups, and load_regions."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from qinqing.orgs import regions
from qinqing.orgs.models import Region


def test_given_the_csv_then_every_level_is_populated():
    rows = regions.read_csv()
    codes_by_level = Counter(r.level for r in {r.code: r for r in rows}.values())
    current = Counter(r.level for r in rows if r.current)
    assert len(rows) == 7657 and len({r.code for r in rows}) == 6734
    assert codes_by_level[regions.PROVINCE] == 34 + 0  # 31 provinces, 香港, 澳门, 台湾
    assert current[regions.PROVINCE] == 34
    assert 330 <= current[regions.PREFECTURE] <= 340
    assert 2800 <= current[regions.COUNTY] <= 2900


def test_given_the_csv_then_every_parent_exists_at_the_level_above():
    rows = regions.read_csv()
    levels = {r.code: r.level for r in rows}
    for row in rows:
        if row.level == regions.PROVINCE:
            assert row.parent_code == ""
        else:
            assert levels[row.parent_code] < row.level, row


def test_given_yueyang_county_then_it_is_present_under_yueyang():
    region = regions.region_of("430621")
    assert region.name == "岳阳县" and region.parent_code == "430600" and region.current
    assert regions.full_name("430621") == "湖南省岳阳市岳阳县"


def test_given_a_code_renamed_then_each_year_answers_its_own_name():
    assert regions.region_of("430602", 1990).name == "南区"
    assert regions.region_of("430602", 1990).valid_to == 1995
    assert regions.region_of("430602", 2020).name == "岳阳楼区"
    assert regions.region_of("430602").name == "岳阳楼区"
    assert regions.region_of("430602", 1983) is None  # not yet created


def test_given_an_abolished_code_then_it_is_kept_with_its_years():
    region = regions.region_of("110103")
    assert region.name == "崇文区" and region.valid_to == 2009 and not region.current
    assert regions.region_of("110103", 2009) is not None and regions.region_of("110103", 2010) is None
    assert not regions.is_current("110103")


def test_given_a_county_under_the_province_directly_then_its_parent_is_the_province():
    assert regions.region_of("429004").parent_code == "420000"
    assert regions.full_name("429004") == "湖北省仙桃市"


def test_given_an_unknown_code_then_nothing_is_found():
    assert regions.region_of("999999") is None and regions.full_name("999999") == ""


@pytest.mark.django_db
def test_given_load_regions_when_run_twice_then_the_second_run_changes_nothing():
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert "新增 7657" in out.getvalue()
    assert Region.objects.count() == 7657
    assert Region.objects.filter(code="430621", name="岳阳县").exists()
    abolished = Region.objects.get(code="110103")
    assert (abolished.valid_from, abolished.valid_to) == (None, 2009)
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert "新增 0，更新 0，删除 0，未变 7657" in out.getvalue()
    assert Region.objects.count() == 7657


@pytest.mark.django_db
def test_given_a_changed_csv_when_loaded_then_rows_are_updated_and_removed(tmp_path):
    csv = tmp_path / "r.csv"
    csv.write_text(
        "# test\ncode,name,level,parent_code,valid_from,valid_to\n"
        "430000,湖南省,1,,,\n430600,岳阳市,2,430000,1983,\n430621,岳阳县,3,430600,1983,\n",
        encoding="utf-8",
    )
    call_command("load_regions", path=str(csv), stdout=StringIO())
    csv.write_text(
        "code,name,level,parent_code,valid_from,valid_to\n430000,湖南省,1,,,\n430600,岳阳市（改）,2,430000,1983,\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("load_regions", path=str(csv), stdout=out)
    assert "新增 0，更新 1，删除 1，未变 1" in out.getvalue()
    assert list(Region.objects.values_list("code", "name")) == [("430000", "湖南省"), ("430600", "岳阳市（改）")]


@pytest.mark.django_db
def test_given_a_bad_csv_when_loaded_then_the_command_fails_in_chinese_and_nothing_changes(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("code,name,level,parent_code,valid_from,valid_to\n43062,岳阳县,3,430600,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第2行"):
        call_command("load_regions", path=str(csv))
    assert not Region.objects.exists()
