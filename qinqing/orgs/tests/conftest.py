"""Fixtures for the organisation tests: the GB/T 2260 table loaded into the test database."""

import pytest

from qinqing.orgs import regions


@pytest.fixture(scope="session")
def region_rows():
    """The committed CSV, parsed once per test session."""
    return regions.read_csv()


@pytest.fixture
def region_table(db, region_rows):
    """The full region table in the database for one test (rolled back after it; ~0.3 s on SQLite)."""
    from qinqing.orgs.actions import sync_regions

    sync_regions(region_rows)
    return region_rows


@pytest.fixture
def hunan_regions(db, region_rows):
    """Only Hunan's codes (43xxxx): enough for the org-tree tests and ~20x cheaper than the full table."""
    from qinqing.orgs.actions import sync_regions

    sync_regions(r for r in region_rows if r.code.startswith("43"))


@pytest.fixture
def county_admin(tree):
    """A 系统管理员 of county A (the root fixtures only have a city-level one)."""
    from qinqing.accounts.actions import create_user

    return create_user(
        username="adm_a",
        name="县管理员",
        role="sys_admin",
        org=tree.county_a,
        password="Qinqing@2026!",
        must_change_password=False,
    )
