"""Demo mediation: the demo chamber's 调解委员会 with the demo mediator on its roster, and the 调解中心 of the FIC
above it; a year of cases sized like a county's (中山: about 10 days to settle, 98% settled; 南阳: of 108 cases
pushed by the court 83 closed, 67 settled; 义乌's types), with court-referred cases, 司法确认, failures turned to
立案, withdrawals and a few returned to the court. The demo mediator has open cases to work, one of them
overdue; the demo enterprise is a party to a few. Bulk writes only; deterministic for ctx.rng."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from qinqing.core.crypto.fields import sealed
from qinqing.registry.models import Enterprise

from .actions import court_days, other_days, today
from .choices import (
    COURT_SOURCES,
    BodyKind,
    CaseType,
    Confirmation,
    FailedNext,
    PartyKind,
    PartyRole,
    SessionMode,
    Source,
    Status,
)
from .models import Case, Extension, MediationBody, Party, RosterEntry, Session

SOURCES = [(Source.APPLICATION, 0.34), (Source.COURT_PRE, 0.36), (Source.COURT_IN, 0.1), (Source.DEPARTMENT, 0.15),
           (Source.OTHER, 0.05)]  # fmt: skip
TYPES = [(CaseType.LABOUR, 0.26), (CaseType.LOAN, 0.14), (CaseType.SALE, 0.24), (CaseType.LEASE, 0.12),
         (CaseType.PARTNERSHIP, 0.08), (CaseType.QUALITY, 0.08), (CaseType.IP, 0.03),
         (CaseType.OTHER, 0.05)]  # fmt: skip
AMOUNTS = [(0.8, 0.15), (2, 0.2), (4, 0.2), (8, 0.18), (15, 0.12), (30, 0.08), (60, 0.05), (120, 0.02)]
SUMMARIES = {
    CaseType.LABOUR: "拖欠工资及解除劳动合同经济补偿",
    CaseType.LOAN: "股东间借款到期未还",
    CaseType.SALE: "货款结算争议，对方以质量问题为由拒付尾款",
    CaseType.LEASE: "市场摊位租赁到期腾退及押金返还",
    CaseType.PARTNERSHIP: "合伙经营退伙结算",
    CaseType.QUALITY: "供应的原材料不符合约定标准",
    CaseType.IP: "商标使用许可费争议",
    CaseType.OTHER: "商会会员之间的合同纠纷",
}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗"
GIVEN = ["建国", "海燕", "志强", "秀英", "伟", "敏", "军", "丽", "磊", "静", "勇", "芳", "洋", "艳", "杰", "娟"]
COURTS = ["人民法院", "人民法院"]


def _pick(rng, weights):
    r, acc = rng.random(), 0.0
    for value, w in weights:
        acc += w
        if r < acc:
            return value
    return weights[-1][0]


def seed(ctx) -> None:
    chamber = ctx.chamber
    mediator = ctx.users.get("mediator")
    if chamber is None or mediator is None:
        ctx.log("mediation: no demo chamber or mediator, skipped")
        return
    with transaction.atomic():
        _seed(ctx, chamber, mediator)


def _bodies(ctx, chamber, mediator):
    fic = chamber.parent if chamber.parent_id else ctx.city
    committee = MediationBody.objects.create(
        organization=chamber,
        org_path=chamber.path,
        kind=BodyKind.COMMITTEE,
        name=f"{chamber.short_name or chamber.name}人民调解委员会",
        phone=chamber.contact_phone,
        established_on=dt.date(2020, 6, 1),
    )
    centre = MediationBody.objects.create(
        organization=fic,
        org_path=fic.path,
        kind=BodyKind.CENTRE,
        name=f"{fic.name}商事调解中心",
        established_on=dt.date(2021, 3, 15),
    )
    RosterEntry.objects.bulk_create([
        RosterEntry(body=committee, user=mediator, title="商会法律顾问、执业律师",
                    specialities=[CaseType.LABOUR, CaseType.SALE, CaseType.LEASE]),
        RosterEntry(body=centre, user=mediator, title="商会法律顾问、执业律师",
                    specialities=[CaseType.LABOUR, CaseType.SALE]),
    ])  # fmt: skip
    return fic, committee, centre


def _seed(ctx, chamber, mediator) -> None:
    rng = ctx.rng
    now = today()
    fic, committee, centre = _bodies(ctx, chamber, mediator)
    court = f"{fic.name.removesuffix('工商联').removesuffix('工商业联合会')}人民法院"
    enterprises = list(
        Enterprise.objects.filter(org_path__startswith=fic.path)
        .order_by("pk")
        .values_list("pk", "name", "credit_code")[:400]
    )
    own = ctx.users.get("enterprise")
    own_ent = None
    if own is not None and own.enterprise_id:
        own_ent = Enterprise.objects.filter(pk=own.enterprise_id).values_list("pk", "name", "credit_code").first()
    total = max(40, round(150 * ctx.scale))
    days = sorted(now - dt.timedelta(days=rng.randint(0, 364)) for _ in range(total))
    cases, plans = [], []
    sequence: dict[int, int] = {}
    for index, received in enumerate(days):
        body = committee if rng.random() < 0.55 else centre
        source = _pick(rng, SOURCES)
        case_type = _pick(rng, TYPES)
        amount = Decimal(str(round(_pick(rng, AMOUNTS) * rng.uniform(0.6, 1.4), 2)))
        referred = received - dt.timedelta(days=rng.randint(0, 2)) if source in COURT_SOURCES else None
        deadline = (referred or received) + dt.timedelta(days=court_days() if referred else other_days())
        sequence[received.year] = sequence.get(received.year, 0) + 1
        case = Case(number=f"TJ{received.year}{sequence[received.year]:05d}", body=body, org_path=body.org_path,
                    source=source, case_type=case_type, summary=SUMMARIES[case_type], amount=amount,
                    received_on=received, deadline=deadline, referred_on=referred,
                    court_name=court if referred else "",
                    court_case_number=f"({received.year}){fic.region_code[:2]}{fic.region_code[2:]}民诉前调"
                                      f"{1000 + index}号" if source == Source.COURT_PRE else
                                      (f"({received.year}){fic.region_code}民初{3000 + index}号" if referred else ""),
                    referred_by="人力资源和社会保障局劳动争议仲裁院" if source == Source.DEPARTMENT else "",
                    mediator=mediator if body is committee or rng.random() < 0.3 else None)  # fmt: skip
        _outcome(rng, case, now, court)
        cases.append(case)
        plans.append(_parties(rng, case, enterprises, own_ent if own_ent and index % 25 == 3 else None))
    _mediator_work(rng, cases, mediator, committee, now)
    Case.objects.bulk_create(cases, batch_size=500)
    parties = [Party(case=case, **p) for case, items in zip(cases, plans, strict=True) for p in items]
    with sealed(parties):
        Party.objects.bulk_create(parties, batch_size=1000)
    Session.objects.bulk_create(_sessions(rng, cases, mediator, now), batch_size=1000)
    Extension.objects.bulk_create(
        [Extension(case=c, old_deadline=c.deadline - dt.timedelta(days=15), new_deadline=c.deadline,
                   consent_on=c.deadline - dt.timedelta(days=17), consent_ref="承办法官同意延长调解期限（电话记录）")
         for c in cases if getattr(c, "_extended", False)]
    )  # fmt: skip
    ctx.log(f"mediation: {len(cases)} cases, {len(parties)} parties")


def _outcome(rng, case: Case, now: dt.date, court: str) -> None:
    age = (now - case.received_on).days
    duration = min(rng.randint(2, 22), age)
    if age < 12 and rng.random() < 0.7:
        return  # still open
    r = rng.random()
    court_case = case.source in COURT_SOURCES
    if court_case and r < 0.04 and age > case.deadline.toordinal() - case.received_on.toordinal():
        case.status = Status.RETURNED
        duration = (case.deadline - case.received_on).days + 1
    elif r < 0.84:
        case.status = Status.SETTLED
        case.agreement_text = "一、被申请人于协议签订之日起十五日内向申请人支付款项；\n二、双方就本纠纷再无其他争议。"
        case.settled_amount = (case.amount * Decimal(str(round(rng.uniform(0.6, 1.0), 2)))).quantize(Decimal("0.01"))
    elif r < 0.95:
        case.status = Status.FAILED
        if court_case or rng.random() < 0.5:
            case.failed_next = FailedNext.LITIGATION
            case.lawsuit_case_number = f"({case.received_on.year})民初{rng.randint(100, 9999)}号"
    else:
        case.status = Status.WITHDRAWN
        case.outcome_note = "当事人自行和解，申请撤回"
    if duration > (case.deadline - case.received_on).days and case.status != Status.RETURNED and court_case:
        case.deadline = case.received_on + dt.timedelta(days=duration + 3)
        case._extended = True
    case.closed_on = case.received_on + dt.timedelta(days=duration)
    case.duration_days = duration
    if case.status == Status.SETTLED and (court_case or rng.random() < 0.2) and rng.random() < 0.65:
        requested = case.closed_on + dt.timedelta(days=rng.randint(0, 3))
        ruled = requested + dt.timedelta(days=rng.randint(2, 9))  # 7 个工作日内
        if requested <= now:
            case.confirmation = Confirmation.REQUESTED
            case.confirmation_court = court
            case.confirmation_requested_on = requested
        if ruled <= now:
            case.confirmation = Confirmation.CONFIRMED if rng.random() < 0.96 else Confirmation.REJECTED
            case.confirmation_on = ruled
            case.confirmation_number = f"({ruled.year})民特{rng.randint(10, 999)}号"


def _mediator_work(rng, cases, mediator, committee, now) -> None:
    """The demo mediator's desk: a handful of open cases of the committee, the oldest overdue."""
    open_cases = [c for c in cases if c.status == Status.OPEN and c.body_id == committee.pk]
    if len(open_cases) < 4:
        for c in sorted(cases, key=lambda c: c.received_on)[-6:]:
            if c.body_id == committee.pk and c.status != Status.OPEN:
                _reopen(c)
                open_cases.append(c)
    for c in open_cases:
        c.mediator = mediator
    if open_cases:
        oldest = min(open_cases, key=lambda c: c.received_on)
        oldest.received_on = now - dt.timedelta(days=40)
        if oldest.referred_on:
            oldest.referred_on = oldest.received_on
        oldest.deadline = now - dt.timedelta(days=4)


