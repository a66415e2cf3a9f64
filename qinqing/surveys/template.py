"""The built-in templates: 万家民营企业评营商环境 (DOMAIN.md §4: five environments of 5-point items, the areas
most in need of improvement (top 3), an open question on the best provinces or cities) and a member
satisfaction survey. Built on use, so the labels follow the active language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .structure import ENVIRONMENTS

KEY = "wanjia"
PREFIXES = {"factor": "E", "government": "G", "market": "M", "law": "L", "innovation": "I"}


def _environment_items() -> dict[str, list[str]]:
    return {
        "factor": [_("用水成本"), _("物流成本"), _("用电成本"), _("用工成本"), _("从申请贷款到放款的时间"),
                   _("贷款利率")],
        "government": [_("税费缴纳"), _("网上办事"), _("开办企业"), _("政策落实"), _("政商沟通"), _("诚信履约")],
        "market": [_("市场准入"), _("统一大市场建设"), _("公平执法"), _("信用体系建设")],
        "law": [_("涉企法规政策制定"), _("对公安机关的满意度"), _("对检察机关的满意度"), _("对审判机关的满意度"),
                _("对司法行政机关的满意度")],
        "innovation": [_("科创资源获取"), _("创新政策支持"), _("人才引进与培养"), _("科技成果转化")],
    }  # fmt: skip


def structure() -> dict:
    sections = []
    numbers = [_("一"), _("二"), _("三"), _("四"), _("五"), _("六")]
    for index, (key, labels) in enumerate(_environment_items().items()):
        prefix, name = PREFIXES[key], str(ENVIRONMENTS[key])
        question = {
            "code": prefix,
            "kind": "matrix",
            "label": _("请评价本地%(env)s环境的以下方面") % {"env": name},
            "required": True,
            "environment": key,
            "items": [{"code": f"{prefix}{i}", "label": label} for i, label in enumerate(labels, start=1)],
        }
        title = _("%(n)s、%(env)s环境") % {"n": numbers[index], "env": name}
        sections.append({"title": title, "questions": [question]})
    areas = [{"value": i, "label": _("%(env)s环境") % {"env": ENVIRONMENTS[k]}} for i, k in enumerate(PREFIXES, 1)]
    sections.append(
        {
            "title": _("六、总体评价"),
            "questions": [
                {"code": "P1", "kind": "ranking", "label": _("您认为最需要改善的方面（选前 3 项，按重要性排序）"),
                 "options": areas, "top_n": 3, "required": False},
                {"code": "P2", "kind": "text", "label": _("您认为营商环境最好的省份或城市是哪里？为什么？"),
                 "required": False},
            ],
        }
    )  # fmt: skip
    return {"sections": sections}


def satisfaction_structure() -> dict:
    services = [_("政策宣讲"), _("融资服务"), _("法律服务"), _("培训活动"), _("诉求办理")]
    frequency = [_("每月"), _("每季度"), _("每年"), _("从未参加")]
    return {
        "sections": [
            {"title": _("一、服务评价"), "questions": [
                {"code": "S1", "kind": "single", "label": _("您参加工商联（商会）活动的频率"),
                 "options": [{"value": i, "label": f} for i, f in enumerate(frequency, start=1)]},
                {"code": "S2", "kind": "matrix", "label": _("请评价以下服务"),
                 "items": [{"code": f"S2_{i}", "label": s} for i, s in enumerate(services, start=1)]},
                {"code": "S3", "kind": "multiple", "label": _("您希望增加哪些服务"),
                 "options": [{"value": i, "label": s} for i, s in enumerate(services, start=1)], "required": False},
                {"code": "S4", "kind": "text", "label": _("请说明未参加的原因"), "required": False,
                 "show_if": {"code": "S1", "values": [4]}},
            ]},
            {"title": _("二、总体"), "questions": [
                {"code": "S5", "kind": "scale", "label": _("总体满意度")},
                {"code": "S6", "kind": "number", "label": _("过去一年参加活动次数"), "min": 0, "max": 365,
                 "required": False},
                {"code": "S7", "kind": "text", "label": _("意见和建议"), "required": False},
            ]},
        ]
    }  # fmt: skip


def templates() -> dict[str, tuple[str, callable]]:
    """Template key → (title, structure builder)."""
    return {
        KEY: (_("万家民营企业评营商环境"), structure),
        "satisfaction": (_("会员满意度调查"), satisfaction_structure),
    }
