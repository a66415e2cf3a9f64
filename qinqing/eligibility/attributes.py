"""Read the enterprise attributes the rules use, for every enterprise in a scope, in bulk, into Polars.

This is the ONLY module that knows the registry's field names: adapting to a registry change is a change here.
One frame feeds both the batch (rules.evaluate_all) and one enterprise's explanation (rules.explain), so the
two always see the same data.
"""

from __future__ import annotations

import datetime
import io
from functools import cache

import polars as pl
import psycopg
import psycopg.errors
from django.db import connection
from django.utils import timezone
from psycopg import generators as psycopg_generators

from qinqing.registry.choices import Qualification
from qinqing.registry.membership import active_q
from qinqing.registry.models import Enterprise, EnterpriseYearFigures, Member

from . import rules

FRAME_SCHEMA = {"org_path": pl.Utf8, **rules.FRAME_SCHEMA}


@cache
def _code_bits() -> dict[str, int]:
    """Registry qualification code → the rule engine's bit (rules.qualifications() are the same choices)."""
    bits = rules.qualification_bits()
    return {code: bits[str(label)] for code, label in Qualification.choices}


def _qualification_mask(text: str | None) -> int:
    bits = _code_bits()
    return sum(bits.get(code, 0) for code in set((text or "").split(",")) if code)


def _drain(copy, pgconn, out: io.BytesIO) -> None:
    """Every row of a COPY … TO STDOUT into ``out``.

    PostgreSQL sends one message per row; psycopg's ``for block in copy`` costs ~2.5 µs of Python per message
    (5 s for a million enterprises and their figures). Rows libpq already holds are taken straight from
    ``PGconn.get_copy_data`` (non-blocking, ~0.3 µs); when it has none yet, psycopg's own ``read()`` waits
    for the network. At the end we collect the COPY's final result as psycopg's ``copy_from`` does (its
    generator, pinned psycopg 3.3; the PostgreSQL tests of read_frame cover it) and raise any error.
    """
    write = out.write
    if not hasattr(psycopg_generators, "_fetch_many"):  # another psycopg: its own (slower) iteration
        for block in copy:
            write(block)
        return
    get = pgconn.get_copy_data
    while True:
        nbytes, data = get(1)
        if nbytes > 0:
            write(data)
        elif nbytes == 0:  # nothing buffered: let psycopg wait (it may also see the end of the copy)
            block = copy.read()
            if not block:
                return
            write(block)
        else:  # -1: the copy is complete; fetch its result
            results = copy.connection.wait(psycopg_generators._fetch_many(pgconn))
            copy._finished = True
            if len(results) != 1 or results[0].status != psycopg.pq.ExecStatus.COMMAND_OK:
                raise psycopg.errors.error_from_result(results[-1], encoding=pgconn._encoding)
            return


