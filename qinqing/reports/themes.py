"""信息专报 drafted from appeals: a period's appeals of a subtree clustered into themes.

Appeals are grouped by domain (诉求领域); inside a domain their titles and texts are segmented with the
segmentation already used for duplicates (rjieba), weighted with TF-IDF, and clustered with scikit-learn's
agglomerative clustering (average linkage, cosine distance, a distance threshold, so the number of themes
follows the data). Each theme shows its count against the previous period (same domain, same key terms),
the departments involved, the solved and satisfied rates and three anonymised typical cases; staff pick
one and get an editable 社情民意信息 draft (≤ 1,500 characters).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from qinqing.appeals import workflow as wf
from qinqing.appeals.duplicates import tokens
from qinqing.appeals.models import Appeal
from qinqing.core.figures import Period

from .periods import previous_month

MAX_PER_DOMAIN = 1500  # newest appeals per domain clustered (the rest counted with their nearest theme's domain)
DISTANCE = 0.85  # cosine distance under which appeals join a theme
MAX_CHARS = 1500

WORD = r"(?u)[^ ]+"  # the words rjieba found, joined by spaces
_DIGITS = re.compile(r"\d{5,}")


@dataclass
class Theme:
    key: str
    domain: str
    keywords: list[str]
    ids: list[int] = field(default_factory=list)
    previous: int = 0
    departments: list[tuple[str, int]] = field(default_factory=list)
    solved_rate: float | None = None
    satisfied_rate: float | None = None
    cases: list[dict] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def title(self) -> str:
        return _("%(domain)s：%(words)s") % {"domain": self.domain, "words": "、".join(self.keywords[:3])}

    @property
    def trend(self) -> float | None:
        return round(100.0 * (self.count - self.previous) / self.previous, 1) if self.previous else None


def anonymise(text: str, names: list[str]) -> str:
    """Enterprise and contact names become 某企业/某联系人; long digit runs (phones, numbers) are hidden."""
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        text = text.replace(name, _("某企业") if len(name) > 3 else _("某某"))
    return _DIGITS.sub("****", text)


def _cluster(texts: list[str]) -> list[int]:
    if len(texts) < 2:
        return [0] * len(texts)
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [" ".join(tokens(t).elements()) for t in texts]
    if not any(docs):
        return [0] * len(texts)
    matrix = TfidfVectorizer(token_pattern=WORD, min_df=1).fit_transform(docs).toarray()
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=DISTANCE)
    rows_empty = ~matrix.any(axis=1)
    if rows_empty.all():
        return [0] * len(texts)
    matrix[rows_empty, 0] = 1e-9  # an appeal without a word still needs a vector (it joins the nearest by chance)
    return [int(x) for x in model.fit_predict(matrix)]


def build(scope_path: str, period: Period, *, limit: int = 12) -> list[Theme]:
    qs = Appeal.objects.filter(
        org_path__startswith=scope_path, registered_on__gte=period.start, registered_on__lte=period.end
    ).exclude(status=wf.MERGED)
    rows = list(
        qs.order_by("domain_id", "-registered_on", "-pk").values(
            "pk", "domain_id", "domain__name", "title", "description", "lead_department__name", "solved",
            "satisfaction", "enterprise__name", "contact_name", "registered_on", "status",
        )
    )  # fmt: skip
    by_domain: dict[int, list[dict]] = {}
    for r in rows:
        bucket = by_domain.setdefault(r["domain_id"], [])
        if len(bucket) < MAX_PER_DOMAIN:
            bucket.append(r)
    themes: list[Theme] = []
    for domain_id, items in by_domain.items():
        labels = _cluster([f"{r['title']} {r['description']}" for r in items])
        groups: dict[int, list[dict]] = {}
        for r, label in zip(items, labels, strict=True):
            groups.setdefault(label, []).append(r)
        for members in groups.values():
            words = Counter()
            for r in members:
                words.update(tokens(r["title"]))
            keywords = [w for w, _n in words.most_common(5)] or [items[0]["domain__name"]]
            themes.append(_theme(f"{domain_id}-{min(r['pk'] for r in members)}", members, keywords))
    themes.sort(key=lambda t: (-t.count, t.key))
    themes = themes[:limit]
    _previous_counts(themes, scope_path, period)
    return themes


def _theme(key: str, members: list[dict], keywords: list[str]) -> Theme:
    t = Theme(key=key, domain=members[0]["domain__name"], keywords=keywords, ids=[r["pk"] for r in members])
    t.departments = Counter(r["lead_department__name"] for r in members if r["lead_department__name"]).most_common(5)
    known = [r for r in members if r["solved"] is not None]
    rated = [r for r in members if r["satisfaction"] is not None]
    t.solved_rate = round(100.0 * sum(1 for r in known if r["solved"]) / len(known), 1) if known else None
    t.satisfied_rate = (
        round(100.0 * sum(1 for r in rated if r["satisfaction"] in wf.SATISFIED_LEVELS) / len(rated), 1)
        if rated
        else None
    )
    for r in members[:3]:
        names = [r["enterprise__name"] or "", r["contact_name"] or ""]
        t.cases.append(
            {
                "title": anonymise(r["title"], names),
                "text": anonymise(r["description"], names)[:200],
                "registered_on": r["registered_on"],
            }
        )
    return t


def _previous_counts(themes: list[Theme], scope_path: str, period: Period) -> None:
    """The previous period's appeals of the same domain whose title holds the theme's first key term."""
    before = previous_month(period)
    for t in themes:
        word = t.keywords[0] if t.keywords else ""
        t.previous = (
            Appeal.objects.filter(
                Q(title__contains=word),
                org_path__startswith=scope_path,
                domain__name=t.domain,
                registered_on__gte=before.start,
                registered_on__lte=before.end,
            )
            .exclude(status=wf.MERGED)
            .count()
        )


def draft(theme: Theme, node_name: str, period: Period) -> dict[str, str]:
    """A 社情民意信息 draft for one theme: title and the three parts, at most MAX_CHARS characters."""
    depts = "、".join(name for name, _n in theme.departments[:3]) or _("相关部门")
    trend = (
        _("较上期增长%(p)s%%") % {"p": theme.trend}
        if theme.trend is not None and theme.trend >= 0
        else (_("较上期下降%(p)s%%") % {"p": -theme.trend} if theme.trend is not None else _("上期无同类诉求"))
    )
    cases = "；".join(f"{i}. {c['title']}" for i, c in enumerate(theme.cases, start=1))
    title = _("关于%(domain)s领域“%(words)s”问题的情况反映") % {
        "domain": theme.domain,
        "words": "、".join(theme.keywords[:2]),
    }
    basic = _(
        "%(start)s至%(end)s，%(node)s共收到企业反映%(domain)s领域“%(words)s”方面的诉求%(n)s件，%(trend)s，"
        "涉及%(depts)s等单位；已确认解决率%(solved)s，满意率%(satisfied)s。典型案例：%(cases)s。"
    ) % {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "node": node_name,
        "domain": theme.domain,
        "words": "、".join(theme.keywords[:3]),
        "n": theme.count,
        "trend": trend,
        "depts": depts,
        "solved": f"{theme.solved_rate}%" if theme.solved_rate is not None else "—",
        "satisfied": f"{theme.satisfied_rate}%" if theme.satisfied_rate is not None else "—",
        "cases": cases,
    }
    causes = _("（请结合走访和部门反馈分析原因：政策落实、办事流程、部门协同等方面。）")
    advice = _("（请提出针对性的意见建议：完善政策、优化流程、压实责任、建立长效机制等。）")
    parts = {"title": title, "basic": basic, "causes": causes, "advice": advice}
    return fit(parts)


def body_of(parts: dict[str, str]) -> str:
    return _("一、基本情况\n%(basic)s\n二、原因分析\n%(causes)s\n三、意见建议\n%(advice)s") % parts


def fit(parts: dict[str, str]) -> dict[str, str]:
    """Shorten 基本情况 until the whole body fits MAX_CHARS."""
    excess = len(body_of(parts)) - MAX_CHARS
    if excess > 0:
        parts = {**parts, "basic": parts["basic"][: max(0, len(parts["basic"]) - excess - 1)] + "…"}
    return parts
