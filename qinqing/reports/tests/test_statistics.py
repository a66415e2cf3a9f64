"""Annual statistics of members and chambers as of a date against a year earlier, and the .xlsx export."""

import datetime as dt
import io

from openpyxl import load_workbook

from qinqing.registry.models import Chamber, Member
from qinqing.reports import statistics

DAY = dt.date(2025, 6, 30)


def _member(tree, kind, joined, left=None, **extra):
    return Member.objects.create(organization=tree.county_a, org_path=tree.county_a.path, kind=kind,
                                 person_name="某", joined_on=joined, left_on=left, **extra)  # fmt: skip


def test_given_members_and_chambers_then_counts_growth_share_and_party_rates(tree, users, client):
    _member(tree, "individual", dt.date(2020, 1, 1))
    _member(tree, "individual", dt.date(2020, 1, 1), dt.date(2025, 1, 1))  # left within the year
    _member(tree, "enterprise", dt.date(2025, 3, 1), enterprise=tree.ent_a, role="vice_chair", npc_level="county")
    Chamber.objects.create(organization=tree.chamber_a, org_path=tree.chamber_a.path, chamber_type="industry",
                           registration_status="registered", party_org_type="independent")  # fmt: skip
    Chamber.objects.create(organization=tree.chamber_b, org_path=tree.chamber_b.path, chamber_type="youth",
                           registration_status="unregistered", party_liaison="王某")  # fmt: skip
    data = statistics.build(tree.city.path, DAY)
    total = data["members"]["rows"][-1]
    assert (total["now"], total["before"], total["new"], total["left"]) == (2, 2, 1, 1)
    assert data["members"]["share_now"] == 50.0 and data["members"]["share_change"] == 50.0
    c = data["chambers"]
    assert c["rows"][-1]["now"] == 2 and c["rows"][-1]["registered"] == 1
    assert c["formation_rate"] == 50.0 and c["coverage_rate"] == 100.0
    assert data["leadership"]["seats"][0]["count"] == 1
    assert next(d for d in data["leadership"]["deputies"] if d["label"] == "县级")["npc"] == 1
    client.force_login(users.city_staff)
    response = client.get(f"/reports/statistics/?date={DAY}&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "一、会员" in cells and "青年商会" in cells
    page = client.get(f"/reports/statistics/?date={DAY}").content.decode()
    assert "党组织组建率 50.0%" in page
    assert "统计日期格式" in client.get("/reports/statistics/?date=2025-02-30").content.decode()
