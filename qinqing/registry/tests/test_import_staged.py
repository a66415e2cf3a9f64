"""The staged write: a batch's rows go through ADBC (SQLite: into a scratch file; PostgreSQL: as binary
COPY into an unlogged scratch table), and the batch's transaction inserts them with one INSERT … SELECT
(``sqlwrite.Staging`` / ``attached`` / ``insert``).

The page's import job and ``manage.py import_enterprises`` take this path with the writer thread (the
killed-worker test runs it in real processes); the in-memory test database writes inline, so here the
engine's own steps are driven by hand to compare the paths value by value: on SQLite staged against
bound by ``executemany``, on PostgreSQL staged against the CSV COPY.
"""

import sqlite3
from decimal import Decimal

import pytest
from django.db import connection, transaction

from qinqing.core import crypto
from qinqing.registry.enterprises import importing as enterprises
from qinqing.registry.importing import sqlwrite
from qinqing.registry.importing.columns import ENTERPRISE_COLUMNS, map_headers
from qinqing.registry.importing.reader import read_table
from qinqing.registry.models import Enterprise, EnterpriseYearFigures

from .conftest import enterprise_row

ON_PG = "postgres" in __import__("os").environ.get("DATABASE_URL", "")
sqlite_only = pytest.mark.skipif(ON_PG, reason="SQLite's scratch files")
pg_only = pytest.mark.skipif(not ON_PG, reason="PostgreSQL's scratch tables")


def _files(tmp_path, csv_file):
    """A first import (new enterprises, blanks and decimals included), a second one that adds an
    earlier year's figures to some of them and brings new enterprises, and a third that changes
    enterprises and their stored year's figures."""
    first = [
        enterprise_row(1),
        enterprise_row(2, **{"从业人员": "", "营业收入（万元）": "", "资产总额（万元）": "", "成立日期": ""}),
        enterprise_row(3, **{"营业收入（万元）": "1234.5", "纳税额（万元）": "", "资质": "高企、上市"}),
        enterprise_row(4, **{"年度": "", "纳税额（万元）": ""}),
        *[enterprise_row(n) for n in range(5, 60)],
    ]
    second = [
        enterprise_row(1, **{"年度": "2024", "营业收入（万元）": "900", "纳税额（万元）": "8"}),
        enterprise_row(3, **{"年度": "2024", "纳税额（万元）": "0.01"}),
        *[enterprise_row(n, **{"法定代表人": "李四"}) for n in range(60, 80)],
    ]
    third = [
        enterprise_row(n, **{"法定代表人": "王五", "营业收入（万元）": str(5000 + n), "纳税额（万元）": "99.9"})
        for n in range(5, 31)
    ]
    return csv_file(first, name="first.csv"), csv_file(second, name="second.csv"), csv_file(third, name="third.csv")


def _plan(path, org):
    table = read_table(path)
    errors: list = []
    data = enterprises.validate(table, map_headers(table.headers, ENTERPRISE_COLUMNS), errors, [])
    plan = enterprises.plan_batch(data.good, data, enterprises.Scope.for_org(org), errors)
    assert not errors
    return plan


def _import(path, org, *, staged: bool, directory) -> list:
    plan = _plan(path, org)
    with sqlwrite.Staging(directory) as staging:
        files = enterprises.stage_batch(plan, staging) if staged else []
        with sqlwrite.attached(files), transaction.atomic():
            enterprises.write_batch(plan)
    return files


def _stored() -> tuple[list, list]:
    """Every stored value with its storage class (SQLite) or its text form (PostgreSQL: 1.50, not 1.5),
    ids replaced by credit codes."""
    ent = [f.column for f in Enterprise._meta.concrete_fields if f.column not in ("id", "created_at", "updated_at")]
    fig = [f.column for f in EnterpriseYearFigures._meta.concrete_fields if f.column not in ("id", "enterprise_id")]
    fig = [c for c in fig if c not in ("created_at", "updated_at")]
    kind = "CAST({} AS TEXT)" if connection.vendor == "postgresql" else "typeof({})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(f'{c}, {kind.format(c)}' for c in ent)} FROM registry_enterprise "
            "WHERE credit_code LIKE '914306210%' ORDER BY registry_enterprise.credit_code"
        )
        # sealed personal numbers differ on every write (fresh nonce): compared by their plain values
        enterprises_ = [tuple(crypto.open(v) if crypto.is_sealed(v) else v for v in row) for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT e.credit_code, {', '.join(f'f.{c}, ' + kind.format(f'f.{c}') for c in fig)} "
            "FROM registry_enterpriseyearfigures f JOIN registry_enterprise e ON e.id = f.enterprise_id "
            "WHERE e.credit_code LIKE '914306210%' ORDER BY e.credit_code, f.year"
        )
        figures = cursor.fetchall()
    return enterprises_, figures


