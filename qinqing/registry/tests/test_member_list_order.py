"""The member list is ordered by the member's own columns (its copy of the organisation's path, newest joined
first), so the database answers it from the member_scope_order index without joining every member in scope
(0.95 s for a county at 3 M enterprises); the order users see is the model's (organisation, newest first)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qinqing.registry import actions
from qinqing.registry.members.views import in_list_order
from qinqing.registry.permissions import visible_members

from .conftest import make_code
from .plans import plan_in_index_order

D = datetime.date


@pytest.fixture
def members(tree, users):
    """Enterprise members of the county FIC, of a chamber below it and of the other county, joined on
    different days (one day twice, so the id decides)."""
    days = [D(2021, 3, 1), D(2024, 5, 2), D(2019, 1, 9), D(2024, 5, 2), D(2022, 7, 7), D(2020, 2, 2)]
    places = [tree.county_a, tree.chamber_a, tree.county_a, tree.county_a, tree.chamber_a, tree.county_b]
    made = []
    for n, (day, org) in enumerate(zip(days, places, strict=True)):
        staff = users.county_b_staff if org == tree.county_b else users.county_staff
        fic = tree.county_b if org == tree.county_b else tree.county_a
        region = "430623" if org == tree.county_b else "430621"
        ent = actions.create_enterprise(
            actor=staff, fic=fic, credit_code=make_code(900 + n, region), name=f"会员企业{n}有限公司"
        )
        made.append(actions.add_member(actor=staff, organization=org, kind="enterprise", enterprise=ent, joined_on=day))
    return made


def _shown(client) -> list[int]:
    response = client.get("/registry/members/")
    assert response.status_code == 200
    return [m.pk for m in response.context["page"].object_list]


@pytest.mark.parametrize("who", ["county_staff", "city_staff"])
def test_given_members_when_staff_list_them_then_organisation_then_newest_first(members, users, login, who):
    user = getattr(users, who)
    expected = list(
        visible_members(user).order_by("organization__path", "-joined_on", "id").values_list("pk", flat=True)
    )
    assert len(expected) == (5 if who == "county_staff" else 6)

    assert _shown(login(user)) == expected


def test_the_list_query_orders_by_the_members_own_columns(members, users, login):
    client = login(users.county_staff)
    with CaptureQueriesContext(connection) as ctx:
        _shown(client)
    page = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "registry_member"."id"')]
    assert len(page) == 1
    order = page[0].split("ORDER BY", 1)[1]
    assert '"registry_member"."org_path"' in order and '"registry_member"."joined_on" DESC' in order
    assert "orgs_organization" not in order  # no join needed to sort


@pytest.mark.postgres_only
def test_postgres_walks_the_scope_order_index_without_sorting(members, users):
    qs = in_list_order(visible_members(users.county_staff).select_related("organization", "enterprise", "group"))
    plan = plan_in_index_order(qs[:30])
    assert "member_scope_order" in plan, plan
    assert "Sort" not in plan, plan
    assert "org_path)::text >= " in plan, plan  # the scope's LIKE bounds the scan
