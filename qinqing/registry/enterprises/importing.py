"""Enterprise import: validate whole columns, diff a batch against the database, upsert it set-wise.

Validation and the diff are polars expressions over the batch (one SELECT fetches the batch's
existing enterprises, one their yearly figures); the write is one INSERT … ON CONFLICT (credit_code)
DO UPDATE per batch (PostgreSQL: COPY into a temporary table first, see ``sqlwrite``). Re-running a
batch therefore never duplicates a row, which is what makes a killed import resumable from its last
checkpoint.
"""

import datetime
import unicodedata
from dataclasses import dataclass, field

import polars as pl
from django.utils.translation import gettext as _

from qinqing.core import crypto
from qinqing.core.idranges import expand_ranges, id_ranges

from .. import rules
from ..choices import Qualification
from ..models import Enterprise, EnterpriseYearFigures
from ..standards import idcard, mobile, uscc

try:  # GB/T 4754 data module (written alongside); until it lands only the code's shape is checked
    from ..standards import industry
except ImportError:  # pragma: no cover
    industry = None
from ..importing import columnar, fastcheck, parse, sqlwrite
from ..importing.columns import ENTERPRISE_COLUMNS, HeaderMap
from ..importing.reader import Table
from ..importing.report import RowIssue

# Batches are independent (a credit code appears once in a file), so the runner may plan the next batch
# while the database writes this one.
PIPELINED = True

FLAG_FIELDS = ["serious_dishonesty", "non_private_controlled"]  # N强 exclusions (reports.rankings)
ENTERPRISE_FIELDS = [
    "name",
    "legal_representative",
    "legal_rep_id_number",
    "region_code",
    "industry_code",
    "founded_on",
    "employees",
    "revenue_wan",
    "total_assets_wan",
    "qualifications",
    "address",
    "contact_name",
    "contact_mobile",
    *FLAG_FIELDS,
]
FIGURE_FIELDS = ["revenue_wan", "tax_wan", "rd_spend_wan", "employees", "total_assets_wan"]
# Which file column fills each yearly figure.
FIGURE_SOURCES = {
    "revenue_wan": "revenue_wan",
    "tax_wan": "tax_wan",
    "rd_spend_wan": "rd_spend_wan",
    "employees": "employees",
    "total_assets_wan": "total_assets_wan",
}
PII_FIELDS = {"legal_rep_id_number", "contact_mobile"}
# Sealed at rest (qinqing.core.crypto): the import compares blind indexes, never decrypts stored values,
# and seals whole columns (vectorised) just before the write.
BLIND_INDEX = {"legal_rep_id_number": "legal_rep_id_number_bidx", "contact_mobile": "contact_mobile_bidx"}
CURRENT_FIGURES = {"employees", "revenue_wan", "total_assets_wan"}  # on the enterprise and in each year
LABELS = {c.key: c.label for c in ENTERPRISE_COLUMNS}
QUALIFICATION_LABELS = {
    **{str(label): code for code, label in Qualification.choices},
    "高企": "high_tech",
    "高新企业": "high_tech",
    "专精特新中小企业": "srdi",
    "小巨人": "little_giant",
    "专精特新“小巨人”": "little_giant",
    "制造业单项冠军": "champion",
    "上市": "listed",
    "拟上市": "pre_listing",
}


def _industry_ok(value: str) -> str:
    """The canonical GB/T 4754-2017 code (``c3311``, ``C3311``, ``３３１１`` → ``3311``)."""
    code = unicodedata.normalize("NFKC", value)
    if industry is None:
        code = "".join(code.split()).upper()
        if not (code.isdigit() and 2 <= len(code) <= 4):
            raise ValueError(_("行业代码应为2至4位数字（GB/T 4754-2017）"))
        return code
    try:
        found = industry.lookup(code)
    except (KeyError, ValueError):
        found = None
    if not found:
        raise ValueError(_("不是 GB/T 4754-2017 中的行业代码"))
    return found.code


def _industry_note(value: str, code: str) -> str:
    notes = []
    width = unicodedata.normalize("NFKC", value)
    if width != value:
        notes.append(_("已将全角字符转为半角"))
    if "".join(width.split()) != width:
        notes.append(_("已去除空格"))
    compact = "".join(width.split())
    if code.isdigit() and not compact[:1].isdigit():
        notes.append(_("已去掉门类字母"))
    elif compact != compact.upper():
        notes.append(_("已将小写字母转为大写"))
    return _("%(what)s：%(code)s") % {"what": "，".join(notes) or _("已规范化"), "code": code}