def _empty() -> None:
    imported = Enterprise.objects.filter(credit_code__startswith="914306210")
    EnterpriseYearFigures.objects.filter(enterprise__in=imported).delete()
    imported.delete()


def _attached_databases() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        return [row[1] for row in cursor.fetchall() if row[1] != "temp"]


def _scratch_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname LIKE %s", [sqlwrite.STAGE_PREFIX + "%"])
        return [row[0] for row in cursor.fetchall()]


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_given_staged_batches_then_every_value_stored_as_the_bound_insert_stores_it(tree, tmp_path, csv_file):
    # given three files, imported once with the rows bound by executemany and once staged
    files = _files(tmp_path, csv_file)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    for path in files:
        assert _import(path, tree.county_a, staged=False, directory=scratch) == []
    bound = _stored()
    _empty()

    # when the same imports are staged through ADBC and written by INSERT … SELECT / UPDATE … FROM
    staged = [_import(path, tree.county_a, staged=True, directory=scratch) for path in files]

    # then both paths really differ (every kind of row was staged once) and store identical values of
    # identical types, yearly figures of new enterprises joined to the ids their INSERT gave them
    assert all(any(batch[k] is not None for batch in staged) for k in range(4))
    assert _stored() == bound
    assert len(bound[0]) == 79 and len(bound[1]) == 78 + 2  # enterprise 4 has no 年度; 1 and 3 got 2024 too
    assert Enterprise.objects.filter(legal_representative="王五", revenue_wan__gte=5005).count() == 26
    assert EnterpriseYearFigures.objects.filter(year=2025, tax_wan=Decimal("99.9")).count() == 26
    # and the scratch files are detached and deleted once their transaction is over
    assert list(scratch.iterdir()) == []
    assert _attached_databases() == ["main"]


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_given_batch_fails_inside_its_transaction_then_nothing_stored_and_scratch_files_gone(tree, tmp_path, csv_file):
    # given a staged batch
    plan = _plan(_files(tmp_path, csv_file)[0], tree.county_a)
    files = enterprises.stage_batch(plan, sqlwrite.Staging(tmp_path))
    assert [f is not None and f.path.exists() for f in files] == [True, False, True, False]  # nothing to update

    before = Enterprise.objects.count(), EnterpriseYearFigures.objects.count()

    # when its transaction fails after the INSERTs ran
    with pytest.raises(RuntimeError, match="boom"), sqlwrite.attached(files), transaction.atomic():
        enterprises.write_batch(plan)
        assert Enterprise.objects.count() == before[0] + 59
        raise RuntimeError("boom")

    # then the batch is rolled back whole, and the scratch files are detached and deleted
    assert (Enterprise.objects.count(), EnterpriseYearFigures.objects.count()) == before
    assert not any(f.path.exists() for f in files if f is not None)
    assert _attached_databases() == ["main"]


@sqlite_only
@pytest.mark.django_db
def test_given_caller_transaction_then_nothing_attached_and_rows_bound(tree, tmp_path, csv_file):
    # given a staged batch, written inside a caller's transaction (SQLite cannot ATTACH there)
    plan = _plan(_files(tmp_path, csv_file)[0], tree.county_a)
    files = enterprises.stage_batch(plan, sqlwrite.Staging(tmp_path))
    before = Enterprise.objects.count(), EnterpriseYearFigures.objects.count()
    with sqlwrite.attached(files):
        # then nothing is attached, and the INSERTs bind the rows themselves
        assert _attached_databases() == ["main"]
        enterprises.write_batch(plan)
    assert (Enterprise.objects.count(), EnterpriseYearFigures.objects.count()) == (before[0] + 59, before[1] + 58)
    assert not any(f.path.exists() for f in files if f is not None)  # staged for nothing: deleted all the same


@sqlite_only
def test_given_frame_then_scratch_file_holds_its_rows_in_order(tmp_path):
    import polars as pl

    frame = pl.DataFrame({"code": ["b", "a", None], "n": [2, None, 7], "money": ["1.50", None, "0.01"]})
    staged = sqlwrite.stage(frame, tmp_path)
    assert staged.rows == 3
    with sqlite3.connect(staged.path) as db:
        rows = db.execute("SELECT code, n, money FROM rows ORDER BY rowid").fetchall()
    assert rows == [("b", 2, "1.50"), ("a", None, None), (None, 7, "0.01")]
    assert sqlwrite.stage(frame.head(0), tmp_path) is None  # nothing to stage


