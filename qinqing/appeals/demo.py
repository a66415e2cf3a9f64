"""Demo appeals and meetings: a year of work whose figures look like the seeds'
("联动召开恳谈会201场,参会企业家1576位,收集交办问题2229个,满意率98.75%"): about 2,400 appeals for the
city profile (× ctx.scale), ~98% satisfied, a realistic share overdue, re-handled, extended and merged —
each with its real records (ExtensionRequest rows, 重办 and 合并 history events, merged pairs), and
meetings with departments, invited enterprises, pre-visits and their sign-off meeting.

The year shown ends today. A deadline that falls in a year whose official holiday schedule nobody has
entered yet is computed on the provisional statutory calendar and flagged 暂定 (``provisional_dues``), as
the actions do; the loader says so in Chinese. Bulk writes only; deterministic for ctx.rng."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from qinqing.core import rollups
from qinqing.core.calendar_source import get_calendar
from qinqing.registry.models import Enterprise

from . import sla
from . import workflow as wf
from .models import Appeal, AppealDomain, AppealEvent, AppealType, Channel, ExtensionRequest

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


# The latest deadline a demo appeal computes: accepted ≤ 2 working days, dispatched ≤ 1 more, reply due 5 after
# that plus an extension of up to 10 = 18 working days, under four weeks when no holiday intervenes — and the
# one holiday that matters here, 元旦, lies in the uncovered year itself. 30 days keeps December's demo current.
LOOKAHEAD = timedelta(days=30)
WINDOW = timedelta(days=365)


def demo_window(cal, today: date) -> tuple[date, date] | None:
    """(first, last) registration day of the demo year: the year ending today. Years without the official
    schedule are provisional (computed, flagged 暂定), so the window never stops short of them. None only
    when no table can compute the years around today (after 2100)."""
    start = today - WINDOW
    try:
        cal.is_workday(start)
        cal.is_workday(today + LOOKAHEAD)
    except sla.CalendarNotCovered:
        return None
    return start, today


def seed(ctx) -> None:
    """All or nothing. Deadlines in a provisional year are flagged 暂定 (see the module docstring); a year
    no table can compute writes no appeals or meetings and says why."""
    cal = get_calendar()
    today = timezone.localdate()
    window = demo_window(cal, today)
    if window is None:
        ctx.log(
            f"诉求：{today.year}年前后的法定节假日和调休安排尚未录入，未生成演示诉求和恳谈会；"
            "请在“节假日设置”（/calendar/）录入后重新加载演示数据"
        )
        return
    start, end = window
    missing = (today + LOOKAHEAD).year
    if cal.is_provisional(missing):
        ctx.log(
            f"注意：{missing}年的节假日安排（国务院办公厅通知）尚未录入，期限落在{missing}年的演示诉求按法定节假日"
            f"暂定计算并标注“暂定”。请系统管理员在“节假日设置”（/calendar/）粘贴通知录入，录入后期限自动重算。"
        )
    try:
        with transaction.atomic():
            _seed(ctx, cal, start, end, today)
            # Written in bulk (no Appeal.save()): count them into the figures' rollups in the same transaction.
            for name in ("appeals", "appeals_months", "appeals_departments"):
                rollups.get(name).rebuild()
    except sla.CalendarNotCovered as exc:  # defensive: the window should have prevented it
        ctx.log(
            f"诉求：{exc.year}年节假日安排尚未录入，未生成演示诉求和恳谈会；"
            "请在“节假日设置”（/calendar/）录入后重新加载演示数据"
        )


def handling_departments(departments, org_path: str) -> list:
    """The departments an appeal of the FIC at ``org_path`` may go to: its own, else its city's (the level above),
    never another county's."""
    own = [d for d in departments if d.path.rsplit("/", 2)[0] + "/" == org_path]
    parent = org_path.rsplit("/", 2)[0] + "/"
    above = [d for d in departments if d.path.rsplit("/", 2)[0] + "/" == parent]
    return (
        (own + above) or [d for d in departments if org_path.startswith(d.path.rsplit("/", 2)[0] + "/")] or departments
    )


