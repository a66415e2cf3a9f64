"""Enterprise import, step one: the file's columns validated whole (polars expressions, per-value checks
only for the values that fail the fast column test), into canonical text, with the row issues and notes.

The column sets and kinds here are shared with the plan (``importing``) and the write (``importwrite``).
"""

import datetime
import unicodedata
from dataclasses import dataclass

import polars as pl
from django.utils.translation import gettext as _

from .. import rules
from ..choices import Qualification
from ..standards import idcard, mobile, uscc

try:  # GB/T 4754 data module (written alongside); until it lands only the code's shape is checked
    from ..standards import industry
except ImportError:  # pragma: no cover
    industry = None
from ..importing import columnar, parse
from ..importing.columns import ENTERPRISE_COLUMNS, HeaderMap
from ..importing.reader import Table
from ..importing.report import RowIssue

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
