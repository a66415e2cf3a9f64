"""What a diagnosis page (and its API) shows for one result: dimension scores against the peer medians, the
indicators behind each score with the band they fell in, missing data named, and the suggested services."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .indicators import BY_CODE, DIMENSIONS, GRADE_LABELS, KINDS, QUESTIONS_BY_CODE, SOURCES
from .models import HealthResult
from .schemes import bands_text

WEAK_BELOW = 60.0  # a dimension under this (or the weakest one) leads to suggested services
# Which services answer which weak dimension.
SERVICES = {
    "vitality": ("financing", "policies"),
    "quality": ("financing", "policies"),
    "innovation": ("policies",),
    "structure": ("legal", "policies"),
    "bottom": ("legal",),
}


def describe_missing(entry: dict) -> str:
    """A missing item in words: which figure (this year, last year) is absent, or zero where it divides."""
    code = entry["code"]
    if code in QUESTIONS_BY_CODE:
        return _("问卷项未填写")
    parts = []
    for field in entry["fields"]:
        kind, _sep, names = field.partition(":")
        label = "、".join(str(SOURCES.get(n, n)) for n in names.split("/"))
        if kind == "now":
            parts.append(_("缺本年%(label)s") % {"label": label})
        elif kind == "prev":
            parts.append(_("缺上年%(label)s") % {"label": label})
        elif kind == "zero_prev":
            parts.append(_("上年%(label)s为 0，无法计算增长率") % {"label": label})
        elif kind == "zero":
            parts.append(_("%(label)s为 0 或负数，无法计算") % {"label": label})
    return "；".join(parts)


def _band_of(value: float | None, bands: list[dict]) -> dict | None:
    if value is None:
        return None
    for band in bands:
        if band["high"] is None or value < band["high"]:
            return band
    return None


def build(result: HealthResult, answers: dict | None = None) -> dict:
    """The view model of one diagnosis (plain data, also the API's ``detail``)."""
    config = result.version.config
    missing = {m["code"]: describe_missing(m) for m in result.missing}
    median = (result.peers or {}).get("median", {})
    dims = []
    for code, label in DIMENSIONS.items():
        rows = []
        for indicator_code, entry in config["indicators"].items():
            indicator = BY_CODE[indicator_code]
            if indicator.dimension != code:
                continue
            value = result.values.get(indicator_code)
            band = _band_of(value, entry["bands"])
            rows.append({
                "code": indicator_code, "label": str(indicator.label), "unit": str(indicator.unit),
                "kind": str(KINDS[indicator.kind]), "formula": str(indicator.formula), "value": value,
                "weight": entry["weight"], "points": result.points.get(indicator_code),
                "band": None if band is None else bands_text([band]), "bands": bands_text(entry["bands"]),
                "missing": missing.get(indicator_code, ""),
            })  # fmt: skip
        for question_code, entry in config["questions"].items():
            question = QUESTIONS_BY_CODE[question_code]
            if question.dimension != code:
                continue
            rows.append({
                "code": question_code, "label": str(question.label), "unit": "", "kind": _("问卷项"), "formula": "",
                "value": (answers or {}).get(question_code), "weight": entry["weight"],
                "points": result.points.get(question_code), "band": None, "bands": "",
                "missing": missing.get(question_code, ""),
            })  # fmt: skip
        score = result.dimensions.get(code)
        dims.append({
            "code": code, "label": str(label), "score": score, "median": median.get(code), "rows": rows,
            "weak": score is not None and (score < WEAK_BELOW or code == result.weakest),
        })  # fmt: skip
    return {
        "total": result.total,
        "grade": result.grade,
        "grade_label": str(GRADE_LABELS.get(result.grade, "")),
        "coverage": result.coverage,
        "year": result.year,
        "version": str(result.version),
        "computed_at": result.computed_at,
        "previous_total": result.previous_total,
        "percentile": (result.peers or {}).get("percentile"),
        "peer_count": (result.peers or {}).get("count", 0),
        "peer_median_total": median.get("total"),
        "dimensions": dims,
        "missing": [
            {"code": m["code"], "label": str(_label(m["code"])), "why": missing[m["code"]]} for m in result.missing
        ],
    }


def _label(code: str):
    if code in BY_CODE:
        return BY_CODE[code].label
    return QUESTIONS_BY_CODE[code].label


def radar(view: dict) -> dict:
    """The echarts radar's data: this enterprise against the peer median, 0–100 on every axis."""
    return {
        "indicators": [{"name": d["label"], "max": 100} for d in view["dimensions"]],
        "mine": [round(d["score"], 1) if d["score"] is not None else 0 for d in view["dimensions"]],
        "median": [round(d["median"], 1) if d["median"] is not None else 0 for d in view["dimensions"]],
        "labels": {"mine": _("本企业"), "median": _("同行业同地区中位数")},
    }


def legal_checkup_url(enterprise) -> str | None:
    """The legal check-up request page (another domain, maybe not built yet: then no link)."""
    try:
        return reverse("legal:checkup_request") + f"?enterprise={enterprise.pk}"
    except NoReverseMatch:
        return None


def suggestions(view: dict, enterprise, *, limit: int = 5) -> list[dict]:
    """Services for the weak dimensions: matched policies, fitting financing products, a legal check-up."""
    weak = [d for d in view["dimensions"] if d["weak"]]
    wanted = {service for d in weak for service in SERVICES[d["code"]]}
    out = []
    if not wanted:
        return out
    attrs = None
    if wanted & {"policies", "financing"}:
        from qinqing.eligibility.attributes import enterprise_attrs

        attrs = enterprise_attrs(enterprise)
    reasons = "、".join(d["label"] for d in weak)
    if "policies" in wanted:
        out.append({"kind": "policies", "title": _("可申报的政策"), "because": reasons,
                    "items": _policies(enterprise, attrs, limit)})  # fmt: skip
    if "financing" in wanted:
        out.append({"kind": "financing", "title": _("适合的融资产品"), "because": reasons,
                    "items": _products(attrs, limit)})  # fmt: skip
    if "legal" in wanted:
        url = legal_checkup_url(enterprise)
        out.append({"kind": "legal", "title": _("法治体检"), "because": reasons,
                    "items": [{"name": _("申请法治体检（律师上门排查法律风险）"), "url": url}]})  # fmt: skip
    return out


def _policies(enterprise, attrs, limit: int) -> list[dict]:
    from qinqing.eligibility import rules
    from qinqing.policies import matching
    from qinqing.policies.labels import value_names

    policies = [
        p
        for p in matching.applicable_policies(enterprise.org_path).order_by("-published_on", "-id")[:200]
        if enterprise.org_path.startswith(p.org_path)
    ]
    names = value_names([p.rule for p in policies], [attrs])
    found = [p for p in policies if rules.explain(p.rule, attrs, names).verdict == "eligible"][:limit]
    return [{"name": p.title, "url": reverse("policies:detail", args=[p.pk])} for p in found]


def _products(attrs, limit: int) -> list[dict]:
    from qinqing.eligibility import rules
    from qinqing.financing.models import BankProduct
    from qinqing.policies.labels import value_names

    products = list(BankProduct.objects.filter(is_active=True).select_related("bank").order_by("rate_min")[:200])
    names = value_names([p.rule for p in products], [attrs])
    found = [
        p for p in products if rules.explain(p.rule or {"op": "all", "items": []}, attrs, names).verdict == "eligible"
    ][:limit]
    return [
        {"name": f"{p.bank.name} · {p.name}", "url": reverse("financing:product_detail", args=[p.pk])} for p in found
    ]


def scheme_rows(config: dict) -> list[dict]:
    """A version's scheme by dimension: each indicator's kind, formula, weight and bands (and the questions)."""
    out = []
    for code, label in DIMENSIONS.items():
        rows = [
            {"label": str(BY_CODE[c].label), "kind": str(KINDS[BY_CODE[c].kind]), "formula": str(BY_CODE[c].formula),
             "weight": e["weight"], "bands": bands_text(e["bands"]), "unit": str(BY_CODE[c].unit)}
            for c, e in config["indicators"].items()
            if BY_CODE[c].dimension == code
        ] + [
            {"label": str(QUESTIONS_BY_CODE[c].label), "kind": _("问卷项"), "formula": _("是 100、部分做到 50、否 0"),
             "weight": e["weight"], "bands": "", "unit": ""}
            for c, e in config["questions"].items()
            if QUESTIONS_BY_CODE[c].dimension == code
        ]  # fmt: skip
        out.append({"code": code, "label": str(label), "rows": rows, "weight": sum(r["weight"] for r in rows)})
    return out
