"""Demo health checks: the default scheme (version 1, active); supplementary figures (profit, cost, liabilities,
receivables, inventory) for about two thirds of the enterprises with registry figures over their last two years,
the rest left missing so diagnoses name missing data; questionnaire answers for about a third; a first scoring of
the demo county as of the year before last, then this year's scoring of the whole tree (so scores that fell show
on the watch list); and visits by the county staff, some recorded, a few turned into appeals. Bulk writes only;
deterministic for ctx.rng.

The registry demo seeds three years of figures for every demo enterprise, but with a constant headcount and
total assets, so employment growth is 0 and asset turnover follows revenue only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from qinqing.registry.models import EnterpriseYearFigures

from . import actions
from .models import FinancialSupplement, HealthResult, HealthRun, QuestionnaireAnswers
from .runs import compute_run

PROBLEMS = [
    "厂房扩建用地指标未落实，希望协调自然资源部门",
    "大客户货款拖欠超过 180 天，应收账款占用流动资金",
    "招工难，一线操作工缺口约 30 人",
    "高新技术企业认定材料不熟悉，需要科技部门辅导",
    "环评手续变更进度慢，影响新生产线投产",
    "银行续贷要求追加抵押，流动资金紧张",
]
NOTES = [
    "与企业负责人座谈，了解经营和资金情况，企业反映订单下滑、回款慢。",
    "实地查看生产线，企业研发投入偏少，建议申报科技型中小企业。",
    "企业负债率偏高，已介绍政府性融资担保产品并约定回访。",
]


def seed(ctx) -> None:
    staff = ctx.users.get("county_staff") or ctx.users.get("city_staff")
    if staff is None or ctx.root is None:
        ctx.log("health: no demo staff, skipped")
        return
    rows = list(
        EnterpriseYearFigures.objects.filter(enterprise__org_path__startswith=ctx.root.path)
        .order_by("enterprise_id", "year")
        .values_list("enterprise_id", "year", "revenue_wan", "total_assets_wan")
    )
    if not rows:
        ctx.log("health: the registry seeded no yearly figures, skipped")
        return
    with transaction.atomic():
        _seed(ctx, staff, rows)


def _seed(ctx, staff, rows) -> None:
    rng = ctx.rng
    city_staff = ctx.users.get("city_staff") or staff
    version = actions.default_version(city_staff)
    latest = max(year for _pk, year, _r, _a in rows)
    own = ctx.users.get("enterprise")
    own_id = getattr(own, "enterprise_id", None)
    supplements, answered = [], []
    skip = {pk for pk in {r[0] for r in rows} if pk != own_id and rng.random() < 0.33}
    for pk, year, revenue, assets in rows:
        if pk in skip or year < latest - 1 or not revenue or not assets:
            continue
        revenue, assets = float(revenue), float(assets)
        margin = rng.choice([-0.06, -0.02, 0.02, 0.04, 0.06, 0.09, 0.14])
        debt = rng.choice([0.15, 0.3, 0.45, 0.5, 0.55, 0.65, 0.75, 0.9])

        def money(value: float) -> Decimal:
            return Decimal(f"{value:.2f}")

        supplements.append(FinancialSupplement(
            enterprise_id=pk, year=year,
            profit_wan=money(revenue * (margin + rng.uniform(-0.01, 0.01))),
            cost_wan=money(revenue * rng.uniform(0.6, 0.85)),
            liabilities_wan=money(assets * debt),
            receivables_wan=money(revenue * rng.choice([0.05, 0.12, 0.2, 0.3, 0.5])) if rng.random() < 0.9 else None,
            inventory_wan=money(revenue * rng.choice([0.04, 0.1, 0.2, 0.35])) if rng.random() < 0.8 else None,
        ))  # fmt: skip
    FinancialSupplement.objects.bulk_create(supplements, batch_size=3000)
    choices = ["yes", "yes", "yes", "partly", "no"]
    for pk in sorted({r[0] for r in rows}):
        if pk == own_id or rng.random() < 0.3:
            answered.append(QuestionnaireAnswers(
                enterprise_id=pk, answered_by=staff,
                answers={c: rng.choice(choices) for c in ("governance", "succession", "compliance", "disputes")},
            ))  # fmt: skip
    QuestionnaireAnswers.objects.bulk_create(answered, batch_size=3000)

    county = staff.org
    earlier = HealthRun.objects.create(version=version, org_path=county.path, started_by=staff)
    compute_run(earlier, until_year=latest - 1)
    a_year_ago = timezone.now() - dt.timedelta(days=365)
    HealthResult.objects.filter(run=earlier).update(computed_at=a_year_ago)
    HealthRun.objects.filter(pk=earlier.pk).update(created_at=a_year_ago, finished_at=a_year_ago)
    current = HealthRun.objects.create(version=version, org_path=ctx.root.path, started_by=city_staff)
    compute_run(current)
    _visits(ctx, staff, county)


def _visits(ctx, staff, county) -> None:
    rng = ctx.rng
    watch = list(
        HealthResult.objects.filter(is_current=True, org_path__startswith=county.path, is_low=True).order_by(
            "total", "pk"
        )[:8]
    ) + list(
        HealthResult.objects.filter(
            is_current=True, org_path__startswith=county.path, fell=True, is_low=False
        ).order_by("pk")[:6]
    )
    if not watch:
        return
    today = actions.today()
    tasks = actions.create_visits(actor=staff, results=watch, due_on=today, assignee=staff)
    departments = [d for d in ctx.departments if d.path.startswith(county.path)]
    for index, task in enumerate(tasks):
        if index % 3 == 2:
            continue  # still to visit
        problem = rng.choice(PROBLEMS) if index % 2 == 0 else ""
        actions.record_visit(task, actor=staff, visited_on=today - dt.timedelta(days=rng.randint(0, 40)),
                             notes=rng.choice(NOTES), problems=problem)  # fmt: skip
        if problem and departments and index < 6:
            actions.visit_to_appeal(task, actor=staff, department=rng.choice(departments))
