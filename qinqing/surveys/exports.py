"""The .xlsx export of a survey: one row per response, one column per item code, and a codebook sheet.

Columns are built column-wise in Polars (coded answers sliced from Response.codes, the others read from the
column-wise AnswerValue rows), then written by xlsxfast (cellsafety's rule: every text is a text cell, never a
formula). An anonymous survey's export has no respondent
columns and its rows come in the random order of their UUID keys.
"""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext as _

from . import results, xlsxfast
from .answers import ALPHABET, BLANK, VALUE_KINDS
from .choices import Kind
from .models import Survey
from .structure import ENVIRONMENTS, items

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A coded character → its cell: the option number as a number cell; blank (no answer) → an empty cell.
CELLS = {ch: f"<c><v>{value}</v></c>" for value, ch in enumerate(ALPHABET)} | {BLANK: "<c/>"}


def _respondent_frame(survey: Survey) -> pl.DataFrame:
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from .models import Response

    qs = Response.objects.filter(survey=survey).annotate(key=Cast("pk", CharField()))
    return results.read_rows(
        qs, ["key", "enterprise__name", "enterprise__credit_code", "submitted_on"],
        {"id": pl.Utf8, "enterprise": pl.Utf8, "credit_code": pl.Utf8, "submitted_on": pl.Date},
    )  # fmt: skip


def _coded_runs(all_items, slots: dict[str, int]) -> list[tuple[int, int]]:
    """The export's coded columns as runs of consecutive slots: (index of the first item, run length)."""
    runs: list[tuple[int, int]] = []
    previous = None
    for index, item in enumerate(all_items):
        slot = slots.get(item.code) if item.kind in (Kind.SINGLE, Kind.SCALE) else None
        if slot is not None and previous is not None and runs and slot == previous + 1 and \
                runs[-1][0] + runs[-1][1] == index:  # fmt: skip
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        elif slot is not None:
            runs.append((index, 1))
        previous = slot
    return runs


def _value_columns(survey: Survey, value_items) -> pl.DataFrame | None:
    """One row per response that has column-wise answers: id, then a column per item (options "1;3" in
    answer order, the number, the text)."""
    values = results.value_frame(survey, [i.code for i in value_items])
    if values.is_empty():
        return None
    out = None
    for item in value_items:
        rows = values.filter(pl.col("item") == item.code)
        if item.kind in (Kind.MULTIPLE, Kind.RANKING):
            column = rows.group_by("id").agg(
                pl.col("option").sort_by("position").cast(pl.Utf8).str.join(";").alias(item.code)
            )
        elif item.kind == Kind.NUMBER:
            column = rows.select("id", pl.col("number").alias(item.code))
        else:
            column = rows.select("id", pl.col("text").alias(item.code))
        out = column if out is None else out.join(column, on="id", how="full", coalesce=True)
    return out


def answer_frame(survey: Survey) -> tuple[list[str], pl.DataFrame, set[str]]:
    """(headers, frame, xml columns): the export's columns in order, rows in the order of the responses' random
    keys. Runs of coded items (single choice, scale) are one column each holding the run's cells' XML, made
    by one replacement per response on its coded string (xlsxfast.coded_cells); the other items come from
    AnswerValue (never from the JSON answers)."""
    all_items = items(survey.structure)
    frame = results.read(survey, with_id=True)
    value_items = [i for i in all_items if i.kind in VALUE_KINDS]
    values = _value_columns(survey, value_items)
    if values is not None:
        frame = frame.join(values, on="id", how="left")
    frame = frame.sort("id")
    runs = {start: length for start, length in _coded_runs(all_items, survey.slots)}
    columns: list[pl.Expr] = [pl.col("version")]
    xml: set[str] = set()
    index = 0
    while index < len(all_items):
        item = all_items[index]
        if index in runs:
            name = f"_run{index}"
            run = pl.col("codes").str.slice(survey.slots[item.code], runs[index]).str.pad_end(runs[index], BLANK)
            columns.append(xlsxfast.coded_cells(run, CELLS).alias(name))
            xml.add(name)
            index += runs[index]
            continue
        if item.kind in VALUE_KINDS and item.code in frame.columns:
            columns.append(pl.col(item.code))
        else:  # a coded item without a slot, or a kind nobody answered yet: an empty column
            columns.append(pl.lit(None, dtype=pl.Utf8).alias(item.code))
        index += 1
    headers = [_("版本"), *[i.code for i in all_items]]
    out = frame.select(columns)
    if not survey.anonymous:
        respondents = frame.select("id").join(_respondent_frame(survey), on="id", how="left", maintain_order="left")
        attrs = frame.select(
            pl.col("region"), pl.col("industry"), pl.col("size"),
            pl.when(pl.col("member") == 1).then(pl.lit(_("是"))).otherwise(pl.lit(_("否"))).alias("member"),
        )  # fmt: skip
        out = pl.concat([respondents.select("enterprise", "credit_code", "submitted_on"), attrs, out], how="horizontal")
        headers = [_("企业"), _("统一社会信用代码"), _("填写日期"), _("地区"), _("行业门类"), _("企业规模"), _("会员"),
                   *headers]  # fmt: skip
    return headers, out, xml


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
    headers, frame, xml = answer_frame(survey)
    frame = frame.with_columns([pl.col(n).cast(pl.Utf8) for n, t in frame.schema.items() if t == pl.Date])
    book_head = [_("编码"), _("部分"), _("题目"), _("题型"), _("取值说明"), _("营商环境维度")]
    book = pl.DataFrame(codebook_rows(survey), schema=[f"c{i}" for i in range(6)], orient="row")
    return xlsxfast.workbook([(_("答卷"), headers, frame, xml), (_("编码表"), book_head, book, set())])
