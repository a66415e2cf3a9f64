"""Enterprise import: validate whole columns, diff a batch against the database, upsert it set-wise.

Validation and the diff are polars expressions over the batch (one SELECT fetches the batch's
existing enterprises, one their yearly figures); the write is one INSERT … ON CONFLICT (credit_code)
DO UPDATE per batch (PostgreSQL: COPY into a temporary table first, see ``sqlwrite``). Re-running a
batch therefore never duplicates a row, which is what makes a killed import resumable from its last
checkpoint.

Three modules by step: ``importcheck`` (the columns validated), this one (a batch planned against the
database), ``importwrite`` (a planned batch sealed, staged and written).
"""

from dataclasses import dataclass, field

import polars as pl
from django.utils.translation import gettext as _

from qinqing.core import crypto
from qinqing.core.idranges import id_ranges

from ..importing import columnar, fastcheck, sqlwrite
from ..importing.report import RowIssue
from ..models import Enterprise, EnterpriseYearFigures

# The steps before and after the plan, importable here as before (the runner and tests use this module).
from .importcheck import (  # noqa: F401
    BLIND_INDEX,
    CURRENT_FIGURES,
    ENTERPRISE_FIELDS,
    FIGURE_FIELDS,
    FIGURE_KIND,
    FIGURE_SOURCES,
    FLAG_FIELDS,
    LABELS,
    NO,
    NULLABLE_KIND,
    PII_FIELDS,
    QUALIFICATION_LABELS,
    TEXT_FIELDS,
    YES,
    Validated,
    validate,
)
from .importwrite import audit_summary, changed_enterprise_ids, prepare_batch, stage_batch, write_batch  # noqa: F401

# Batches are independent (a credit code appears once in a file), so the runner may plan the next batch
# while the database writes this one.
PIPELINED = True


@dataclass
class Scope:
    """Where new enterprises go: the FIC node for each region code under the importing organisation."""

    root_id: int
    root_path: str
    by_region: dict[str, tuple[int, str]]

    @classmethod
    def for_org(cls, org) -> "Scope":
        from qinqing.orgs.models import Organization

        fics = Organization.objects.filter(kind="fic", path__startswith=org.path).values_list(
            "region_code", "id", "path"
        )
        return cls(org.id, org.path, {code: (pk, path) for code, pk, path in fics})

    def place(self, region_code: str) -> tuple[int, str]:
        if region_code:
            for candidate in (region_code, region_code[:4] + "00", region_code[:2] + "0000"):
                if candidate in self.by_region:
                    return self.by_region[candidate]
        return self.root_id, self.root_path


_size_cache: dict[tuple, str] = {}


def compute_size(industry_code: str, employees, revenue_wan, assets_wan) -> str:
    """One enterprise's 企业规模 (for callers outside the import, e.g. demo data)."""
    key = (industry_code, employees, revenue_wan, assets_wan)
    size = _size_cache.get(key)
    if size is None:
        size = fastcheck.size_class(industry_code or "", employees, revenue_wan, assets_wan)
        if len(_size_cache) > 200_000:
            _size_cache.clear()
        _size_cache[key] = size
    return size


@dataclass
class BatchPlan:
    inserts: pl.DataFrame  # new enterprises: credit_code, fic_id, org_path, size_class, fields
    updates: pl.DataFrame  # changed enterprises: id, size_class, fields (never fic or org_path)
    new_figures: pl.DataFrame  # yearly figures not yet stored: credit_code, enterprise_id (null if new), year, …
    changed_figures: pl.DataFrame  # stored yearly figures that differ: enterprise_id, year, figures
    written: str = ""  # credit codes written, space-separated (for the audit row)
    figures_written: str = ""  # "code:year" of the yearly figures written, space-separated
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    updated_ids: str = ""  # id ranges of the existing enterprises written (fields or yearly figures)
    changed_fields: dict = field(default_factory=dict)  # field → id ranges of the enterprises it changed on
    changed_years: dict = field(default_factory=dict)  # year → id ranges of existing enterprises whose year changed
    created_ids: str = ""  # id ranges of the new enterprises (known once written)
    id_span: tuple = ()  # (lowest, highest) id written: lets the history find a batch with one SQL filter
    staged: dict = field(default_factory=dict)  # _frames() name → sqlwrite.Staged or None (pipelined)
    sealed: bool = False  # the personal numbers of inserts and updates sealed (``prepare_batch``)


_EXISTING = {
    "id": "int",
    "credit_code": "text",
    "fic_id": "int",
    "org_path": "text",
    "size_class": "text",
    **{f: NULLABLE_KIND.get(f, "text") for f in ENTERPRISE_FIELDS},
    **{index: "text" for index in BLIND_INDEX.values()},
}


