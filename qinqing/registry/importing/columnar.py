"""Whole-column checks in polars: the clean majority is recognised by vectorised expressions, the
rest (lower case, full width, wrong length, bad check character, odd date formats…) goes value by
value through the standards modules, which stay the authority and phrase the Chinese reason.

Values are kept as canonical text ("" or null when empty) so a file and the database compare equal:
decimals with two places ("12.50"), integers without leading zeros, dates as 2020-01-31.
"""

import datetime
from collections.abc import Callable

import polars as pl
from django.utils.translation import gettext as _

from ..standards import idcard, sizeclass

Problems = list[tuple[int, str]]  # (row index in the file, Chinese reason)

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
INT_MAX = 2_147_483_647  # PositiveIntegerField on PostgreSQL
DECIMAL = pl.Decimal(16, 2)


def uscc_clean(s: pl.Series) -> pl.Series:
    """True where the code is already normalised and its check character is right (GB 32100-2015)."""
    value = {c: i for i, c in enumerate(USCC_CHARS)}
    total = pl.lit(0, dtype=pl.Int64)
    for k, weight in enumerate(USCC_WEIGHTS):
        digit = pl.col("v").str.slice(k, 1).replace_strict(value, default=0, return_dtype=pl.Int64)
        total = total + digit * weight
    check = ((31 - total % 31) % 31).replace_strict(dict(enumerate(USCC_CHARS)), return_dtype=pl.String)
    ok = pl.col("v").str.contains(r"^[0-9A-HJ-NPQRTUWXY]{18}$") & (pl.col("v").str.slice(17, 1) == check)
    return pl.DataFrame({"v": s}).select(ok.fill_null(False)).to_series()


def id_clean(s: pl.Series, today: datetime.date) -> pl.Series:
    """True where an 18-digit 居民身份证号码 passes checksum, birth date and region (GB 11643-1999)."""
    total = pl.lit(0, dtype=pl.Int64)
    for k, weight in enumerate(ID_WEIGHTS):
        total = total + pl.col("v").str.slice(k, 1).cast(pl.Int64, strict=False) * weight
    check = (total % 11).replace_strict(dict(enumerate(ID_CHECK)), return_dtype=pl.String)
    born = pl.col("v").str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
    shape = pl.col("v").str.contains(r"^\d{17}[\dX]$")
    frame = pl.DataFrame({"v": s}).with_columns(
        ok=(
            shape & (pl.col("v").str.slice(17, 1) == check) & (born >= datetime.date(1900, 1, 1)) & (born <= today)
        ).fill_null(False),
        prefix=pl.col("v").str.slice(0, 6),
    )
    prefixes = frame.filter("ok")["prefix"].unique().to_list()
    good_prefixes = [p for p in prefixes if _region_prefix_ok(p)]
    return frame.select(pl.col("ok") & pl.col("prefix").is_in(good_prefixes)).to_series()


def _region_prefix_ok(prefix: str) -> bool:
    sample = prefix + "19900101001"
    try:
        idcard.validate(sample + idcard.check_char(sample))
    except idcard.InvalidIdNumber:
        return False
    return True


def fallback(
    s: pl.Series, clean: pl.Series, check: Callable[[str], str], error_types: tuple
) -> tuple[pl.Series, Problems]:
    """Run ``check`` on the filled values that are not ``clean``; bad ones become "" with a reason."""
    todo = (~clean & (s != "")).arg_true().to_list()
    problems: Problems = []
    fixed_at, fixed = [], []
    for i in todo:
        try:
            value = check(s[i])
        except error_types as exc:
            problems.append((i, str(exc)))
            value = ""
        fixed_at.append(i)
        fixed.append(value)
    if fixed_at:
        s = s.clone().scatter(fixed_at, pl.Series(fixed, dtype=pl.String))
    return s, problems


def by_unique(s: pl.Series, check: Callable[[str], str], error_types: tuple) -> tuple[pl.Series, Problems]:
    """For columns with few distinct values (industry, region, qualifications): check each once."""
    mapping: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for value in s.unique().to_list():
        if not value:
            mapping[value] = ""
            continue
        try:
            mapping[value] = check(value)
        except error_types as exc:
            reasons[value] = str(exc)
            mapping[value] = ""
    problems: Problems = []
    if reasons:
        bad = s.is_in(list(reasons)).arg_true().to_list()
        problems = [(i, reasons[s[i]]) for i in bad]
    return s.replace_strict(mapping, return_dtype=pl.String), problems


