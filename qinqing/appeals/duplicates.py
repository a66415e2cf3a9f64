"""Duplicate and related suggestions: Chinese word segmentation (jieba, via rjieba) and cosine
similarity, boosted for the same enterprise.

Candidates, in the reader's scope: first the same enterprise's appeals of the last ``enterprise_days``
(180; index ``(enterprise, -registered_on)``), then the same domain's of the last ``domain_days`` (90).
Without a domain, the newest ``RECENT_CAP`` appeals stand in. Each phase is one query with a row cap,
so a suggestion costs at most three queries and a bounded amount of segmentation, however many
appeals a city holds.
"""

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
    return _score(tokens(text), candidate_text, same_enterprise=same_enterprise)


def _score(query: Counter, candidate_text: str, *, same_enterprise: bool = False) -> float:
    s = cosine(query, tokens(candidate_text))
    return min(1.0, s + (0.15 if same_enterprise and s > 0 else 0))


ENTERPRISE_CAP = 200  # one enterprise's appeals in 180 days: far fewer in practice
DOMAIN_CAP = 2000  # one domain's appeals in 90 days across a city's tree
RECENT_CAP = 500
FIELDS = ("id", "number", "title", "description", "status", "registered_on", "enterprise__name", "enterprise_id")


def suggest(
    visible_qs,
    text: str,
    *,
    credit_code: str = "",
    domain=None,
    enterprise_days: int = 180,
    domain_days: int = 90,
    days: int | None = None,
    limit: int = 5,
    threshold: float = 0.3,
    today: date | None = None,
    exclude_pk: int | None = None,
):
    """The most similar appeals: same enterprise (``enterprise_days``) first, then same domain
    (``domain_days``), each ranked by similarity of the segmented title and description."""
    from qinqing.registry.models import Enterprise

    text = (text or "").strip()
    if len(text) < 4:
        return []
    query = tokens(text)
    if not query:
        return []
    day = today or timezone.localdate()
    if days is not None:  # older callers' single window
        enterprise_days = domain_days = days
    base = visible_qs.select_related("enterprise").only(*FIELDS).order_by("-registered_on", "-id")
    if exclude_pk:
        base = base.exclude(pk=exclude_pk)
    code = (credit_code or "").strip().upper()
    enterprise_id = Enterprise.objects.filter(credit_code=code).values_list("pk", flat=True).first() if code else None
    candidates: dict[int, tuple[bool, object]] = {}
    if enterprise_id:
        since = day - timedelta(days=enterprise_days)
        for a in base.filter(enterprise_id=enterprise_id, registered_on__gte=since)[:ENTERPRISE_CAP]:
            candidates[a.pk] = (True, a)
    domain_id = getattr(domain, "pk", domain)
    if domain_id:
        since = day - timedelta(days=domain_days)
        phase = base.filter(domain_id=domain_id, registered_on__gte=since)
        if enterprise_id:
            phase = phase.exclude(enterprise_id=enterprise_id)
        rows = phase[:DOMAIN_CAP]
    else:
        rows = base.filter(registered_on__gte=day - timedelta(days=domain_days))[:RECENT_CAP]
    for a in rows:
        candidates.setdefault(a.pk, (a.enterprise_id == enterprise_id, a))
    found = []
    for same, appeal in candidates.values():
        s = _score(query, f"{appeal.title} {appeal.description}", same_enterprise=same)
        if s >= threshold:
            found.append((s, same, appeal))
    found.sort(key=lambda t: (-t[0], not t[1], -t[2].pk))
    return [{"appeal": a, "score": round(s * 100), "same_enterprise": same} for s, same, a in found[:limit]]