def _region_ok(value: str) -> str:
    """The same GB/T 2260 check as the form and the API (registry.rules.region_code)."""
    try:
        return rules.region_code(value)
    except rules.RuleError as exc:
        raise ValueError(str(exc)) from None


TEXT_FIELDS = [
    f
    for f in ENTERPRISE_FIELDS
    if f not in ("founded_on", "employees", "revenue_wan", "total_assets_wan", *FLAG_FIELDS)
]
NULLABLE_KIND = {
    "founded_on": "date",
    "employees": "nullable",
    "revenue_wan": "decimal",
    "total_assets_wan": "decimal",
    **dict.fromkeys(FLAG_FIELDS, "bool"),
}
# 是/否 cells of the flags, kept as "1"/"0" (how sqlwrite.fetch reads a boolean on both databases).
YES = ("是", "Y", "y", "yes", "1", "√", "true", "TRUE")
NO = ("否", "N", "n", "no", "0", "×", "false", "FALSE")


def _yes_no(value: str) -> str:
    value = value.strip()
    if value in YES:
        return "1"
    if value in NO:
        return "0"
    raise ValueError(_("请填写“是”或“否”"))


FIGURE_KIND = {
    "revenue_wan": "decimal",
    "tax_wan": "decimal",
    "rd_spend_wan": "decimal",
    "employees": "nullable",
    "total_assets_wan": "decimal",
}


@dataclass
class Validated:
    """Canonical text columns (key → values aligned with the file's rows, plus ``row``: the index of
    the row in the file) and the indices of the rows that are clean, in file order."""

    frame: pl.DataFrame
    good: pl.Series

    @property
    def values(self) -> dict[str, list]:
        return {name: self.frame[name].to_list() for name in self.frame.columns}


