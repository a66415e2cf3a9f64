# ruff: noqa: E501 -- benchmark script: long report lines
"""Surveys on PostgreSQL: one anonymous survey with N responses × 60 items (the 万家 shape); the results page, a
cross-tab and the .xlsx export, each against a naive per-response Python loop in the same run.

    .venv/bin/python bench/surveys/run.py --postgres postgres://postgres@127.0.0.1:5432/<scratch db> [--responses 100000] [--runs 3] [--scratch DIR]

Loaded with COPY (not timed): 10 county FICs, one survey whose 60 items are 5 matrices × 10 scale rows (five
environments), 6 single choice, 2 multiple choice, a number and a text; N responses with random answers
(5% 不了解, 5% blanks on optional items) spread over 10 regions, 21 industry sections, 4 sizes, members or not.
Timed (best / worst of --runs, each run timing both sides in turn; bench/machine.py):
- results page: what the page computes — one read of the responses into Polars (COPY), every question's counts,
  means and scores, the cross-tab of the first scale item by region and the 万家 scores by region with ranks;
  naive: one pass over the responses in Python (answers JSON per row) accumulating the same numbers in dicts;
- cross-tab: one scale item by region (Polars group-by on the coded answers) against the per-response loop;
- export: exports.to_xlsx (columns built in Polars, cells' XML built column-wise by surveys/xlsxfast) against
  a per-response loop building each row from its JSON answers, written cell by cell by xlsxwriter
  (qinqing.core.cellsafety.workbook, constant-memory mode).
Both sides' numbers are compared before timing.
"""

import argparse
import io
import json
import os
import sys
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polars as pl

ENV_KEYS = ["factor", "government", "market", "law", "innovation"]


def bench_structure() -> dict:
    sections = []
    for e, env in enumerate(ENV_KEYS):
        rows = [{"code": f"M{e}_{r}", "label": f"子项{e}-{r}"} for r in range(10)]
        sections.append({"title": f"环境{e}", "questions": [
            {"code": f"M{e}", "kind": "matrix", "label": f"矩阵{e}", "environment": env, "items": rows}]})  # fmt: skip
    singles = [
        {"code": f"S{i}", "kind": "single", "label": f"单选{i}", "options": ["甲", "乙", "丙", "丁"]} for i in range(6)
    ]
    others = [
        {
            "code": "C0",
            "kind": "multiple",
            "label": "多选0",
            "options": ["一", "二", "三", "四", "五"],
            "required": False,
        },
        {"code": "C1", "kind": "multiple", "label": "多选1", "options": ["一", "二", "三"], "required": False},
        {"code": "N0", "kind": "number", "label": "数值", "required": False},
        {"code": "T0", "kind": "text", "label": "文本", "required": False},
    ]
    sections.append({"title": "其他", "questions": singles + others})
    return {"sections": sections}


