# ruff: noqa: E501, RUF028, B007 -- benchmark script: long report lines, data tables kept on one line
"""Search benchmark: N synthetic Chinese policies; p50/p95 of 1–3 word queries (count + first page of 20,
ranked) against a LIKE scan in the same run, and recall of the full-text search relative to LIKE.

    QINQING_SQLITE_PATH=/tmp/qq_policy_bench.sqlite3 .venv/bin/python bench/search/run.py [--policies 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qq_policy_bench .venv/bin/python bench/search/run.py
"""

import argparse
import os
import random
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

WORDS = ["融资", "稳岗", "补贴", "担保", "贷款", "贴息", "税费", "减免", "人才", "引进", "用地", "厂房", "租金", "研发", "创新", "专精特新", "小巨人", "高新技术企业", "技术改造", "数字化", "转型", "出口", "外贸", "就业", "社保", "返还", "奖励", "培育", "上市", "股改", "品牌", "标准", "专利", "知识产权", "电商", "物流", "农业", "龙头企业", "文旅", "消费", "首台套", "绿色", "节能", "减排", "安全生产", "招商", "总部", "孵化器", "创业", "大学生", "退役军人", "技能", "培训"]  # fmt: skip
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
        batch.append(
            Policy(
                title=title,
                body=body,
                level=r.choice(["national", "province", "city", "county"]),
                benefit_type=r.choice(["subsidy", "tax", "financing", "talent", "land", "honor", "other"]),
                state="published",
                owner=org,
                org_path=org.path,
                search_text=segment(title, body),
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--policies", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    load(args.policies)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE policies_policy")

    from qinqing.policies.models import Policy
    from qinqing.policies.search import RankedResults

    r = random.Random(9)
    queries = [" ".join(r.sample(WORDS, r.choice([1, 1, 2, 3]))) for _ in range(args.queries)]
    base = Policy.objects.filter(state="published")
    fts_times, like_times, recalls = [], [], []
    for q in queries:
        t = time.perf_counter()
        results = RankedResults(base, q)
        total = results.count()
        page = results.ids(0, 20)
        fts_times.append(time.perf_counter() - t)
        words = q.split()
        like = base
        for w in words:
            like = like.filter(Q(title__contains=w) | Q(body__contains=w))
        t = time.perf_counter()
        like_ids = set(like.values_list("id", flat=True))
        like_times.append(time.perf_counter() - t)
        if like_ids:
            found = set(results.ids(0, total)) if total else set()
            recalls.append(len(found & like_ids) / len(like_ids))
        assert len(page) <= 20

    def pct(values, p):
        return sorted(values)[max(0, int(len(values) * p) - 1)] * 1000

    print(f"database: {connection.vendor}; {Policy.objects.count():,} policies; {len(queries)} queries of 1–3 words")
    print(f"full-text (count + first 20 ranked): p50 {pct(fts_times, 0.5):.1f} ms, p95 {pct(fts_times, 0.95):.1f} ms")
    print(f"LIKE scan (all matching ids):        p50 {pct(like_times, 0.5):.1f} ms, p95 {pct(like_times, 0.95):.1f} ms")
    print(f"recall vs LIKE: mean {statistics.mean(recalls) * 100:.2f}%, min {min(recalls) * 100:.2f}%")


if __name__ == "__main__":
    main()
