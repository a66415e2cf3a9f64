"""The .xlsx export of a survey: one row per response, one column per item code, and a codebook sheet.

Columns are built column-wise in Polars (coded answers sliced from Response.codes, the others extracted from
the JSON by the database), then written by xlsxfast (cellsafety's rule: every text is a text cell, never a
formula). An anonymous survey's export has no respondent
columns and its rows come in the random order of their UUID keys.
"""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext as _

from . import results, xlsxfast
from .choices import Kind
from .models import Survey
from .structure import ENVIRONMENTS, items

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RESPONDENT = [("enterprise", "enterprise__name"), ("credit_code", "enterprise__credit_code"),
              ("submitted_on", "submitted_on")]  # fmt: skip


def _respondent_frame(survey: Survey) -> pl.DataFrame:
    from .models import Response

    qs = Response.objects.filter(survey=survey).order_by("pk")
    return results.read_rows(
        qs, ["enterprise__name", "enterprise__credit_code", "submitted_on", "source"],
        {"enterprise": pl.Utf8, "credit_code": pl.Utf8, "submitted_on": pl.Date, "source": pl.Utf8},
    )  # fmt: skip


def answer_frame(survey: Survey) -> tuple[list[str], pl.DataFrame]:
    """(headers, frame): the export's columns in order."""
    from .models import Response

    all_items = items(survey.structure)
    qs = Response.objects.filter(survey=survey).order_by("pk")
    json_codes = [i.code for i in all_items if i.kind in results.JSON_KINDS]
    frame = results.read(survey, json_items=json_codes, queryset=qs)
    slots = survey.slots
    columns: list[pl.Expr] = [pl.col("version")]
    for item in all_items:
        if item.kind in (Kind.SINGLE, Kind.SCALE) and item.code in slots:
            char = pl.col("codes").str.slice(slots[item.code], 1)
            value = char.replace_strict(results.CHAR_VALUE, default=None, return_dtype=pl.Int64)
            columns.append(value.alias(item.code))
        elif item.kind in (Kind.MULTIPLE, Kind.RANKING):
            raw = pl.col(f"j_{item.code}").str.strip_chars("[]").str.replace_all(r"\s*,\s*", ";")
            columns.append(raw.alias(item.code))
        elif item.kind == Kind.NUMBER:
            columns.append(pl.col(f"j_{item.code}").cast(pl.Float64, strict=False).alias(item.code))
        else:
            columns.append(pl.col(f"j_{item.code}").alias(item.code))
    headers = [_("版本"), *[i.code for i in all_items]]
    out = frame.select(columns)
    if not survey.anonymous:
        respondents = _respondent_frame(survey)
        attrs = frame.select(
            pl.col("region"), pl.col("industry"), pl.col("size"),
            pl.when(pl.col("member") == 1).then(pl.lit(_("是"))).otherwise(pl.lit(_("否"))).alias("member"),
        )  # fmt: skip
        out = pl.concat([respondents.select("enterprise", "credit_code", "submitted_on"), attrs, out], how="horizontal")
        headers = [_("企业"), _("统一社会信用代码"), _("填写日期"), _("地区"), _("行业门类"), _("企业规模"), _("会员"),
                   *headers]  # fmt: skip
    return headers, out


def codebook_rows(survey: Survey) -> list[list]:
    rows = []
    for item in items(survey.structure):
        values = "; ".join(f"{v}={label}" for v, label in item.options.items())
        if item.kind in (Kind.MULTIPLE, Kind.RANKING):
            values += _("（多个值以分号分隔，排序题按名次先后）")
        env = str(ENVIRONMENTS[item.environment]) if item.environment else ""
        rows.append([item.code, item.section, item.label, str(Kind(item.kind).label), values, env])
    return rows


def to_xlsx(survey: Survey) -> bytes:
    """The answers sheet and the codebook, written column-wise (xlsxfast: text cells only as inline strings)."""
    headers, frame = answer_frame(survey)
    frame = frame.with_columns([pl.col(n).cast(pl.Utf8) for n, t in frame.schema.items() if t == pl.Date])
    book_head = [_("编码"), _("部分"), _("题目"), _("题型"), _("取值说明"), _("营商环境维度")]
    book = pl.DataFrame(codebook_rows(survey), schema=[f"c{i}" for i in range(6)], orient="row")
    return xlsxfast.workbook([(_("答卷"), headers, frame), (_("编码表"), book_head, book)])