def keep(s: pl.Series, mask: pl.Series) -> pl.Series:
    """``s`` where ``mask`` is true, null elsewhere."""
    return pl.DataFrame({"v": s, "m": mask}).select(pl.when(pl.col("m")).then(pl.col("v")).alias(s.name)).to_series()


def canonical_decimal(s: pl.Series) -> pl.Series:
    return s.cast(DECIMAL, strict=False).cast(pl.String)


def decimal(s: pl.Series, parse_one: Callable) -> tuple[pl.Series, Problems]:
    """Non-negative amounts with at most two places; others go to ``parse_one`` (commas, rounding)."""
    clean = s.str.contains(r"^\d{1,14}(\.\d{1,2})?$")
    out = canonical_decimal(keep(s, clean))
    todo = (~clean & (s != "")).arg_true().to_list()
    problems: Problems = []
    if todo:
        values, errors = parse_one([s[i] for i in todo])
        out = out.scatter(todo, pl.Series([None if v is None else format(v, "f") for v in values], dtype=pl.String))
        problems = [(todo[j], reason) for j, reason in errors]
    return out, problems


def integer(s: pl.Series, parse_one: Callable) -> tuple[pl.Series, Problems]:
    clean = s.str.contains(r"^\d{1,9}$")
    out = keep(s, clean).cast(pl.Int64).cast(pl.String)
    todo = (~clean & (s != "")).arg_true().to_list()
    problems: Problems = []
    if todo:
        values, errors = parse_one([s[i] for i in todo])
        problems = [(todo[j], reason) for j, reason in errors]
        for j, v in enumerate(values):
            if v is not None and v > INT_MAX:
                problems.append((todo[j], _("数值过大")))
                values[j] = None
        out = out.scatter(todo, pl.Series([None if v is None else str(v) for v in values], dtype=pl.String))
    return out, problems


def date(s: pl.Series, parse_one: Callable) -> tuple[pl.Series, Problems]:
    parsed = s.str.to_date("%Y-%m-%d", strict=False)
    clean = s.str.contains(r"^\d{4}-\d{2}-\d{2}$") & parsed.is_not_null()
    out = keep(parsed.cast(pl.String), clean)
    todo = (~clean.fill_null(False) & (s != "")).arg_true().to_list()
    problems: Problems = []
    if todo:
        values, errors = parse_one([s[i] for i in todo])
        out = out.scatter(todo, pl.Series([None if v is None else v.isoformat() for v in values], dtype=pl.String))
        problems = [(todo[j], reason) for j, reason in errors]
    return out, problems


def size_class(frame: pl.DataFrame) -> pl.Series:
    """企业规模 for columns industry_code, employees, revenue_wan, total_assets_wan (canonical text):
    the 2017 办法's rule, the same answer as sizeclass.classify (tested)."""
    codes = frame["industry_code"].unique().to_list()
    group_of = {code: sizeclass.group_for(code or "")[0] for code in codes}
    indicator_column = {
        sizeclass.EMPLOYEES: "employees",
        sizeclass.REVENUE: "revenue_wan",
        sizeclass.ASSETS: "total_assets_wan",
    }
    numbers = frame.select(
        pl.col("industry_code").replace_strict(group_of, return_dtype=pl.String).alias("group"),
        *[pl.col(c).cast(pl.Float64).alias(c) for c in indicator_column.values()],
    )
    result = pl.lit("", dtype=pl.String)
    for name in {g for g in group_of.values() if g}:
        bounds = sizeclass.GROUPS[name].bounds
        values = [(pl.col(indicator_column[key]), [float(b) for b in tiers]) for key, tiers in bounds]
        micro = pl.any_horizontal([v.is_not_null() & (v < t[2]) for v, t in values])
        missing = pl.any_horizontal([v.is_null() for v, _t in values])
        size = (
            pl.when(micro)
            .then(pl.lit("微型"))
            .when(missing)
            .then(pl.lit(""))
            .when(pl.all_horizontal([v >= t[0] for v, t in values]))
            .then(pl.lit("大型"))
            .when(pl.all_horizontal([v >= t[1] for v, t in values]))
            .then(pl.lit("中型"))
            .otherwise(pl.lit("小型"))
        )
        result = pl.when(pl.col("group") == name).then(size).otherwise(result)
    return numbers.with_columns(result.alias("size_class"))["size_class"]
