# ruff: noqa: E501, RUF028, B007 -- benchmark script: long report lines, data tables kept on one line
"""Search benchmark: N synthetic Chinese policies; p50/p95 of 1–3 word queries through the policy list page's
search path (a staff user's visible_policies + PolicyFilter, RankedResults: exact count, first page of 20
ranked, highlights) — on the tantivy index and on the database's own index — against a LIKE scan in the
same run, and recall of each relative to LIKE: the mean of the per-query recalls, the recall over all matches
pooled (Σ|found ∩ LIKE| / Σ|LIKE|, dominated by the common words) and the worst single query.

Concept queries (issue 10: 融资 found 1 of the 4 融资支持 policies, 补贴 missed 补助/奖补/贴息, 科技 found none):
recall and precision against a judged relevant set per query (CONCEPTS: the benefit type it names, or any of
the words a reader counts as the same thing in the title or text), with the synonym table and benefit-type
labels (both engines) against synonyms off and against the old behaviour (the query word itself in the text).

    QINQING_SQLITE_PATH=/tmp/qq_policy_bench.sqlite3 .venv/bin/python bench/search/run.py [--policies 100000] \
        [--repeat 3] [--index /tmp/qq_policy_bench.index]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qq_policy_bench .venv/bin/python bench/search/run.py

The sides run interleaved query by query in one process; ``--repeat N`` makes N timed passes and prints each
pass's p50/p95 and the best and worst p95. What each side times:
- "tantivy" / "database index" (the target's figure): the list view's search path as a function — a signed-in
  user's ``visible_policies`` + ``PolicyFilter`` → ``RankedResults`` (``PAGE_COLUMNS`` re-read) → the first page
  of 20 → highlights and tags — without the request around it and without rendering HTML;
- "whole request": the same search as the page's HTMX request through Django's handler (test client): every
  middleware, the session and user reads, the view and the rendered result rows; no HTTP server, no network;
- "LIKE": every matching id by ``LIKE %word%`` (the recall reference).

The tantivy index is built in ``--index DIR`` if given and missing there (keep it between runs of one database),
else in a fresh temporary directory removed at the end — never in the checkout's var/search/, which every run on
a database of the same name (two ``make bench`` runs on SQLite files both called search.sqlite3) would share.
"""

import argparse
import atexit
import itertools
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402

WORDS = ["融资", "稳岗", "补贴", "补助", "奖补", "科技", "担保", "贷款", "贴息", "税费", "减免", "人才", "引进", "用地", "厂房", "租金", "研发", "创新", "专精特新", "小巨人", "高新技术企业", "技术改造", "数字化", "转型", "出口", "外贸", "就业", "社保", "返还", "奖励", "培育", "上市", "股改", "品牌", "标准", "专利", "知识产权", "电商", "物流", "农业", "龙头企业", "文旅", "消费", "首台套", "绿色", "节能", "减排", "安全生产", "招商", "总部", "孵化器", "创业", "大学生", "退役军人", "技能", "培训"]  # fmt: skip
# Judged relevance of the concept queries: a policy of one of these benefit types, or one whose title or
# text holds one of these words (chosen as a reader would, not read off the synonym table).
CONCEPTS = {
    "融资": ({"financing"}, ["融资", "贷款", "担保", "贴息"]),
    "补贴": ({"subsidy"}, ["补贴", "补助", "奖补", "贴息"]),
    "科技": (set(), ["科技", "研发", "创新", "高新技术企业", "技术改造", "专精特新"]),
}
BENEFIT_LABELS = {"subsidy": "资金补贴", "tax": "税费减免", "financing": "融资支持", "talent": "人才", "land": "用地", "honor": "荣誉资质", "other": "其他"}  # fmt: skip
FILLER = ["对符合条件的企业给予支持", "按照有关规定执行。申报单位应当提交申请材料", "由主管部门审核后兑现。本办法自发布之日起施行", "由市财政局会同相关部门负责解释。企业应当如实填报有关数据。"]  # fmt: skip


def make_text(r: random.Random) -> tuple[str, str]:
    topic = r.sample(WORDS, 3)
    title = f"关于支持{topic[0]}和{topic[1]}的若干措施"
    parts = []
    for _ in range(r.randint(4, 10)):
        parts.append(r.choice(FILLER))
        parts.append(f"{r.choice(WORDS)}{r.choice(['政策', '工作', '项目', '资金'])}")
    parts.append(f"重点支持{topic[2]}")
    return title, "，".join(parts) + "。"


