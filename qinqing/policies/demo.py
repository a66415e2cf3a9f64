"""Demo policies: national, provincial, city and county policies of every benefit type, some 免申即享,
with rules that spread eligibility believably over the demo enterprises; matching runs at the end.

Also: policies name their issuing department where the demo tree has it (岳阳市工业和信息化局 …), one policy
asks for membership of given chambers, one carries a generated .docx attachment (its text is searchable),
and a small share of enterprises lose some data (newly registered, annual figures not yet filed) so that
我的政策 shows 需补充数据. The spread is summarised in docs/policies.md (演示数据).
"""

import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction

from . import actions, tasks

GAP_SHARE = 0.05  # enterprises whose figures or founding date are missing

Q = "qualifications"


def _leaf(attr, op, value):
    return {"attr": attr, "op": op, "value": value}


def _all(*items):
    return {"op": "all", "items": list(items)}


def _any(*items):
    return {"op": "any", "items": list(items)}


# (title, level, benefit, method, issuer, summary, rule, effective offset days, expires offset days or None)
POLICIES = [
    ("关于进一步减轻小微企业税费负担的公告", "national", "tax", "automatic", "财政部 税务总局",
     "对小型微利企业年应纳税所得额不超过300万元的部分，减按25%计入应纳税所得额，按20%的税率缴纳企业所得税。",
     _all(_leaf("size_class", "in", ["小型", "微型"])), -400, 800),
    ("研发费用税前加计扣除政策", "national", "tax", "apply", "财政部 税务总局",
     "企业开展研发活动中实际发生的研发费用，未形成无形资产计入当期损益的，按照实际发生额的100%在税前加计扣除。",
     _all(_leaf("rd_ratio", "ge", 1), _leaf("industry", "startswith", ["C", "I", "M"])), -600, None),
    ("稳岗返还（失业保险稳岗补贴）", "national", "subsidy", "automatic", "人力资源社会保障部",
     "对不裁员或少裁员的参保企业，中小微企业按上年度实际缴纳失业保险费的60%返还。",
     _all(_leaf("employees", "ge", 5), _leaf("size_class", "in", ["中型", "小型", "微型"])), -200, 500),
    ("专精特新中小企业梯度培育奖励办法", "province", "honor", "apply", "湖南省工业和信息化厅",
     "对首次认定的国家级专精特新“小巨人”企业给予一次性奖励100万元，省级专精特新中小企业奖励20万元。",
     _all(_any(_leaf(Q, "has_any", ["专精特新", "专精特新小巨人"]), _leaf("rd_ratio", "ge", 3)),
          _leaf("years", "ge", 3), _leaf("industry", "startswith", ["C"])), -300, 400),
    ("高新技术企业认定奖补", "province", "subsidy", "apply", "湖南省科学技术厅",
     "对首次认定的高新技术企业给予30万元奖补，重新认定的给予10万元。",
     _all(_leaf(Q, "has_any", ["高新技术企业"]), _leaf("years", "ge", 1)), -250, 600),
    ("湖南省中小微企业融资担保降费奖补", "province", "financing", "automatic", "湖南省财政厅",
     "对政府性融资担保机构为小微企业提供的贷款担保，担保费率降至1%以下的部分给予补助，企业无需申请。",
     _all(_leaf("size_class", "in", ["小型", "微型"]), _leaf("revenue", "le", 20000)), -100, 700),
    ("湖南省上市后备企业培育支持", "province", "financing", "apply", "湖南省地方金融监督管理局",
     "对纳入上市后备资源库的企业，在股改、辅导、申报阶段分别给予奖励。",
     _all(_any(_leaf(Q, "has_any", ["拟上市企业", "专精特新小巨人"]), _leaf("revenue", "ge", 50000)),
          _leaf("tax", "ge", 500)), -90, None),
    ("岳阳市民营企业“纾困增效”贷款贴息", "city", "financing", "apply", "岳阳市财政局",
     "对符合条件的民营企业新增流动资金贷款，按贷款市场报价利率的50%给予贴息，单户最高50万元。",
     _all(_leaf("years", "ge", 2), _leaf("revenue", "between", [500, 50000]), _leaf("tax", "gt", 0)), -60, 300),
    ("岳阳市吸纳高校毕业生就业补贴", "city", "talent", "apply", "岳阳市人力资源和社会保障局",
     "企业吸纳离校2年内高校毕业生并签订1年以上劳动合同的，按每人1000元给予一次性吸纳就业补贴。",
     _all(_leaf("employees", "ge", 10)), -120, 400),
    ("岳阳市高层次人才引进安家补贴", "city", "talent", "apply", "中共岳阳市委人才工作领导小组办公室",
     "对企业全职引进的博士、正高职称人才给予安家补贴，并优先保障子女入学。",
     _all(_any(_leaf(Q, "has_any", ["高新技术企业", "专精特新"]), _leaf("rd_ratio", "ge", 5))), -30, 900),
    ("岳阳市工业企业技术改造专项资金", "city", "subsidy", "apply", "岳阳市工业和信息化局",
     "对设备投资500万元以上的技术改造项目，按设备投资额的8%给予补助，最高300万元。",
     _all(_leaf("industry", "startswith", ["C"]), _leaf("total_assets", "ge", 2000),
          _leaf("years", "ge", 3)), -45, 320),
    ("岳阳市商贸流通企业扩规升级奖励", "city", "subsidy", "automatic", "岳阳市商务局",
     "对首次纳入限额以上统计的批发零售、住宿餐饮企业给予一次性奖励5万元，免申即享。",
     _all(_leaf("industry", "startswith", ["F", "H"]), _leaf("revenue", "ge", 2000)), -20, 345),
    ("岳阳市工商联会员企业法律体检服务", "city", "other", "apply", "岳阳市工商业联合会",
     "为工商联会员企业免费提供一次法律体检，由联点律师事务所上门服务。",
     _all(_leaf("member", "eq", True)), -150, None),
    ("岳阳市“守合同重信用”企业公示", "city", "honor", "apply", "岳阳市市场监督管理局",
     "对连续三年无违法记录、合同履约良好的企业，公示为“守合同重信用”企业。",
     _all(_leaf("years", "ge", 3), _leaf("tax", "ge", 10)), -10, 355),
    ("岳阳市重点项目用地保障办法", "city", "land", "apply", "岳阳市自然资源和规划局",
     "对投资强度达到标准的工业项目优先安排用地指标，可采取先租后让、弹性年期方式供地。",
     _all(_leaf("industry", "startswith", ["C", "D"]), _leaf("revenue", "ge", 10000)), -80, 600),
    ("县域小微企业创业担保贷款", "county", "financing", "apply", "县人力资源和社会保障局",
     "对符合条件的小微企业发放最高300万元创业担保贷款，财政按规定贴息。",
     _all(_leaf("size_class", "in", ["小型", "微型"]), _leaf("employees", "ge", 3),
          _leaf("years", "le", 10)), -70, 430),
    ("县级标准厂房租金减免", "county", "land", "automatic", "县工业园区管理委员会",
     "入驻园区标准厂房的制造业企业，前三年租金全免，后两年减半，免申即享。",
     _all(_leaf("industry", "startswith", ["C"]), _leaf("years", "le", 5)), -50, 700),
    ("农业产业化龙头企业奖励", "county", "subsidy", "apply", "县农业农村局",
     "对新认定的市级以上农业产业化龙头企业给予一次性奖励。",
     _all(_leaf("industry", "startswith", ["A", "13", "14"]), _leaf("revenue", "ge", 1000)), -40, 500),
    ("2023年度企业上云奖补（已截止）", "province", "subsidy", "apply", "湖南省工业和信息化厅",
     "对上云企业按云服务费用的30%给予补助。", _all(_leaf("employees", "ge", 1)), -900, -300),
    ("数字化转型贯标补助（即将实施）", "city", "subsidy", "apply", "岳阳市工业和信息化局",
     "对通过两化融合管理体系贯标的企业给予补助。", _all(_leaf("industry", "startswith", ["C", "I"])), 30, 730),
]  # fmt: skip


