"""Names, not codes (issue 10): industry as 代码 + 名称 in lists, detail and exports; regions by name."""

import pytest

from qinqing.orgs.models import Region
from qinqing.registry.models import ChamberBranch, Enterprise
from qinqing.registry.tests.samples import _chamber

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(tree):
    Region.objects.get_or_create(code="430621", valid_from=None, defaults={"name": "岳阳县", "level": 3})
    Enterprise.objects.filter(pk=tree.ent_a.pk).update(industry_code="3311", region_code="430621")
    return tree


def test_given_industry_code_when_listed_and_opened_then_code_and_name(named, users, client):
    client.force_login(users.county_staff)
    listing = client.get("/registry/enterprises/").content.decode()
    detail = client.get(f"/registry/enterprises/{named.ent_a.pk}/").content.decode()
    assert "C3311 金属结构制造" in listing and "C3311 金属结构制造" in detail
    assert "岳阳县（430621）" in detail


def test_given_branch_region_when_chamber_opened_then_region_name_shown(named, users, client):
    chamber = _chamber(named, users)
    ChamberBranch.objects.create(chamber=chamber, name="新墙联络站", region_code="430621")
    client.force_login(users.county_staff)
    html = client.get(f"/registry/chambers/{chamber.pk}/").content.decode()
    assert "岳阳县（430621）" in html


def test_given_export_when_read_then_industry_and_region_names_beside_codes(named, users, client):
    from qinqing.registry.exporting import enterprise_rows
    from qinqing.registry.importing.columns import ENTERPRISE_COLUMNS

    keys = [c.key for c in ENTERPRISE_COLUMNS]
    row = next(r for r in enterprise_rows(Enterprise.objects.filter(pk=named.ent_a.pk), users.county_staff))
    assert row[keys.index("industry_name")] == "金属结构制造"
    assert row[keys.index("region_name")] == "岳阳县"


def test_given_industry_and_region_codes_when_read_by_api_then_names_beside_codes(named, users, client):
    client.force_login(users.county_staff)
    data = client.get(f"/api/v1/registry/enterprises/{named.ent_a.pk}/").json()
    assert (data["industry_code"], data["industry_name"]) == ("3311", "金属结构制造")
    assert (data["region_code"], data["region_name"]) == ("430621", "岳阳县")
    listed = client.get("/api/v1/registry/enterprises/").json()["results"]
    assert {row["industry_name"] for row in listed if row["id"] == named.ent_a.pk} == {"金属结构制造"}