def load(n: int) -> None:
    from qinqing.orgs.models import Organization
    from qinqing.policies import search
    from qinqing.policies.models import Policy
    from qinqing.policies.segment import segment

    if Policy.objects.count() >= n:
        return
    Policy.objects.all().delete()
    org, _ = Organization.objects.get_or_create(
        code="BENCH", defaults={"kind": "fic", "name": "基准测试工商联", "region_code": "430600", "path": "/BENCH/"}
    )
    r = random.Random(5)
    t = time.perf_counter()
    batch = []
    for i in range(n):
        title, body = make_text(r)
        benefit = r.choice(["subsidy", "tax", "financing", "talent", "land", "honor", "other"])
        batch.append(
            Policy(
                title=title,
                body=body,
                level=r.choice(["national", "province", "city", "county"]),
                benefit_type=benefit,
                state="published",
                owner=org,
                org_path=org.path,
                search_text=segment(title, body, BENEFIT_LABELS[benefit], "申报"),  # as policy_search_text
            )  # fmt: skip
        )
        if len(batch) == 5000:
            with transaction.atomic():
                Policy.objects.bulk_create(batch)
            batch = []
    if batch:
        Policy.objects.bulk_create(batch)
    search.reindex_all()
    print(f"loaded and segmented {n:,} policies in {time.perf_counter() - t:.1f}s")


def staff_user():
    from qinqing.accounts.actions import create_user
    from qinqing.accounts.models import User
    from qinqing.orgs.models import Organization

    user = User.objects.filter(username="bench_search_staff").first()
    if user is None:
        org = Organization.objects.get(code="BENCH")
        user = create_user(username="bench_search_staff", name="基准检索", role="fic_staff", org=org,
                           password="Bench-search-2026!", must_change_password=False)  # fmt: skip
    return user


def page_search(user, q: str, params: dict, *, use_engine: bool, stages: dict | None = None):
    """What policies.views.policy_list does for ``?q=…``: filter, rank, paginate, highlight."""
    from django.core.paginator import Paginator

    from qinqing.policies.filters import PolicyFilter
    from qinqing.policies.permissions import visible_policies
    from qinqing.policies.search import PAGE_COLUMNS, RankedResults, result_rows

    marks = [(time.perf_counter(), time.process_time())] if stages is not None else None
    visible = visible_policies(user)
    queryset = PolicyFilter.plain_queryset(params, visible)  # as the view: no FilterSet for plain choices
    if queryset is None:
        queryset = PolicyFilter(params, queryset=visible).qs
    _mark(marks)
    results = RankedResults(queryset, q, use_engine=use_engine, columns=PAGE_COLUMNS)
    words = results.words  # the query's words and their synonyms, as the page marks them
    _mark(marks)
    count = results.count()  # tantivy: the exact count and the first 50 ranked ids in one search
    _mark(marks)
    page = Paginator(results, 20).get_page(1)
    objects = list(page.object_list)  # the 20 rows: one narrow query through the caller's filter
    _mark(marks)
    rows = result_rows(objects, words)  # highlighted title and excerpt, address and tags
    _mark(marks)
    if stages is not None:
        for name, (a, b) in zip(STAGES, itertools.pairwise(marks), strict=True):
            stages.setdefault(name, []).append(b[0] - a[0])
            stages.setdefault(f"{name} cpu", []).append(b[1] - a[1])
    return results, count, rows


# What page_search's time is made of, in order (--stages): where a database round trip falls.
STAGES = (
    "visibility + list filter",
    "RankedResults set-up (words, synonyms, filter translated)",
    "tantivy count + first 50 ids",
    "the 20 rows (one query)",
    "highlights and tags",
)


def _mark(marks) -> None:
    if marks is not None:
        marks.append((time.perf_counter(), time.process_time()))


