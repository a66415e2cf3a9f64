"""Demo activities: a year of each county's (and the city's) trainings, 理想信念教育, lectures, forums, a study
tour and job fairs, with registrations, a waitlist, attendance per session and the fairs' jobs and intentions.

Sizes follow the seeds: a county FIC holds ~12 trainings a year (e.g. "湖南大学—岳阳市中小企业高级经管人才培训班",
68 entrepreneurs), 6 knowledge lectures, several 理想信念教育 sessions (a 延安 革命传统教育 tour), and the job fairs
of one district ("线上招聘会7场，线下招聘会1场，597家企业提供用工岗位9048个，1803名求职者达成就业意向"), scaled by
ctx.scale. Bulk writes only; deterministic for ctx.rng."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from qinqing.core import crypto
from qinqing.core.demo_tree import person_name
from qinqing.registry.members.models import Member
from qinqing.registry.membership import active_q
from qinqing.registry.models import Enterprise

from .choices import CheckinMethod, Kind, RegistrationStatus
from .models import Activity, Attendance, Job, Registration, Session

# kind, titles, per year per county, days, capacity, fill (share of capacity registering)
PLAN = [
    (Kind.TRAINING, ["中小企业高级经管人才培训班", "电商直播实务培训", "科技成果转化培训",
                     "企业上市与资本市场对接培训", "税费改革政策培训", "疫情后企业人力资本实务培训",
                     "安全生产与合规经营培训"], 12, (1, 3), (40, 70), 0.9),
    (Kind.IDEALS, ["理想信念教育专题班", "革命传统教育（延安）", "“不忘初心、牢记使命”主题教育",
                   "年轻一代民营经济人士理想信念教育"], 5, (1, 3), (30, 50), 0.95),
    (Kind.LECTURE, ["《民营经济促进法》专题讲座", "企业数字化转型讲座", "知识产权保护讲座"], 6, (1, 1),
     (50, 100), 0.7),
    (Kind.FORUM, ["民营企业家座谈会", "政企恳谈会", "商会会长座谈会"], 6, (1, 1), (15, 30), 0.85),
    (Kind.VISIT, ["赴浙江考察学习", "赴长三角招商考察"], 1, (3, 5), (20, 30), 1.0),
    (Kind.JOB_FAIR, ["春风行动线上招聘会", "民营企业招聘月线上招聘会", "高校毕业生专场招聘会"], 8, (1, 1),
     (40, 80), 0.6),
    (Kind.OTHER, ["会员企业联谊活动"], 2, (1, 1), (30, 60), 0.8),
]  # fmt: skip
JOBS = [("普工", 10, "身体健康，能适应倒班"), ("电工", 3, "持低压电工证"), ("焊工", 4, "持焊工证，两年以上经验"),
        ("销售代表", 5, "大专以上，沟通能力强"), ("会计", 1, "持初级会计证"), ("质检员", 2, "中专以上，细心"),
        ("仓管员", 2, "熟悉 Excel"), ("电商运营", 2, "有直播运营经验优先"), ("厨师", 2, "持健康证"),
        ("司机", 2, "持 B2 驾照")]  # fmt: skip


def _phone(rng) -> str:
    return "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))


def seed(ctx) -> None:
    rng = ctx.rng
    organisers = [n for n in [ctx.city, *ctx.counties] if n is not None]
    enterprises = list(Enterprise.objects.order_by("pk").values_list("pk", "org_path"))
    if not organisers or not enterprises:
        ctx.log("activities: no tree or enterprises, skipped")
        return
    today = timezone.localdate()
    start = today - dt.timedelta(days=330)
    staff = ctx.users.get("county_staff") or ctx.users.get("city_staff")
    factor = max(ctx.scale, 0.05)

    activities, plans = [], []
    for node in organisers:
        weight = 0.5 if node == ctx.city else 1.0
        for kind, titles, per_year, (dmin, dmax), (cmin, cmax), fill in PLAN:
            count = max(1, round(per_year * weight * min(1.0, 0.5 + factor / 2)))
            for i in range(count):
                first = start + dt.timedelta(days=rng.randint(0, 360))
                days = rng.randint(dmin, dmax)
                online = kind == Kind.JOB_FAIR and i % 8 != 7  # seven online fairs to one on site
                capacity = max(10, round(rng.randint(cmin, cmax) * min(1.0, factor * 2)))
                activities.append(Activity(
                    kind=kind, title=f"{node.name[:-3]}{rng.choice(titles)}", organiser=node, org_path=node.path,
                    starts_on=first, ends_on=first + dt.timedelta(days=days - 1),
                    place="" if online else f"{node.name}会议室", online=online,
                    online_url="https://zph.example.cn/fair" if online else "", capacity=capacity,
                    waitlist=kind != Kind.VISIT, registration_open=first >= today, created_by=staff,
                    description="", feedback_url="https://wj.example.cn/feedback" if kind == Kind.TRAINING else "",
                ))  # fmt: skip
                plans.append(fill)
    if ctx.chamber is not None:
        activities.append(Activity(kind=Kind.FORUM, title="会员企业座谈会", organiser=ctx.chamber,
                                   org_path=ctx.chamber.path, starts_on=today + dt.timedelta(days=10),
                                   ends_on=today + dt.timedelta(days=10), place="商会会议室", capacity=30,
                                   created_by=ctx.users.get("secretary")))  # fmt: skip
        plans.append(0.5)
    Activity.objects.bulk_create(activities, batch_size=500)

    sessions = []
    for activity in activities:
        for d in range((activity.ends_on - activity.starts_on).days + 1):
            sessions.append(Session(activity=activity, org_path=activity.org_path,
                                    date=activity.starts_on + dt.timedelta(days=d),
                                    starts_at=dt.time(9, 0), ends_at=dt.time(11, 30),
                                    title=f"第{d + 1}天" if activity.ends_on > activity.starts_on else ""))  # fmt: skip
    Session.objects.bulk_create(sessions, batch_size=1000)
    by_activity: dict[int, list[Session]] = {}
    for s in sessions:
        by_activity.setdefault(s.activity_id, []).append(s)

    by_path: dict[str, list[int]] = {}
    for pk, path in enterprises:
        by_path.setdefault(path, []).append(pk)
    demo_enterprise = getattr(ctx.users.get("enterprise"), "enterprise_id", None)
    zone = timezone.get_current_timezone()
    registrations, attended = [], []
    for activity, fill in zip(activities, plans, strict=True):
        if activity.organiser.kind == "chamber":  # a chamber's activity: its own members only (as register())
            pool = list(
                Member.objects.filter(
                    active_q(today), organization=activity.organiser, enterprise__isnull=False
                ).values_list("enterprise_id", flat=True)
            )
            if not pool:
                continue
        else:
            pool = [pk for path, pks in by_path.items() if path.startswith(activity.org_path) for pk in pks] or [
                pk for pk, _p in enterprises
            ]
        wanted = min(len(pool) * 2, round(activity.capacity * fill) + (rng.randint(1, 4) if fill >= 0.95 else 0))
        chosen = [rng.choice(pool) for _ in range(wanted)]
        if demo_enterprise and ctx.counties[0].path.startswith(activity.org_path) and rng.random() < 0.3:
            chosen[:1] = [demo_enterprise]
        registered = dt.datetime.combine(activity.starts_on - dt.timedelta(days=7), dt.time(9), zone)
        for i, enterprise_id in enumerate(chosen):
            over = i >= activity.capacity
            status = RegistrationStatus.WAITLISTED if over and activity.waitlist else RegistrationStatus.CONFIRMED
            if over and not activity.waitlist:
                break
            if not over and rng.random() < 0.04:
                status = RegistrationStatus.CANCELLED
            r = Registration(activity=activity, org_path=activity.org_path, enterprise_id=enterprise_id,
                             attendee_name=person_name(rng), attendee_phone=_phone(rng), status=status,
                             registered_at=registered + dt.timedelta(minutes=i), registered_by=None)  # fmt: skip
            registrations.append(r)
            if status == RegistrationStatus.CONFIRMED and activity.starts_on <= today:
                for session in by_activity[activity.pk]:
                    if session.date <= today and rng.random() < 0.9:
                        attended.append((r, session))
    # Seal the personal columns in two vectorised calls (one value at a time costs ~0.7 ms each).
    for field in ("attendee_name", "attendee_phone"):
        sealed = crypto.seal_many([getattr(r, field) for r in registrations])
        for r, token in zip(registrations, sealed, strict=True):
            setattr(r, field, token)
    Registration.objects.bulk_create(registrations, batch_size=1000)
    Attendance.objects.bulk_create([
        Attendance(registration=r, session=s, org_path=r.org_path,
                   method=rng.choice([CheckinMethod.REGISTRATION_QR, CheckinMethod.SESSION_QR, CheckinMethod.MANUAL]),
                   checked_in_at=dt.datetime.combine(s.date, dt.time(8, 40 + rng.randint(0, 19)), zone))
        for r, s in attended
    ], batch_size=2000)  # fmt: skip

    jobs = []
    for activity in activities:
        if activity.kind != Kind.JOB_FAIR:
            continue
        pool = [pk for path, pks in by_path.items() if path.startswith(activity.org_path) for pk in pks]
        # ~75 enterprises a fair, ~2 jobs each (597 enterprises, 9,048 places over 8 fairs), scaled.
        for enterprise_id in rng.sample(pool, min(len(pool), max(3, round(75 * factor)))):
            for title, headcount, requirement in rng.sample(JOBS, rng.randint(1, 3)):
                n = max(1, round(headcount * rng.uniform(0.5, 2.5)))
                done = activity.starts_on <= today
                jobs.append(Job(activity=activity, org_path=activity.org_path, enterprise_id=enterprise_id,
                                title=title, headcount=n, requirements=requirement,
                                intentions=round(n * rng.uniform(0.05, 0.4)) if done else 0))  # fmt: skip
    Job.objects.bulk_create(jobs, batch_size=2000)
    ctx.log(f"activities: {len(activities)} activities, {len(sessions)} sessions, {len(registrations)} registrations, "
            f"{len(attended)} attendances, {len(jobs)} jobs")  # fmt: skip
