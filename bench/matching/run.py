# ruff: noqa: E501 -- benchmark script: long report lines, data tables kept on one line
"""Matching benchmark: N enterprises × P policies of 2–5 conditions.

    .venv/bin/python bench/matching/run.py [--enterprises 1000000] [--policies 500] [--loop-sample 2000]
        [--runs 3] [--previous COMMIT] [--postgres postgres://postgres@127.0.0.1:5432/qq_match_bench]

Each comparison runs its sides interleaved in this one process (run 1 of each side, then run 2 of each…), so load
that comes and goes falls on all sides alike; it prints best and worst of --runs, CPU seconds, and the ratio.
1. Matching step: rules.evaluate_all against the previous implementation (evaluation.py as of --previous, loaded
   from git) on an in-memory frame; the two must give the same ids.
2. Plain-Python loop: rules.evaluate per enterprise per policy on a sample, extrapolated (said so).
3. With --postgres: bulk-load the enterprises into the registry tables (not timed), with their figures and
   memberships (40% FIC members, 20% members of 1–2 of 40 chambers; not timed); then
   a. the read (attributes.read_frame) by each path of core.bulkread: copy (CSV COPY one after another on
      Django's connection), parallel-copy, arrow (ADBC); arrow and copy also with figures and memberships
      filtered through the join to the scope's enterprises ("scope join": the read before, for a scope that
      holds most of the registry) — equal frames asserted;
   b. end to end (matching.run_matching: read + evaluate + store into PolicyMatch): the current code with every
      stored set unchanged since the run before (nothing rewritten), the current code with every set changed
      (each stored set loses one id before each run, untimed: each set decoded, diffed, encoded, rewritten), and the
      previous code (the same read, previous evaluate_all, previous store), after a redigest like the current one.
Peak memory is the process's max RSS.
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import polars as pl

from qinqing.eligibility import rules

REGIONS = ["430602", "430603", "430611", "430621", "430623", "430624", "430626", "430681", "430682"]
INDUSTRIES = ["1391", "1761", "3911", "3989", "4710", "5121", "5211", "5432", "6210", "6511", "7010", "0111", "7291"]
SIZES = list(rules.SIZE_CLASSES)
CHAMBERS = 40  # chambers of the synthetic FIC


def synthetic_frame(n: int, seed: int = 7) -> pl.DataFrame:
    """Enterprises with ~5% missing values per numeric column (unknowns are part of the workload).

    Pseudo-random numbers come from hashing the row index, so a million rows take a second, not a minute.
    """
    idx = pl.int_range(1, n + 1, dtype=pl.Int64)

    def u(k: int) -> pl.Expr:  # uniform [0, 1)
        return (idx.hash(seed * 100 + k) % 1_000_003).cast(pl.Float64) / 1_000_003

    def missing(expr: pl.Expr, k: int, rate: float = 0.05) -> pl.Expr:
        return pl.when(u(k) < rate).then(None).otherwise(expr)

    def lognormal(k: int, mu: float, sigma: float) -> pl.Expr:  # Box–Muller
        z = (-2 * u(k).clip(1e-9, 1).log()).sqrt() * (2 * 3.141592653589793 * u(k + 50)).cos()
        return (mu + sigma * z).exp()

    industries = [rules.normalize_industry(code) for code in INDUSTRIES]
    frame = pl.select(
        idx.alias("id"),
        pl.lit(pl.Series(REGIONS)).gather((u(1) * len(REGIONS)).cast(pl.Int64)).alias("region"),
        pl.lit(pl.Series(industries)).gather((u(2) * len(industries)).cast(pl.Int64)).alias("industry"),
        missing(pl.lit(pl.Series(SIZES)).gather((u(3) * 4).cast(pl.Int64)), 4, 0.02).alias("size_class"),
        missing(u(5) * 30, 6).alias("years"),
        missing(lognormal(7, 3, 1.2).floor(), 8).alias("employees"),
        missing(lognormal(9, 6.5, 1.5), 10).alias("revenue"),
        missing(lognormal(11, 3, 1.5), 12).alias("tax"),
        missing(u(13) * 8, 14, 0.2).alias("rd_ratio"),
        missing(lognormal(15, 7, 1.5), 16).alias("total_assets"),
        pl.lit(pl.Series([0, 0, 0, 0, 1, 2, 3, 4, 8, 16])).gather((u(17) * 10).cast(pl.Int64)).alias("qualifications"),
        (u(18) < 0.4).alias("member"),
        # 20% of the enterprises belong to one or two of CHAMBERS chambers (ids 1..CHAMBERS; pgload maps them).
        pl.when(u(19) < 0.2)
        .then(
            pl.when(u(20) < 0.7)
            .then(pl.concat_list((u(21) * CHAMBERS).cast(pl.Int64) + 1))
            .otherwise(
                pl.concat_list(
                    (u(21) * CHAMBERS).cast(pl.Int64) + 1,
                    ((u(21) * CHAMBERS).cast(pl.Int64) + 1 + (u(22) * (CHAMBERS - 1)).cast(pl.Int64)) % CHAMBERS + 1,
                )
            )
        )
        .otherwise(pl.lit([], dtype=pl.List(pl.Int64)))
        .alias("chambers"),
    )
    return frame.select([pl.col(k).cast(v) for k, v in rules.FRAME_SCHEMA.items()])


def random_leaf(r: random.Random) -> dict:
    key = r.choice(["region", "industry", "size_class", "years", "employees", "revenue", "tax", "rd_ratio",
                    "total_assets", "qualifications", "member", "chambers"])  # fmt: skip
    attr = rules.ATTRIBUTES[key]
    # Policies state what firms must have: mostly positive operators (negations appear now and then).
    positive = {"code": ["startswith", "in"], "enum": ["in"], "number": ["ge", "gt", "le", "between"],
                "set": ["has_any", "has_all"], "bool": ["eq"], "idset": ["has_any"]}[attr.kind]  # fmt: skip
    op = r.choice(positive if r.random() < 0.9 else rules.OPERATORS_BY_KIND[attr.kind])
    if attr.kind == "number":
        scale = {"years": 10, "employees": 50, "revenue": 1000, "tax": 30, "rd_ratio": 3, "total_assets": 2000}[key]
        value = [scale * r.uniform(0.3, 1), scale * r.uniform(1, 3)] if op == "between" else scale * r.uniform(0.5, 3)
        if op in ("eq", "ne"):
            op = "ge"
    elif key == "region":
        value = r.sample(["430602", "430621", "430623", "43068", "43062"], r.randint(1, 2))
    elif key == "industry":
        value = r.sample(["C", "F", "G", "13", "39", "I65", "5"], r.randint(1, 2))
    elif key == "size_class":
        value = r.sample(SIZES, r.randint(1, 2))
    elif key == "qualifications":
        value = r.sample(rules.QUALIFICATIONS[:5], 2)
    elif key == "chambers":
        value = r.sample(range(1, CHAMBERS + 1), r.randint(1, 3))
    else:
        value = r.random() < 0.7
    return rules.normalize({"attr": key, "op": op, "value": value})


def random_rule(r: random.Random) -> dict:
    leaves = [random_leaf(r) for _ in range(r.randint(2, 5))]
    if len(leaves) >= 3 and r.random() < 0.4:  # some policies use an any-group
        return {"op": "all", "items": [leaves[0], {"op": "any", "items": leaves[1:3]}, *leaves[3:]]}
    return {"op": "all", "items": leaves}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--policies", type=int, default=500)
    parser.add_argument("--loop-sample", type=int, default=2000)
    parser.add_argument("--postgres", default="")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--previous", default=PREVIOUS, help="commit whose eligibility/evaluation.py is the old side")
    args = parser.parse_args()
    # The rule vocabulary (qualifications) comes from the registry's translatable choices: Django first.
    if args.postgres:
        os.environ["DATABASE_URL"] = args.postgres
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import machine  # bench/machine.py: load average, shared_buffers, work_mem

    print(machine.state())
    print(f"Polars {pl.__version__}, {pl.thread_pool_size()} threads")
    r = random.Random(42)
    policies = {i: random_rule(r) for i in range(1, args.policies + 1)}

    t = time.perf_counter()
    frame = synthetic_frame(args.enterprises)
    print(
        f"generated {frame.height:,} enterprises in {time.perf_counter() - t:.1f}s; frame {frame.estimated_size('mb'):.0f} MB"
    )

    previous = previous_evaluation(args.previous)
    sides = {"current": rules.evaluate_all, "previous": previous.evaluate_all}
    for fn in sides.values():
        fn(policies, frame.head(1000))  # warm-up
    results = {}

    def step(name):
        results[name] = sides[name](policies, frame)

    times = interleaved({name: (lambda name=name: step(name)) for name in sides}, args.runs)
    result = results["current"]
    assert all(result[k].equals(results["previous"][k]) for k in result), "the step's ids differ from the previous"
    pairs = sum(len(s) for s in result.values())
    best = times["current"]["wall"][0]
    print(f"matching step, {pairs:,} eligible pairs (same ids both sides); {report(times)}")
    print(f"peak RSS after matching: {rss_mb():.0f} MB")

    sample = frame.head(args.loop_sample)
    records = [rules.frame_row_attrs(sample, i) for i in range(sample.height)]
    t = time.perf_counter()
    loop_pairs = 0
    for rule in policies.values():
        for record in records:
            if rules.evaluate(rule, record) is True:
                loop_pairs += 1
    loop = time.perf_counter() - t
    extrapolated = loop * frame.height / sample.height
    check = sum(int((s <= args.loop_sample).sum()) for s in result.values())
    assert check == loop_pairs, (check, loop_pairs)
    print(f"plain-Python loop: {loop:.2f}s for {sample.height:,} enterprises → {extrapolated:.0f}s extrapolated to "
          f"{frame.height:,} (same {loop_pairs:,} pairs on the sample); speed-up {extrapolated / best:.0f}×")  # fmt: skip

    if args.postgres:
        end_to_end(frame, policies, previous, args.runs)


PREVIOUS = "0c7ca41"  # eligibility/evaluation.py before numbers were ranked (2026-12-07, third round)


def previous_evaluation(commit: str) -> types.ModuleType:
    """evaluation.py as of ``commit``, loaded from git as a sibling of the current one (its relative imports of
    explain and vocabulary resolve to today's modules, which did not change)."""
    return previous_module("qinqing/eligibility/evaluation.py", commit, "qinqing.eligibility")


PREVIOUS_STORE = "0c7ca41"  # policies/matching.py before this round (the read on the replica; the store unchanged)


def previous_module(path: str, commit: str, package: str) -> types.ModuleType:
    """``path`` as of ``commit``, loaded from git as a module of ``package`` (relative imports: today's)."""
    root = Path(__file__).resolve().parents[2]
    source = subprocess.run(
        ["git", "show", f"{commit}:{path}"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType(f"{package}.previous_{Path(path).stem}")
    module.__package__ = package
    sys.modules[module.__name__] = module  # dataclasses look their module up while the class is made
    exec(compile(source, f"{commit}:{path}", "exec"), module.__dict__)
    return module


def restamp(scope: str) -> None:
    """Every stored set of the scope without its first id, so the next store finds every set changed and must
    decode, diff, encode and rewrite each one (not timed)."""
    from qinqing.eligibility import idsets
    from qinqing.policies.models import PolicyMatch

    for match in PolicyMatch.objects.filter(scope_path=scope):
        ids = idsets.decode(match.ids)[1:]
        PolicyMatch.objects.filter(pk=match.pk).update(ids=idsets.encode(ids), ids_digest=idsets.digest(ids))


def redigest(scope: str) -> None:
    """Digests for the sets the previous code stored without one (not timed): the state a nightly run of the
    current code leaves, so the next current run compares digests."""
    from qinqing.eligibility import idsets
    from qinqing.policies.models import PolicyMatch

    for match in PolicyMatch.objects.filter(scope_path=scope, ids_digest=b""):
        PolicyMatch.objects.filter(pk=match.pk).update(ids_digest=idsets.digest(idsets.decode(match.ids)))


def interleaved(sides: dict, runs: int, before: dict | None = None) -> dict[str, dict[str, list[float]]]:
    """Run 1 of every side, then run 2…: wall and CPU seconds per side, each list sorted (best first).
    ``before``: side → an untimed preparation run just before each of its runs."""
    times = {name: {"wall": [], "cpu": []} for name in sides}
    for _ in range(runs):
        for name, fn in sides.items():
            if before and name in before:
                before[name]()
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            times[name]["wall"].append(time.perf_counter() - wall)
            times[name]["cpu"].append(time.process_time() - cpu)
    return {name: {k: sorted(v) for k, v in t.items()} for name, t in times.items()}


def report(times: dict) -> str:
    first = next(iter(times))
    parts = []
    for name, t in times.items():
        ratio = "" if name == first else f", {t['wall'][0] / times[first]['wall'][0]:.2f}× the {first}'s best"
        parts.append(f"{name}: best {t['wall'][0]:.3f}s worst {t['wall'][-1]:.3f}s "
                     f"(CPU {t['cpu'][0]:.2f}–{t['cpu'][-1]:.2f}s{ratio})")  # fmt: skip
    return "; ".join(parts)


def end_to_end(frame: pl.DataFrame, policies: dict, previous: types.ModuleType, runs: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import machine
    from pgload import load

    scope, policy_objects = load(frame, policies)
    from qinqing.core import bulkread
    from qinqing.eligibility import attributes
    from qinqing.policies import matching
    from qinqing.registry.models import Enterprise

    print(machine.state())
    frames = {}

    def read(how, join=False):
        # join: figures and memberships filtered through the join to the scope's enterprises (the read before;
        # a scope holding most of the registry now reads them whole: attributes.covers_most)
        saved = attributes.covers_most
        if join:
            attributes.covers_most = lambda enterprises: False
        try:
            frames[f"{how}, scope join" if join else how] = attributes.read_frame(scope, how=how)
        finally:
            attributes.covers_most = saved

    print(
        f"scope {scope}: covers most of the registry = {attributes.covers_most(Enterprise.objects.filter(org_path__startswith=scope))}"
    )
    sides = {how: (lambda how=how: read(how)) for how in bulkread.HOWS}
    sides |= {f"{how}, scope join": (lambda how=how: read(how, True)) for how in ("arrow", "copy")}
    times = interleaved(sides, runs)
    assert all(f.equals(frames["copy"]) for f in frames.values()), "the read paths' frames differ"
    print(f"read of {frames['copy'].height:,} enterprises by path (same frame on each); {report(times)}")

    runs_seen = {}
    old_store = previous_module("qinqing/policies/matching.py", PREVIOUS_STORE, "qinqing.policies")

    def current():
        # Every set as stored by the run before (a nightly re-run where nothing changed): nothing rewritten.
        runs_seen["current"] = matching.run_matching(scope, policies=policy_objects)

    def changed():
        # Every set changed since the run before (each stored set loses its first id before the run, not
        # timed), so each is decoded, diffed, encoded and rewritten: the store's worst case.
        runs_seen["changed"] = matching.run_matching(scope, policies=policy_objects)

    def before():
        # The previous code (as of PREVIOUS and PREVIOUS_STORE): the same read (parallel CSV COPY, unchanged), the
        # previous evaluate_all, the previous store (the same as the current one since 0c7ca41).
        saved = rules.evaluate_all, matching.store_results
        rules.evaluate_all, matching.store_results = previous.evaluate_all, old_store.store_results
        try:
            runs_seen["previous"] = matching.run_matching(scope, policies=policy_objects)
        finally:
            rules.evaluate_all, matching.store_results = saved

    sides = {"current": current, "current, every set changed": changed, "previous": before}
    prepare = {"current": lambda: redigest(scope), "current, every set changed": lambda: restamp(scope),
               "previous": lambda: redigest(scope)}  # fmt: skip
    matching.run_matching(scope, policies=policy_objects)  # untimed: the sets every timed run finds stored
    times = interleaved(sides, runs, before=prepare)
    print(machine.state())
    for name, run in runs_seen.items():
        print(f"  last {name} run: read {run.seconds['read']:.2f}s, match {run.seconds['match']:.2f}s, "
              f"store {run.seconds['store']:.2f}s; {run.enterprises:,} enterprises × {run.policies} policies = "
              f"{run.pairs:,} pairs")  # fmt: skip
    assert runs_seen["current"].pairs == runs_seen["changed"].pairs == runs_seen["previous"].pairs
    print(f"end to end on PostgreSQL (run_matching: read + evaluate + store); {report(times)}")
    print(f"peak RSS: {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