def _department(ctx, issuer: str, level: str):
    """The demo tree's department for an issuer name ("县农业农村局" → the county's own), or None."""
    departments = {d.name: d for d in ctx.departments}
    if issuer in departments:
        return departments[issuer]
    if issuer.startswith("县") and ctx.counties:
        return departments.get(ctx.counties[0].name.removesuffix("工商联") + issuer[1:])
    return None


def _leave_data_gaps(ctx, rng: random.Random) -> int:
    """A small share of enterprises without tax/R&D figures (annual report not filed) or founding date."""
    from qinqing.registry.models import Enterprise, EnterpriseYearFigures

    ids = sorted(Enterprise.objects.filter(org_path__startswith=ctx.root.path).values_list("pk", flat=True))
    chosen = rng.sample(ids, max(1, int(len(ids) * GAP_SHARE))) if ids else []
    half = len(chosen) // 2
    no_figures, no_founding = chosen[: half + 1], chosen[half + 1 :]
    EnterpriseYearFigures.objects.filter(enterprise_id__in=no_figures).update(tax_wan=None, rd_spend_wan=None)
    Enterprise.objects.filter(pk__in=no_founding).update(founded_on=None)
    return len(chosen)


def _chamber_rule(ctx):
    """Members of the two chambers of the city with most enterprise members (their 会员企业 policy)."""
    from qinqing.orgs.models import Organization

    chambers = list(
        Organization.objects.filter(kind="chamber", path__startswith=ctx.root.path)
        .annotate(n=models.Count("members", filter=models.Q(members__enterprise__isnull=False)))
        .order_by("-n", "pk")
        .values_list("pk", "name")[:2]
    )
    if not chambers:
        return None, ""
    names = "、".join(name for _pk, name in chambers)
    return _all(_leaf("chambers", "has_any", [pk for pk, _name in chambers])), names