def host_leaders(fic_name: str) -> list[str]:
    """Who chairs a meeting of this FIC's level: 县委书记/县长 for a county, 市长 for a city, 区长 for a district."""
    place = fic_name.removesuffix("工商联")
    unit = place[-1:] if place[-1:] in ("县", "市", "区", "省", "旗") else "县"
    if unit == "省":
        return ["省委书记", "省长", "副省长", "省工商联主席"]
    return [f"{unit}委书记", f"{unit}长", f"常务副{unit}长", f"副{unit}长", f"{place}工商联主席"]


def _seed_meetings(ctx, rng, start: date, end: date, today: date, enterprises, departments, staff) -> list:
    from qinqing.meetings.models import Meeting, PreVisit

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
                host_leader=rng.choice(host_leaders(fic.name)),
                location=f"{fic.name}会议室",
                agenda="一、企业家发言反映问题\n二、相关部门现场答复\n三、领导讲话",
                agenda_published_at=_at(day - timedelta(days=3), 9),
                attendees=rng.randint(5, 12),
                status="held" if day < today else "planned",
                created_by=staff,
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=500)
    # Departments and invited enterprises of the meeting's own tree; pre-visits to some invitees.
    dept_links, ent_links, visits = [], [], []
    by_path_depts = [(d.path, d.pk) for d in departments]
    for m in meetings:
        own_depts = [pk for path, pk in by_path_depts if path.startswith(m.org_path)] or [departments[0].pk]
        for pk in rng.sample(own_depts, k=min(len(own_depts), rng.randint(2, 5))):
            dept_links.append(Meeting.departments.through(meeting_id=m.pk, organization_id=pk))
        own_ents = [e for e in enterprises if e[2].startswith(m.org_path)] or enterprises
        invited = rng.sample(own_ents, k=min(len(own_ents), m.attendees))
        m.invited = [e[0] for e in invited]
        for ent in invited:
            ent_links.append(Meeting.enterprises.through(meeting_id=m.pk, enterprise_id=ent[0]))
        for ent in invited[: rng.randint(1, 3)]:
            visits.append(
                PreVisit(
                    meeting=m,
                    enterprise_id=ent[0],
                    visited_on=m.date - timedelta(days=rng.randint(3, 10)),
                    notes=rng.choice(
                        ["了解企业生产经营和融资需求", "收集企业拟在会上反映的问题", "走访车间，听取用工诉求"]
                    ),
                    visitor=staff,
                )
            )
    Meeting.departments.through.objects.bulk_create(dept_links, batch_size=2000)
    Meeting.enterprises.through.objects.bulk_create(ent_links, batch_size=2000)
    PreVisit.objects.bulk_create(visits, batch_size=1000)
    # Sign-off (销号): a meeting held more than 90 days ago is signed off at the FIC's next meeting.
    by_fic: dict[int, list] = {}
    for m in sorted(meetings, key=lambda m: m.date):
        by_fic.setdefault(m.fic_id, []).append(m)
    signed = []
    for m in meetings:
        if m.status != "held" or m.date >= today - timedelta(days=90):
            continue
        later = next((x for x in by_fic[m.fic_id] if x.date > m.date and x.status == "held"), None)
        if later is not None:
            m.status, m.signed_off_at, m.signoff_note = "signed_off", later, "会上问题已全部办结，经本次会议审议销号"
            signed.append(m)
    Meeting.objects.bulk_update(signed, ["status", "signed_off_at", "signoff_note"], batch_size=500)
    return meetings


CONTACT_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
CONTACT_TITLES = ["经理", "女士", "先生", "主任", "会计"]