def load(n: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from qinqing.orgs.models import Organization
    from qinqing.surveys import structure
    from qinqing.surveys.answers import encode, values
    from qinqing.surveys.models import AnswerValue, Response, Survey

    call_command("migrate", verbosity=0)
    root, _ = Organization.objects.get_or_create(
        code="BSROOT", defaults={"kind": "fic", "name": "问卷基准市工商联", "region_code": "430600", "path": "/BSROOT/"}
    )
    survey = Survey.objects.filter(org_path=root.path, title="问卷基准").first()
    if (
        survey is not None
        and Response.objects.filter(survey=survey).count() == n
        and AnswerValue.objects.filter(survey=survey).exists()
    ):
        return {"survey": survey}
    Survey.objects.filter(org_path=root.path).delete()
    body = structure.normalize(bench_structure())
    survey = Survey.objects.create(fic=root, org_path=root.path, title="问卷基准", structure=body,
                                   slots=structure.assign_slots({}, body), version=1, status="closed",
                                   anonymous=True, audience="link")  # fmt: skip
    items = structure.items(body)
    idx = pl.int_range(0, n, dtype=pl.Int64, eager=True)

    def u(k: int) -> pl.Series:
        return (idx.hash(700 + k) % 1_000_003).cast(pl.Float64) / 1_000_003

    columns = {}
    for k, item in enumerate(items):
        if item.kind == "scale":
            level = 3.0 + (k % 7) * 0.2
            value = (u(k) * 4.999 + level - 2.5).round(0).clip(1, 5).cast(pl.Int64)
            columns[item.code] = pl.select(pl.when(u(1000 + k) < 0.05).then(9).otherwise(value)).to_series()
        elif item.kind == "single":
            columns[item.code] = (u(k) * 4).cast(pl.Int64) + 1
    frame = pl.DataFrame(columns)
    region = (u(2001) * 10).cast(pl.Int64)
    answers = []
    rows = frame.rows(named=True)
    multi = (u(2002) * 31).cast(pl.Int64).to_list()
    numbers = (u(2003) * 500).cast(pl.Int64).to_list()
    for i, row in enumerate(rows):  # the JSON column, built once at load time (not timed)
        a = dict(row)
        if multi[i] % 20:
            a["C0"] = [v for v in range(1, 6) if multi[i] >> (v - 1) & 1] or [1]
            a["C1"] = [1 + multi[i] % 3]
            a["N0"] = numbers[i]
        if i % 10 == 0:
            a["T0"] = f"建议{i}"
        answers.append(a)
    responses = pl.DataFrame({
        "id": [str(uuid.uuid4()) for _ in range(n)],
        "survey_id": [survey.pk] * n, "version": [1] * n, "org_path": [root.path] * n,
        "region_code": "4306" + region.cast(pl.Utf8).str.zfill(2),
        "industry": pl.Series(list("ABCDEFGHIJKLMNOPQRST"))[(u(2004) * 20).cast(pl.Int64)],
        "size_class": pl.Series(["大型", "中型", "小型", "微型"])[(u(2005) * 4).cast(pl.Int64)],
        "is_member": u(2006) < 0.6, "targeted": [False] * n, "source": ["online"] * n,
        "answers": [json.dumps(a, ensure_ascii=False) for a in answers],
        "codes": [encode(survey.slots, a) for a in answers],
        "edit_key": [""] * n,
    })  # fmt: skip
    buffer = io.BytesIO()
    responses.write_csv(buffer, include_header=False, null_value="\\N")
    cols = ", ".join(connection.ops.quote_name(c) for c in responses.columns)
    kinds = {i.code: i.kind for i in items}
    value_rows = [(str(uuid.uuid4()), survey.pk, rid, *v) for rid, a in zip(responses["id"], answers, strict=True)
                  for v in values(kinds, a)]  # fmt: skip
    value_frame = pl.DataFrame(value_rows, schema=["id", "survey_id", "response_id", "item", "position", "option",
                                                   "number", "text"], orient="row")  # fmt: skip
    value_buffer = io.BytesIO()
    value_frame.write_csv(value_buffer, include_header=False, null_value="\\N")
    value_cols = ", ".join(connection.ops.quote_name(c) for c in value_frame.columns)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY surveys_response ({cols}) FROM STDIN WITH (FORMAT csv, NULL '\\N')") as copy:
            copy.write(buffer.getvalue())
        with cursor.cursor.copy(
            f"COPY surveys_answervalue ({value_cols}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        ) as copy:
            copy.write(value_buffer.getvalue())
        cursor.execute("VACUUM ANALYZE surveys_response")
        cursor.execute("VACUUM ANALYZE surveys_answervalue")
    return {"survey": survey}


def naive_results(survey, items) -> dict:
    """The per-response loop: every response's JSON answers walked in Python."""
    from qinqing.surveys.models import Response

    counts: dict = defaultdict(lambda: defaultdict(int))
    by_region: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for region, answers in Response.objects.filter(survey=survey).values_list("region_code", "answers").iterator(2000):
        for code, value in answers.items():
            if isinstance(value, list):
                for v in value:
                    counts[code][v] += 1
            elif isinstance(value, int):
                counts[code][value] += 1
                by_region[region][code][value] += 1
    scored: dict = defaultdict(dict)
    env_of = {i.code: i.environment for i in items if i.environment}
    for region, per_item in by_region.items():
        envs = defaultdict(list)
        for code, values in per_item.items():
            if code in env_of:
                on_scale = {v: c for v, c in values.items() if 1 <= v <= 5}
                n = sum(on_scale.values())
                if n:
                    envs[env_of[code]].append((sum(v * c for v, c in on_scale.items()) / n - 1) / 4 * 100)
        env_scores = {e: sum(s) / len(s) for e, s in envs.items()}
        scored[region] = {"total": sum(env_scores.values()) / len(env_scores), **env_scores}
    return {"counts": counts, "by_region": by_region, "scores": scored}


def naive_crosstab(survey, code: str) -> dict:
    from qinqing.surveys.models import Response

    table: dict = defaultdict(lambda: defaultdict(int))
    for region, answers in Response.objects.filter(survey=survey).values_list("region_code", "answers").iterator(2000):
        value = answers.get(code)
        if value is not None:
            table[region][value] += 1
    return table


def naive_export(survey, items) -> bytes:
    from qinqing.core.cellsafety import workbook
    from qinqing.surveys.models import Response

    buffer = io.BytesIO()
    book = workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("答卷")
    sheet.write_row(0, 0, ["版本", *[i.code for i in items]])
    qs = Response.objects.filter(survey=survey).order_by("pk").values_list("version", "answers")
    for r, (version, answers) in enumerate(qs.iterator(2000), start=1):
        row = [version]
        for item in items:
            value = answers.get(item.code)
            row.append(";".join(str(v) for v in value) if isinstance(value, list) else value)
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--naive-runs",
        type=int,
        default=None,
        help="time the naive loops only in the first N runs (default: every run); keeps the lock short",
    )
    parser.add_argument("--scratch", default=None, help="where the export files are written (default: a new temp dir)")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.postgres
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import time

    import machine

    from qinqing.surveys import exports, results
    from qinqing.surveys.structure import items as item_list

    print(machine.state())
    scratch = machine.scratch_dir(args.scratch, "surveys")
    t = time.perf_counter()
    survey = load(args.responses)["survey"]
    items = item_list(survey.structure)
    print(f"loaded in {time.perf_counter() - t:.0f}s: {args.responses:,} responses × {len(items)} items")

    def page():
        frame = results.read(survey)
        computed = results.compute(survey, frame)
        table = results.crosstab(survey, "M0_0", "region", frame)
        scores = results.score_table(survey, frame)
        return computed, table, scores

    def crosstab():
        return results.crosstab(survey, "M0_0", "region")

    # Both sides agree before anything is timed.
    computed, _table, scores = page()
    naive = naive_results(survey, items)
    for r in computed.items:
        if r.options:
            assert {o["value"]: o["count"] for o in r.options if o["count"]} == dict(naive["counts"][r.item.code]), (
                r.item.code
            )
    fast_rows = {row["group"]: row["counts"] for row in crosstab()["rows"]}
    assert fast_rows == {g: dict(v) for g, v in naive_crosstab(survey, "M0_0").items()}
    for row in scores["regions"]:
        assert abs(row["total"] - round(naive["scores"][row["region"]]["total"], 2)) < 0.011, row
    assert len(exports.to_xlsx(survey)) > 0

    naive_runs = min(args.runs, args.naive_runs if args.naive_runs is not None else args.runs)

    def timed(fast: dict, slow: dict) -> dict:
        """The first naive_runs runs time both sides interleaved; the remaining runs the fast side alone."""
        out = machine.interleaved({**fast, **slow}, naive_runs, warmup=0) if naive_runs else {}
        if args.runs > naive_runs:
            more = machine.interleaved(fast, args.runs - naive_runs, warmup=0)
            for name, values in more.items():
                out[name] = sorted(out.get(name, []) + values)
        return out

    timings = timed({"page": page}, {"page naive": lambda: naive_results(survey, items)})
    timings |= timed({"crosstab": crosstab}, {"crosstab naive": lambda: naive_crosstab(survey, "M0_0")})

    def export():
        (scratch / "export.xlsx").write_bytes(exports.to_xlsx(survey))

    def export_naive():
        (scratch / "export-naive.xlsx").write_bytes(naive_export(survey, items))

    timings |= timed({"export": export}, {"export naive": export_naive})
    print(machine.state())
    for name in ("page", "crosstab", "export"):
        fast, slow = machine.summary(timings[name]), machine.summary(timings[f"{name} naive"])
        runs = f"fast {len(timings[name])} runs, naive {len(timings[f'{name} naive'])}"
        print(
            f"{name} ({runs}): best {fast['best'] / 1000:.2f}s worst {fast['worst'] / 1000:.2f}s; naive loop best {slow['best'] / 1000:.2f}s worst {slow['worst'] / 1000:.2f}s; ratio {slow['best'] / fast['best']:.1f}× (best)"
        )
    print(f"export file {(scratch / 'export.xlsx').stat().st_size / 1e6:.1f} MB in {scratch}")


if __name__ == "__main__":
    main()
