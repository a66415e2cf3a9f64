"""The matching read gives the same frame on every path (core.bulkread): on PostgreSQL Arrow (ADBC), CSV COPY on
parallel connections and CSV COPY on Django's connection (the path before Arrow); on SQLite Python rows. The
rows of the comparison are committed (a transactional test), because the parallel paths read on their own
connections."""

import datetime
from decimal import Decimal

import polars as pl
import pytest
from django.db import connection, transaction

from qinqing.core import bulkread
from qinqing.eligibility.attributes import read_frame

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 6)


def _member(org, enterprise, joined=TODAY - datetime.timedelta(days=30), left=None):
    from qinqing.registry.models import Member

    return Member.objects.create(
        organization=org, org_path=org.path, kind="enterprise", enterprise=enterprise, joined_on=joined, left_on=left
    )


@pytest.fixture
def firms(tree):
    """Enterprises with NULLs, blanks, awkward decimals, several years, memberships in and out of force."""
    from qinqing.registry.models import Enterprise, EnterpriseYearFigures

    def firm(i, **fields):
        return Enterprise.objects.create(
            credit_code=f"91430621MA4R{i:06d}", name=f"读取路径企业{i}", fic=tree.county_a,
            org_path=tree.county_a.path, **fields,
        )  # fmt: skip

    full = firm(1, region_code="430621", industry_code="1391", size_class="小型", founded_on=datetime.date(2010, 3, 1),
                employees=12, revenue_wan=Decimal("1234.56"), total_assets_wan=Decimal("0.10"),
                qualifications="high_tech,srdi", contact_mobile="13800138000")  # fmt: skip
    blank = firm(2)  # every optional column blank or NULL, no figures, no memberships
    big = firm(3, region_code="430623", industry_code="C", revenue_wan=Decimal("12345678901234.99"),
               total_assets_wan=Decimal("-3.30"), employees=0)  # fmt: skip
    EnterpriseYearFigures.objects.create(enterprise=full, year=2024, revenue_wan=Decimal("99.99"), employees=5)
    EnterpriseYearFigures.objects.create(
        enterprise=full, year=2025, revenue_wan=Decimal("2000.01"), tax_wan=Decimal("0.07"),
        rd_spend_wan=Decimal("123.45"), employees=None, total_assets_wan=None,
    )  # fmt: skip
    EnterpriseYearFigures.objects.create(
        enterprise=big, year=2025, revenue_wan=Decimal("0.00"), rd_spend_wan=Decimal("1")
    )
    _member(tree.county_a, full, joined=TODAY - datetime.timedelta(days=10))
    _member(tree.chamber_a, full)
    _member(tree.chamber_b, big, joined=TODAY - datetime.timedelta(days=400), left=TODAY)  # left today: not in force
    _member(tree.chamber_a, big, joined=TODAY + datetime.timedelta(days=1))  # not yet
    return {"full": full, "blank": blank, "big": big}


@pytest.mark.django_db(transaction=True)  # committed rows: the parallel paths read on their own connections
def test_given_nulls_decimals_and_memberships_when_read_then_every_path_gives_the_same_frame(tree, firms, monkeypatch):
    hows = list(bulkread.HOWS) if connection.vendor == "postgresql" else ["copy"]
    frames = {how: read_frame(tree.county_a.path, today=TODAY, how=how) for how in hows}
    frames["default"] = read_frame(tree.county_a.path, today=TODAY)
    reference = frames["copy"]
    for how, frame in frames.items():
        assert frame.schema == reference.schema, how
        assert frame.equals(reference), how  # equals: NULLs in the same places, doubles bit for bit

    rows = {row["id"]: row for row in reference.iter_rows(named=True)}
    full, blank, big = rows[firms["full"].pk], rows[firms["blank"].pk], rows[firms["big"].pk]
    # the latest year's figures win; a NULL there falls back to the enterprise's own value
    assert full["revenue"] == 2000.01 and full["tax"] == 0.07 and full["employees"] == 12.0
    assert full["total_assets"] == 0.1 and full["rd_ratio"] == 123.45 * 100 / 2000.01
    assert full["industry"] == "C1391" and full["size_class"] == "小型" and full["qualifications"] == 3
    assert full["member"] is True and full["chambers"] == [tree.chamber_a.pk]
    assert blank["region"] is None and blank["industry"] is None and blank["size_class"] is None
    assert blank["revenue"] is None and blank["years"] is None and blank["employees"] is None
    assert blank["member"] is False and blank["chambers"] == [] and blank["qualifications"] == 0
    assert big["revenue"] == 0.0 and big["rd_ratio"] is None and big["total_assets"] == -3.3
    assert big["employees"] == 0.0 and big["chambers"] == []  # left today, joins tomorrow: neither in force

    # A few enterprises (an explanation page) stay on Django's connection: no driver connection is opened.
    def refuse(*args):
        raise AssertionError("a driver connection for a few enterprises")

    monkeypatch.setattr(bulkread, "_fetch_arrow", refuse)
    monkeypatch.setattr(bulkread, "_fetch_csv", refuse)
    few = read_frame(tree.county_a.path, enterprise_ids=[firms["full"].pk], today=TODAY)
    assert few.equals(reference.filter(reference["id"] == firms["full"].pk))


def test_given_an_encrypted_column_when_read_in_bulk_then_refused_on_every_path(tree, firms):
    from qinqing.registry.models import Enterprise

    hows = list(bulkread.HOWS) if connection.vendor == "postgresql" else ["copy"]
    for how in hows:
        with pytest.raises(ValueError, match="contact_mobile"):
            bulkread.read_frames([(Enterprise.objects.all(), ["id", "contact_mobile"], {"id": pl.Int64, "m": pl.Utf8})],
                                 how=how)  # fmt: skip


def test_given_uncommitted_rows_when_read_inside_a_transaction_then_the_default_path_sees_them(tree, firms):
    from qinqing.registry.models import Enterprise

    with transaction.atomic():
        late = Enterprise.objects.create(
            credit_code="91430621MA4R999999", name="事务内企业", fic=tree.county_a, org_path=tree.county_a.path,
            employees=7,
        )  # fmt: skip
        frame = read_frame(tree.county_a.path, today=TODAY)
        assert late.pk in frame.get_column("id").to_list()
