"""The registry fields the statistics need travel through the chamber import and export."""

import csv

import pytest

from qinqing.registry.importing.runner import run_import
from qinqing.registry.models import Chamber
from qinqing.registry.standards import uscc


def _code(n: int) -> str:
    body = f"51430621MJ{n:07d}"
    return body + uscc.check_char(body)


@pytest.mark.django_db
def test_given_party_columns_when_imported_then_stored_and_exported_back(tree, tmp_path, users):
    path = tmp_path / "c.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow(["商会名称", "所属工商联编码", "统一社会信用代码", "商会类型", "党组织类型", "党建联络员"])
        w.writerow(["岳阳县青年企业家商会", "430621", _code(1), "青年商会", "联合", ""])
        w.writerow(["岳阳县园区商会", "430621", _code(2), "园区商会", "无", "张联络"])
        w.writerow(["岳阳县特色商会", "430621", _code(3), "特色商会", "临时", ""])
    report = run_import("chambers", path, org=tree.city, dry_run=False)
    assert report.bad_rows == 1  # 临时 is not a party organisation type; the row is refused by name
    youth = Chamber.objects.get(credit_code=_code(1))
    park = Chamber.objects.get(credit_code=_code(2))
    assert (youth.chamber_type, youth.party_org_type) == ("youth", "joint")
    assert (park.chamber_type, park.party_org_type, park.party_liaison) == ("park", "none", "张联络")
    from qinqing.registry.exporting import chamber_rows
    from qinqing.registry.importing.columns import CHAMBER_COLUMNS

    keys = [c.key for c in CHAMBER_COLUMNS]
    rows = {r[keys.index("name")]: r for r in chamber_rows(Chamber.objects.all(), users.city_staff)}
    assert rows["岳阳县青年企业家商会"][keys.index("party_org_type")] == "联合党组织"
    assert rows["岳阳县园区商会"][keys.index("party_liaison")] == "张联络"
