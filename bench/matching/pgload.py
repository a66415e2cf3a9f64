# ruff: noqa: RUF028, SIM117 -- benchmark script: long report lines, data tables kept on one line
"""Bulk-load the benchmark's synthetic enterprises (and one year of figures) into PostgreSQL with COPY."""

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
    if Enterprise.objects.filter(org_path=org.path).count() != frame.height:
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
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval('registry_enterprise_id_seq', (SELECT max(id) FROM registry_enterprise))")
            cursor.execute("ANALYZE registry_enterprise")
            cursor.execute("ANALYZE registry_enterpriseyearfigures")
    Policy.objects.filter(owner=org).delete()
    objects = Policy.objects.bulk_create(
        [
            Policy(
                title=f"基准政策{k}",
                level="city",
                benefit_type="subsidy",
                state="published",
                rule=rule,
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
