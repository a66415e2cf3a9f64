"""Duplicate and related suggestions: Chinese word segmentation (jieba, via rjieba) and cosine
similarity over recent appeals, boosted for the same enterprise. Pure scoring + one bounded query."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, timedelta

from django.utils import timezone

STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "是",
        "在",
        "我",
        "我们",
        "公司",
        "企业",
        "有",
        "没有",
        "一直",
        "问题",
        "希望",
        "请",
        "帮助",
        "及",
        "与",
        "对",
        "等",
        "已",
        "还",
        "也",
        "就",
        "都",
        "而",
        "但",
        "被",
        "把",
    ]
)


def tokens(text: str) -> Counter:
    import rjieba

    words = [w.strip().lower() for w in rjieba.cut(text or "")]
    return Counter(w for w in words if len(w) > 1 and w not in STOPWORDS)


def cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def score(text: str, candidate_text: str, *, same_enterprise: bool = False) -> float:
    s = cosine(tokens(text), tokens(candidate_text))
    return min(1.0, s + (0.15 if same_enterprise and s > 0 else 0))


def suggest(
    visible_qs,
    text: str,
    *,
    credit_code: str = "",
    days: int = 180,
    limit: int = 5,
    threshold: float = 0.3,
    today: date | None = None,
):
    """The most similar appeals of the ``days`` up to ``today`` (at most 500 candidates, same enterprise first)."""
    text = (text or "").strip()
    if len(text) < 4:
        return []
    since = (today or timezone.localdate()) - timedelta(days=days)
    qs = visible_qs.filter(registered_on__gte=since).select_related("enterprise")
    candidates = list(qs.order_by("-registered_on", "-id")[:500])
    code = credit_code.strip().upper()
    found = []
    for appeal in candidates:
        same = bool(code) and appeal.enterprise.credit_code == code
        s = score(text, f"{appeal.title} {appeal.description}", same_enterprise=same)
        if s >= threshold:
            found.append((s, appeal))
    found.sort(key=lambda pair: -pair[0])
    return [{"appeal": a, "score": round(s * 100)} for s, a in found[:limit]]