@pg_only
@pytest.mark.django_db(transaction=True)
def test_given_adbc_staged_batches_then_every_value_stored_as_the_csv_copy_stores_it(tree, tmp_path, csv_file):
    # given three files, imported once through the CSV COPY inside each batch's transaction
    files = _files(tmp_path, csv_file)
    for path in files:
        assert _import(path, tree.county_a, staged=False, directory=None) == []
    copied = _stored()
    _empty()

    # when the same imports are staged by ADBC's PostgreSQL driver (binary COPY into scratch tables)
    # and written by INSERT … SELECT / UPDATE … FROM
    staged = [_import(path, tree.county_a, staged=True, directory=None) for path in files]

    # then every kind of row was staged once, and both paths store identical values in identical text
    # forms (decimals keep two places, dates, booleans, blanks, nulls), figures joined to their ids
    assert all(any(batch[k] is not None for batch in staged) for k in range(4))
    assert _stored() == copied
    assert len(copied[0]) == 79 and len(copied[1]) == 78 + 2
    assert Enterprise.objects.filter(legal_representative="王五", revenue_wan__gte=5005).count() == 26
    assert EnterpriseYearFigures.objects.filter(year=2025, tax_wan=Decimal("99.9")).count() == 26
    # and the scratch tables are dropped once their transaction is over
    assert _scratch_tables() == []


@pg_only
@pytest.mark.django_db(transaction=True)
def test_given_adbc_staged_batch_fails_inside_its_transaction_then_nothing_stored_and_tables_dropped(
    tree, tmp_path, csv_file
):
    # given a batch staged in scratch tables
    plan = _plan(_files(tmp_path, csv_file)[0], tree.county_a)
    before = Enterprise.objects.count(), EnterpriseYearFigures.objects.count()
    with sqlwrite.Staging() as staging:
        files = enterprises.stage_batch(plan, staging)
        assert [f is not None for f in files] == [True, False, True, False]  # nothing to update
        assert len(_scratch_tables()) == 2

        # when its transaction fails after the INSERTs ran
        with pytest.raises(RuntimeError, match="boom"), sqlwrite.attached(files), transaction.atomic():
            enterprises.write_batch(plan)
            assert Enterprise.objects.count() == before[0] + 59
            raise RuntimeError("boom")

    # then the batch is rolled back whole, and the scratch tables are dropped
    assert (Enterprise.objects.count(), EnterpriseYearFigures.objects.count()) == before
    assert _scratch_tables() == []


@pg_only
@pytest.mark.django_db(transaction=True)
def test_given_killed_importers_scratch_table_then_next_import_drops_it_and_keeps_live_ones():
    # given a scratch table left by a backend that no longer exists, and one of a live import
    dead = f"{sqlwrite.STAGE_PREFIX}999999999_0123456789ab"
    live = f"{sqlwrite.STAGE_PREFIX}{connection.connection.info.backend_pid}_0123456789ab"
    with connection.cursor() as cursor:
        for name in (dead, live):
            cursor.execute(f'CREATE UNLOGGED TABLE "{name}" (id bigint)')
    # when an import opens its staging
    with sqlwrite.Staging():
        pass
    # then only the dead one is gone
    assert _scratch_tables() == [live]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE "{live}"')


@pg_only
@pytest.mark.django_db(transaction=True)
def test_given_fresh_thread_stages_only_changed_rows_then_written_from_its_tables(tree, tmp_path, csv_file):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    # given stored enterprises, and a batch that only changes some of them (no new row: no ids drawn)
    first, _second, third = _files(tmp_path, csv_file)
    _import(first, tree.county_a, staged=False, directory=None)
    plan = _plan(third, tree.county_a)

    def stage(staging) -> list:
        try:
            return enterprises.stage_batch(plan, staging)
        finally:
            connections.close_all()

    # when a thread whose connection has not been used yet stages it (as the runner's preparing thread,
    # in the staging this thread opened)
    with sqlwrite.Staging() as staging, ThreadPoolExecutor(1) as pool:
        files = pool.submit(stage, staging).result()
    assert [f is not None for f in files] == [False, True, False, True]
    with sqlwrite.attached(files), transaction.atomic():
        enterprises.write_batch(plan)

    # then the changes are written from the scratch tables, which are dropped afterwards
    assert Enterprise.objects.filter(legal_representative="王五", revenue_wan__gte=5005).count() == 26
    assert EnterpriseYearFigures.objects.filter(year=2025, tax_wan=Decimal("99.9")).count() == 26
    assert _scratch_tables() == []
