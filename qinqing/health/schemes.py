"""Checking a scoring scheme (weights and bands) before it is saved, and the bands' one-line text form (pure).

Every refusal is a ValidationError naming the field: ``weight_<code>`` / ``bands_<code>`` for one indicator or
item, ``weights`` for the sum, ``low_below`` / ``fall_by`` for the visit thresholds.
"""

from __future__ import annotations

import itertools
import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .indicators import BY_CODE, MODERATE, QUESTIONS_BY_CODE

INF = "∞"


def _number(value, field: str, label) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("%(label)s应为数字") % {"label": label}}) from None
    if not math.isfinite(number):
        raise ValidationError({field: _("%(label)s应为数字") % {"label": label}})
    return number


def _bound(value, field: str, label) -> float | None:
    if value in (None, ""):
        return None
    return _number(value, field, label)


def check_bands(code: str, bands) -> list[dict]:
    """The indicator's bands, checked: ordered, covering every value once, scores 0–100."""
    indicator = BY_CODE[code]
    field, label = f"bands_{code}", indicator.label
    if not isinstance(bands, list) or not bands:
        raise ValidationError({field: _("%(label)s：请至少设置一个分档") % {"label": label}})
    out = []
    for position, band in enumerate(bands, start=1):
        if not isinstance(band, dict):
            raise ValidationError({field: _("%(label)s：第%(n)s档格式不正确") % {"label": label, "n": position}})
        low = _bound(band.get("low"), field, _("%(label)s第%(n)s档下限") % {"label": label, "n": position})
        high = _bound(band.get("high"), field, _("%(label)s第%(n)s档上限") % {"label": label, "n": position})
        score = _number(band.get("score"), field, _("%(label)s第%(n)s档得分") % {"label": label, "n": position})
        if not 0 <= score <= 100:
            raise ValidationError(
                {field: _("%(label)s：第%(n)s档得分应在 0 至 100 之间") % {"label": label, "n": position}}
            )
        if low is not None and high is not None and low >= high:
            raise ValidationError({field: _("%(label)s：第%(n)s档下限应小于上限") % {"label": label, "n": position}})
        out.append({"low": low, "high": high, "score": score})
    if out[0]["low"] is not None:
        raise ValidationError(
            {field: _("%(label)s：分档留有空档，低于 %(low)s 的值没有得分（第1档下限应留空）")
             % {"label": label, "low": _fmt(out[0]["low"])}}
        )  # fmt: skip
    if out[-1]["high"] is not None:
        raise ValidationError(
            {field: _("%(label)s：分档留有空档，%(high)s 及以上的值没有得分（最后一档上限应留空）")
             % {"label": label, "high": _fmt(out[-1]["high"])}}
        )  # fmt: skip
    for position, (before, after) in enumerate(itertools.pairwise(out), start=1):
        end, start = before["high"], after["low"]
        if end is None or start is None:
            raise ValidationError(
                {field: _("%(label)s：第%(a)s档与第%(b)s档重叠（中间档的上下限都应填写）")
                 % {"label": label, "a": position, "b": position + 1}}
            )  # fmt: skip
        if end > start:
            raise ValidationError(
                {field: _("%(label)s：第%(a)s档与第%(b)s档重叠（%(end)s 大于 %(start)s）")
                 % {"label": label, "a": position, "b": position + 1, "end": _fmt(end), "start": _fmt(start)}}
            )  # fmt: skip
        if end < start:
            raise ValidationError(
                {field: _("%(label)s：第%(a)s档与第%(b)s档之间留有空档（%(end)s 至 %(start)s）")
                 % {"label": label, "a": position, "b": position + 1, "end": _fmt(end), "start": _fmt(start)}}
            )  # fmt: skip
    if indicator.kind == MODERATE:
        if len(out) < 3:
            raise ValidationError(
                {field: _("%(label)s是适度指标，至少需要三档（低于、处于、高于目标区间）") % {"label": label}}
            )
        inner = max(band["score"] for band in out[1:-1])
        if inner <= max(out[0]["score"], out[-1]["score"]):
            raise ValidationError(
                {field: _("%(label)s是适度指标，最高分应在目标区间（中间某档）内") % {"label": label}}
            )
    return out