def _seed(ctx, cal, start: date, end: date, today: date) -> None:
    # Up to 600 enterprises of every FIC (not the first 5,000 by id, which left whole counties without appeals).
    enterprises = []
    for fic_id in sorted(
        set(Enterprise.objects.filter(org_path__startswith=ctx.root.path).values_list("fic_id", flat=True))
    ):
        enterprises.extend(
            Enterprise.objects.filter(fic_id=fic_id)
            .order_by("pk")
            .values_list("pk", "fic_id", "org_path", "region_code")[:600]
        )
    if not enterprises:
        ctx.log("诉求：没有企业数据，未生成演示诉求")
        return
    departments = list(ctx.departments)
    if not departments:
        ctx.log("诉求：没有承办单位，未生成演示诉求")
        return
    rng = ctx.rng
    types = list(AppealType.objects.all())
    domains = {d.code: d for d in AppealDomain.objects.all()}
    # Deadline states are as of today when today's year is covered, else as of the window's end.
    as_of = today if cal.covers(today.year) else end
    staff = next((u for u in ctx.users.values() if u.role == "fic_staff"), None)
    liaison = next((u for u in ctx.users.values() if u.role == "dept_liaison"), None)

    meetings = _seed_meetings(ctx, rng, start, end, today, enterprises, departments, staff)
    held = [m for m in meetings if m.status != "planned"]
    ent_by_pk = {e[0]: e for e in enterprises}

    n = round(2400 * ctx.scale)
    base_number = Appeal.objects.count()
    appeals: list[Appeal] = []
    extensions: list[tuple[Appeal, int, date, date]] = []
    by_fic: dict[int, list] = {}
    for row in enterprises:
        by_fic.setdefault(row[1], []).append(row)
    fic_ids = sorted(by_fic)
    for i in range(n):
        # The first round gives every FIC some appeals; then enterprises at random (busier FICs get more).
        pool = by_fic[fic_ids[i]] if i < len(fic_ids) else enterprises
        ent_id, fic_id, org_path, region = rng.choice(pool)
        domain_code = rng.choice(list(TOPICS))
        day = start + timedelta(days=int(rng.random() ** 0.8 * 364))
        channel = _pick(rng, CHANNEL_WEIGHTS)
        meeting = None
        if channel == Channel.MEETING and held:
            meeting = rng.choice(held)
            day = meeting.date
            if meeting.invited:  # the issue is raised by one of the enterprises invited
                ent_id, fic_id, org_path, region = ent_by_pk[rng.choice(meeting.invited)]
        title = rng.choice(TOPICS[domain_code])
        age = (end - day).days
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
            # A contact person for 首次联系 and the public status lookup (fixed by the index, not drawn
            # from rng, so the rest of the demo stays as it was).
            contact_name=CONTACT_SURNAMES[i % len(CONTACT_SURNAMES)] + CONTACT_TITLES[i % len(CONTACT_TITLES)],
            contact_phone=f"13{(i * 7) % 10}{(i * 104729 + 12345678) % 10**8:08d}",
            accept_due=sla.add_workdays(cal, day, 3),
        )
        # Rejected and merged appeals never reached 受理: no accepted_at, closed when decided.
        if status not in (wf.REGISTERED, wf.REJECTED, wf.MERGED):
            a.accepted_at = _at(sla.add_workdays(cal, day, rng.choice([0, 1, 1, 2])), 10)
            a.dispatch_due = sla.add_workdays(cal, a.accepted_at.date(), a.dispatch_days)
        if status == wf.REJECTED:
            a.reject_reason = "不属于涉企诉求受理范围，已告知企业通过司法途径解决"
            a.closed_at = _at(sla.add_workdays(cal, day, rng.choice([1, 2])), 11)
        if status == wf.MERGED:
            a.closed_at = _at(sla.add_workdays(cal, day, 1), 17)
        if status == wf.REGISTERED:
            a.deadline_state = sla.deadline_state(cal, a.accept_due, as_of, 1)
        if status == wf.ACCEPTED:
            a.deadline_state = sla.deadline_state(cal, a.dispatch_due, as_of, 1)
        if meeting is not None and status == wf.CLOSED and rng.random() < 0.3:
            a.solved_on_spot = True
            a.solved = True
            a.closed_at = _at(day, 12)
            a.reply = "会上现场解决"
            appeals.append(a)
            continue
        if status in (wf.ASSIGNED, wf.CONTACTED, wf.REPLIED, wf.CLOSED):
            dept = rng.choice(handling_departments(departments, org_path))
            a.lead_department_id = dept.pk
            assigned = sla.add_workdays(cal, a.accepted_at.date(), rng.choice([0, 1]))
            a.assigned_at = _at(assigned, 15)
            a.contact_due = sla.add_workdays(cal, assigned, 3)
            a.reply_due = sla.add_workdays(cal, assigned, 5)
            if rng.random() < 0.05:
                ext = rng.choice([3, 5, 10])
                old_due = a.reply_due
                a.extension_days = ext
                a.reply_due = sla.add_workdays(cal, a.reply_due, ext)
                extensions.append((a, ext, old_due, a.reply_due))
            late = rng.random() < 0.06
            if status != wf.ASSIGNED:
                contact_day = sla.add_workdays(cal, assigned, rng.choice([1, 1, 2, 3]) + (3 if late else 0))
                a.contacted_at = _at(contact_day, 11)
                a.contacted_on_time = contact_day <= a.contact_due
            if status in (wf.REPLIED, wf.CLOSED):
                reply_day = sla.add_workdays(cal, assigned, rng.choice([3, 4, 5]) + (4 if late else 0))
                a.replied_at = _at(reply_day, 16)
                a.replied_on_time = reply_day <= a.reply_due
                a.callback_due = sla.add_workdays(cal, reply_day, a.callback_days)
                a.reply = "经协调，已按政策为企业办理，并向企业作了解释说明。"
                a.ever_overdue = late
            if status in (wf.ASSIGNED, wf.CONTACTED, wf.REPLIED):
                a.deadline_state = sla.deadline_state(cal, a.current_due, as_of, 1)
                a.escalation = sla.escalation_level(cal, a.current_due, as_of, 2)
                a.ever_overdue = a.ever_overdue or a.deadline_state == sla.OVERDUE
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
        a.rehandle_count = max(a.rehandle_count, 1)
    for a in appeals:  # bulk_create skips Appeal.save(): flag the provisional deadlines here
        a.provisional_dues = sla.provisional_dues(a, cal)
    Appeal.objects.bulk_create(appeals, batch_size=1000)
    merged = _merge_pairs(rng, appeals)

    ExtensionRequest.objects.bulk_create(
        [
            ExtensionRequest(
                appeal_id=a.pk,
                days=days,
                reason=rng.choice(["需要上级部门批复", "涉及多个部门会商", "需现场核查并等待检测结果"]),
                status=ExtensionRequest.APPROVED,
                requested_by=liaison,
                decided_by=staff,
                decision_note="同意",
                old_due=old_due,
                new_due=new_due,
            )
            for a, days, old_due, new_due in extensions
        ],
        batch_size=1000,
    )
    AppealEvent.objects.bulk_create(_events(appeals, extensions, merged), batch_size=2000)
    # 成果销号 only once every issue raised at the meeting is closed (as meetings.actions.sign_off requires).
    from qinqing.meetings.models import Meeting

    still_open = Appeal.objects.filter(
        meeting_id__in=[m.pk for m in meetings if m.status == "signed_off"], status__in=wf.OPEN_STATES
    ).values("meeting_id")
    Meeting.objects.filter(pk__in=still_open).update(status="held", signed_off_at=None, signoff_note="")
    ctx.log(
        f"诉求：{len(appeals)} 件（办结 {sum(a.status == wf.CLOSED for a in appeals)}，"
        f"超期 {sum(a.ever_overdue for a in appeals)}，重办 {sum(bool(a.rehandle_count) for a in appeals)}，"
        f"延期 {len(extensions)}，合并 {len(merged)}）；恳谈会 {len(meetings)} 场"
        f"（销号 {sum(m.status == 'signed_off' for m in meetings)}）；登记日期 {start} 至 {end}"
    )


