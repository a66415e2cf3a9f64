# ruff: noqa: RUF028, SIM117 -- benchmark script: long report lines, data tables kept on one line
"""Bulk-load the benchmark's synthetic enterprises (one year of figures, their FIC and chamber memberships) into
PostgreSQL with COPY. The frame's chamber ids 1..N become N chamber organisations of the benchmark FIC; the
policies' chamber conditions are rewritten to their ids."""

import datetime
import io

import polars as pl
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

INV_QUAL = {1: "high_tech", 2: "srdi", 4: "little_giant", 8: "champion", 16: "listed"}


def load(frame: pl.DataFrame, policies: dict):
    from qinqing.orgs.models import Organization
    from qinqing.policies.models import Policy
    from qinqing.registry.models import Enterprise

    call_command("migrate", verbosity=0)
    org, _ = Organization.objects.get_or_create(
        code="BENCHM", defaults={"kind": "fic", "name": "匹配基准工商联", "region_code": "430600", "path": "/BENCHM/"}
    )
    chambers = _chambers(org, int(frame.get_column("chambers").list.max().max() or 0))
    if Enterprise.objects.filter(org_path=org.path).count() != frame.height or not _members_loaded(org):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE registry_enterprise CASCADE")
        today = datetime.date.today()
        now = timezone.now().isoformat()
        rows = frame.select(
            pl.col("id"),
            pl.format("91430600{}", pl.col("id").cast(pl.Utf8).str.zfill(10)).alias("credit_code"),
            pl.format("基准企业{}", pl.col("id")).alias("name"),
            pl.lit(org.pk).alias("fic_id"),
            pl.lit(org.path).alias("org_path"),
            pl.col("region").alias("region_code"),
            pl.col("industry").str.slice(1).alias("industry_code"),
            pl.col("size_class").fill_null("").alias("size_class"),
            (pl.lit(today) - pl.duration(days=(pl.col("years") * 365.25).cast(pl.Int64))).alias("founded_on"),
            pl.col("employees").cast(pl.Int64),
            pl.col("total_assets").round(2).alias("total_assets_wan"),
            pl.col("qualifications").replace_strict(INV_QUAL, default="", return_dtype=pl.Utf8).alias("qualifications"),
        )
        blank = ["legal_representative", "legal_rep_id_number", "address", "contact_name", "contact_mobile"]
        model_columns = {f.column for f in Enterprise._meta.concrete_fields}
        blank = [c for c in blank if c in model_columns]
        rows = rows.with_columns(*[pl.lit("").alias(c) for c in blank], pl.lit(now).alias("created_at"),
                                 pl.lit(now).alias("updated_at"))  # fmt: skip
        _copy("registry_enterprise", rows)
        figures = frame.select(
            pl.col("id").alias("enterprise_id"),
            pl.lit(today.year - 1).alias("year"),
            pl.col("revenue").round(2).alias("revenue_wan"),
            pl.col("tax").round(2).alias("tax_wan"),
            (pl.col("revenue") * pl.col("rd_ratio") / 100).round(2).alias("rd_spend_wan"),
            pl.lit(now).alias("created_at"),
            pl.lit(now).alias("updated_at"),
        )
        _copy("registry_enterpriseyearfigures", figures)
        _load_members(frame, org, chambers, now)
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval('registry_enterprise_id_seq', (SELECT max(id) FROM registry_enterprise))")
            cursor.execute("ANALYZE registry_enterprise")
            cursor.execute("ANALYZE registry_enterpriseyearfigures")
            cursor.execute("ANALYZE registry_member")
    Policy.objects.filter(owner=org).delete()
    objects = Policy.objects.bulk_create(
        [
            Policy(
                title=f"基准政策{k}",
                level="city",
                benefit_type="subsidy",
                state="published",
                rule=_with_chamber_ids(rule, chambers),
                owner=org,
                org_path=org.path,
            )  # fmt: skip
            for k, rule in policies.items()
        ]
    )
    return org.path, objects


def _copy(table: str, rows: pl.DataFrame) -> None:
    buffer = io.BytesIO()
    rows.write_csv(buffer, include_header=False, null_value="\\N")
    columns = ", ".join(rows.columns)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')") as copy:
            copy.write(buffer.getvalue())


def _chambers(org, count: int) -> dict[int, int]:
    """Synthetic chamber id (1..count) → the pk of a chamber organisation under the benchmark FIC."""
    from qinqing.orgs.models import Organization

    mapping = {}
    for k in range(1, count + 1):
        chamber, _ = Organization.objects.get_or_create(
            code=f"BENCHC{k:03d}",
            defaults={"kind": "chamber", "name": f"基准商会{k}", "region_code": "430600", "parent": org,
                      "path": f"{org.path}BENCHC{k:03d}/"},
        )  # fmt: skip
        mapping[k] = chamber.pk
    return mapping


def _members_loaded(org) -> bool:
    from qinqing.registry.models import Member

    return Member.objects.filter(org_path__startswith=org.path).exists()


def _load_members(frame: pl.DataFrame, org, chambers: dict[int, int], now: str) -> None:
    """FIC memberships (the frame's ``member``) and chamber memberships (``chambers``), as the registry holds them."""
    from qinqing.registry.models import Member

    joined = datetime.date.today() - datetime.timedelta(days=400)
    fic = frame.filter(pl.col("member")).select(
        pl.col("id").alias("enterprise_id"), pl.lit(org.pk).alias("organization_id"), pl.lit(org.path).alias("org_path")
    )
    paths = {pk: f"{org.path}BENCHC{k:03d}/" for k, pk in chambers.items()}
    chamber_rows = (
        frame.select(pl.col("id").alias("enterprise_id"), pl.col("chambers"))
        .explode("chambers")
        .drop_nulls("chambers")
        .select(
            "enterprise_id",
            pl.col("chambers").replace_strict(chambers, return_dtype=pl.Int64).alias("organization_id"),
            pl.col("chambers").replace_strict({k: paths[pk] for k, pk in chambers.items()}, return_dtype=pl.Utf8)
            .alias("org_path"),
        )
    )  # fmt: skip
    rows = pl.concat([fic.with_columns(pl.col("organization_id").cast(pl.Int64)), chamber_rows])
    text = {f.column: "" for f in Member._meta.concrete_fields if f.get_internal_type() == "CharField"}
    text.update({"kind": "enterprise", "role": "member"})
    rows = rows.with_columns(
        *[pl.lit(v).alias(c) for c, v in text.items() if c != "org_path"],
        pl.lit(joined).alias("joined_on"),
        pl.lit(now).alias("created_at"),
        pl.lit(now).alias("updated_at"),
    )
    _copy("registry_member", rows)
    print(f"loaded {rows.height:,} memberships ({fic.height:,} FIC, {chamber_rows.height:,} chamber)")


def _with_chamber_ids(rule: dict, chambers: dict[int, int]) -> dict:
    if rule.get("op") in ("all", "any"):
        return {**rule, "items": [_with_chamber_ids(item, chambers) for item in rule["items"]]}
    if rule.get("attr") == "chambers":
        return {**rule, "value": [chambers[int(v)] for v in rule["value"]]}
    return rule
