"""The matching read of a scope holding most of the registry reads figures and memberships without the join to
the scope's enterprises (eligibility.attributes.covers_most); the frame must be the same as with the join, and
another scope's enterprises, figures and memberships must not appear in it."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from qinqing.eligibility import attributes

TODAY = datetime.date(2026, 12, 6)


@pytest.fixture
def both_counties(tree):
    from qinqing.registry.models import Enterprise, EnterpriseYearFigures, Member

    inside = Enterprise.objects.create(
        credit_code="91430621MA4R000011", name="范围内企业", fic=tree.county_a, org_path=tree.county_a.path,
        region_code="430621", revenue_wan=Decimal("10.00"),
    )  # fmt: skip
    for enterprise, revenue in ((inside, "2000.01"), (tree.ent_b, "999.99")):
        EnterpriseYearFigures.objects.create(enterprise=enterprise, year=2025, revenue_wan=Decimal(revenue))
    joined = TODAY - datetime.timedelta(days=30)
    for org, enterprise in ((tree.county_a, inside), (tree.chamber_a, inside), (tree.chamber_b, tree.ent_b),
                            (tree.county_b, tree.ent_b)):  # fmt: skip
        Member.objects.create(organization=org, org_path=org.path, kind="enterprise", enterprise=enterprise,
                              joined_on=joined)  # fmt: skip
    return inside


def test_given_two_scopes_when_read_with_and_without_the_scope_join_then_the_same_frame(
    tree, both_counties, monkeypatch
):
    monkeypatch.setattr(attributes, "covers_most", lambda enterprises: False)
    joined = attributes.read_frame(tree.county_a.path, today=TODAY)
    monkeypatch.setattr(attributes, "covers_most", lambda enterprises: True)
    whole = attributes.read_frame(tree.county_a.path, today=TODAY)

    assert whole.equals(joined)
    assert set(whole.get_column("id").to_list()) == {tree.ent_a.pk, both_counties.pk}
    row = whole.filter(whole["id"] == both_counties.pk).row(0, named=True)
    assert row["revenue"] == 2000.01 and row["member"] is True and row["chambers"] == [tree.chamber_a.pk]


def test_given_the_planner_estimate_when_asked_then_the_whole_registry_covers_most_and_no_match_does_not(tree):
    from qinqing.registry.models import Enterprise

    if connection.vendor != "postgresql":
        assert attributes.covers_most(Enterprise.objects.all()) is False  # SQLite: always the join
        return
    Enterprise.objects.bulk_create(
        Enterprise(
            credit_code=f"91430623MA4R{i:06d}", name=f"华容县企业{i}", fic=tree.county_b, org_path=tree.county_b.path
        )
        for i in range(60)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_enterprise")
    assert attributes.covers_most(Enterprise.objects.filter(org_path__startswith="/")) is True
    assert attributes.covers_most(Enterprise.objects.filter(org_path__startswith=tree.county_b.path)) is True
    assert attributes.covers_most(Enterprise.objects.filter(org_path__startswith=tree.county_a.path)) is False
    assert attributes.covers_most(Enterprise.objects.filter(org_path__startswith="/无此机构/")) is False
