"""The registry figures an FIC reports: members by kind with the change, chambers by type with the change,
party-organisation coverage, chambers by rating; on the overview page and through the API."""

import datetime

import pytest

from qinqing.orgs.actions import create_organization
from qinqing.registry import actions, statistics
from qinqing.registry.chambers import actions as actions_chambers
from qinqing.registry.models import Chamber, Member


@pytest.fixture
def chambers(tree, users):
    """County A: industry (2019, party org, 四好 city 2024 + 2023 五好), nonlocal (2024), market (cancelled)."""
    staff = users.county_staff

    def make(name, ctype, registered, **fields):
        org = create_organization(kind="chamber", name=name, region_code="430621", parent=tree.county_a)
        return actions_chambers.register_chamber(
            org, actor=staff, chamber_type=ctype, registered_on=datetime.date(*registered), **fields
        )

    industry = make("岳阳县建材行业商会", "industry", (2019, 3, 1), party_org_established=True, party_members=12)
    nonlocal_ = make("岳阳县温州商会", "nonlocal", (2024, 5, 1), party_members=2)
    make(
        "岳阳县农产品批发市场商会", "market", (2018, 1, 1), registration_status="cancelled", party_org_established=True
    )
    actions_chambers.add_rating(industry, actor=staff, scheme="four_good_city", year=2024)
    actions_chambers.add_rating(industry, actor=staff, scheme="five_good", year=2023)
    return industry, nonlocal_


def rows(items, key):
    return {row[key]: row for row in items}


def test_given_chambers_when_counting_2024_then_by_type_with_change_and_cancelled_left_out(chambers):
    by_type = rows(statistics.chambers_by_type(Chamber.objects.all(), 2024), "type")

    assert (by_type["industry"]["count"], by_type["industry"]["change"]) == (1, 0)
    assert (by_type["nonlocal"]["count"], by_type["nonlocal"]["last_year"], by_type["nonlocal"]["change"]) == (1, 0, 1)
    assert by_type["market"]["count"] == 0
    assert (by_type["total"]["count"], by_type["total"]["change"]) == (2, 1)


def test_given_chambers_then_party_coverage_of_live_chambers_with_party_members(chambers):
    coverage = statistics.party_coverage(Chamber.objects.all(), 2024)
    assert coverage == {"total": 2, "covered": 1, "rate": 50.0, "party_members": 14}
    assert statistics.party_coverage(Chamber.objects.all(), 2023) == {
        "total": 1,
        "covered": 1,
        "rate": 100.0,
        "party_members": 12,
    }


def test_given_ratings_then_held_up_to_the_year_and_awarded_in_it(chambers):
    by_scheme = rows(statistics.chambers_by_rating(Chamber.objects.all(), 2024), "scheme")
    assert (by_scheme["four_good_city"]["count"], by_scheme["four_good_city"]["this_year"]) == (1, 1)
    assert (by_scheme["five_good"]["count"], by_scheme["five_good"]["this_year"]) == (1, 0)
    earlier = rows(statistics.chambers_by_rating(Chamber.objects.all(), 2023), "scheme")
    assert earlier["four_good_city"]["count"] == 0 and earlier["five_good"]["this_year"] == 1


def test_given_members_then_by_kind_at_year_end_with_change(tree, users):
    staff = users.county_staff
    actions.add_member(
        actor=staff, organization=tree.county_a, kind="enterprise", enterprise=tree.ent_a,
        joined_on=datetime.date(2023, 5, 1),
    )  # fmt: skip
    actions.add_member(
        actor=staff, organization=tree.county_a, kind="individual", person_name="张三",
        joined_on=datetime.date(2024, 2, 1),
    )  # fmt: skip
    actions.add_member(
        actor=staff, organization=tree.county_a, kind="individual", person_name="李四",
        joined_on=datetime.date(2020, 2, 1), left_on=datetime.date(2024, 6, 30),
    )  # fmt: skip

    by_kind = rows(statistics.members_by_kind(Member.objects.all(), 2024), "kind")

    assert (by_kind["enterprise"]["count"], by_kind["enterprise"]["change"]) == (1, 0)
    assert (by_kind["individual"]["count"], by_kind["individual"]["last_year"]) == (1, 1)
    assert (by_kind["total"]["count"], by_kind["total"]["last_year"], by_kind["total"]["change"]) == (2, 2, 0)


def test_given_members_joining_and_leaving_then_the_home_cards_count_is_the_by_kind_total(tree, users):
    """The 在册会员 card counts with one filtered count (members_in_register): the same number as the statistics'
    total, for FIC and chamber memberships, joined, left and not yet joined at the end of each year."""
    staff = users.county_staff
    chamber = create_organization(kind="chamber", name="岳阳县建材行业商会", region_code="430621", parent=tree.county_a)
    for organization, joined, left in [
        (tree.county_a, (2023, 5, 1), None),
        (tree.county_a, (2020, 2, 1), (2024, 6, 30)),
        (chamber, (2024, 2, 1), None),
        (chamber, (2025, 1, 1), (2025, 12, 31)),
        (tree.county_b, (2026, 3, 1), None),
    ]:
        actions.add_member(
            actor=staff if organization != tree.county_b else users.county_b_staff, organization=organization,
            kind="individual", person_name=f"会员{joined[0]}", joined_on=datetime.date(*joined),
            left_on=datetime.date(*left) if left else None,
        )  # fmt: skip
    for year in (2023, 2024, 2025, 2026):
        total = statistics.members_by_kind(Member.objects.all(), year)[-1]["count"]
        assert statistics.members_in_register(Member.objects.all(), year) == total, year
    assert statistics.members_in_register(Member.objects.all(), 2024) == 2


def test_given_overview_page_and_api_then_same_figures_and_bad_year_ignored(chambers, users, login):
    client = login(users.city_staff)
    body = client.get("/registry/?year=2024").content.decode()
    assert "党员 14 名" in body and "其中2024年度获评" in body
    assert client.get("/registry/?year=abc").status_code == 200

    data = client.get("/api/v1/registry/statistics/?year=2024").json()
    assert data["party_coverage"] == {"total": 2, "covered": 1, "rate": 50.0, "party_members": 14}
    assert rows(data["chambers_by_type"], "type")["total"]["change"] == 1
    assert client.get("/api/v1/registry/statistics/?year=99999").json()["year"] == datetime.date.today().year


def test_given_county_b_staff_then_county_a_chambers_not_counted(chambers, users, login):
    data = login(users.county_b_staff).get("/api/v1/registry/statistics/?year=2024").json()
    assert rows(data["chambers_by_type"], "type")["total"]["count"] == 0


def test_given_chambers_api_then_terms_ratings_branches_nested_with_bounded_queries(
    chambers, users, login, django_assert_max_num_queries
):
    industry, _nonlocal = chambers
    actions_chambers.add_branch(industry, actor=users.county_staff, name="长沙联络站", region_code="430100")
    client = login(users.county_staff)
    with django_assert_max_num_queries(12):
        data = client.get("/api/v1/registry/chambers/").json()
    row = next(item for item in data["results"] if item["id"] == industry.pk)
    assert [r["scheme"] for r in row["ratings"]] == ["four_good_city", "five_good"]
    assert row["branches"][0]["name"] == "长沙联络站" and row["terms"] == []
    assert login(users.county_b_staff).get(f"/api/v1/registry/chambers/{industry.pk}/").status_code == 404
