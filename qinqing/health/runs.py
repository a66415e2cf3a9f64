"""A scoring run against the database: read every enterprise's yearly figures in a subtree as columns, score them
in one vectorised pass (scoring.score_frame), and store the results in bulk (the previous results stay as
history, no longer current)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from django.db import transaction
from django.utils import timezone

from qinqing.registry.models import Enterprise, EnterpriseYearFigures

from .indicators import BY_CODE, DIMENSIONS, GROWTH, QUESTIONS_BY_CODE, SUPPLEMENT_SOURCES, grade_of
from .models import FinancialSupplement, HealthResult, HealthRun, QuestionnaireAnswers
from .scoring import FORMULAS, score_frame

BATCH = 2000
REGISTRY_FIELDS = {"revenue": "revenue_wan", "tax": "tax_wan", "rd": "rd_spend_wan", "employees": "employees",
                   "assets": "total_assets_wan"}  # fmt: skip
SUPPLEMENT_FIELDS = {name: f"{name}_wan" for name in SUPPLEMENT_SOURCES}
FLOAT = pl.Float64


def _frame(rows, names) -> pl.DataFrame:
    schema = {"id": pl.Int64, "year": pl.Int64, **{n: FLOAT for n in names}}
    return pl.DataFrame(
        [[r[0], r[1], *(None if v is None else float(v) for v in r[2:])] for r in rows], schema=schema, orient="row"
    )


def load_years(scope_path: str, enterprise_ids: list[int] | None = None) -> pl.DataFrame:
    """Registry figures joined with the supplements, one row per enterprise and year."""
    figures = EnterpriseYearFigures.objects.filter(enterprise__org_path__startswith=scope_path)
    supplements = FinancialSupplement.objects.filter(enterprise__org_path__startswith=scope_path)
    if enterprise_ids is not None:
        figures, supplements = (
            figures.filter(enterprise_id__in=enterprise_ids),
            supplements.filter(enterprise_id__in=enterprise_ids),
        )
    base = _frame(figures.values_list("enterprise_id", "year", *REGISTRY_FIELDS.values()), REGISTRY_FIELDS)
    extra = _frame(supplements.values_list("enterprise_id", "year", *SUPPLEMENT_FIELDS.values()), SUPPLEMENT_FIELDS)
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


def missing_of(row: dict, config: dict) -> list[dict]:
    """Each scored item without a value, with the source data that is absent (or zero where it divides)."""
    out = []
    for code in config["indicators"]:
        if row[f"v_{code}"] is not None:
            continue
        _kind, num, den, _factor = FORMULAS[code]
        fields = []
        if code in GROWTH:
            sources = ("assets", "liabilities") if num == "net_assets" else (num,)
            fields += [f"now:{s}" for s in sources if row.get(s) is None]
            previous = row.get(f"prev_{num}")
            fields += ["prev:" + "/".join(sources)] if previous is None else ["zero_prev:" + "/".join(sources)]
        else:
            fields += [f"now:{s}" for s in (num, den) if row.get(s) is None]
            if not fields:
                fields.append(f"zero:{den}")
        out.append({"code": code, "fields": fields})
    for code in config["questions"]:
        if row.get(f"p_{code}") is None:
            out.append({"code": code, "fields": ["answer"]})
    return out


def _result(run: HealthRun, row: dict, config: dict, enterprise: tuple, previous: float | None, now) -> HealthResult:
    total = row["total"]
    dims = {d: row[f"d_{d}"] for d in DIMENSIONS}
    present = {d: v for d, v in dims.items() if v is not None}
    return HealthResult(
        run=run,
        version_id=run.version_id,
        enterprise_id=row["id"],
        org_path=enterprise[0],
        year=row["year"],
        total=None if total is None else round(total, 2),
        grade=grade_of(total),
        coverage=round(row["coverage"], 2),
        dimensions={d: None if v is None else round(v, 2) for d, v in dims.items()},
        values={c: None if row[f"v_{c}"] is None else round(row[f"v_{c}"], 4) for c in BY_CODE},
        points={c: row[f"p_{c}"] for c in [*config["indicators"], *config["questions"]]},
        missing=missing_of(row, config),
        peers={
            "key": row["peer"],
            "count": row["peer_count"],
            "percentile": None if row["percentile"] is None else round(row["percentile"], 1),
            "median": {
                **{d: None if row[f"m_{d}"] is None else round(row[f"m_{d}"], 2) for d in DIMENSIONS},
                "total": None if row["m_total"] is None else round(row["m_total"], 2),
            },
        },
        weakest=min(present, key=present.get) if present else "",
        previous_total=previous,
        is_low=total is not None and total < config["low_below"],
        fell=total is not None and previous is not None and previous - total >= config["fall_by"],
        is_current=True,
        computed_at=now,
    )


def compute_run(run: HealthRun, *, progress: Callable[..., None] | None = None) -> dict:
    """Score every enterprise with figures under the run's node and store the results (one transaction)."""
    config = run.version.config
    years = load_years(run.org_path)
    frame = score_frame(years, config, load_answers(run.org_path), load_peers(run.org_path), keep_sources=True)
    total = frame.height
    if progress:
        progress(0, total)
    now = timezone.now()
    with transaction.atomic():
        current = HealthResult.objects.filter(org_path__startswith=run.org_path, is_current=True)
        previous = dict(current.values_list("enterprise_id", "total"))
        current.update(is_current=False)
        paths = dict(Enterprise.objects.filter(org_path__startswith=run.org_path).values_list("id", "org_path"))
        low = 0
        for offset in range(0, total, BATCH):
            batch = [
                _result(run, row, config, (paths[row["id"]],), previous.get(row["id"]), now)
                for row in frame.slice(offset, BATCH).iter_rows(named=True)
            ]
            low += sum(r.is_low for r in batch)
            HealthResult.objects.bulk_create(batch, batch_size=BATCH)
            if progress:
                progress(min(offset + BATCH, total), total)
        run.scored, run.low, run.finished_at = total, low, timezone.now()
        run.save(update_fields=["scored", "low", "finished_at", "updated_at"])
    return {"scored": total, "low": low}
