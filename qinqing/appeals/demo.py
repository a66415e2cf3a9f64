"""Demo appeals and meetings: a year of work whose figures look like the seeds'
("联动召开恳谈会201场,参会企业家1576位,收集交办问题2229个,满意率98.75%"): about 2,400 appeals for the
city profile (× ctx.scale), ~98% satisfied, a realistic share overdue, re-handled, extended and merged.
Bulk writes only; deterministic for ctx.rng."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from qinqing.core.calendar_source import get_calendar
from qinqing.registry.models import Enterprise

from . import sla
from . import workflow as wf
from .models import Appeal, AppealDomain, AppealEvent, AppealType, Channel

CHANNEL_WEIGHTS = [
    (Channel.ONLINE, 0.30),
    (Channel.HOTLINE, 0.15),
    (Channel.VISIT, 0.15),
    (Channel.CHAMBER, 0.10),
    (Channel.MEETING, 0.22),
    (Channel.TRANSFER, 0.06),
    (Channel.SURVEY, 0.02),
]
TOPICS = {
    "finance": ["流动资金贷款审批时间长", "续贷需要过桥资金", "担保费率偏高", "应收账款质押融资难"],
    "labour": ["技术工人招聘难", "社保缴费基数调整咨询", "员工子女入学", "用工培训补贴申领"],
    "land": ["厂房用地指标不足", "土地证办理滞后", "标准厂房租金补贴", "项目用地规划调整"],
    "approval": ["施工许可审批时间长", "环评手续办理", "消防验收排期", "食品经营许可变更"],
    "enforcement": ["多头重复检查", "行政处罚标准不一", "执法检查频次过高"],
    "tax": ["增值税留抵退税进度", "研发费用加计扣除咨询", "税务注销手续"],
    "arrears": ["政府工程款拖欠", "国企账款逾期未付", "质保金未按期返还"],
    "market": ["招投标设置隐性门槛", "市场准入资质互认", "政府采购付款周期长"],
    "ip": ["商标被抢注", "专利侵权维权", "知识产权质押融资"],
    "other": ["周边道路破损影响运输", "园区供电不稳定", "厂区排水不畅"],
}
MEETING_KINDS = [("talk", 0.6), ("breakfast", 0.3), ("forum", 0.1)]
MEETING_NAMES = {"talk": "政企恳谈会", "breakfast": "企业家早餐会", "forum": "民营企业座谈会"}


def _pick(rng, weights):
    r, acc = rng.random(), 0.0
    for value, w in weights:
        acc += w
        if r < acc:
            return value
    return weights[-1][0]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(ctx) -> None:
    """All or nothing: when a deadline would fall in a year the calendar does not cover (the last
    appeals' deadlines run a few weeks past today), say so and write no appeals or meetings at all."""
    try:
        with transaction.atomic():
            _seed(ctx)
    except sla.CalendarNotCovered as exc:
        ctx.log(
            f"诉求：{exc.year}年节假日安排尚未录入，未生成演示诉求和恳谈会；"
            "请在“节假日设置”（/calendar/）录入后重新加载演示数据"
        )


def _seed(ctx) -> None:
    from qinqing.meetings.models import Meeting

    enterprises = list(
        Enterprise.objects.filter(org_path__startswith=ctx.root.path).values_list(
            "pk", "fic_id", "org_path", "region_code"
        )[:5000]
    )
    if not enterprises:
        ctx.log("诉求：没有企业数据，未生成演示诉求")
        return
    departments = list(ctx.departments)
    if not departments:
        ctx.log("诉求：没有承办单位，未生成演示诉求")
        return
    rng = ctx.rng
    cal = get_calendar()
    types = list(AppealType.objects.all())
    domains = {d.code: d for d in AppealDomain.objects.all()}
    today = timezone.localdate()
    start = today - timedelta(days=365)
    staff = next((u for u in ctx.users.values() if u.role == "fic_staff"), None)

    # Meetings first: about 200 × scale per year, issues raised there become appeals.
    n_meetings = max(4, round(200 * ctx.scale))
    fics = [f for f in (ctx.fics or [ctx.root])]
    meetings = []
    for _ in range(n_meetings):
        fic = rng.choice(fics)
        day = start + timedelta(days=rng.randrange(0, 350))
        kind = _pick(rng, MEETING_KINDS)
        meetings.append(
            Meeting(
                fic=fic,
                org_path=fic.path,
                kind=kind,
                title=f"{fic.name}{day:%Y年%m月}{MEETING_NAMES[kind]}",
                date=day,
                host_leader=rng.choice(["县委书记", "县长", "常务副县长", "市长", "副市长", "工商联主席"]),
                agenda="一、企业家发言反映问题\n二、相关部门现场答复\n三、领导讲话",
                agenda_published_at=_at(day - timedelta(days=3), 9),
                attendees=rng.randint(5, 12),
                status="signed_off" if day < today - timedelta(days=90) else ("held" if day < today else "planned"),
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=500)
    held = [m for m in meetings if m.status != "planned"]

    n = round(2400 * ctx.scale)
    base_number = Appeal.objects.count()
    appeals: list[Appeal] = []
    for i in range(n):
        ent_id, fic_id, org_path, region = rng.choice(enterprises)
        domain_code = rng.choice(list(TOPICS))
        day = start + timedelta(days=int(rng.random() ** 0.8 * 364))
        channel = _pick(rng, CHANNEL_WEIGHTS)
        meeting = None
        if channel == Channel.MEETING and held:
            meeting = rng.choice(held)
            day = meeting.date
        title = rng.choice(TOPICS[domain_code])
        age = (today - day).days
        roll = rng.random()
        if roll < 0.03:
            status = wf.REJECTED
        elif roll < 0.05:
            status = wf.MERGED
        elif age < 10:
            status = rng.choice([wf.REGISTERED, wf.ACCEPTED, wf.ASSIGNED, wf.CONTACTED, wf.REPLIED])
        else:
            status = wf.CLOSED if rng.random() < 0.97 else rng.choice([wf.ASSIGNED, wf.CONTACTED])
        a = Appeal(
            number=f"SQ{day:%Y}{base_number + i + 1:08d}",
            enterprise_id=ent_id,
            fic_id=fic_id,
            org_path=org_path,
            region_code=region,
            channel=channel,
            appeal_type=rng.choice(types),
            domain=domains[domain_code],
            title=title,
            description=f"企业反映：{title}，希望相关部门协调解决。",
            status=status,
            meeting=meeting,
            registered_on=day,
            reported_by=staff,
            accept_due=sla.add_workdays(cal, day, 3),
        )
        if status != wf.REGISTERED:
            a.accepted_at = _at(sla.add_workdays(cal, day, rng.choice([0, 1, 1, 2])), 10)
        if status == wf.REJECTED:
            a.reject_reason = "不属于涉企诉求受理范围，已告知企业通过司法途径解决"
            a.closed_at = a.accepted_at
        if meeting is not None and status == wf.CLOSED and rng.random() < 0.3:
            a.solved_on_spot = True
            a.solved = True
            a.closed_at = _at(day, 12)
            a.reply = "会上现场解决"
            appeals.append(a)
            continue
        if status in (wf.ASSIGNED, wf.CONTACTED, wf.REPLIED, wf.CLOSED):
            dept = rng.choice(departments)
            a.lead_department_id = dept.pk
            assigned = sla.add_workdays(cal, a.accepted_at.date(), rng.choice([0, 1]))
            a.assigned_at = _at(assigned, 15)
            a.contact_due = sla.add_workdays(cal, assigned, 3)
            a.reply_due = sla.add_workdays(cal, assigned, 5)
            ext = 0
            if rng.random() < 0.05:
                ext = rng.choice([3, 5, 10])
                a.extension_days = ext
                a.reply_due = sla.add_workdays(cal, a.reply_due, ext)
            late = rng.random() < 0.06
            if status != wf.ASSIGNED:
                contact_day = sla.add_workdays(cal, assigned, rng.choice([1, 1, 2, 3]) + (3 if late else 0))
                a.contacted_at = _at(contact_day, 11)
                a.contacted_on_time = contact_day <= a.contact_due
            if status in (wf.REPLIED, wf.CLOSED):
                reply_day = sla.add_workdays(cal, assigned, rng.choice([3, 4, 5]) + (4 if late else 0))
                a.replied_at = _at(reply_day, 16)
                a.replied_on_time = reply_day <= a.reply_due
                a.reply = "经协调，已按政策为企业办理，并向企业作了解释说明。"
                a.ever_overdue = late
            if status in (wf.ASSIGNED, wf.CONTACTED):
                a.deadline_state = sla.deadline_state(cal, a.current_due, today, 1)
                a.escalation = sla.escalation_level(cal, a.current_due, today, 2)
                a.ever_overdue = a.deadline_state == sla.OVERDUE
            if status == wf.CLOSED:
                if rng.random() < 0.04:
                    a.rehandle_count = 1
                r = rng.random()
                a.satisfaction = 5 if r < 0.72 else 4 if r < 0.93 else 3 if r < 0.985 else 2
                if a.satisfaction == 2:
                    a.satisfaction = 3  # unsatisfied ones were re-handled and then accepted
                    a.rehandle_count = max(a.rehandle_count, 1)
                a.solved = rng.random() < 0.93
                a.closed_at = _at(sla.add_workdays(cal, a.replied_at.date(), rng.choice([1, 2, 3])), 10)
        appeals.append(a)
    # Satisfaction just under 100%: a few stay 不满意 after re-handling.
    closed = [a for a in appeals if a.satisfaction]
    for a in rng.sample(closed, k=max(1, len(closed) // 60)):
        a.satisfaction = rng.choice([1, 2])
    Appeal.objects.bulk_create(appeals, batch_size=1000)
    # Merged duplicates point at an earlier appeal of the same domain.
    by_domain: dict[int, list[Appeal]] = {}
    merged = []
    for a in appeals:
        if a.status == wf.MERGED and by_domain.get(a.domain_id):
            a.merged_into_id = rng.choice(by_domain[a.domain_id]).pk
            merged.append(a)
        elif a.status != wf.MERGED:
            by_domain.setdefault(a.domain_id, []).append(a)
    Appeal.objects.bulk_update(merged, ["merged_into"], batch_size=1000)

    events = []
    for a in appeals:
        steps = [("register", "登记", "", wf.REGISTERED, _at(a.registered_on, 9))]
        if a.accepted_at:
            steps.append(("accept", "受理", wf.REGISTERED, wf.ACCEPTED, a.accepted_at))
        if a.status == wf.REJECTED:
            steps.append(("reject", "不予受理", wf.REGISTERED, wf.REJECTED, a.closed_at))
        if a.solved_on_spot:
            steps.append(("solve_on_spot", "现场解决", wf.ACCEPTED, wf.CLOSED, a.closed_at))
        if a.assigned_at:
            steps.append(("assign", "交办", wf.ACCEPTED, wf.ASSIGNED, a.assigned_at))
        if a.contacted_at:
            steps.append(("contact", "首次联系企业", wf.ASSIGNED, wf.CONTACTED, a.contacted_at))
        if a.replied_at:
            steps.append(("reply", "答复", wf.CONTACTED, wf.REPLIED, a.replied_at))
        if a.status == wf.CLOSED and a.satisfaction:
            steps.append(("close", "回访办结", wf.REPLIED, wf.CLOSED, a.closed_at))
        if a.status == wf.MERGED:
            steps.append(("merge", "合并为重复诉求", wf.REGISTERED, wf.MERGED, _at(a.registered_on, 17)))
        for action, label, frm, to, when in steps:
            events.append(
                AppealEvent(
                    appeal_id=a.pk,
                    action=action,
                    label=label,
                    from_status=frm,
                    to_status=to,
                    actor_name="演示数据",
                    comment="" if action != "reply" else a.reply,
                    created_at=when or _at(a.registered_on, 9),
                )
            )
    AppealEvent.objects.bulk_create(events, batch_size=2000)
    ctx.log(
        f"诉求：{len(appeals)} 件（办结 {sum(a.status == wf.CLOSED for a in appeals)}，"
        f"超期 {sum(a.ever_overdue for a in appeals)}，重办 {sum(bool(a.rehandle_count) for a in appeals)}，"
        f"延期 {sum(bool(a.extension_days) for a in appeals)}，合并 {len(merged)}）；恳谈会 {len(meetings)} 场"
    )