def _reopen(case: Case) -> None:
    case.status = Status.OPEN
    for name in ("closed_on", "duration_days", "settled_amount", "confirmation_requested_on", "confirmation_on"):
        setattr(case, name, None)
    for name in ("agreement_text", "confirmation", "confirmation_court", "confirmation_number", "failed_next",
                 "lawsuit_case_number", "outcome_note"):  # fmt: skip
        setattr(case, name, "")


def _person(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"


def _parties(rng, case: Case, enterprises, own) -> list[dict]:
    def organisation(ent, role):
        return {
            "role": role,
            "kind": PartyKind.ORGANISATION,
            "name": ent[1],
            "id_number": ent[2],
            "phone": _phone(rng),
            "address": "",
            "is_member": rng.random() < 0.7,
            "enterprise_id": ent[0],
        }

    def person(role):
        return {"role": role, "kind": PartyKind.PERSON, "name": _person(rng), "id_number": "", "phone": _phone(rng),
                "address": "", "is_member": False, "enterprise_id": None}  # fmt: skip

    respondent_ent = own or (rng.choice(enterprises) if enterprises else None)
    respondent = organisation(respondent_ent, PartyRole.RESPONDENT) if respondent_ent else person(PartyRole.RESPONDENT)
    if case.case_type == CaseType.LABOUR or not enterprises or rng.random() < 0.35:
        applicant = person(PartyRole.APPLICANT)
    else:
        applicant = organisation(rng.choice(enterprises), PartyRole.APPLICANT)
    return [applicant, respondent]


def _sessions(rng, cases, mediator, now) -> list[Session]:
    out = []
    for case in cases:
        last = case.closed_on or now
        count = 0 if case.status == Status.WITHDRAWN else rng.randint(1, 3 if case.status != Status.OPEN else 1)
        for i in range(count):
            span = max((last - case.received_on).days, 0)
            held = case.received_on + dt.timedelta(days=min(span, round(span * (i + 1) / count)))
            online = rng.random() < 0.3
            out.append(
                Session(
                    case=case,
                    held_on=held,
                    mode=SessionMode.ONLINE if online else SessionMode.ONSITE,
                    place="微信视频" if online else "商会调解室",
                    attendees="双方当事人及委托代理人",
                    notes="听取双方陈述，释明法律规定，提出调解方案。",
                    recorded_by=case.mediator or mediator,
                )
            )
    return out
