"""Every scope's enterprise count, and the list's industry filter, still read an index after migrations 0012 and
0013 dropped the plain ``org_path`` and ``industry_code`` indexes (the (org_path, name) index answers equalities and
lists of paths, PostgreSQL's ``varchar_pattern_ops`` twins the prefixes)."""

import pytest
from django.db import connection

from qinqing.health.permissions import visible_enterprises as health_visible
from qinqing.registry.models import Enterprise
from qinqing.registry.permissions import visible_enterprises

TABLE = Enterprise._meta.db_table


def _indexes() -> dict[str, list[str]]:
    with connection.cursor() as cur:
        found = connection.introspection.get_constraints(cur, TABLE)
    return {name: c["columns"] for name, c in found.items() if c["index"] and not c["primary_key"]}


@pytest.mark.parametrize("column", ["org_path", "industry_code"])
def test_the_plain_index_is_gone_and_the_prefix_twin_stays(db, column):
    indexes = _indexes()
    # its key columns; PostgreSQL's also carries credit_code and id (migration 0014: the searched list's index)
    assert indexes["enterprise_scope_name"][:2] == ["org_path", "name"]
    alone = [name for name, columns in indexes.items() if columns == [column]]
    # PostgreSQL keeps the prefix twin (…_like); SQLite never had one.
    if connection.vendor == "postgresql":
        assert len(alone) == 1 and alone[0].endswith("_like"), alone
    else:
        assert alone == [], alone


def _count_plan(qs) -> str:
    with connection.cursor() as cur:
        cur.execute("set local enable_seqscan = off")  # a test's few rows: ask what the indexes can answer
        sql, params = qs.values("pk").query.sql_with_params()
        cur.execute(f"explain select count(*) from ({sql}) counted", params)
        return "\n".join(row[0] for row in cur.fetchall())


@pytest.mark.postgres_only
def test_every_scope_count_reads_an_index(tree, users):
    scopes = {
        "county (equality)": visible_enterprises(users.county_staff),
        "city (list of paths)": visible_enterprises(users.city_staff),
        "prefix (health, matching)": health_visible(users.leader),
        "prefix (startswith)": Enterprise.objects.filter(org_path__startswith=tree.city.path),
    }
    for label, qs in scopes.items():
        plan = _count_plan(qs)
        assert f"Seq Scan on {TABLE}" not in plan and "Index" in plan, (label, plan)
    # Equalities and lists of paths: the (org_path, name) index or the prefix twin, whichever the planner costs
    # lower on a test's few rows (both answer them; seen: the twin for the county's equality).
    for label in ("county (equality)", "city (list of paths)"):
        plan = _count_plan(scopes[label])
        assert "enterprise_scope_name" in plan or "org_path_" in plan, (label, plan)
    assert "org_path_" in _count_plan(scopes["prefix (startswith)"])  # the varchar_pattern_ops twin


@pytest.mark.postgres_only
def test_the_industry_filter_reads_its_prefix_index(tree, users):
    from qinqing.registry.filters import EnterpriseFilter

    qs = EnterpriseFilter({"industry": "13"}, queryset=Enterprise.objects.all()).qs
    assert "industry_code" in str(qs.query) and "LIKE" in str(qs.query).upper()
    plan = _count_plan(qs)
    assert f"Seq Scan on {TABLE}" not in plan and "industry_code" in plan, plan
