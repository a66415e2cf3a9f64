"""Demo financing: the demo banks' products and a year of needs, pushes, 对接会 and outcomes whose totals look
like 株洲's ("举办银企对接活动153场，1504家次企业参与，意向融资234.64亿元，实际放款83.54亿元") scaled to the
profile (ctx.scale), with real refusal reasons, fix tasks and a few fixed-and-recommended-again cases. The demo
banker's bank has fresh pushes to answer and a few overdue ones. Bulk writes only; deterministic for ctx.rng."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from qinqing.registry.models import Enterprise

from .choices import BatchKind, FixStatus, Guarantee, ListState, Purpose, Source, Stage
from .models import (
    BankProduct,
    FinancingNeed,
    FixTask,
    MatchEvent,
    NeedReferral,
    PushBatch,
    RefusalReason,
    StageEvent,
)

AMOUNTS = [(100, 0.10), (200, 0.12), (300, 0.15), (500, 0.18), (1000, 0.15), (2000, 0.12), (3000, 0.08),
           (5000, 0.06), (8000, 0.03), (10000, 0.01)]  # fmt: skip
PURPOSES = [(Purpose.WORKING, 0.5), (Purpose.EXPANSION, 0.15), (Purpose.EQUIPMENT, 0.15), (Purpose.RD, 0.05),
            (Purpose.STOCK, 0.12), (Purpose.OTHER, 0.03)]  # fmt: skip
GUARANTEES = [(Guarantee.CREDIT, 0.35), (Guarantee.SURETY, 0.2), (Guarantee.MORTGAGE, 0.3), (Guarantee.PLEDGE, 0.05),
              (Guarantee.GOVERNMENT, 0.1)]  # fmt: skip
SOURCES = [(Source.ENTERPRISE, 0.35), (Source.VISIT, 0.4), (Source.IMPORT, 0.17), (Source.CHAMBER, 0.08)]
REASONS = [("credit_record", 0.15), ("inquiries", 0.08), ("tax_arrears", 0.10), ("abnormal", 0.08),
           ("leverage", 0.12), ("cashflow", 0.14), ("collateral", 0.15), ("industry", 0.05), ("age", 0.05),
           ("materials", 0.05), ("use", 0.02), ("other", 0.01)]  # fmt: skip
REASON_TEXT = {
    "credit_record": "法定代表人近两年有逾期记录",
    "tax_arrears": "欠缴增值税及附加",
    "abnormal": "列入经营异常名录（未按时报送年报）",
    "collateral": "抵押物评估值不足",
    "materials": "缺少近两年财务报表",
    "use": "用途涉及购买理财产品",
    "other": "企业主动放弃，已获其他渠道资金",
}
FIX_MEASURES = {
    "credit_record": "协调人民银行开展信用修复，结清逾期后出具说明",
    "tax_arrears": "补缴欠税并申请纳税信用修复",
    "abnormal": "补报年报，申请移出经营异常名录",
    "collateral": "引入政府性融资担保增信",
    "materials": "补齐财务报表后重新提交",
    "use": "调整用途为采购原材料",
}
PRODUCTS = [
    # name, amount range, term range, rate range, guarantees, repayment, rule, approval days
    ("税易贷", (10, 300), (1, 12), ("3.45", "5.50"), ["credit"], "按月付息，到期还本",
     {"op": "all", "items": [{"attr": "years", "op": "ge", "value": 2}, {"attr": "tax", "op": "ge", "value": 5}]}, 5),
    ("科创贷", (50, 1000), (6, 36), ("3.20", "4.80"), ["credit", "surety"], "按季付息，分期还本",
     {"op": "all", "items": [{"attr": "qualifications", "op": "has_any",
                              "value": ["高新技术企业", "科技型中小企业", "专精特新中小企业"]}]}, 10),
    ("经营快贷", (10, 500), (1, 12), ("3.80", "6.00"), ["credit", "surety", "mortgage"], "随借随还",
     {"op": "all", "items": [{"attr": "size_class", "op": "in", "value": ["小型", "微型"]},
                             {"attr": "years", "op": "ge", "value": 1}]}, 3),
    ("抵押经营贷", (100, 5000), (12, 60), ("3.50", "5.20"), ["mortgage"], "等额本息",
     {"op": "all", "items": [{"attr": "years", "op": "ge", "value": 3}]}, 15),
    ("政采贷", (50, 2000), (3, 12), ("3.60", "5.00"), ["credit", "pledge"], "回款还款", {}, 7),
    ("制造业中长期贷", (500, 10000), (24, 60), ("3.10", "4.50"), ["mortgage", "government", "surety"],
     "按季付息，分期还本", {"op": "all", "items": [{"attr": "industry", "op": "startswith", "value": ["C"]},
                                             {"attr": "employees", "op": "ge", "value": 20}]}, 20),
    ("担保增信贷", (50, 1000), (6, 36), ("3.90", "5.80"), ["government"], "按月付息，到期还本",
     {"op": "all", "items": [{"attr": "size_class", "op": "in", "value": ["中型", "小型", "微型"]}]}, 10),
]  # fmt: skip


def _pick(rng, weights):
    r, acc = rng.random(), 0.0
    for value, w in weights:
        acc += w
        if r < acc:
            return value
    return weights[-1][0]


def _amount(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def seed(ctx) -> None:
    rng = ctx.rng
    banks = list(ctx.banks)
    if not banks:
        ctx.log("financing: no demo banks, skipped")
        return
    enterprises = list(
        Enterprise.objects.order_by("pk").values_list(
            "pk", "fic_id", "org_path", "region_code", "industry_code", "size_class", "contact_name"
        )
    )
    if not enterprises:
        ctx.log("financing: no enterprises, skipped")
        return
    with transaction.atomic():
        _seed(ctx, rng, banks, enterprises)


def _seed(ctx, rng, banks, enterprises) -> None:
    today = timezone.localdate()
    start = today - dt.timedelta(days=365)
    city_banks = [b for b in banks if b.parent_id == ctx.city.pk] or banks
    banker_bank = city_banks[0]
    staff = ctx.users.get("county_staff") or ctx.users.get("city_staff")
    banker = ctx.users.get("banker")
    reasons = {r.code: r for r in RefusalReason.objects.all()}
    fics = {b.pk: b for b in [ctx.root, ctx.city, *ctx.counties] if b is not None}

    # Products: three or four per bank.
    products = []
    for bank in banks:
        for name, (amin, amax), (tmin, tmax), (rmin, rmax), guarantees, repay, rule, days in rng.sample(
            PRODUCTS, rng.randint(3, 4)
        ):
            short = bank.name.replace("中国", "")[:4]
            products.append(BankProduct(
                bank=bank, org_path=bank.path, name=f"{short}{name}", amount_min=amin, amount_max=amax,
                term_min=tmin, term_max=tmax, rate_min=Decimal(rmin), rate_max=Decimal(rmax), guarantees=guarantees,
                repayment=repay, rule=rule, approval_days=days,
                materials="营业执照、近两年财务报表、纳税证明、法定代表人身份证明、征信授权书",
            ))  # fmt: skip
    BankProduct.objects.bulk_create(products)
    products_by_bank = defaultdict(list)
    for p in products:
        products_by_bank[p.bank_id].append(p)

    # 对接会: ~153 a year at city scale, spread over the year, each with 3–8 banks.
    n_events = max(2, round(153 * ctx.scale))
    event_fics = [ctx.city, *ctx.counties] if ctx.counties else [ctx.city]
    events = []
    for i in range(n_events):
        fic = rng.choice(event_fics)
        day = start + dt.timedelta(days=int((i + rng.random()) * 360 / n_events))
        title = rng.choice(["银企对接会", "金融助企早餐会", "“金融进商会”对接会", "首贷续贷专场对接会",
                            "科技企业融资路演", "园区银企对接会"])  # fmt: skip
        events.append(MatchEvent(fic=fic, org_path=fic.path, title=f"{day:%-m}月{title}", date=day,
                                 place=f"{fic.name}会议室", created_by=staff))  # fmt: skip
    MatchEvent.objects.bulk_create(events)
    event_banks = {e.pk: rng.sample(banks, min(len(banks), rng.randint(3, 8))) for e in events}
    through = MatchEvent.banks.through
    through.objects.bulk_create(
        [through(matchevent_id=e, organization_id=b.pk) for e, bs in event_banks.items() for b in bs]
    )

    # Needs.
    n_needs = max(8, round(1600 * ctx.scale))
    chosen = [enterprises[i] for i in sorted(rng.sample(range(len(enterprises)), min(n_needs, len(enterprises))))]
    if len(chosen) < n_needs:
        chosen += [rng.choice(enterprises) for _ in range(n_needs - len(chosen))]
    needs, plans = [], []
    criteria = ["operating", "premises", "genuine", "credit", "use"]
    for i, (eid, fic_id, path, region, industry, size, contact) in enumerate(chosen):
        stated = start + dt.timedelta(days=rng.randint(0, 358))
        source = _pick(rng, SOURCES)
        roll = rng.random()
        state = (ListState.STATED if roll < 0.04 else ListState.SCREENED_OUT if roll < 0.09
                 else ListState.DECLARED if roll < 0.12 else ListState.RECOMMENDED)  # fmt: skip
        if stated > today - dt.timedelta(days=4):
            state = ListState.STATED
        screening = {}
        if state != ListState.STATED:
            failed = rng.choice(criteria) if state == ListState.SCREENED_OUT else None
            screening = {c: {"met": c != failed, "basis": "registry" if c in ("operating", "premises") else "attested"}
                         for c in criteria}  # fmt: skip
        amount = _pick(rng, AMOUNTS)
        guarantee = _pick(rng, GUARANTEES)
        need = FinancingNeed(
            number=f"RZ{stated:%Y}D{i + 1:07d}", enterprise_id=eid, fic_id=fic_id, org_path=path, region_code=region,
            industry_code=industry, size_class=size, amount=Decimal(amount),
            term_months=rng.choice([6, 12, 12, 12, 24, 36, 60]), purpose=_pick(rng, PURPOSES), guarantee=guarantee,
            is_first_loan=rng.random() < 0.3, rate_ceiling=Decimal(rng.choice(["4.50", "5.00", "5.50", "6.00"])),
            needed_by=stated + dt.timedelta(days=rng.randint(15, 90)), credit_check_authorised=rng.random() < 0.9,
            contact_name=contact or "", source=source, stated_on=stated, list_state=state, screening=screening,
            screening_note="经营不满12个月" if state == ListState.SCREENED_OUT else "",
            chamber=ctx.chamber if source == Source.CHAMBER and ctx.chamber is not None else None,
            chamber_note="商会核实：证照齐全，无纠纷" if source == Source.CHAMBER else "", created_by=staff,
        )  # fmt: skip
        needs.append(need)
        plans.append(state == ListState.RECOMMENDED and rng.random() < 0.93)
    FinancingNeed.objects.bulk_create(needs, batch_size=1000)

    # Referrals and their stages.
    referrals, steps, refusal_codes = [], [], []
    attending = defaultdict(set)
    presented = defaultdict(set)
    events_by_day = sorted(events, key=lambda e: e.date)

    def upcoming(day):
        for e in events_by_day:
            if day <= e.date <= day + dt.timedelta(days=45):
                return e
        return None

    def progress(referral, at_event=None):
        """Walk a referral through its stages up to today; returns the step rows."""
        rows = [(Stage.PUSHED, referral.pushed_on, None, None)]
        day = referral.pushed_on
        need = referral._need
        fate = rng.random()
        if referral.bank_id == banker_bank.pk and referral.pushed_on > today - dt.timedelta(days=20):
            fate = 2.0  # the demo banker has fresh work: leave it pushed
        if fate > 1.5:
            return rows
        if fate < 0.27:  # refused
            day += dt.timedelta(days=rng.randint(5, 25))
            if day <= today:
                code = _pick(rng, REASONS)
                rows.append((Stage.REFUSED, day, None, code))
            return rows
        stalls = fate > 0.93  # overdue, never answered
        for stage, gap in ((Stage.CONTACTED, (1, 6)), (Stage.INTENDED, (2, 10)), (Stage.CREDITED, (5, 20)),
                           (Stage.LENT, (2, 12))):  # fmt: skip
            if stage == Stage.INTENDED and at_event is not None:
                day = max(day, at_event.date)
            else:
                day += dt.timedelta(days=rng.randint(*gap))
            if day > today:
                break
            amount = None
            if stage == Stage.INTENDED:
                amount = _amount(float(need.amount) * rng.uniform(1.5, 2.3))
            elif stage == Stage.CREDITED:
                amount = _amount(float(need.amount) * rng.uniform(0.7, 1.0))
            elif stage == Stage.LENT:
                amount = _amount(float(rows[-1][2]) * rng.uniform(0.9, 1.0))
            rows.append((stage, day, amount, None))
            if stalls and stage == Stage.CONTACTED:
                break
            if stage == Stage.CREDITED and fate > 0.85:
                break  # credited, not yet drawn
        return rows

    def make(need, bank, pushed_on, batch_kind=BatchKind.LIST, previous=None, event=None):
        referral = NeedReferral(
            need=need, bank=bank, bank_path=bank.path, org_path=need.org_path, pushed_on=pushed_on,
            application_complete_on=pushed_on, answer_due=pushed_on + dt.timedelta(days=30),
            is_credit_loan=need.guarantee == Guarantee.CREDIT, previous=previous,
        )  # fmt: skip
        referral._need, referral._kind, referral._event = need, batch_kind, event
        candidates = products_by_bank.get(bank.pk) or [None]
        referral.product = rng.choice(candidates)
        referral._rows = progress(referral, event)
        return referral

    for need, push in zip(needs, plans, strict=True):
        if not push:
            continue
        event = upcoming(need.stated_on + dt.timedelta(days=3)) if rng.random() < 0.6 else None
        if event is not None and event.date <= today:
            bank = rng.choice(event_banks[event.pk])
            pushed_on = event.date
            attending[event.pk].add(need.enterprise_id)
            presented[event.pk].add(need.pk)
        else:
            event = None
            recent = need.stated_on > today - dt.timedelta(days=30)
            bank = banker_bank if rng.random() < (0.5 if recent else 0.12) else rng.choice(banks)
            pushed_on = min(today, need.stated_on + dt.timedelta(days=rng.randint(3, 15)))
        kind = BatchKind.CHAMBER if need.source == Source.CHAMBER else BatchKind.LIST
        referrals.append(make(need, bank, pushed_on, kind, event=event))

    # Batches: one per bank, pushing unit and day.
    batches = {}
    for r in referrals:
        fic = fics.get(r._need.fic_id)
        unit = ctx.chamber if r._kind == BatchKind.CHAMBER and ctx.chamber is not None else fic
        key = (r.bank_id, r._kind, r.pushed_on, r._need.fic_id)
        if key not in batches:
            batches[key] = PushBatch(
                bank_id=r.bank_id, fic_id=r._need.fic_id, org_path=unit.path if unit else r._need.org_path,
                kind=r._kind, chamber=ctx.chamber if r._kind == BatchKind.CHAMBER else None, pushed_on=r.pushed_on,
                pushed_by=staff, note="整会授信推荐" if r._kind == BatchKind.CHAMBER else "",
                credit_line=Decimal(50000) if r._kind == BatchKind.CHAMBER else None,
            )  # fmt: skip
    PushBatch.objects.bulk_create(list(batches.values()))
    for r in referrals:
        r.batch = batches[(r.bank_id, r._kind, r.pushed_on, r._need.fic_id)]
        _apply(r, reasons)
    NeedReferral.objects.bulk_create(referrals, batch_size=1000)

    # Fix tasks for fixable refusals; a third fixed and recommended again to another bank.
    tasks, again = [], []
    departments = defaultdict(list)
    for d in ctx.departments:
        departments[d.parent_id].append(d)
    for r in referrals:
        reason = r.refusal_reason
        if r.stage != Stage.REFUSED or reason is None or not reason.fixable:
            continue
        fic_depts = departments.get(r._need.fic_id) or departments.get(ctx.city.pk) or []
        hint = reason.department_hint.replace("局", "")
        dept = next((d for d in fic_depts if hint and hint in d.name), None)
        fixed = r.refused_on < today - dt.timedelta(days=20) and rng.random() < 0.35
        task = FixTask(
            referral=r, need=r._need, org_path=r.org_path, problem=f"{reason.name}：{r.refusal_text}".rstrip("："),
            department=dept, measure=FIX_MEASURES.get(reason.code, ""),
            status=FixStatus.FIXED if fixed else FixStatus.OPEN,
            fixed_on=r.refused_on + dt.timedelta(days=rng.randint(7, 18)) if fixed else None,
            result="已整改完毕，相关记录已更新" if fixed else "",
        )  # fmt: skip
        tasks.append(task)
        if fixed:
            other = rng.choice([b for b in banks if b.pk != r.bank_id] or banks)
            again.append(make(r._need, other, min(today, task.fixed_on + dt.timedelta(days=2)), previous=r))
    FixTask.objects.bulk_create(tasks)
    for r in again:
        r.batch = PushBatch.objects.create(bank=r.bank, fic_id=r._need.fic_id, org_path=r._need.org_path,
                                           pushed_on=r.pushed_on, pushed_by=staff, note="整改后再次推荐")  # fmt: skip
        _apply(r, reasons)
    NeedReferral.objects.bulk_create(again)

    events_by_pk = {e.pk: e for e in events}
    for r in [*referrals, *again]:
        for stage, day, amount, code in r._rows:
            event = r._event if stage == Stage.INTENDED and r._event is not None else None
            steps.append(StageEvent(referral=r, stage=stage, on=day, amount=amount, event=event,
                                    actor=banker if r.bank_id == banker_bank.pk else None,
                                    note=r.refusal_text if code else ""))  # fmt: skip
            refusal_codes.append(code)
    StageEvent.objects.bulk_create(steps, batch_size=2000)

    # Need stage: the best at any bank; attendance and invitations.
    rank = {Stage.REFUSED: 0, Stage.PUSHED: 1, Stage.CONTACTED: 2, Stage.INTENDED: 3, Stage.CREDITED: 4, Stage.LENT: 5}
    best = {}
    for r in [*referrals, *again]:
        if r.need_id not in best or rank[r.stage] > rank[best[r.need_id]]:
            best[r.need_id] = r.stage
    for need in needs:
        need.stage = best.get(need.pk, "")
    FinancingNeed.objects.bulk_update(needs, ["stage"], batch_size=1000)
    ids = [e[0] for e in enterprises]
    for e in events:
        if e.date <= today:
            for _ in range(rng.randint(2, 6)):
                attending[e.pk].add(rng.choice(ids))
    att = MatchEvent.attending.through
    inv = MatchEvent.invited.through
    nd = MatchEvent.needs.through
    att.objects.bulk_create([att(matchevent_id=e, enterprise_id=x) for e, xs in attending.items() for x in xs])
    inv.objects.bulk_create([inv(matchevent_id=e, enterprise_id=x) for e, xs in attending.items() for x in xs])
    nd.objects.bulk_create([nd(matchevent_id=e, financingneed_id=x) for e, xs in presented.items() for x in xs])
    del events_by_pk
    # Written in bulk (no save()): build the figures' rollups from the records in the same transaction.
    from qinqing.core import rollups

    for name in ("financing_needs", "financing_referrals", "financing_steps", "financing_reach"):
        rollups.get(name).rebuild()
    lent = sum((r.loan_amount or 0) for r in [*referrals, *again])
    intended = sum((r.intention_amount or 0) for r in [*referrals, *again])
    ctx.log(
        f"银企对接：{len(products)} 个产品，{len(events)} 场对接会，{len(needs)} 笔需求，"
        f"{len(referrals) + len(again)} 次推荐，意向 {intended / 10000:.2f} 亿元，放款 {lent / 10000:.2f} 亿元，"
        f"{len(tasks)} 个整改任务（{len(again)} 笔整改后再次推荐）"
    )


def _apply(r, reasons) -> None:
    """Set the referral's fields from its planned steps."""
    for stage, day, amount, code in r._rows:
        r.stage = stage
        if stage == Stage.INTENDED:
            r.intention_amount = amount
        elif stage == Stage.CREDITED:
            r.credit_amount, r.credit_on, r.answered_on = amount, day, r.answered_on or day
        elif stage == Stage.LENT:
            r.loan_amount, r.loan_on = amount, day
            r.loan_rate = Decimal("3.95")
        elif stage == Stage.REFUSED:
            r.refusal_reason = reasons.get(code)
            r.refusal_text = REASON_TEXT.get(code, "")
            r.refused_on = r.answered_on = day