def check_config(config) -> dict:
    """The whole scheme, checked and normalised; weights (indicators + questionnaire items) must sum to 100."""
    if not isinstance(config, dict):
        raise ValidationError({"config": _("评分方案格式不正确")})
    indicators = config.get("indicators") or {}
    questions = config.get("questions") or {}
    unknown = [c for c in indicators if c not in BY_CODE] + [c for c in questions if c not in QUESTIONS_BY_CODE]
    if unknown:
        raise ValidationError({"config": _("评分方案含未知指标：%(codes)s") % {"codes": "、".join(unknown)}})
    out: dict = {"indicators": {}, "questions": {}}
    total = 0.0
    for code, indicator in BY_CODE.items():
        entry = indicators.get(code)
        if not entry:
            continue
        weight = _number(entry.get("weight"), f"weight_{code}", _("%(label)s权重") % {"label": indicator.label})
        if weight < 0:
            raise ValidationError({f"weight_{code}": _("%(label)s权重不能为负数") % {"label": indicator.label}})
        if weight == 0:
            continue
        out["indicators"][code] = {"weight": weight, "bands": check_bands(code, entry.get("bands"))}
        total += weight
    for code, question in QUESTIONS_BY_CODE.items():
        entry = questions.get(code)
        if not entry:
            continue
        weight = _number(entry.get("weight"), f"weight_{code}", _("问卷项“%(label)s”权重") % {"label": question.label})
        if weight < 0:
            raise ValidationError({f"weight_{code}": _("问卷项“%(label)s”权重不能为负数") % {"label": question.label}})
        if weight:
            out["questions"][code] = {"weight": weight}
            total += weight
    if abs(total - 100.0) > 1e-6:
        raise ValidationError({"weights": _("各项权重合计应为 100%%，现为 %(total)s%%") % {"total": _fmt(total)}})
    low_below = _number(config.get("low_below", 60), "low_below", _("低分线"))
    fall_by = _number(config.get("fall_by", 10), "fall_by", _("下降预警分值"))
    if not 0 <= low_below <= 100:
        raise ValidationError({"low_below": _("低分线应在 0 至 100 之间")})
    if not 0 < fall_by <= 100:
        raise ValidationError({"fall_by": _("下降预警分值应在 0 至 100 之间")})
    out["low_below"], out["fall_by"] = low_below, fall_by
    return out


def _fmt(number: float | None) -> str:
    if number is None:
        return INF
    return f"{number:g}"


def bands_text(bands: list[dict]) -> str:
    """One line per scheme: ``~-10=0; -10~0=40; 0~10=70; 10~=100`` (blank bound: unbounded)."""
    parts = []
    for band in bands:
        low = "" if band["low"] is None else f"{band['low']:g}"
        high = "" if band["high"] is None else f"{band['high']:g}"
        parts.append(f"{low}~{high}={band['score']:g}")
    return "; ".join(parts)


def parse_bands(code: str, text: str) -> list[dict]:
    """The text form back to bands (then check_bands); a malformed piece is named."""
    label = BY_CODE[code].label
    bands = []
    for position, piece in enumerate([p.strip() for p in (text or "").replace("；", ";").split(";") if p.strip()], 1):
        span, sep, score = piece.partition("=")
        low, tilde, high = span.partition("~")
        if not sep or not tilde:
            raise ValidationError(
                {f"bands_{code}": _("%(label)s：第%(n)s档“%(piece)s”应写成 下限~上限=得分")
                 % {"label": label, "n": position, "piece": piece[:30]}}
            )  # fmt: skip
        bands.append({"low": low.strip() or None, "high": high.strip() or None, "score": score.strip()})
    return check_bands(code, bands)
