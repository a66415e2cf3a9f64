"""The foreign keys whose own index was dropped (``core.schema_ops.without_own_index``): no index of their own is
left, an index of the table leads with their column, and a lookup by that column reads an index on both databases."""

import pytest
from django.apps import apps
from django.db import connection

DROPPED = [
    ("registry.EnterpriseYearFigures", "enterprise"),
    ("policies.PolicyPush", "policy"),
    ("notifications.Notification", "recipient"),
    ("surveys.AnswerValue", "survey"),
    ("appeals.Appeal", "enterprise"),
    ("appeals.Appeal", "lead_department"),
    ("health.HealthResult", "enterprise"),
]


@pytest.mark.parametrize(("label", "field"), DROPPED)
def test_the_foreign_key_is_served_by_the_composite_index(db, label, field):
    model = apps.get_model(label)
    column = model._meta.get_field(field).column
    table = model._meta.db_table
    assert model._meta.get_field(field).db_index is False
    with connection.cursor() as cur:
        found = connection.introspection.get_constraints(cur, table)
    own = [name for name, c in found.items() if c["index"] and c["columns"] == [column] and not c["primary_key"]]
    assert own == [], own
    leading = [name for name, c in found.items() if (c["index"] or c["unique"]) and c["columns"][:1] == [column]]
    assert leading, found

    sql, params = model.objects.filter(**{f"{field}_id": 1}).values("pk").query.sql_with_params()
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("set local enable_seqscan = off")  # a test's few rows: ask what the indexes can answer
            cur.execute(f"explain {sql}", params)
            plan = "\n".join(row[0] for row in cur.fetchall())
            assert f"Seq Scan on {table}" not in plan and "Index" in plan, plan
        else:
            cur.execute(f"explain query plan {sql}", params)
            plan = "\n".join(str(row[-1]) for row in cur.fetchall())
            assert plan.startswith("SEARCH") and "INDEX" in plan, plan
