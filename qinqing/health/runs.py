"""A scoring run against the database: read every enterprise's yearly figures in a subtree as columns, score them
in one vectorised pass (scoring.score_frame), and store the results in bulk (the previous results stay as
history, no longer current)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from django.db import connection, transaction
from django.db.models import FloatField
from django.db.models.functions import Cast
from django.utils import timezone

from qinqing.registry.models import Enterprise, EnterpriseYearFigures

from .indicators import BY_CODE, DIMENSIONS, GRADES, GROWTH, QUESTIONS_BY_CODE, SUPPLEMENT_SOURCES
from .models import FinancialSupplement, HealthResult, HealthRun, QuestionnaireAnswers
from .scoring import FORMULAS, score_frame

BATCH = 2000
REGISTRY_FIELDS = {"revenue": "revenue_wan", "tax": "tax_wan", "rd": "rd_spend_wan", "employees": "employees",
                   "assets": "total_assets_wan"}  # fmt: skip
SUPPLEMENT_FIELDS = {name: f"{name}_wan" for name in SUPPLEMENT_SOURCES}
FLOAT = pl.Float64


def _frame(qs, fields: dict) -> pl.DataFrame:
    """The rows as columns; the database casts the decimals to floats (a Python loop over Decimals is slow)."""
    casts = {f"f_{name}": Cast(field, FloatField()) for name, field in fields.items()}
    rows = qs.annotate(**casts).values_list("enterprise_id", "year", *casts)
    schema = {"id": pl.Int64, "year": pl.Int64, **{n: FLOAT for n in fields}}
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def load_years(scope_path: str, until_year: int | None = None) -> pl.DataFrame:
    """Registry figures joined with the supplements, one row per enterprise and year (up to ``until_year``)."""
    figures = EnterpriseYearFigures.objects.filter(enterprise__org_path__startswith=scope_path)
    supplements = FinancialSupplement.objects.filter(enterprise__org_path__startswith=scope_path)
    if until_year is not None:
        figures, supplements = figures.filter(year__lte=until_year), supplements.filter(year__lte=until_year)
    base = _frame(figures, REGISTRY_FIELDS)
    extra = _frame(supplements, SUPPLEMENT_FIELDS)
    return base.join(extra, on=["id", "year"], how="left")


def load_answers(scope_path: str) -> pl.DataFrame:
    rows = QuestionnaireAnswers.objects.filter(enterprise__org_path__startswith=scope_path).values_list(
        "enterprise_id", "answers"
    )
    schema = {"id": pl.Int64, **{code: pl.Utf8 for code in QUESTIONS_BY_CODE}}
    return pl.DataFrame(
        [[pk, *((answers or {}).get(code) for code in QUESTIONS_BY_CODE)] for pk, answers in rows],
        schema=schema,
        orient="row",
    )


def peer_key(region_code: str, industry_code: str) -> str:
    """Peers: the same county (区划代码) and the same industry 大类 (门类 letter + two digits)."""
    return f"{region_code or '-'}:{(industry_code or '-')[:3]}"


def load_peers(scope_path: str) -> pl.DataFrame:
    rows = Enterprise.objects.filter(org_path__startswith=scope_path).values_list("id", "region_code", "industry_code")
    return pl.DataFrame(
        [[pk, peer_key(r, i)] for pk, r, i in rows], schema={"id": pl.Int64, "peer": pl.Utf8}, orient="row"
    )


def _quoted(text: str) -> pl.Expr:
    return pl.lit(f'"{text}"')


def _missing_entry(code: str) -> pl.Expr:
    """``{"code": …, "fields": [...]}`` when the indicator has no value: which source is absent this year or
    last year, or zero where it divides (as JSON text, built column-wise)."""
    _kind, num, den, _factor = FORMULAS[code]
    pieces = []
    if code in GROWTH:
        sources = ("assets", "liabilities") if num == "net_assets" else (num,)
        pieces += [pl.when(pl.col(s).is_null()).then(_quoted(f"now:{s}")) for s in sources]
        joined = "/".join(sources)
        previous = pl.col(f"prev_{num}")
        pieces.append(
            pl.when(previous.is_null()).then(_quoted(f"prev:{joined}"))
            .when(previous == 0).then(_quoted(f"zero_prev:{joined}"))
        )  # fmt: skip
    else:
        pieces += [pl.when(pl.col(s).is_null()).then(_quoted(f"now:{s}")) for s in (num, den)]
        pieces.append(
            pl.when(pl.col(num).is_not_null() & pl.col(den).is_not_null()).then(_quoted(f"zero:{den}"))
        )  # fmt: skip
    fields = pl.concat_list(pieces).list.drop_nulls().list.join(",")
    return pl.when(pl.col(f"v_{code}").is_null()).then(
        pl.concat_str([pl.lit(f'{{"code": "{code}", "fields": ['), fields, pl.lit("]}")])
    )


def missing_expr(config: dict) -> pl.Expr:
    """The result's ``missing`` list as JSON text: every scored item without a value."""
    entries = [_missing_entry(code) for code in config["indicators"]]
    entries += [
        pl.when(pl.col(f"p_{code}").is_null()).then(pl.lit(f'{{"code": "{code}", "fields": ["answer"]}}'))
        for code in config["questions"]
    ]
    if not entries:
        return pl.lit("[]")
    return pl.concat_str([pl.lit("["), pl.concat_list(entries).list.drop_nulls().list.join(", "), pl.lit("]")])