def validate(table: Table, headers: HeaderMap, errors: list[RowIssue], notes: list[RowIssue]) -> Validated:
    n = len(table)
    raw: dict[str, pl.Series] = {key: table.column(position) for key, position in headers.index.items()}
    out: dict[str, pl.Series] = {"row": pl.Series("row", range(n), dtype=pl.Int64)}
    problems: list[tuple[int, str, str]] = []  # (row index, column key, reason)

    def take(key: str, parsed: tuple[pl.Series, columnar.Problems]) -> None:
        values, found = parsed
        out[key] = values.alias(key)
        problems.extend((i, key, reason) for i, reason in found)

    # 统一社会信用代码: normalise (lower case, full width) with a note, then check the check character.
    codes = raw["credit_code"]
    clean = columnar.uscc_clean(codes)

    def normalise_code(value: str) -> str:
        code, row_notes = uscc.normalize(value)
        notes.extend(RowIssue(current[0] + 2, LABELS["credit_code"], value, note) for note in row_notes)
        return uscc.validate(code)

    current = [0]
    todo = (~clean & (codes != "")).arg_true().to_list()
    fixed, code_problems = [], []
    for i in todo:
        current[0] = i
        try:
            fixed.append(normalise_code(codes[i]))
        except uscc.InvalidCreditCode as exc:
            code_problems.append((i, str(exc)))
            fixed.append("")
    normalised = codes.clone().scatter(todo, pl.Series(fixed, dtype=pl.String)) if todo else codes
    take("credit_code", (normalised, code_problems))
    required = _("必填")
    for i in ((codes == "") & table.nonempty).arg_true().to_list():
        problems.append((i, "credit_code", required))
    frame = pl.DataFrame({"row": out["row"], "code": normalised})
    dup = frame.with_columns(first=pl.col("row").min().over("code")).filter(
        (pl.col("code") != "") & (pl.col("row") != pl.col("first"))
    )
    problems.extend(
        (i, "credit_code", _("与第%(row)s行重复") % {"row": first + 2})
        for i, first in dup.select("row", "first").iter_rows()
    )

    if "name" in raw:
        names = raw["name"]
        too_long = _("超过%(max)s个字符") % {"max": 200}
        take("name", (names, [(i, too_long) for i in (names.str.len_chars() > 200).arg_true().to_list()]))
        problems.extend((i, "name", required) for i in ((names == "") & (normalised != "")).arg_true().to_list())
    for key, length in (("legal_representative", 50), ("address", 200), ("contact_name", 50)):
        if key in raw:
            long = (raw[key].str.len_chars() > length).arg_true().to_list()
            too_long = _("超过%(max)s个字符") % {"max": length}
            take(key, (raw[key], [(i, too_long) for i in long]))
    if "legal_rep_id_number" in raw:
        column = raw["legal_rep_id_number"]
        clean = columnar.id_clean(column, datetime.date.today()) | column.str.contains(r"\*", literal=False)
        take("legal_rep_id_number", columnar.fallback(column, clean, idcard.validate, (idcard.InvalidIdNumber,)))
    if "contact_mobile" in raw:
        column = raw["contact_mobile"]
        clean = column.str.contains(r"^1[3-9]\d{9}$") | column.str.contains(r"\*", literal=False)
        take("contact_mobile", columnar.fallback(column, clean, mobile.validate_mobile, (ValueError,)))
    if "region_code" in raw:
        take("region_code", columnar.by_unique(raw["region_code"], _region_ok, (ValueError,)))
    if "industry_code" in raw:
        column = raw["industry_code"]
        take("industry_code", columnar.by_unique(column, _industry_ok, (ValueError,)))
        # Stored as the canonical code, so c3311 / C3311 / 3311 are one value; each change is a note.
        typed = pl.DataFrame({"raw": column, "code": out["industry_code"]}).with_row_index("i")
        notes.extend(
            RowIssue(i + 2, LABELS["industry_code"], value, _industry_note(value, code))
            for i, value, code in typed.filter((pl.col("code") != "") & (pl.col("code") != pl.col("raw"))).iter_rows()
        )
    if "founded_on" in raw:
        take("founded_on", columnar.date(raw["founded_on"], parse.date))
    if "employees" in raw:
        take("employees", columnar.integer(raw["employees"], parse.integer))
    for key in ("revenue_wan", "total_assets_wan", "tax_wan", "rd_spend_wan"):
        if key in raw:
            take(key, columnar.decimal(raw[key], parse.decimal))
    if "qualifications" in raw:
        take(
            "qualifications",
            columnar.by_unique(raw["qualifications"], _qualifications_ok, (ValueError,)),
        )
    for key in FLAG_FIELDS:  # few distinct values: each checked once
        if key in raw:
            take(key, columnar.by_unique(raw[key], _yes_no, (ValueError,)))
    if "year" in raw:
        take("year", columnar.integer(raw["year"], parse.year))
        this_year = datetime.date.today().year
        years = out["year"].cast(pl.Int64)
        out_of_range = _("年度应在1949至%(year)s之间") % {"year": this_year}
        for i in ((years < 1949) | (years > this_year)).fill_null(False).arg_true().to_list():
            problems.append((i, "year", out_of_range))
    has_yearly = [key for key in ("tax_wan", "rd_spend_wan") if key in out]
    if has_yearly:
        filled = (
            pl.DataFrame([out[k] for k in has_yearly]).select(pl.any_horizontal(pl.all().is_not_null())).to_series()
        )
        no_year = out["year"].is_null() if "year" in out else pl.Series([True] * n)
        first_bad = {i for i, _k, _r in problems}
        for i in (filled & no_year & (normalised != "")).arg_true().to_list():
            if i in first_bad:
                continue
            if "year" in raw:
                key = next(k for k in has_yearly if out[k][i] is not None)
                problems.append((i, "year", _("填写了%(column)s时必须填写年度") % {"column": LABELS[key]}))
            else:
                problems.append((i, "year", _("填写了年度数据时必须有“年度”列")))

    bad = {i for i, _key, _reason in problems}
    for i, key, reason in problems:
        value = raw[key][i] if key in raw else ""
        errors.append(RowIssue(i + 2, LABELS[key], value, reason))
    errors.sort(key=lambda e: e.row)
    if "year" in out:
        out["year"] = out["year"].cast(pl.Int64)
    data = pl.DataFrame(list(out.values()))
    good = data.select((pl.col("credit_code") != "") & ~pl.col("row").is_in(list(bad))).to_series()
    return Validated(data, good.arg_true().cast(pl.Int64))


def _qualifications_ok(value: str) -> str:
    parsed, problems = parse.multi_choice([value], QUALIFICATION_LABELS, _("资质"))
    if problems:
        raise ValueError(problems[0][1])
    return parsed[0]


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


