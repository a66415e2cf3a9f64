"""Demo data plausibility (issue 10): appeals go to their own county's or the city's departments; meetings are
chaired by leaders of the FIC's level."""

from types import SimpleNamespace

from qinqing.appeals.demo import handling_departments, host_leaders


def _dept(path):
    return SimpleNamespace(path=path)


def test_given_departments_of_three_levels_when_a_county_appeal_is_handled_then_own_or_city_only():
    own, city, other, province = (
        _dept("/P/C/K1/D1/"),
        _dept("/P/C/D2/"),
        _dept("/P/C/K2/D3/"),
        _dept("/P/D4/"),
    )
    assert handling_departments([own, city, other, province], "/P/C/K1/") == [own, city]
    assert handling_departments([city, other, province], "/P/C/K1/") == [city]


def test_given_fic_names_when_choosing_chairs_then_leaders_of_that_level():
    assert "县长" in host_leaders("岳阳县工商联") and "市长" not in host_leaders("岳阳县工商联")
    assert "市长" in host_leaders("岳阳市工商联") and "县长" not in host_leaders("岳阳市工商联")
    assert "区长" in host_leaders("岳阳楼区工商联")
    assert "汨罗市工商联主席" in host_leaders("汨罗市工商联")