RESULT_COLUMNS = ("run_id", "version_id", "enterprise_id", "org_path", "year", "total", "grade", "coverage",
                  "dimensions", "values", "points", "missing", "peers", "weakest", "previous_total", "is_low", "fell",
                  "is_current", "computed_at")  # fmt: skip


def _json(fields: dict[str, pl.Expr]) -> pl.Expr:
    return pl.struct([expr.alias(name) for name, expr in fields.items()]).struct.json_encode()


def result_frame(frame: pl.DataFrame, config: dict, previous: pl.DataFrame, paths: pl.DataFrame) -> pl.DataFrame:
    """The stored columns of every result, computed column-wise (JSON columns as JSON text)."""
    frame = frame.join(previous, on="id", how="left").join(paths, on="id", how="left")
    total = pl.col("total")
    grade = pl.lit("")
    for code, low, _label in reversed(GRADES):
        grade = pl.when(total >= low).then(pl.lit(code)).otherwise(grade) if low != float("-inf") else pl.lit(code)
    grade = pl.when(total.is_null()).then(pl.lit("")).otherwise(grade)
    dims = list(DIMENSIONS)
    weakest = (
        pl.concat_list([pl.col(f"d_{d}").fill_null(float("inf")) for d in dims]).list.arg_min()
        .replace_strict(dict(enumerate(dims)), return_dtype=pl.Utf8)
    )  # fmt: skip
    any_dim = pl.any_horizontal([pl.col(f"d_{d}").is_not_null() for d in dims])
    previous_total = pl.col("previous_total")
    scored = [*config["indicators"], *config["questions"]]
    values = {c: pl.col(f"v_{c}").round(4) for c in BY_CODE}
    return frame.select(
        pl.col("id").alias("enterprise_id"),
        pl.col("org_path"),
        pl.col("year"),
        total.round(2).alias("total"),
        grade.alias("grade"),
        pl.col("coverage").round(2).alias("coverage"),
        _json({d: pl.col(f"d_{d}").round(2) for d in dims}).alias("dimensions"),
        _json(values).alias("values"),
        _json({c: pl.col(f"p_{c}") for c in scored}).alias("points"),
        missing_expr(config).alias("missing"),
        _json(
            {
                "key": pl.col("peer"),
                "count": pl.col("peer_count"),
                "percentile": pl.col("percentile").round(1),
                "median": pl.struct(
                    [*(pl.col(f"m_{d}").round(2).alias(d) for d in dims), pl.col("m_total").round(2).alias("total")]
                ),
            }
        ).alias("peers"),
        pl.when(any_dim).then(weakest).otherwise(pl.lit("")).alias("weakest"),
        previous_total,
        (total < config["low_below"]).fill_null(False).alias("is_low"),
        ((previous_total - total) >= config["fall_by"]).fill_null(False).alias("fell"),
    )


def _insert(params: list[tuple]) -> None:
    """Many rows in one executemany (Django's per-field preparation in bulk_create was most of the cost)."""
    table = HealthResult._meta.db_table
    columns = ", ".join(connection.ops.quote_name(c) for c in RESULT_COLUMNS)
    marks = ", ".join(["%s"] * len(RESULT_COLUMNS))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) VALUES ({marks})"  # noqa: S608 - model names
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def store_results(run: HealthRun, frame: pl.DataFrame, config: dict, previous: dict, paths: dict, progress=None):
    """Insert one current result per frame row, in batches; returns the number of low scores."""
    previous_frame = pl.DataFrame(
        list(previous.items()), schema={"id": pl.Int64, "previous_total": pl.Float64}, orient="row"
    )
    path_frame = pl.DataFrame(list(paths.items()), schema={"id": pl.Int64, "org_path": pl.Utf8}, orient="row")
    rows = result_frame(frame, config, previous_frame, path_frame)
    now = HealthResult._meta.get_field("computed_at").get_db_prep_save(timezone.now(), connection)
    head, tail = (run.pk, run.version_id), (True, now)
    total = rows.height
    for offset in range(0, total, BATCH):
        _insert([(*head, *row, *tail) for row in rows.slice(offset, BATCH).iter_rows()])
        if progress:
            progress(min(offset + BATCH, total), total)
    return int(rows.get_column("is_low").sum())


def compute_run(run: HealthRun, *, progress: Callable[..., None] | None = None, until_year: int | None = None) -> dict:
    """Score every enterprise with figures under the run's node and store the results (one transaction);
    ``until_year`` scores as of an earlier year (the figures after it are left out)."""
    config = run.version.config
    years = load_years(run.org_path, until_year)
    frame = score_frame(years, config, load_answers(run.org_path), load_peers(run.org_path), keep_sources=True)
    total = frame.height
    if progress:
        progress(0, total)
    with transaction.atomic():
        current = HealthResult.objects.filter(org_path__startswith=run.org_path, is_current=True)
        previous = dict(current.values_list("enterprise_id", "total"))
        current.update(is_current=False)
        paths = dict(Enterprise.objects.filter(org_path__startswith=run.org_path).values_list("id", "org_path"))
        low = store_results(run, frame, config, previous, paths, progress)
        run.scored, run.low, run.finished_at = total, low, timezone.now()
        run.save(update_fields=["scored", "low", "finished_at", "updated_at"])
    return {"scored": total, "low": low}
