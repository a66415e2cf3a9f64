"""The .xlsx export of a survey: one row per response, one column per item code, and a codebook sheet.

Columns are built column-wise in Polars (coded answers sliced from Response.codes, the others picked from the
JSON with one json_path_match per item); rows are then written once by xlsxwriter through
qinqing.core.cellsafety (text cells are never formulas). An anonymous survey's export has no respondent
columns and its rows come in the random order of their UUID keys.
"""

from __future__ import annotations

import io

import polars as pl
from django.utils.translation import gettext as _

from qinqing.core.cellsafety import workbook

from . import results
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
    frame = results.read(survey, with_answers=True, queryset=qs)
    slots = survey.slots
    columns: list[pl.Expr] = [pl.col("version")]
    for item in all_items:
        if item.kind in (Kind.SINGLE, Kind.SCALE) and item.code in slots:
            char = pl.col("codes").str.slice(slots[item.code], 1)
            columns.append(
                char.replace_strict(results.CHAR_VALUE, default=None, return_dtype=pl.Int64).alias(item.code)
            )
        elif item.kind in (Kind.MULTIPLE, Kind.RANKING):
            raw = pl.col("answers").str.json_path_match(f"$.{item.code}")
            columns.append(raw.str.strip_chars("[]").str.replace_all(",", ";").alias(item.code))
        elif item.kind == Kind.NUMBER:
            columns.append(pl.col("answers").str.json_path_match(f"$.{item.code}").cast(pl.Float64).alias(item.code))
        else:
            columns.append(pl.col("answers").str.json_path_match(f"$.{item.code}").alias(item.code))
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
    headers, frame = answer_frame(survey)
    buffer = io.BytesIO()
    book = workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet(_("答卷"))
    sheet.write_row(0, 0, [str(h) for h in headers])
    write = sheet.write_row
    for index, row in enumerate(frame.iter_rows(), start=1):
        write(index, 0, row)
    codebook = book.add_worksheet(_("编码表"))
    codebook.write_row(0, 0, [_("编码"), _("部分"), _("题目"), _("题型"), _("取值说明"), _("营商环境维度")])
    for index, row in enumerate(codebook_rows(survey), start=1):
        codebook.write_row(index, 0, row)
    book.close()
    return buffer.getvalue()
