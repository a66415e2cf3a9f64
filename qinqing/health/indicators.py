"""The health check's indicators, dimensions, questionnaire items and the default scoring scheme (pure data).

The indicators (codes, formulas, dimensions) are fixed in code; staff maintain each one's WEIGHT and BANDS in
a scoring version (``config`` below). Five dimensions follow Wenzhou's DB3303/T 031-2021 (民营经济健康发展评价
指标体系): 经济活力, 质效提升, 创新驱动, 结构优化, 底线能力.

A band is ``{"low": a, "high": b, "score": s}``: a value v falls in it when ``a <= v < b`` (``None`` is
unbounded); an indicator earns ``weight × s / 100`` points. Bands must cover every value exactly once: the first
starts at −∞, the last ends at +∞, and each band starts where the previous one ends. A "moderate" (适度)
indicator scores best inside a target range, so its best band is an inner one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

DIMENSIONS: dict[str, object] = {
    "vitality": _("经济活力"),
    "quality": _("质效提升"),
    "innovation": _("创新驱动"),
    "structure": _("结构优化"),
    "bottom": _("底线能力"),
}

HIGHER, LOWER, MODERATE = "higher", "lower", "moderate"
KINDS = {HIGHER: _("越高越好"), LOWER: _("越低越好"), MODERATE: _("适度指标")}


@dataclass(frozen=True)
class Indicator:
    code: str
    label: object
    dimension: str
    unit: object
    kind: str
    needs: tuple[str, ...]  # the source fields (labels below) it is computed from, named when missing
    formula: object


# Source fields: the registry's yearly figures, and the supplement the health check collects (the registry
# holds no profit, liabilities, receivables, inventory or cost of sales).
SOURCES: dict[str, object] = {
    "revenue": _("营业收入"),
    "tax": _("纳税额"),
    "rd": _("研发投入"),
    "employees": _("从业人员"),
    "assets": _("资产总额"),
    "profit": _("利润总额"),
    "cost": _("营业成本"),
    "liabilities": _("负债总额"),
    "receivables": _("应收账款"),
    "inventory": _("存货"),
}
REGISTRY_SOURCES = ("revenue", "tax", "rd", "employees", "assets")
SUPPLEMENT_SOURCES = ("profit", "cost", "liabilities", "receivables", "inventory")

INDICATORS: tuple[Indicator, ...] = (
    Indicator("revenue_growth", _("营业收入增长率"), "vitality", "%", HIGHER, ("revenue",),
              _("（本年营业收入 − 上年）÷ |上年| × 100")),
    Indicator("tax_growth", _("纳税额增长率"), "vitality", "%", HIGHER, ("tax",),
              _("（本年纳税额 − 上年）÷ |上年| × 100")),
    Indicator("employment_growth", _("从业人员增长率"), "vitality", "%", HIGHER, ("employees",),
              _("（本年从业人员 − 上年）÷ 上年 × 100")),
    Indicator("profit_growth", _("利润总额增长率"), "quality", "%", HIGHER, ("profit",),
              _("（本年利润总额 − 上年）÷ |上年| × 100")),
    Indicator("profit_margin", _("营业利润率"), "quality", "%", HIGHER, ("profit", "revenue"),
              _("利润总额 ÷ 营业收入 × 100")),
    Indicator("asset_turnover", _("总资产周转率"), "quality", _("次"), HIGHER, ("revenue", "assets"),
              _("营业收入 ÷ 资产总额")),
    Indicator("net_assets_growth", _("净资产增长率"), "quality", "%", HIGHER, ("assets", "liabilities"),
              _("净资产 = 资产总额 − 负债总额；（本年 − 上年）÷ |上年| × 100")),
    Indicator("rd_intensity", _("研发投入强度"), "innovation", "%", HIGHER, ("rd", "revenue"),
              _("研发投入 ÷ 营业收入 × 100")),
    Indicator("rd_growth", _("研发投入增长率"), "innovation", "%", HIGHER, ("rd",),
              _("（本年研发投入 − 上年）÷ 上年 × 100")),
    Indicator("receivable_days", _("应收账款周转天数"), "structure", _("天"), LOWER, ("receivables", "revenue"),
              _("应收账款 ÷ 营业收入 × 365")),
    Indicator("inventory_days", _("存货周转天数"), "structure", _("天"), LOWER, ("inventory", "cost"),
              _("存货 ÷ 营业成本 × 365")),
    Indicator("debt_ratio", _("资产负债率"), "bottom", "%", MODERATE, ("liabilities", "assets"),
              _("负债总额 ÷ 资产总额 × 100")),
)  # fmt: skip
BY_CODE = {i.code: i for i in INDICATORS}
# Growth rates compare the enterprise's latest year with the year before; without that year they are missing.
GROWTH = {"revenue_growth", "tax_growth", "employment_growth", "profit_growth", "net_assets_growth", "rd_growth"}


@dataclass(frozen=True)
class Question:
    code: str
    label: object
    dimension: str


# Optional questionnaire items: answered by the enterprise (or staff in a visit); unanswered items are missing.
QUESTIONS: tuple[Question, ...] = (
    Question("governance", _("建立了规范的公司治理结构（股东会、董事会或执行董事、监事）"), "structure"),
    Question("succession", _("有明确的接班人或企业传承安排"), "structure"),
    Question("compliance", _("近三年无重大违法违规、失信或安全生产事故记录"), "bottom"),
    Question("disputes", _("无未了结的重大诉讼、劳动争议或欠薪"), "bottom"),
)
QUESTIONS_BY_CODE = {q.code: q for q in QUESTIONS}
ANSWER_SCORES = {"yes": 100.0, "partly": 50.0, "no": 0.0}

GRADES = (("A", 85.0, _("优")), ("B", 70.0, _("良")), ("C", 60.0, _("中")), ("D", float("-inf"), _("差")))
GRADE_LABELS = {code: label for code, _low, label in GRADES}


def grade_of(total: float | None) -> str:
    if total is None:
        return ""
    for code, low, _label in GRADES:
        if total >= low:
            return code
    return "D"


def _b(*points: tuple[float | None, float | None, float]) -> list[dict]:
    return [{"low": low, "high": high, "score": score} for low, high, score in points]


GROWTH_BANDS = _b((None, -10, 0), (-10, 0, 40), (0, 5, 60), (5, 10, 75), (10, 20, 90), (20, None, 100))
DEFAULT_CONFIG: dict = {
    "indicators": {
        "revenue_growth": {"weight": 12, "bands": GROWTH_BANDS},
        "tax_growth": {"weight": 8, "bands": GROWTH_BANDS},
        "employment_growth": {"weight": 6, "bands": _b((None, -10, 0), (-10, -3, 40), (-3, 0, 70), (0, 5, 90),
                                                      (5, None, 100))},
        "profit_growth": {"weight": 8, "bands": GROWTH_BANDS},
        "profit_margin": {"weight": 10, "bands": _b((None, 0, 0), (0, 3, 50), (3, 8, 75), (8, 15, 90),
                                                  (15, None, 100))},
        "asset_turnover": {"weight": 6, "bands": _b((None, 0.3, 20), (0.3, 0.6, 50), (0.6, 1.0, 75), (1.0, 1.5, 90),
                                                   (1.5, None, 100))},
        "net_assets_growth": {"weight": 6, "bands": GROWTH_BANDS},
        "rd_intensity": {"weight": 10, "bands": _b((None, 0.5, 0), (0.5, 1, 40), (1, 2, 60), (2, 3, 80),
                                                  (3, None, 100))},
        "rd_growth": {"weight": 6, "bands": GROWTH_BANDS},
        "receivable_days": {"weight": 5, "bands": _b((None, 30, 100), (30, 60, 85), (60, 90, 65), (90, 180, 35),
                                                    (180, None, 0))},
        "inventory_days": {"weight": 5, "bands": _b((None, 30, 100), (30, 60, 85), (60, 90, 65), (90, 180, 35),
                                                   (180, None, 0))},
        "debt_ratio": {"weight": 10, "bands": _b((None, 20, 70), (20, 40, 90), (40, 60, 100), (60, 70, 70),
                                               (70, 85, 30), (85, None, 0))},
    },
    "questions": {"governance": {"weight": 2}, "succession": {"weight": 2}, "compliance": {"weight": 2},
                  "disputes": {"weight": 2}},
    "low_below": 60,
    "fall_by": 10,
}  # fmt: skip