def _read(queryset, fields: list[str], schema: dict) -> pl.DataFrame:
    """Rows of ``queryset.values_list(*fields)`` as a frame; on PostgreSQL streamed with COPY … TO STDOUT
    (CSV parsed by Polars), about 5× faster than building a million Python tuples."""
    rows = queryset.values_list(*fields).order_by()
    if connection.vendor == "postgresql":
        sql, params = rows.query.sql_with_params()
        buffer = io.BytesIO()
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
        ):
            _drain(copy, cursor.cursor.connection.pgconn, buffer)
        if not buffer.tell():
            return pl.DataFrame(schema=schema)
        buffer.seek(0)
        frame = pl.read_csv(buffer, has_header=False, new_columns=list(schema), schema_overrides=schema)
        # COPY writes blank text as "" and NULL as nothing; text columns here are never NULL in the model.
        text = [name for name, dtype in schema.items() if dtype == pl.Utf8]
        return frame.with_columns([pl.col(name).fill_null("") for name in text])
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def read_frame(
    scope_path: str = "/", *, enterprise_ids: list[int] | None = None, today: datetime.date | None = None
) -> pl.DataFrame:
    """One row per enterprise in the scope (or just the given ids): the columns of rules.FRAME_SCHEMA + org_path."""
    today = today or timezone.localdate()
    enterprises = Enterprise.objects.filter(org_path__startswith=scope_path)
    figures = EnterpriseYearFigures.objects.filter(enterprise__org_path__startswith=scope_path)
    members = Member.objects.filter(enterprise__isnull=False, enterprise__org_path__startswith=scope_path)
    if enterprise_ids is not None:
        enterprises = enterprises.filter(pk__in=enterprise_ids)
        figures = figures.filter(enterprise_id__in=enterprise_ids)
        members = members.filter(enterprise_id__in=enterprise_ids)

    base = _read(
        enterprises,
        ["id", "org_path", "region_code", "industry_code", "size_class", "founded_on", "employees", "revenue_wan",
         "total_assets_wan", "qualifications"],
        {"id": pl.Int64, "org_path": pl.Utf8, "region": pl.Utf8, "industry_raw": pl.Utf8, "size_class": pl.Utf8,
         "founded_on": pl.Date, "employees_base": pl.Float64, "revenue_base": pl.Float64, "assets_base": pl.Float64,
         "qual_text": pl.Utf8},
    )  # fmt: skip
    latest = (
        _read(
            figures,
            ["enterprise_id", "year", "revenue_wan", "tax_wan", "rd_spend_wan", "employees", "total_assets_wan"],
            {
                "id": pl.Int64,
                "year": pl.Int64,
                "revenue_y": pl.Float64,
                "tax": pl.Float64,
                "rd_spend": pl.Float64,
                "employees_y": pl.Float64,
                "assets_y": pl.Float64,
            },
        )
        .sort("year", descending=True)
        .unique("id", keep="first")
    )
    # Active memberships only, filtered in the database; read with COPY like the enterprises (200,000+ rows).
    active = members.filter(active_q(today))  # the registry's one membership rule (also on the enterprise page)
    memberships = _read(
        active,
        ["enterprise_id", "organization_id", "organization__kind"],
        {"id": pl.Int64, "org_id": pl.Int64, "kind": pl.Utf8},
    )
    member_of = memberships.group_by("id").agg(
        (pl.col("kind") == "fic").any().alias("member"),
        pl.col("org_id").filter(pl.col("kind") == "chamber").alias("chambers"),
    )
    masks = {text: _qualification_mask(text) for text in base.get_column("qual_text").unique().to_list()}
    industries = {code: rules.normalize_industry(code) for code in base.get_column("industry_raw").unique().to_list()}

    def blank_to_null(name: str) -> pl.Expr:
        return pl.when(pl.col(name) == "").then(None).otherwise(pl.col(name))

    frame = (
        base.join(latest, on="id", how="left")
        .join(member_of, on="id", how="left")
        .with_columns(
            blank_to_null("region").alias("region"),
            pl.col("industry_raw").replace_strict(industries, default=None, return_dtype=pl.Utf8).alias("industry"),
            blank_to_null("size_class").alias("size_class"),
            ((pl.lit(today) - pl.col("founded_on")).dt.total_days() / 365.25).alias("years"),
            pl.coalesce("employees_y", "employees_base").alias("employees"),
            pl.coalesce("revenue_y", "revenue_base").alias("revenue"),
            pl.col("tax"),
            pl.when(pl.col("revenue_y") > 0)
            .then(pl.col("rd_spend") * 100 / pl.col("revenue_y"))
            .otherwise(None)
            .alias("rd_ratio"),
            pl.coalesce("assets_y", "assets_base").alias("total_assets"),
            pl.col("qual_text").replace_strict(masks, default=0, return_dtype=pl.Int64).alias("qualifications"),
            pl.col("member").fill_null(False),
            pl.col("chambers").fill_null(pl.lit([], dtype=pl.List(pl.Int64))),
        )
        .select([pl.col(name).cast(dtype) for name, dtype in FRAME_SCHEMA.items()])
    )
    return frame.sort("id")


def enterprise_attrs(enterprise: Enterprise, today: datetime.date | None = None) -> dict:
    """The attributes of one enterprise, as rules.explain() takes them (qualifications as names)."""
    frame = read_frame(enterprise.org_path, enterprise_ids=[enterprise.pk], today=today)
    if frame.is_empty():
        return {}
    return rules.frame_row_attrs(frame, 0)
