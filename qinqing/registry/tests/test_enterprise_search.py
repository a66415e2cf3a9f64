"""The searched enterprise list is counted and paged from the (org_path, name) index: its count and the page's ids
read only the index's columns (on PostgreSQL it carries credit_code and id, migration 0014), then the page's rows
are fetched by id. The page shows the same enterprises in the same order as the list read whole."""

import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qinqing.registry import actions
from qinqing.registry.models import Enterprise
from qinqing.registry.permissions import visible_enterprises
from qinqing.registry.viewkit import PAGE_SIZE

from .conftest import make_code

TABLE = Enterprise._meta.db_table
INDEX_COLUMNS = {"org_path", "name", "credit_code", "id"}


@pytest.fixture
def many(users):
    """Two pages and a half of 测试科技 enterprises in the county staff's county, and a few others."""
    staff = users.county_staff
    for i in range(2, PAGE_SIZE * 2 + 12):
        name = f"岳阳县{i:03d}测试科技有限公司" if i % 4 else f"岳阳县{i:03d}洞庭食品有限公司"
        actions.create_enterprise(actor=staff, fic=staff.org, credit_code=make_code(i), name=name)
    return staff


def _shown(client, query: str) -> list[int]:
    response = client.get(f"/registry/enterprises/?{query}")
    assert response.status_code == 200
    return [e.pk for e in response.context["page"].object_list]


@pytest.mark.parametrize("word", ["测试科技", "洞庭", "91430621000000", "无此企业"])
def test_given_a_search_when_paged_then_the_same_rows_in_the_same_order_as_the_whole_list(many, users, login, word):
    client = login(users.county_staff)
    everything = visible_enterprises(users.county_staff).order_by("org_path", "name")
    expected = [e.pk for e in everything if word in e.name or e.credit_code.startswith(word)]
    shown = []
    for number in range(1, max(1, math.ceil(len(expected) / PAGE_SIZE)) + 1):
        shown += _shown(client, f"q={word}&page={number}")
    assert shown == expected


def test_given_a_search_when_counted_and_paged_then_only_the_index_columns_are_read(many, users, login):
    client = login(users.county_staff)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/registry/enterprises/?q=测试科技")
    searched = [q["sql"] for q in ctx.captured_queries if "LIKE" in q["sql"].upper() and f'"{TABLE}"' in q["sql"]]
    # the capped count and the page's ids, then the page's rows fetched by id (its thirty, not the county's)
    by_id = re.compile(rf'"{TABLE}"\."id" IN \(')
    rows = [sql for sql in searched if by_id.search(sql)]
    count_and_ids = [sql for sql in searched if not by_id.search(sql)]
    assert len(rows) == 1 and len(count_and_ids) == 2, searched
    for sql in count_and_ids:
        read = set(re.findall(rf'"{TABLE}"\."(\w+)"', sql))
        assert read <= INDEX_COLUMNS, (read - INDEX_COLUMNS, sql)


def test_given_more_matches_than_the_search_cap_when_searching_then_the_page_says_the_count_is_capped(
    many, users, login, monkeypatch
):
    from qinqing.core.pagination import CappedPaginator, SearchPaginator

    # Given 52 测试科技 enterprises in the county and a search cap of 40 (1,000 in production, under the plain
    # list's 10,000)
    assert SearchPaginator.CAP < CappedPaginator.CAP
    monkeypatch.setattr(SearchPaginator, "CAP", 40)
    client = login(users.county_staff)
    # When the list is searched
    searched = client.get("/registry/enterprises/?q=测试科技")
    # Then the count stops at the cap and the page says so in Chinese
    paginator = searched.context["page"].paginator
    assert paginator.capped and paginator.count == 40 and paginator.num_pages == 2
    assert "符合条件的记录超过 40 条，仅可翻阅前 40 条，请缩小筛选范围。" in searched.content.decode()
    # And the plain and the filtered lists still count every enterprise (their cap is the plain list's)
    plain = client.get("/registry/enterprises/").context["page"].paginator
    assert not plain.capped and plain.count == visible_enterprises(users.county_staff).count() > 40
    blank = client.get("/registry/enterprises/?q=+").context["page"].paginator
    assert not blank.capped and blank.count == plain.count


@pytest.mark.postgres_only
def test_the_scope_index_carries_credit_code_and_id(db):
    with connection.cursor() as cur:
        cur.execute("select pg_get_indexdef('enterprise_scope_name'::regclass)")
        definition = cur.fetchone()[0]
    assert "(org_path, name) INCLUDE (credit_code, id)" in definition, definition
