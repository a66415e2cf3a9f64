"""Demo legal check-ups: 万所联万会 links of the demo law firms to chambers (the registry's 联系律师事务所 first),
two lawyers per firm, a year of 法治体检 in each county sized like 安庆's ("走访企业192家，开展法治讲座125场，出具
体检报告95份，梳理风险点234个") scaled by ctx.scale (the first county a full year, the others a quarter of it), with
self-checks, the lawyers' answers, risk points by level and area, 整改 feedback and follow-up calls, and talks with
attendance. The demo ``lawyer`` has visits to make, reports to write and follow-up calls due; the demo enterprise has
a report to answer. Bulk writes only; deterministic for ctx.rng."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from qinqing.accounts.models import User
from qinqing.core.demo_tree import person_name
from qinqing.orgs.models import Organization
from qinqing.registry.models import Chamber, Enterprise, Member

from .actions.common import followup_days
from .actions.questionnaire import current_version
from .choices import FollowStatus, Level, Source, Status
from .models import Checkup, CheckupAnswer, FirmLink, FollowUpCall, LegalTalk, LinkService, Question, RiskPoint

SERVICE_NOTES = ["劳动合同条款咨询", "股权转让法律咨询", "采购合同审查", "债权催收咨询", "租赁合同审查",
                 "商标侵权咨询"]  # fmt: skip

LEVELS = [(Level.RED, 0.1), (Level.ORANGE, 0.3), (Level.YELLOW, 0.6)]
AREAS = [("labour", 0.24), ("contract", 0.22), ("governance", 0.12), ("tax", 0.14), ("ip", 0.08), ("data", 0.08),
         ("safety", 0.07), ("dispute", 0.05)]  # fmt: skip
FOLLOWS = [(FollowStatus.DONE, 0.55), (FollowStatus.DOING, 0.25), (FollowStatus.DECLINED, 0.08),
           (FollowStatus.PENDING, 0.12)]  # fmt: skip
RISKS = {
    "labour": [("部分员工未签订书面劳动合同，存在支付双倍工资风险", "一个月内补签劳动合同，建立入职签约流程"),
               ("未依法足额缴纳社会保险", "按实际工资基数补缴社会保险，避免行政处罚"),
               ("规章制度未经民主程序公示", "召开职工代表大会审议并书面公示规章制度")],
    "contract": [("合同范本未约定争议解决方式和违约责任", "修订合同范本，明确违约责任及管辖法院"),
                 ("应收账款未及时催收，部分已接近诉讼时效", "建立台账，对临近时效的账款发送书面催款函"),
                 ("对外签约未审查对方主体资格", "签约前查询对方工商信息及涉诉情况")],
    "governance": [("股东出资未按章程约定期限缴足", "按新《公司法》五年实缴要求制定出资计划"),
                   ("公司对外担保未经股东会决议", "补正决议程序，建立对外担保审批制度")],
    "tax": [("存在取得不合规发票入账情况", "规范发票取得和审核，必要时进行纳税调整"),
            ("股东借款长期未归还", "年底前归还或按规定代扣个人所得税")],
    "ip": [("核心商标未注册，存在被抢注风险", "尽快在核心类别申请商标注册"),
           ("技术人员未签订保密及竞业限制协议", "与核心技术人员签订保密及竞业限制协议")],
    "data": [("收集客户个人信息未取得明确同意", "完善隐私告知和同意机制，明确保存期限"),
             ("员工信息系统无访问权限控制", "建立数据分级和访问权限管理制度")],
    "safety": [("特种作业人员部分未持证上岗", "组织培训取证，未取证人员停止特种作业"),
               ("排污许可证即将到期未办理延续", "到期前30日提出延续申请")],
    "dispute": [("存在未结买卖合同纠纷一件", "收集交易凭证，评估调解或诉讼方案"),
                ("被列为被执行人一次，已履行未申请屏蔽", "申请法院删除失信或被执行信息")],
}  # fmt: skip
TOPICS = ["《民法典》合同编实务与合同风险防范", "新《公司法》出资责任与公司治理", "劳动用工合规与劳动争议预防",
          "企业知识产权保护与商标布局", "个人信息保护与数据合规", "税务稽查风险与发票合规", "安全生产责任与事故应对",
          "应收账款催收与诉讼时效管理"]  # fmt: skip
PROMISE = "每年为会员企业免费法治体检，每季度至少一场法律讲座"
STATUSES = [(Status.REQUESTED, 0.08), (Status.ASSIGNED, 0.08), (Status.VISITED, 0.08), (Status.REPORTED, 0.46),
            (Status.FOLLOWED, 0.28), (Status.CANCELLED, 0.02)]  # fmt: skip
SUMMARIES = ["企业整体法律风险可控，合同管理和劳动用工存在需要尽快整改的问题。",
             "企业治理结构较为规范，建议重点完善知识产权保护和数据合规制度。",
             "企业存在较为突出的劳动用工风险，建议优先整改并定期开展合规自查。"]  # fmt: skip
CALLS = ["电话回访，企业已按建议修订合同范本，劳动合同补签工作推进中。",
         "回访确认大部分建议已落实，个别事项企业决定暂不整改。",
         "企业反映整改中遇到社保补缴资金压力，已建议与人社部门沟通分期方案。"]  # fmt: skip


def _pick(rng, weights):
    r, acc = rng.random(), 0.0
    for value, w in weights:
        acc += w
        if r < acc:
            return value
    return weights[-1][0]


def _lawyers(ctx, firms) -> dict[int, list]:
    """Two lawyers per law firm (the demo ``lawyer`` is one of its firm's); no password of their own."""
    demo = ctx.users.get("lawyer")
    unusable = make_password(None)
    rows = []
    for firm in firms:
        have = 1 if demo is not None and demo.org_id == firm.pk else 0
        for i in range(2 - have):
            rows.append(User(username=f"lawyer_{firm.code}_{i}".lower(), name=person_name(ctx.rng), role="lawyer",
                             org=firm, title="律师", password=unusable, must_change_password=False))  # fmt: skip
    User.objects.bulk_create(rows, ignore_conflicts=True)
    out: dict[int, list] = {}
    for user in User.objects.filter(role="lawyer", org__in=firms).order_by("pk"):
        out.setdefault(user.org_id, []).append(user)
    return out


def _links(ctx, rng, chambers, firms, lawyers, today) -> list[FirmLink]:
    """Each chamber linked to its registry law firm, else a firm of its own FIC or the city; the demo lawyer's firm
    serves the secretary's chamber and the first county's chambers."""
    by_parent: dict[int, list] = {}
    for firm in firms:
        by_parent.setdefault(firm.parent_id, []).append(firm)
    registry_firm = dict(
        Chamber.objects.filter(organization__in=chambers).values_list("organization_id", "law_firm_id")
    )
    firm_by_id = {f.pk: f for f in firms}
    demo = ctx.users.get("lawyer")
    demo_firm = firm_by_id.get(demo.org_id) if demo else None
    county0 = ctx.counties[0].path
    links, named = [], []
    for chamber in chambers:
        if demo_firm is not None and (chamber == ctx.chamber or chamber.path.startswith(county0)):
            firm = demo_firm
        else:
            firm = firm_by_id.get(registry_firm.get(chamber.pk)) or rng.choice(
                by_parent.get(chamber.parent_id) or by_parent.get(ctx.city.pk) or firms
            )
        start = dt.date(today.year - 1, rng.choice([1, 3, 7]), 1)
        end = dt.date(today.year + 1, 12, 31) if rng.random() < 0.92 else today - dt.timedelta(days=rng.randint(5, 60))
        services = ["checkup", "talk", "consult"] + (["contract"] if rng.random() < 0.5 else [])
        targets = {"checkup": rng.randint(5, 15), "talk": rng.randint(1, 3), "consult": rng.choice([10, 20, 30])}
        links.append(FirmLink(law_firm=firm, chamber=chamber, org_path=chamber.path, starts_on=start, ends_on=end,
                              services=services, targets=targets, services_note=PROMISE))  # fmt: skip
        named.append(lawyers.get(firm.pk, []))
    FirmLink.objects.bulk_create(links, batch_size=500)
    through = FirmLink.lawyers.through
    through.objects.bulk_create([through(firmlink_id=link.pk, user_id=u.pk) for link, us in zip(links, named,
                                 strict=True) for u in us], batch_size=1000)  # fmt: skip
    return links


def seed(ctx) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    firms = list(Organization.objects.filter(kind="lawfirm").order_by("path"))
    chambers = list(Organization.objects.filter(kind="chamber").order_by("path"))
    if not firms or not chambers or not ctx.counties:
        return
    lawyers = _lawyers(ctx, firms)
    links = _links(ctx, rng, chambers, firms, lawyers, today)
    active = [link for link in links if link.ends_on >= today]
    version = current_version()
    questions = list(Question.objects.filter(area__version=version).select_related("area"))
    areas = {a.code: a for a in version.areas.all()}
    checkups, plans = [], []
    demo_lawyer = ctx.users.get("lawyer")
    for index, county in enumerate(ctx.counties):
        size = max(6, round(190 * ctx.scale * (1 if index == 0 else 0.25)))
        county_links = [link for link in active if link.org_path.startswith(county.path)] or [
            link for link in active if link.org_path.startswith(ctx.city.path)] or active  # fmt: skip
        enterprises = list(Enterprise.objects.filter(org_path__startswith=county.path).order_by("pk")
                           .values_list("pk", "org_path")[: size * 3])  # fmt: skip
        if not enterprises or not county_links:
            continue
        demo_links = [link for link in county_links if link.law_firm_id == getattr(demo_lawyer, "org_id", None)]
        for i, (enterprise_id, org_path) in enumerate(rng.sample(enterprises, min(size, len(enterprises)))):
            mine = index == 0 and i < 40 and bool(demo_links)
            plans.append((enterprise_id, org_path, rng.choice(demo_links if mine else county_links), mine))
    demo_ent = getattr(ctx.users.get("enterprise"), "enterprise_id", None)
    if demo_ent and not any(p[0] == demo_ent for p in plans):
        county0_links = [link for link in active if link.law_firm_id == getattr(demo_lawyer, "org_id", None)]
        if county0_links:
            plans.insert(0, (demo_ent, Enterprise.objects.get(pk=demo_ent).org_path, county0_links[0], True))
    forced = [Status.ASSIGNED] * 4 + [Status.VISITED] * 3 + [Status.REPORTED] * 3
    for seq, (enterprise_id, org_path, link, mine) in enumerate(plans):
        if enterprise_id == demo_ent:
            status = Status.REPORTED
        elif mine and forced:
            status = forced.pop(0)
        else:
            status = _pick(rng, STATUSES)
        if status == Status.REQUESTED:
            requested = today - dt.timedelta(days=rng.randint(0, 12))
        elif mine or enterprise_id == demo_ent:
            requested = today - dt.timedelta(days=rng.randint(45, 90))
        else:
            requested = today - dt.timedelta(days=rng.randint(20, 360))
        lawyer = None
        if status != Status.REQUESTED:
            pool = lawyers.get(link.law_firm_id) or [None]
            lawyer = demo_lawyer if (mine or enterprise_id == demo_ent) and demo_lawyer else rng.choice(pool)
        source = _pick(rng, [(Source.ENTERPRISE, 0.3), (Source.CHAMBER, 0.3), (Source.ROUND, 0.4)])
        c = Checkup(number=f"FZ{requested:%Y}D{seq + 1:05d}", enterprise_id=enterprise_id, org_path=org_path,
                    source=source, chamber_id=link.chamber_id if source == Source.CHAMBER else None,
                    status=status, requested_on=requested, version=version, created_at=timezone.now(),
                    request_note=rng.choice(["", "近期拟签订大额采购合同", "劳动用工纠纷较多，希望体检"]),
                    contact_name=person_name(rng), contact_phone=f"139{rng.randint(10000000, 99999999)}")  # fmt: skip
        if lawyer is not None or status not in (Status.REQUESTED, Status.CANCELLED):
            c.link, c.law_firm_id, c.lawyer = link, link.law_firm_id, lawyer
            c.visit_on = requested + dt.timedelta(days=rng.randint(5, 20))
            if status == Status.ASSIGNED:
                c.visit_on = today + dt.timedelta(days=rng.randint(-3, 14))
            c.self_checked_on = requested + dt.timedelta(days=rng.randint(1, 4)) if rng.random() < 0.8 else None
        if status in (Status.VISITED, Status.REPORTED, Status.FOLLOWED):
            c.visited_on = min(c.visit_on, today)
            c.visit_note = "查阅公司章程、劳动合同、重大合同及财务凭证，与负责人座谈"
            c.self_checked_on = c.self_checked_on or c.visited_on - dt.timedelta(days=2)
        if status in (Status.REPORTED, Status.FOLLOWED):
            due_now = mine or enterprise_id == demo_ent
            c.report_on = (today - dt.timedelta(days=followup_days() + rng.randint(1, 10)) if due_now
                           else min(today, c.visited_on + dt.timedelta(days=rng.randint(3, 15))))  # fmt: skip
            c.report_on = max(c.report_on, c.visited_on)
            c.followup_due = c.report_on + dt.timedelta(days=followup_days())
            c.report_summary = rng.choice(SUMMARIES)
        c.awaiting_feedback = mine or enterprise_id == demo_ent  # the demo users' reports still to be answered
        checkups.append(c)
    Checkup.objects.bulk_create(checkups, batch_size=500)
    _details(rng, today, checkups, questions, areas)
    _talks(ctx, rng, today, active, lawyers)
    _services(ctx, rng, today, active, lawyers)


def _details(rng, today, checkups, questions, areas) -> None:
    answers, risks, calls = [], [], []
    for c in checkups:
        if c.self_checked_on:
            visited = c.visited_on is not None
            for q in questions:
                own = _pick(rng, [("yes", 0.6), ("partly", 0.2), ("no", 0.12), ("unknown", 0.08)])
                checked = (
                    (own if rng.random() < 0.75 else _pick(rng, [("no", 0.6), ("partly", 0.4)])) if visited else ""
                )
                answers.append(CheckupAnswer(checkup_id=c.pk, question_id=q.pk, self_answer=own, lawyer_answer=checked))
        if c.status not in (Status.VISITED, Status.REPORTED, Status.FOLLOWED):
            continue
        for _ in range(_pick(rng, [(1, 0.2), (2, 0.35), (3, 0.3), (4, 0.15)])):
            code = _pick(rng, AREAS)
            facts, recommendation = rng.choice(RISKS[code])
            risk = RiskPoint(checkup_id=c.pk, area=areas[code], level=_pick(rng, LEVELS), facts=facts,
                             recommendation=recommendation)  # fmt: skip
            if (
                c.report_on
                and not c.awaiting_feedback
                and (c.status == Status.FOLLOWED or (today - c.report_on).days > 20)
            ):
                risk.follow_status = _pick(rng, FOLLOWS)
                if risk.follow_status != FollowStatus.PENDING:
                    risk.follow_on = min(today, c.report_on + dt.timedelta(days=rng.randint(5, 30)))
                if risk.follow_status == FollowStatus.DECLINED:
                    risk.follow_reason = "整改成本过高，企业已知悉风险并自行承担"
            risks.append(risk)
        if c.status == Status.FOLLOWED:
            called = min(today, c.report_on + dt.timedelta(days=rng.randint(20, 40)))
            calls.append(FollowUpCall(checkup_id=c.pk, lawyer=c.lawyer, called_on=called, summary=rng.choice(CALLS)))
    CheckupAnswer.objects.bulk_create(answers, batch_size=2000)
    RiskPoint.objects.bulk_create(risks, batch_size=1000)
    FollowUpCall.objects.bulk_create(calls, batch_size=500)


def _talks(ctx, rng, today, links, lawyers) -> None:
    """About 125 talks a year at full scale, each at a linked chamber, given by a lawyer of the linked firm."""
    members: dict[int, list[int]] = {}
    for org_id, ent_id in Member.objects.filter(organization__kind="chamber", enterprise__isnull=False).values_list(
        "organization_id", "enterprise_id"
    )[:20000]:
        members.setdefault(org_id, []).append(ent_id)
    talks, attending = [], []
    for _ in range(max(4, round(125 * ctx.scale))):
        link = rng.choice(links)
        lawyer = rng.choice(lawyers.get(link.law_firm_id) or [None])
        day = today - dt.timedelta(days=rng.randint(0, 360))
        talks.append(LegalTalk(date=day, topic=rng.choice(TOPICS), lawyer=lawyer, law_firm_id=link.law_firm_id,
                               chamber_id=link.chamber_id, organiser_id=link.chamber_id, org_path=link.org_path,
                               place="商会会议室", attendees=rng.randint(20, 120)))  # fmt: skip
        pool = members.get(link.chamber_id, [])
        attending.append(rng.sample(pool, min(len(pool), rng.randint(3, 10))))
    LegalTalk.objects.bulk_create(talks, batch_size=500)
    through = LegalTalk.enterprises.through
    through.objects.bulk_create([through(legaltalk_id=t.pk, enterprise_id=e) for t, ents in zip(talks, attending,
                                 strict=True) for e in ents], batch_size=2000, ignore_conflicts=True)  # fmt: skip


def _services(ctx, rng, today, links, lawyers) -> None:
    """Consultations and contract reviews recorded against the links (about 600 a year at full scale)."""
    rows = []
    for _ in range(max(6, round(600 * ctx.scale))):
        link = rng.choice(links)
        last = min(today, link.ends_on)
        if last < link.starts_on:
            continue
        day = last - dt.timedelta(days=rng.randint(0, min(360, (last - link.starts_on).days)))
        service = "contract" if "contract" in link.services and rng.random() < 0.3 else "consult"
        rows.append(LinkService(link=link, org_path=link.org_path, service=service, delivered_on=day,
                                summary=rng.choice(SERVICE_NOTES),
                                recorded_by=rng.choice(lawyers.get(link.law_firm_id) or [None])))  # fmt: skip
    LinkService.objects.bulk_create(rows, batch_size=1000)