def signed_in_client(user):
    """A test client signed in as ``user`` (a session made directly), for whole requests through Django."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.session
    session["qinqing_login_at"] = time.time()  # accounts.middleware.SessionLifetimeMiddleware's sign-in time
    session.save()
    return client


def page_request(client, q: str, params: dict) -> None:
    """The whole request of a search typed on the list page: Django's handler, every middleware (session and user
    reads), the view, and the HTMX partial of the result rows rendered — no HTTP server or network."""
    response = client.get("/policies/", {"q": q, **params}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"policy-card" in response.content, q
    # Django checks the connection (PostgreSQL: SELECT 1, conn_health_checks) at the first query after each
    # request's start and end; a server pays it at the request's first query (the session read). Done here so
    # it is counted in this request and not in whatever the benchmark runs next (before: the tantivy page).
    connection.close_if_health_check_failed()


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import machine  # bench/machine.py: load average, shared_buffers, work_mem

    print(machine.state())
    parser = argparse.ArgumentParser()
    parser.add_argument("--policies", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1, help="timed passes over the queries (best/worst of p95)")
    parser.add_argument("--index", default=None, help="the tantivy index directory (default: a temporary one)")
    parser.add_argument("--stages", action="store_true", help="also print the tantivy page's time per stage")
    parser.add_argument(
        "--tantivy-only",
        action="store_true",
        help="time the tantivy page and the whole request alone: no database-index page, LIKE scan or recall between "
        "them (a diagnostic of what the heavy sides cost the next page; not the benchmark's figure)",
    )
    args = parser.parse_args()
    from django.conf import settings

    if args.index:
        settings.POLICY_SEARCH_INDEX = args.index
    else:
        scratch = machine.scratch_dir(None, "search_bench")
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        settings.POLICY_SEARCH_INDEX = str(scratch / "policies")
    print(f"tantivy index: {settings.POLICY_SEARCH_INDEX}; cache: {settings.CACHES['default']['BACKEND']}")
    call_command("migrate", verbosity=0)
    load(args.policies)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE policies_policy")

    from qinqing.policies import search_index
    from qinqing.policies.models import Policy

    if not search_index.is_ready():
        t = time.perf_counter()
        search_index.rebuild()
        print(f"built the tantivy index in {time.perf_counter() - t:.1f}s")
    user = staff_user()
    client = signed_in_client(user)
    r = random.Random(9)
    queries = [" ".join(r.sample(WORDS, r.choice([1, 1, 2, 3]))) for _ in range(args.queries)]
    filters = [{}, {}, {}, {"level": "city"}, {"benefit_type": "financing"}, {"status": "active"}]
    recalls = {"tantivy": [], "database": []}  # per query: (query, found ∩ LIKE, LIKE)
    base = Policy.objects.filter(state="published")
    plan = [(q, r.choice(filters)) for q in queries]

    def like_scan(q):
        like = base
        for w in q.split():
            like = like.filter(Q(title__contains=w) | Q(body__contains=w))
        return set(like.values_list("id", flat=True))

    # The three sides interleaved query by query (tantivy page, database-index page, LIKE scan), so load that
    # comes and goes falls on all of them alike; --repeat passes over the same queries, each reported.
    for q, params in plan[:5]:  # warm-up: the index handle, the statements, the caches
        page_search(user, q, params, use_engine=True)
        if not args.tantivy_only:
            page_search(user, q, params, use_engine=False)
        page_request(client, q, params)
    runs = []
    per_stage: dict[str, list[float]] = {}  # every pass's tantivy pages, --stages
    for run in range(args.repeat):
        times = {
            k: [] for k in ("tantivy", "database", "like", "tantivy cpu", "database cpu", "request", "request cpu")
        }
        for q, params in plan:
            counts = {}
            for engine in ("tantivy",) if args.tantivy_only else ("tantivy", "database"):
                t, cpu = time.perf_counter(), time.process_time()
                stages = (per_stage if args.stages else None) if engine == "tantivy" else None
                results, counts[engine], rows = page_search(
                    user, q, params, use_engine=engine == "tantivy", stages=stages
                )
                times[engine].append(time.perf_counter() - t)
                times[f"{engine} cpu"].append(time.process_time() - cpu)
                assert (results.engine is not None) == (engine == "tantivy"), q
                assert len(rows) <= 20
            assert args.tantivy_only or counts["tantivy"] == counts["database"], (q, params)
            t, cpu = time.perf_counter(), time.process_time()
            page_request(client, q, params)
            times["request"].append(time.perf_counter() - t)
            times["request cpu"].append(time.process_time() - cpu)
            if args.tantivy_only:
                continue
            t = time.perf_counter()
            like_ids = like_scan(q)
            times["like"].append(time.perf_counter() - t)
            if run == 0 and like_ids:
                for engine in recalls:
                    found = set(page_search_ids(base, q, engine == "tantivy"))
                    recalls[engine].append((q, len(found & like_ids), len(like_ids)))
        runs.append(times)
        print(f"run {run + 1} of {args.repeat}: {machine.state()}")

    def pct(values, p):
        return sorted(values)[max(0, int(len(values) * p) - 1)] * 1000

    print(
        f"database: {connection.vendor}; {Policy.objects.count():,} policies; {len(queries)} queries of 1–3 words "
        f"(a third with a list filter); sides interleaved query by query; {args.repeat} run(s)"
        + ("; TANTIVY ONLY (diagnostic: no database-index page, LIKE scan or recall)" if args.tantivy_only else "")
    )
    for name, label in (
        ("tantivy", "tantivy index (page: count + 20 ranked + highlights)"),
        ("database", "database index (same page)"),
        ("like", "LIKE scan (all matching ids)"),
        ("tantivy cpu", "  this process's CPU time per tantivy page"),
        ("database cpu", "  this process's CPU time per database-index page"),
        ("request", "whole request, tantivy (middleware + view + rows HTML)"),
        ("request cpu", "  this process's CPU time per whole request"),
    ):
        if not runs[0][name]:  # a side not run (--tantivy-only)
            continue
        each = [(pct(t[name], 0.5), pct(t[name], 0.95)) for t in runs]
        per_run = "; ".join(f"p50 {a:7.1f} ms, p95 {b:7.1f} ms" for a, b in each)
        print(f"{label:55s} {per_run}")
        if len(runs) > 1:
            p95s = [b for _a, b in each]
            print(f"{'':55s} p95 best {min(p95s):.1f} ms, worst {max(p95s):.1f} ms")
    if per_stage:
        print(
            f"tantivy page per stage over the {args.repeat} pass(es) (wall p50 / p95 | this process's CPU p50 / p95):"
        )
        for name in STAGES:
            wall, cpu = per_stage[name], per_stage[f"{name} cpu"]
            print(
                f"  {name:58s} {pct(wall, 0.5):6.3f} / {pct(wall, 0.95):6.3f} ms | {pct(cpu, 0.5):6.3f} / {pct(cpu, 0.95):6.3f} ms"
            )
    if args.tantivy_only:
        return
    for t in runs:
        ratio = pct(t["database"], 0.95) / pct(t["tantivy"], 0.95)
        print(f"ratio database-index p95 / tantivy p95: {ratio:.1f}x; LIKE p95 / tantivy p95: "
              f"{pct(t['like'], 0.95) / pct(t['tantivy'], 0.95):.1f}x")  # fmt: skip
    for engine, rows in recalls.items():
        per_query = [hit / like for _q, hit, like in rows]
        pooled = sum(hit for _q, hit, _like in rows) / sum(like for _q, _hit, like in rows)
        worst = min(rows, key=lambda row: row[1] / row[2])
        print(
            f"recall vs LIKE ({engine}): mean per query {statistics.mean(per_query) * 100:.2f}% over {len(rows)} "
            f"queries with LIKE matches; over all matches {pooled * 100:.2f}%; worst query “{worst[0]}” "
            f"{worst[1] / worst[2] * 100:.2f}% ({worst[1]:,} of {worst[2]:,})"
        )
    print("counts: tantivy and database agree on every query")
    concept_recall(base)


def concept_recall(base) -> None:
    """Recall and precision of the concept queries against their judged relevant sets."""
    from qinqing.policies.search import RankedResults

    for q, (benefits, words) in CONCEPTS.items():
        text = Q()
        for w in words:
            text |= Q(title__contains=w) | Q(body__contains=w)
        relevant = set(base.filter(text | Q(benefit_type__in=benefits)).values_list("id", flat=True))
        old = set(base.filter(Q(title__contains=q) | Q(body__contains=q)).values_list("id", flat=True))
        runs = [("old: the word itself", old)]
        for label, engine, synonyms in (
            ("tantivy, synonyms", True, True),
            ("database, synonyms", False, True),
            ("tantivy, synonyms off", True, False),
        ):
            results = RankedResults(base, q, use_engine=engine, use_synonyms=synonyms)
            runs.append((label, set(results.ids(0, results.count()))))
        for label, found in runs:
            hit = len(found & relevant)
            print(
                f"concept “{q}” ({len(relevant):,} relevant) {label:24s} recall {hit / len(relevant) * 100:6.2f}%, "
                f"precision {hit / max(1, len(found)) * 100:6.2f}% ({len(found):,} found)"
            )


def page_search_ids(base, q: str, use_engine: bool) -> list[int]:
    from qinqing.policies.search import RankedResults

    results = RankedResults(base, q, use_engine=use_engine)
    return results.ids(0, results.count())


if __name__ == "__main__":
    main()