def _guide_docx(title: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(f"{title}申报指南", level=1)
    for line in [
        "一、申报对象：在本市登记注册、依法纳税的商会会员企业。",
        "二、支持内容：对参加国内外知名展会、开展品牌宣传推广的企业，按实际费用的50%给予补助，最高10万元。",
        "三、申报材料：申报表、营业执照复印件、参展合同及付款凭证、商会出具的会员证明。",
        "四、办理流程：企业网上申报，所属商会初审，市工商联会同市商务局复核后公示拨付。",
    ]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def seed(ctx) -> None:
    staff = ctx.users.get("city_staff")
    county_staff = ctx.users.get("county_staff")
    if staff is None:
        ctx.log("policies: no city_staff demo user, skipped")
        return
    rng = random.Random(f"{ctx.seed}:policies")
    today = datetime.date.today()
    created = linked = 0
    chamber_rule, chamber_names = _chamber_rule(ctx)
    extra = []
    if chamber_rule is not None:
        extra.append(
            ("岳阳市商会会员企业品牌推广补助", "city", "subsidy", "apply", "岳阳市工商业联合会",
             f"对{chamber_names}的会员企业参加展会、开展品牌推广的费用给予补助。", chamber_rule, -15, 350)
        )  # fmt: skip
    with transaction.atomic():
        gaps = _leave_data_gaps(ctx, rng)
        for title, level, benefit, method, issuer, summary, rule, start, end in [*POLICIES, *extra]:
            actor = county_staff if level == "county" and county_staff is not None else staff
            department = _department(ctx, issuer, level)
            linked += department is not None
            policy = actions.create_policy(
                actor=actor,
                data={
                    "title": title,
                    "level": level,
                    "benefit_type": benefit,
                    "application_method": method,
                    "issuer": department,
                    "issuer_name": "" if department is not None else issuer,
                    "summary": summary,
                    "body": summary
                    + "\n\n申报材料：申请表、营业执照复印件、上年度财务报表。咨询电话：0730-8888"
                    + str(created).zfill(4),
                    "contact": "0730-8888" + str(created).zfill(4),
                    "published_on": today + datetime.timedelta(days=min(start, 0) - 5),
                    "effective_on": today + datetime.timedelta(days=start),
                    "expires_on": today + datetime.timedelta(days=end) if end is not None else None,
                    "rule": rule,
                },
            )
            if rule is chamber_rule:
                upload = SimpleUploadedFile(f"{title}申报指南.docx", _guide_docx(title))
                actions.add_attachment(policy, actor=actor, name=f"{title}申报指南", file=upload)
            actions.set_policy_state(policy, actor=actor, state="published")
            created += 1
    # As the nightly run does: match, and notify the enterprises of the auto-pushing policies (once each).
    run = tasks.run_batch(ctx.root.path)
    ctx.log(
        f"policies: {created} policies ({linked} linked to their issuing department, 1 with a chamber condition "
        f"and a .docx attachment); {gaps} enterprises with missing data; matching {run['enterprises']} "
        f"enterprises × {run['policies']} policies = {run['pairs']} eligible pairs, {run['pushed']} pushes in "
        f"{sum(run['seconds'].values()):.2f}s"
    )