def _merge_pairs(rng, appeals: list[Appeal]) -> list[tuple[Appeal, Appeal]]:
    """Each 已合并 appeal points at an earlier appeal of the same domain (the same enterprise's when it
    has one), which is not itself merged or rejected; both get each other as related."""
    by_domain: dict[int, list[Appeal]] = {}
    pairs = []
    for a in sorted(appeals, key=lambda a: (a.registered_on, a.pk)):
        if a.status == wf.MERGED:
            earlier = by_domain.get(a.domain_id) or []
            same = [m for m in earlier if m.enterprise_id == a.enterprise_id]
            if earlier:
                master = rng.choice(same or earlier[-20:])
                a.merged_into_id = master.pk
                pairs.append((a, master))
        elif a.status != wf.REJECTED:
            by_domain.setdefault(a.domain_id, []).append(a)
    Appeal.objects.bulk_update([a for a, _ in pairs], ["merged_into"], batch_size=1000)
    orphans = [a for a in appeals if a.status == wf.MERGED and not a.merged_into_id]
    for a in orphans:  # nothing earlier to merge into: it stays a rejected duplicate
        a.status, a.reject_reason = wf.REJECTED, "与企业此前反映的问题重复，已告知企业"
    Appeal.objects.bulk_update(orphans, ["status", "reject_reason"], batch_size=1000)
    through = Appeal.related.through
    through.objects.bulk_create(
        [through(from_appeal_id=a.pk, to_appeal_id=m.pk) for a, m in pairs]
        + [through(from_appeal_id=m.pk, to_appeal_id=a.pk) for a, m in pairs],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return pairs


def _events(appeals, extensions, merged) -> list[AppealEvent]:
    ext_of = {a.pk: (days, old, new) for a, days, old, new in extensions}
    master_of = {a.pk: m for a, m in merged}
    dups_of: dict[int, list[Appeal]] = {}
    for a, m in merged:
        dups_of.setdefault(m.pk, []).append(a)
    events = []
    for a in appeals:
        steps = [("register", "登记", "", wf.REGISTERED, _at(a.registered_on, 9), "", True)]
        if a.accepted_at:
            steps.append(("accept", "受理", wf.REGISTERED, wf.ACCEPTED, a.accepted_at, "", True))
        if a.status == wf.REJECTED:
            steps.append(("reject", "不予受理", wf.REGISTERED, wf.REJECTED, a.closed_at, a.reject_reason, True))
        if a.solved_on_spot:
            steps.append(("solve_on_spot", "现场解决", wf.REGISTERED, wf.CLOSED, a.closed_at, a.reply, True))
        if a.assigned_at:
            steps.append(("assign", "交办", wf.ACCEPTED, wf.ASSIGNED, a.assigned_at, "", True))
        if a.pk in ext_of:
            days, old, new = ext_of[a.pk]
            asked = a.assigned_at + timedelta(days=2)
            steps.append(("request_extension", "申请延期", a.status, a.status, asked, f"申请延期{days}个工作日", True))
            steps.append(
                ("decide_extension", "审批延期", a.status, a.status, asked + timedelta(hours=20),
                 f"同意延期{days}个工作日（{old} → {new}）", True)
            )  # fmt: skip
        if a.contacted_at:
            steps.append(("contact", "首次联系企业", wf.ASSIGNED, wf.CONTACTED, a.contacted_at, "", True))
        if a.replied_at and a.rehandle_count:
            # The first reply was rated 不满意: re-handled by the same department, then replied again.
            first = a.contacted_at + (a.replied_at - a.contacted_at) / 3
            steps.append(("reply", "答复", wf.CONTACTED, wf.REPLIED, first, "已初步答复企业", True))
            steps.append(
                ("rehandle", "不满意重办", wf.REPLIED, wf.ASSIGNED, first + timedelta(hours=18),
                 "不满意；未实际解决；企业认为问题未解决", True)
            )  # fmt: skip
        if a.replied_at:
            steps.append(("reply", "答复", wf.CONTACTED, wf.REPLIED, a.replied_at, a.reply, True))
        if a.status == wf.CLOSED and a.satisfaction:
            label = wf.SATISFACTION_LABELS[a.satisfaction]
            steps.append(("close", "回访办结", wf.REPLIED, wf.CLOSED, a.closed_at, label, True))
        if a.status == wf.MERGED and a.pk in master_of:
            master = master_of[a.pk]
            steps.append(
                ("merge", "合并为重复诉求", wf.REGISTERED, wf.MERGED, a.closed_at, f"与 {master.number} 重复，已合并",
                 True)
            )  # fmt: skip
        for dup in dups_of.get(a.pk, []):
            steps.append(
                ("merged_in", "并入重复诉求", a.status, a.status, dup.closed_at, f"{dup.number} 已并入本诉求",
                 dup.enterprise_id == a.enterprise_id)
            )  # fmt: skip
        for action, label, frm, to, when, comment, public in steps:
            events.append(
                AppealEvent(
                    appeal_id=a.pk,
                    action=action,
                    label=label,
                    from_status=frm,
                    to_status=to,
                    actor_name="演示数据",
                    comment=comment,
                    public=public,
                    created_at=when or _at(a.registered_on, 9),
                )
            )
    return events
