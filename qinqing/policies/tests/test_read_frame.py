"""Reading the matching frame in bulk (on PostgreSQL through COPY, drained straight from libpq)."""

from decimal import Decimal

import pytest

from qinqing.eligibility.attributes import read_frame

pytestmark = pytest.mark.django_db


def test_given_thousands_of_enterprises_when_frame_read_then_every_row_and_latest_figures_arrive(tree):
    from qinqing.registry.models import Enterprise, EnterpriseYearFigures

    firms = Enterprise.objects.bulk_create(
        [
            Enterprise(
                credit_code=f"X{i:017d}",
                name=f'读取测试企业{i}，含"引号"和,逗号',
                fic=tree.county_a,
                org_path=tree.county_a.path,
                region_code="430621",
                employees=i,
                qualifications="high_tech,srdi" if i % 2 else "",
            )
            for i in range(3000)
        ]
    )
    EnterpriseYearFigures.objects.bulk_create(
        [EnterpriseYearFigures(enterprise=f, year=year, revenue_wan=Decimal(year - 2000)) for f in firms[:500]
         for year in (2024, 2025)]
    )  # fmt: skip
    frame = read_frame(tree.county_a.path)
    assert frame.height == 3001  # and ent_a of the tree
    rows = {row["id"]: row for row in frame.iter_rows(named=True)}
    assert rows[firms[7].pk]["employees"] == 7 and rows[firms[7].pk]["qualifications"] == 3
    assert rows[firms[8].pk]["qualifications"] == 0
    assert rows[firms[3].pk]["revenue"] == 25 and rows[firms[2999].pk]["revenue"] is None
