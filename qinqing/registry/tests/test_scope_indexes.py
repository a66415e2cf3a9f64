"""Every scope's enterprise count still reads an index after migration 0012 dropped the plain ``org_path`` index
(the (org_path, name) index answers equalities and lists of paths, the ``varchar_pattern_ops`` twin the prefix)."""

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


def test_the_plain_org_path_index_is_gone_and_the_scope_index_stays(db):
    indexes = _indexes()
    assert indexes["enterprise_scope_name"] == ["org_path", "name"]
    alone = [name for name, columns in indexes.items() if columns == ["org_path"]]
    # PostgreSQL keeps the prefix twin (…_like); SQLite never had one.
    assert alone == ([n for n in alone if n.endswith("_like")] if connection.vendor == "postgresql" else []), alone
    if connection.vendor == "postgresql":
        assert len(alone) == 1


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
    assert "enterprise_scope_name" in _count_plan(scopes["county (equality)"])
    assert "enterprise_scope_name" in _count_plan(scopes["city (list of paths)"])
    assert "org_path_" in _count_plan(scopes["prefix (startswith)"])  # the varchar_pattern_ops twin
