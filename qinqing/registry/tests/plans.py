"""The PostgreSQL plan of a list page's query when sorting (full or incremental) is ruled out: on a test's few rows
the planner would sort anyway, so this asks what the indexes can answer in the query's own order."""

import pytest
from django.db import connection


def plan_in_index_order(qs) -> str:
    if connection.vendor != "postgresql":
        pytest.skip("只在 PostgreSQL 一轮运行：查询计划")
    with connection.cursor() as cur:
        cur.execute("set local enable_sort = off")
        cur.execute("set local enable_incremental_sort = off")  # a sort too: else an org_path scan + sort may win
        cur.execute("set local enable_seqscan = off")
        sql, params = qs.query.sql_with_params()
        cur.execute("explain " + sql, params)
        return "\n".join(row[0] for row in cur.fetchall())
