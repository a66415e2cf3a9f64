"""Read the enterprise attributes the rules use, for every enterprise in a scope, in bulk, into Polars.

This is the ONLY module that knows the registry's field names: adapting to a registry change is a change here.
One frame feeds both the batch (rules.evaluate_all) and one enterprise's explanation (rules.explain), so the
two always see the same data.
"""

from __future__ import annotations

import datetime
import json
from functools import cache

import polars as pl
from django.db import connection
from django.utils import timezone

from qinqing.core.bulkread import read_copy, read_frames
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


# The CSV COPY reader, kept under its old name for callers outside this module (surveys' results).
_read = read_copy


def read_frame(
    scope_path: str = "/",
    *,
    enterprise_ids: list[int] | None = None,
    today: datetime.date | None = None,
    how: str | None = None,
) -> pl.DataFrame:
    """One row per enterprise in the scope (or just the given ids): the columns of rules.FRAME_SCHEMA + org_path.
    ``how``: see core.bulkread.read_frames (None: the fastest path the connection allows)."""
    today = today or timezone.localdate()
    enterprises = Enterprise.objects.filter(org_path__startswith=scope_path)
    figures = EnterpriseYearFigures.objects.all()
    members = Member.objects.filter(enterprise__isnull=False)
    if enterprise_ids is not None:
        enterprises = enterprises.filter(pk__in=enterprise_ids)
        figures = figures.filter(enterprise_id__in=enterprise_ids)
        members = members.filter(enterprise_id__in=enterprise_ids)
    elif not covers_most(enterprises):
        # A small scope: PostgreSQL finds its enterprises' figures and memberships through the join. A scope
        # with most of the registry reads them all, without the join (half the database's work or less,
        # measured in docs/performance/matching.md); the left joins below drop the rows of other scopes.
        figures = figures.filter(enterprise__org_path__startswith=scope_path)
        members = members.filter(enterprise__org_path__startswith=scope_path)

    # Active memberships only, filtered in the database (the registry's one membership rule, also on the
    # enterprise page). The three reads run together (read_frames: parallel CSV COPY on PostgreSQL).
    active = members.filter(active_q(today))
    base, figures_read, memberships = read_frames(
        [
            (
                enterprises,
                ["id", "org_path", "region_code", "industry_code", "size_class", "founded_on", "employees",
                 "revenue_wan", "total_assets_wan", "qualifications"],
                {"id": pl.Int64, "org_path": pl.Utf8, "region": pl.Utf8, "industry_raw": pl.Utf8,
                 "size_class": pl.Utf8, "founded_on": pl.Date, "employees_base": pl.Float64,
                 "revenue_base": pl.Float64, "assets_base": pl.Float64, "qual_text": pl.Utf8},
            ),
            (
                figures,
                ["enterprise_id", "year", "revenue_wan", "tax_wan", "rd_spend_wan", "employees", "total_assets_wan"],
                {"id": pl.Int64, "year": pl.Int64, "revenue_y": pl.Float64, "tax": pl.Float64,
                 "rd_spend": pl.Float64, "employees_y": pl.Float64, "assets_y": pl.Float64},
            ),
            (
                active,
                ["enterprise_id", "organization_id", "organization__kind"],
                {"id": pl.Int64, "org_id": pl.Int64, "kind": pl.Utf8},
            ),
        ],
        # A few enterprises (one's explanation page, re-matching after an edit): Django's own connection, as
        # opening driver connections would cost more than the read.
        how=how or ("copy" if enterprise_ids is not None else None),
    )  # fmt: skip
    # Every side sorted by id before the joins: Polars joins sorted keys without hashing, and the left joins keep
    # the enterprises' order, so the frame comes out sorted (half the CPU of hashing and sorting at the end).
    base = _by_id(base)
    if figures_read.get_column("year").n_unique() <= 1:  # one year: one row per enterprise (unique constraint)
        latest = _by_id(figures_read)
    else:
        latest = _by_id(figures_read.sort("year", descending=True).unique("id", keep="first"))
    member_of = _by_id(
        memberships.group_by("id").agg(
            (pl.col("kind") == "fic").any().alias("member"),
            pl.col("org_id").filter(pl.col("kind") == "chamber").alias("chambers"),
        )
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
    return _by_id(frame)


def _by_id(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame sorted by id (marked sorted when it already was: no copy)."""
    ids = frame.get_column("id")
    return frame.with_columns(ids.set_sorted()) if ids.is_sorted() else frame.sort("id")


COVERS_MOST = 0.5  # of the registry's enterprises (PostgreSQL's estimate): read figures and memberships whole


def covers_most(enterprises) -> bool:
    """Whether ``enterprises`` (a scope's queryset) holds at least COVERS_MOST of the table, by PostgreSQL's
    planner estimate (no scan); False on SQLite and for a table never analysed. Only a choice of plan: the
    frame is the same either way (tested)."""
    if connection.vendor != "postgresql":
        return False
    sql, params = enterprises.values("id").order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Enterprise._meta.db_table])
        total = cursor.fetchone()[0]
        if not total or total <= 0:
            return False
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]["Plan Rows"] >= COVERS_MOST * total


def enterprise_attrs(enterprise: Enterprise, today: datetime.date | None = None) -> dict:
    """The attributes of one enterprise, as rules.explain() takes them (qualifications as names)."""
    frame = read_frame(enterprise.org_path, enterprise_ids=[enterprise.pk], today=today)
    if frame.is_empty():
        return {}
    return rules.frame_row_attrs(frame, 0)
