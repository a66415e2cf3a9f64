"""Demo chambers: counts by type as the 岳阳 report, names that fit their type."""

import random
from collections import Counter

import pytest

from qinqing.core.demo_tree import allocate
from qinqing.registry.choices import ChamberType
from qinqing.registry.demo_chambers import SEED_COUNTS, Fic, plan_chambers, type_for_name

YUEYANG = [
    Fic(0, "岳阳市", "430600", False),
    Fic(1, "岳阳县", "430621", True),
    Fic(2, "华容县", "430623", True),
    Fic(3, "湘阴县", "430624", True),
    Fic(4, "平江县", "430626", True),
    Fic(5, "汨罗市", "430681", True),
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("岳阳市浙江商会", ChamberType.NONLOCAL),
        ("岳阳县温州商会", ChamberType.NONLOCAL),
        ("岳阳县餐饮行业商会", ChamberType.INDUSTRY),
        ("华容县建材商会", ChamberType.INDUSTRY),
        ("华容县章华镇商会", ChamberType.TOWNSHIP),
        ("岳阳市东茅岭市场商会", ChamberType.MARKET),
        ("岳阳市青年企业家商会", ChamberType.OTHER),
    ],
)
def test_given_a_chamber_name_then_its_type_is_plausible(name, expected):
    assert type_for_name(name) == expected


def test_given_the_city_profile_then_counts_by_type_are_the_reports_and_names_fit():
    existing = [(0, "岳阳市浙江商会")]  # made by the demo tree for the secretary account

    types, planned = plan_chambers(163, YUEYANG, existing, random.Random(1))

    assert types == [ChamberType.NONLOCAL]
    counts = Counter(types + [p.chamber_type for p in planned])
    assert (
        counts
        == SEED_COUNTS
        == {
            ChamberType.INDUSTRY: 78,
            ChamberType.MARKET: 5,
            ChamberType.NONLOCAL: 21,
            ChamberType.TOWNSHIP: 48,
            ChamberType.OTHER: 11,
        }
    )
    names = [p.name for p in planned] + ["岳阳市浙江商会"]
    assert len(set(names)) == len(names)
    assert all(type_for_name(p.name) == p.chamber_type for p in planned)
    assert all(p.fic != 0 for p in planned if p.chamber_type == ChamberType.TOWNSHIP)  # towns belong to counties
    assert all(YUEYANG[p.fic].place in p.name for p in planned)


def test_given_a_small_profile_then_proportions_kept_and_same_seed_same_plan():
    one = plan_chambers(20, YUEYANG[1:2], [], random.Random(7))
    assert one == plan_chambers(20, YUEYANG[1:2], [], random.Random(7))
    counts = Counter(p.chamber_type for p in one[1])
    assert counts == dict(zip(SEED_COUNTS, allocate(20, list(SEED_COUNTS.values())), strict=True))
    assert counts[ChamberType.INDUSTRY] == 9 and counts[ChamberType.TOWNSHIP] == 6


# --- 联络站 and contact persons -------------------------------------------------------------------------


def test_given_chambers_when_planning_branches_then_nonlocal_ones_mostly_in_their_home_town_and_towns_none():
    from qinqing.orgs import regions
    from qinqing.registry.demo_chambers import plan_branches

    rng = random.Random(7)
    nonlocal_ = [plan_branches("岳阳市浙江商会", ChamberType.NONLOCAL, rng) for _ in range(200)]
    towns = [plan_branches("岳阳县新墙镇商会", ChamberType.TOWNSHIP, rng) for _ in range(50)]

    with_branch = [b for b in nonlocal_ if b]
    assert 0.55 < len(with_branch) / 200 < 0.85
    assert all(b[0] == ("岳阳市浙江商会杭州联络站", "330100") for b in with_branch)
    assert not any(towns)
    codes = {code for plan in nonlocal_ for _name, code in plan}
    assert all(regions.region_of(code) is not None and regions.region_of(code).current for code in codes)
    again = random.Random(7)
    assert [plan_branches("岳阳市浙江商会", ChamberType.NONLOCAL, again) for _ in range(200)] == nonlocal_


@pytest.mark.django_db
def test_given_the_county_demo_then_branches_and_contacts_with_valid_numbers():
    import io

    from django.core.management import call_command

    from qinqing.registry import rules
    from qinqing.registry.models import Chamber, ChamberBranch, Enterprise, EnterpriseContact

    call_command("seed_demo", "--profile", "county", stdout=io.StringIO())

    contacts = list(EnterpriseContact.objects.values_list("enterprise_id", "name", "mobile", "id_number"))
    enterprises = Enterprise.objects.count()
    assert 0.3 < len({c[0] for c in contacts}) / enterprises < 0.5
    assert all(rules.mobile_number(mobile) == mobile for _e, _n, mobile, _i in contacts)
    with_id = [number for *_rest, number in contacts if number]
    assert len(with_id) > len(contacts) / 3 and all(rules.id_number(number) == number for number in with_id)
    branches = list(ChamberBranch.objects.select_related("chamber"))
    assert 0 < len({b.chamber_id for b in branches}) < Chamber.objects.count()
    assert all(b.established_on >= b.chamber.registered_on for b in branches)
    assert all(rules.region_code(b.region_code) == b.region_code for b in branches)