def plan_batch(indices: pl.Series, data: Validated, scope: Scope, errors: list[RowIssue]) -> BatchPlan:
    """Compare a batch of clean rows with the database; rows of another FIC's subtree become errors."""
    batch = data.frame[indices]
    mapped = [f for f in ENTERPRISE_FIELDS if f in batch.columns]
    batch = batch.with_columns(
        pl.Series(BLIND_INDEX[f], crypto.blind_index_many(batch[f].to_list()), dtype=pl.String)
        for f in PII_FIELDS & set(mapped)
    )
    codes = batch["credit_code"].to_list()
    old = sqlwrite.fetch(Enterprise._meta.db_table, "credit_code", codes, _EXISTING)
    old = old.rename({c: f"{c}__old" for c in old.columns if c != "credit_code"})
    joined = batch.join(old, on="credit_code", how="left")
    is_old = pl.col("id__old").is_not_null()

    # Another FIC's enterprise: not ours to change.
    foreign = joined.filter(is_old & ~pl.col("org_path__old").str.starts_with(scope.root_path))
    not_ours = _("该企业属于其他工商联，无权修改")
    for row, code in foreign.select("row", "credit_code").iter_rows():
        errors.append(RowIssue(row + 2, LABELS["credit_code"], code, not_ours))
    # A masked number re-imported keeps the stored one; a new enterprise needs the full number.
    for f in PII_FIELDS & set(mapped):
        masked = joined.filter(~is_old & pl.col(f).str.contains("*", literal=True))
        for row, value in masked.select("row", f).iter_rows():
            errors.append(RowIssue(row + 2, LABELS[f], value, _("号码已脱敏，新企业请填写完整号码")))
    rejected = set(foreign["row"].to_list())
    for f in PII_FIELDS & set(mapped):
        rejected |= set(joined.filter(~is_old & pl.col(f).str.contains("*", literal=True))["row"].to_list())
    if rejected:
        joined = joined.filter(~pl.col("row").is_in(list(rejected)))

    # The yearly figures stored for the batch's years, and each enterprise's latest stored year.
    figure_keys = [k for k in FIGURE_FIELDS if k in batch.columns]
    yearly = "year" in batch.columns and bool(figure_keys)
    if yearly:
        ids = joined.filter(is_old & pl.col("year").is_not_null())["id__old"].to_list()
        before = sqlwrite.fetch(
            EnterpriseYearFigures._meta.db_table,
            "enterprise_id",
            ids,
            {"enterprise_id": "int", "year": "int", **{k: FIGURE_KIND[k] for k in figure_keys}},
        )
        latest = before.group_by("enterprise_id").agg(pl.col("year").max().alias("latest__fig"))
        joined = (
            joined.join(
                before.rename({k: f"{k}__fig" for k in figure_keys}).with_columns(stored=pl.lit(True)),
                left_on=["id__old", "year"],
                right_on=["enterprise_id", "year"],
                how="left",
            )
            .join(latest, left_on="id__old", right_on="enterprise_id", how="left")
            .with_columns(stored=pl.col("stored").fill_null(False))
            # A blank cell is no information: the stored yearly value stays.
            .with_columns([pl.coalesce(k, f"{k}__fig").alias(f"{k}__year") for k in figure_keys])
        )

    record = []
    for f in ENTERPRISE_FIELDS:
        empty = pl.lit("") if f in TEXT_FIELDS else pl.lit(None, dtype=pl.String)
        if f in FLAG_FIELDS:
            # A blank cell (or no column) keeps the stored flag; a new enterprise is not flagged.
            given = pl.col(f) if f in mapped else pl.lit("")
            stored = pl.coalesce(pl.col(f"{f}__old"), pl.lit("0"))
            record.append(pl.when(given != "").then(given).otherwise(stored).alias(f))
        elif f not in mapped:
            record.append(pl.when(is_old).then(pl.col(f"{f}__old")).otherwise(empty).alias(f))
            if f in BLIND_INDEX:
                index = BLIND_INDEX[f]
                record.append(pl.when(is_old).then(pl.col(f"{index}__old")).otherwise(pl.lit("")).alias(index))
        elif f in PII_FIELDS:
            masked = pl.col(f).str.contains("*", literal=True)
            record.append(pl.when(masked).then(pl.col(f"{f}__old")).otherwise(pl.col(f)).alias(f))
            index = BLIND_INDEX[f]
            record.append(pl.when(masked).then(pl.col(f"{index}__old")).otherwise(pl.col(index)).alias(index))
        elif f in CURRENT_FIGURES:
            # Blank keeps the stored value. With a 年度, the figure is that year's: it becomes the current
            # figure only for the enterprise's latest year and only when it changes that year's value, so
            # re-importing an export (the latest year's row) leaves current figures entered on their own.
            takes = pl.col(f).is_not_null()
            if yearly:
                latest_year = pl.col("latest__fig").is_null() | (pl.col("year") >= pl.col("latest__fig"))
                takes = takes & (pl.col("year").is_null() | (latest_year & pl.col(f).ne_missing(pl.col(f"{f}__fig"))))
            record.append(pl.when(takes).then(pl.col(f)).otherwise(pl.col(f"{f}__old")).alias(f))
        else:
            record.append(pl.col(f))
    joined = joined.with_columns(record)
    joined = joined.with_columns(columnar.size_class(joined).alias("size_class"))
    places = {code: scope.place(code) for code in joined["region_code"].unique().to_list()}
    joined = joined.with_columns(
        fic_id=pl.when(is_old)
        .then(pl.col("fic_id__old"))
        .otherwise(pl.col("region_code").replace_strict({k: v[0] for k, v in places.items()}, return_dtype=pl.Int64)),
        org_path=pl.when(is_old)
        .then(pl.col("org_path__old"))
        .otherwise(pl.col("region_code").replace_strict({k: v[1] for k, v in places.items()}, return_dtype=pl.String)),
    )
    changed = ~is_old | pl.any_horizontal(
        [pl.col(_compared(f)).ne_missing(pl.col(f"{_compared(f)}__old")) for f in (*ENTERPRISE_FIELDS, "size_class")]
    )
    joined = joined.with_columns(changed=changed, figures_changed=pl.lit(False))

    new_figures = changed_figures = pl.DataFrame()
    figures_written = ""
    changed_years: dict[str, str] = {}
    if yearly:
        with_year = joined.filter(pl.col("year").is_not_null()).with_columns(
            fig_changed=~pl.col("stored")
            | pl.any_horizontal([pl.col(f"{k}__year").ne_missing(pl.col(f"{k}__fig")) for k in figure_keys]),
        )
        year_values = [pl.col(f"{k}__year").alias(k) for k in figure_keys]
        new_figures = with_year.filter(~pl.col("stored")).select(
            "credit_code", pl.col("id__old").alias("enterprise_id"), "year", *year_values
        )
        changed_figures = with_year.filter(pl.col("stored") & pl.col("fig_changed")).select(
            pl.col("id__old").alias("enterprise_id"), "year", *year_values
        )
        figures_written = " ".join(
            with_year.filter("fig_changed")
            .select(pl.col("credit_code") + ":" + pl.col("year").cast(pl.String))
            .to_series()
            .to_list()
        )
        joined = joined.with_columns(
            figures_changed=(
                pl.col("year").is_not_null()
                & (
                    ~pl.col("stored")
                    | pl.any_horizontal([pl.col(f"{k}__year").ne_missing(pl.col(f"{k}__fig")) for k in figure_keys])
                )
            ).fill_null(False)
        )
        old_years = joined.filter(is_old & pl.col("figures_changed")).select("id__old", "year")
        for (year,), group in old_years.group_by("year"):
            changed_years[str(year)] = id_ranges(group["id__old"].to_list())
    new = joined.filter(~is_old).height
    updated = joined.filter(is_old & (pl.col("changed") | pl.col("figures_changed"))).height
    stored = [*ENTERPRISE_FIELDS, *BLIND_INDEX.values()]
    inserts = joined.filter(~is_old).select("credit_code", "fic_id", "org_path", "size_class", *stored)
    old_changed = joined.filter(is_old & pl.col("changed"))
    updates = old_changed.select(pl.col("id__old").alias("id"), "size_class", *stored)
    # Which enterprises each import changed, and in which columns (ids as ranges: compact for big files).
    changed_fields = {}
    if old_changed.height:
        for f in (*ENTERPRISE_FIELDS, "size_class"):
            ids_f = old_changed.filter(pl.col(_compared(f)).ne_missing(pl.col(f"{_compared(f)}__old")))[
                "id__old"
            ].to_list()
            if ids_f:
                changed_fields[f] = id_ranges(ids_f)
    updated_ids = joined.filter(is_old & (pl.col("changed") | pl.col("figures_changed")))["id__old"].to_list()
    written = " ".join(joined.filter("changed")["credit_code"].to_list())
    return BatchPlan(
        inserts,
        updates,
        new_figures,
        changed_figures,
        written,
        figures_written,
        new,
        updated,
        joined.height - new - updated,
        updated_ids=id_ranges(updated_ids),
        id_span=(min(updated_ids), max(updated_ids)) if updated_ids else (),
        changed_fields=changed_fields,
        changed_years=changed_years,
    )


def _compared(f: str) -> str:
    """The column that tells whether ``f`` changed: a sealed number by its blind index (ciphertexts of
    one number differ every time it is sealed)."""
    return BLIND_INDEX.get(f, f)
