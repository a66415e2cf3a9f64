"""Registry API: scope, masking, restricted permission, statistics."""

import pytest

from qinqing.registry import actions

from .conftest import make_code


@pytest.fixture
def ent(tree, users):
    return actions.create_enterprise(
        actor=users.county_staff,
        fic=tree.county_a,
        credit_code=make_code(1),
        name="API企业",
        contact_mobile="13912345678",
    )


def test_given_staff_when_listing_enterprises_then_scoped_and_masked(ent, users, login, django_assert_max_num_queries):
    client = login(users.county_staff)
    with django_assert_max_num_queries(8):
        data = client.get("/api/v1/registry/enterprises/").json()
    names = {row["name"] for row in data["results"]}
    assert "API企业" in names and "华容县芥菜加工有限公司" not in names
    row = next(r for r in data["results"] if r["name"] == "API企业")
    assert row["contact_mobile"] == "139****5678"


def test_given_other_county_then_404(ent, users, login):
    assert login(users.county_b_staff).get(f"/api/v1/registry/enterprises/{ent.pk}/").status_code == 404


def test_given_liaison_then_403(users, login):
    assert login(users.liaison).get("/api/v1/registry/enterprises/").status_code == 403
    assert login(users.enterprise).get("/api/v1/registry/statistics/").status_code == 403


def test_given_patch_then_action_applies(ent, users, login):
    client = login(users.county_staff)
    response = client.patch(
        f"/api/v1/registry/enterprises/{ent.pk}/", {"employees": 12}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["employees"] == 12


def test_given_statistics_then_figures(chamber, users, login):
    data = login(users.city_staff).get("/api/v1/registry/statistics/").json()
    assert data["chambers_by_type"][0] == {
        "type": "industry",
        "label": "行业商会",
        "count": 1,
        "last_year": 1,
        "change": 0,
    }
    assert data["party_coverage"]["total"] == 1