def _sealed(frame: pl.DataFrame) -> pl.DataFrame:
    """The personal numbers of the rows about to be written, sealed column by column (values kept from
    the database are sealed already and pass through; equal numbers in a batch share one token, as their
    blind indexes already show them equal)."""
    if not frame.height:
        return frame
    return frame.with_columns(
        pl.Series(f, crypto.seal_many(frame[f].to_list(), share_equal=True), dtype=pl.String) for f in PII_FIELDS
    )


def _seal(plan: BatchPlan) -> None:
    if not plan.sealed:
        plan.inserts, plan.updates, plan.sealed = _sealed(plan.inserts), _sealed(plan.updates), True


def prepare_batch(plan: BatchPlan, staging: sqlwrite.Staging | None) -> list:
    """What a batch needs after its plan and before its transaction: its personal numbers sealed and, with
    ``staging``, its rows staged (``stage_batch``). The runner runs this on a thread of its own, between
    the planning of the next batch and the writing of the one before. Returns ``stage_batch``'s list."""
    _seal(plan)
    return stage_batch(plan, staging) if staging is not None else []


def changed_enterprise_ids(plan: BatchPlan) -> list[int]:
    """The enterprises a written batch created or changed (their policy eligibility may have changed)."""
    return expand_ranges(plan.created_ids) + expand_ranges(plan.updated_ids)


def _frames(plan: BatchPlan) -> dict[str, pl.DataFrame]:
    """What the batch writes: new and changed enterprises (columns named as the table's), new yearly
    figures (with the credit code that finds a new enterprise's id once it is written), changed ones."""
    columns = {f: Enterprise._meta.get_field(f).column for f in (*ENTERPRISE_FIELDS, *BLIND_INDEX.values())}
    return {
        "inserts": plan.inserts.rename(columns),
        "updates": plan.updates.rename(columns),
        "new_figures": plan.new_figures,
        "changed_figures": plan.changed_figures,
    }


def stage_batch(plan: BatchPlan, staging: sqlwrite.Staging) -> list:
    """While an earlier batch is being written: the rows this batch's statements will read
    (``sqlwrite.Staging``). Returns what ``sqlwrite.attached`` must attach around the batch's transaction."""
    _seal(plan)
    tables = {
        "inserts": Enterprise._meta.db_table,
        "updates": Enterprise._meta.db_table,
        "new_figures": EnterpriseYearFigures._meta.db_table,
        "changed_figures": EnterpriseYearFigures._meta.db_table,
    }
    plan.staged = {
        name: staging.stage(tables[name], frame, ids=name == "inserts") for name, frame in _frames(plan).items()
    }
    return list(plan.staged.values())


def write_batch(plan: BatchPlan) -> None:
    """Insert new enterprises, update changed ones (import never moves one between FICs), then the
    yearly figures. Call inside a transaction."""
    _seal(plan)  # done already when the runner prepared the batch
    now = sqlwrite.now_text()
    table = Enterprise._meta.db_table
    frames, staged = _frames(plan), plan.staged
    new_ids = sqlwrite.insert(table, frames["inserts"], now, ids=True, staged=staged.get("inserts"))
    created = new_ids.to_list()
    plan.created_ids = id_ranges(created)
    if created:
        span = [*created, *plan.id_span]
        plan.id_span = (min(span), max(span))
    sqlwrite.update(table, frames["updates"], ["id"], now, staged=staged.get("updates"))
    figures = EnterpriseYearFigures._meta.db_table
    if plan.new_figures.height:
        known = pl.DataFrame({"credit_code": plan.inserts["credit_code"], "id": new_ids})
        sqlwrite.insert(
            figures,
            frames["new_figures"],
            now,
            staged=staged.get("new_figures"),
            fill=("enterprise_id", "credit_code", table, known),
        )
    keys = ["enterprise_id", "year"]
    sqlwrite.update(figures, frames["changed_figures"], keys, now, staged=staged.get("changed_figures"))


def audit_summary(plan: BatchPlan) -> dict:
    """The batch's audit row names every enterprise and yearly figure written (space-separated, so a
    search for one code finds it without the audit serialising thousands of list items)."""
    return {
        "new": plan.new,
        "updated": plan.updated,
        "credit_codes": plan.written,
        "figures": plan.figures_written,
        "created_ids": plan.created_ids,
        "updated_ids": plan.updated_ids,
        "changed_fields": plan.changed_fields,
        "changed_years": plan.changed_years,
        "id_min": plan.id_span[0] if plan.id_span else None,
        "id_max": plan.id_span[1] if plan.id_span else None,
    }
