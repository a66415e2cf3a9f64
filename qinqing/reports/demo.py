"""Demo 参政议政 outputs and 五好县级工商联 titles for ``seed_demo`` (deterministic for ctx.rng, bulk writes)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import AdoptionLevel, Award, InstructionLevel, OutputKind, ProposalType, RatingLevel
from .models import AdvisoryOutput, FicRating

TOPICS = [
    "民营企业融资难", "中小企业账款拖欠", "营商环境优化", "专精特新企业培育", "外贸企业稳订单", "乡村振兴产业帮扶",
    "企业用工保障", "数字化转型", "涉企执法规范", "民营企业家传承",
]  # fmt: skip
TITLES = {
    OutputKind.PROPOSAL: "关于{t}的提案",
    OutputKind.SQMY: "关于{t}问题的情况反映",
    OutputKind.RESEARCH: "{t}调研报告",
    OutputKind.SPECIAL: "{t}信息专报",
    OutputKind.SPEECH: "在政协全会上关于{t}的发言",
}


def seed(ctx) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    fics = ctx.fics or [ctx.root]
    per = max(2, int(12 * ctx.scale))
    rows = []
    for fic in fics:
        for _i in range(per):
            kind = rng.choice(list(OutputKind))
            proposal = kind == OutputKind.PROPOSAL
            day = today - dt.timedelta(days=rng.randint(0, 700))
            adopted = [c for c in AdoptionLevel.values if rng.random() < 0.12]
            rows.append(
                AdvisoryOutput(
                    org=fic,
                    org_path=fic.path,
                    kind=kind,
                    proposal_type=rng.choice(list(ProposalType)) if proposal else "",
                    session=_("第十三届第%(n)s次会议") % {"n": rng.randint(1, 5)}
                    if kind == OutputKind.PROPOSAL
                    else "",
                    number=str(rng.randint(1, 800)) if proposal else "",
                    title=TITLES[kind].format(t=rng.choice(TOPICS)),
                    authors=fic.name,
                    units=fic.name,
                    submitted_on=day,
                    submitted_to=_("政协办公室"),
                    filed=kind == OutputKind.PROPOSAL and rng.random() < 0.7,
                    key_supervised=kind == OutputKind.PROPOSAL and rng.random() < 0.1,
                    adoption_levels=",".join(adopted),
                    adopted_on=day + dt.timedelta(days=20) if adopted else None,
                    instruction_level=rng.choice(list(InstructionLevel)) if rng.random() < 0.1 else "",
                    award=rng.choice(list(Award)) if rng.random() < 0.08 else "",
                )
            )
    AdvisoryOutput.objects.bulk_create(rows, batch_size=1000)
    ratings = []
    for fic in ctx.counties:
        if rng.random() < 0.4:
            ratings.append(FicRating(org=fic, org_path=fic.path, level=rng.choice(list(RatingLevel)),
                                     year=today.year - rng.randint(0, 1), benchmark=rng.random() < 0.2))  # fmt: skip
    FicRating.objects.bulk_create(ratings)
    ctx.log(_("参政议政成果 %(n)s 篇，五好县级工商联 %(r)s 个") % {"n": len(rows), "r": len(ratings)})
