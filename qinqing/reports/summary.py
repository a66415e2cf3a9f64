"""The annual work summary of an FIC node: canonical sections filled with sentences in the way FICs write
them, every number a registered figure (``{{key}}``) rendered live and linked to its drill-down.

- ``SENTENCES`` holds the sentence shapes of DOMAIN.md §7 per section, each naming the figures it cites;
  a sentence is used when its first figure has records; ``{{key|yoy}}`` is the change against last year (%).
- A registered figure no sentence cites (a domain built later) gets a plain sentence in its section, so
  new domains appear without changes here.
- A section whose figures are all zero says that the system holds no records for it, instead of text.
- Staff edit the text; the placeholders stay, so the values are live until the summary is finalised. Then
  the values are frozen in ``snapshot`` and the page shows each figure whose live value has since moved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinqing.core.figures import SECTIONS, Period, Rate, public_figures

from . import drilldown

# The canonical sections of DOMAIN.md §7: the figure sections, then two that staff write.
ALL_SECTIONS: dict[str, object] = {
    **SECTIONS,
    "problems": gettext_lazy("存在问题"),
    "next_year": gettext_lazy("下一年思路"),
}

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+\.[a-z0-9_]+)(?:\|(yoy))?\s*\}\}")

SENTENCES: dict[str, list[str]] = {
    "advisory": [
        gettext_lazy(
            "全年报送参政议政成果{{reports.outputs}}篇，其中提案{{reports.proposals}}件、立案{{reports.proposals_filed}}件。"
        ),
        gettext_lazy(
            "报送社情民意信息{{reports.sqmy}}篇，被全国政协采用{{reports.adopted_national}}篇、省级采用{{reports.adopted_province}}篇。"
        ),
        gettext_lazy(
            "形成调研报告{{reports.research}}篇，获领导批示{{reports.instructed}}篇，获奖{{reports.awarded}}篇。"
        ),
    ],
    "economy": [
        gettext_lazy(
            "全年收集交办企业诉求{{appeals.received}}件，受理{{appeals.accepted}}件，办结{{appeals.closed}}件，办结率{{appeals.close_rate}}%，满意率{{appeals.satisfaction_rate}}%，解决率{{appeals.solve_rate}}%。"
        ),
        gettext_lazy(
            "举办政企恳谈会{{meetings.held}}场，参会企业家{{meetings.attendees}}人次，收集问题{{meetings.issues}}个，现场解决{{meetings.solved_on_spot}}个。"
        ),
        gettext_lazy(
            "发布惠企政策{{policies.published}}条，精准推送{{policies.pushes}}次，企业查看率{{policies.open_rate}}%。"
        ),
    ],
    "organisation": [
        gettext_lazy(
            "截至年底，工商联会员{{registry.members}}个，其中企业会员{{registry.members_enterprise}}个、团体会员{{registry.members_group}}个、个人会员{{registry.members_individual}}个。"
        ),
        gettext_lazy("全年新发展会员{{registry.members_new}}个，同比增长{{registry.members_new|yoy}}%。"),
        gettext_lazy(
            "所属商会{{registry.chambers}}家，其中乡镇(街道)商会{{registry.chambers_township}}家、行业商会{{registry.chambers_industry}}家、异地商会{{registry.chambers_nonlocal}}家；新成立商会{{registry.chambers_new}}家。"
        ),
        gettext_lazy("{{registry.chambers_party}}家商会建立党组织，组建率{{registry.party_rate}}%。"),
        gettext_lazy("获评“四好”商会等荣誉{{registry.ratings}}家次，获评“五好”县级工商联{{reports.fic_ratings}}个。"),
    ],
}


@dataclass
class Value:
    key: str
    label: str
    unit: str
    section: str
    value: object
    numerator: object = None
    denominator: object = None
    url: str = ""


def _number(v):
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def compute(node, year: int) -> dict[str, Value]:
    """Every registered figure for the node's subtree and the year, with last year's for ``|yoy``."""
    period = Period.year(year)
    figures = public_figures()
    now = drilldown.values(figures, node.path, period)
    out: dict[str, Value] = {}
    for f in figures:
        v = now[f.key]
        out[f.key] = Value(
            key=f.key,
            label=str(f.label),
            unit=str(f.unit),
            section=f.section,
            value=_number(v["value"]),
            numerator=_number(v.get("numerator")),
            denominator=_number(v.get("denominator")),
            url=drilldown.url(f.key, node.code, period),
        )
    return out


def last_year(node, year: int, keys: set[str]) -> dict[str, object]:
    period = Period.year(year - 1)
    figures = [f for f in public_figures() if f.key in keys]
    return {k: _number(v["value"]) for k, v in drilldown.values(figures, node.path, period).items()}


def _has_records(keys: list[str], values: dict[str, Value]) -> bool:
    first = values.get(keys[0]) if keys else None
    return first is not None and bool(first.value)


def cited(text: str) -> list[str]:
    return [m.group(1) for m in PLACEHOLDER.finditer(text)]


YOY_CLAUSE = re.compile(r"，?同比增长\{\{\s*([a-z_]+\.[a-z0-9_]+)\|yoy\s*\}\}%")


def draft(node, year: int, values: dict[str, Value] | None = None) -> dict[str, str]:
    """The first draft of a node's summary for a year (``values``: the year's figures, if already computed)."""
    values = values if values is not None else compute(node, year)
    yoy_keys = {
        m.group(1) for shapes in SENTENCES.values() for shape in shapes for m in YOY_CLAUSE.finditer(str(shape))
    }
    previous = last_year(node, year, {k for k in yoy_keys if k in values})
    return default_texts(values, node.name, previous)


def default_texts(values: dict[str, Value], node_name: str, previous: dict | None = None) -> dict[str, str]:
    """The first draft of every section; a growth clause is left out when last year had nothing to grow from."""
    texts: dict[str, str] = {}
    previous = previous or {}

    def without_empty_growth(shape: str) -> str:
        return YOY_CLAUSE.sub(lambda m: m.group(0) if previous.get(m.group(1)) else "", shape)

    registered = {f.key: f for f in public_figures()}
    used: set[str] = set()
    for section in ALL_SECTIONS:
        sentences = []
        for shape in SENTENCES.get(section, []):
            keys = cited(str(shape))
            if not all(k in registered for k in keys):
                continue  # a domain not installed
            used.update(keys)
            if _has_records(keys, values):
                sentences.append(without_empty_growth(str(shape)))
        for f in registered.values():
            if f.section == section and f.key not in used and not isinstance(f, Rate) and values[f.key].value:
                sentences.append(f"{f.label}{{{{{f.key}}}}}{f.unit}。")
        if section in SECTIONS and not sentences:
            sentences.append(
                _("（本年度系统中暂无%(section)s方面的记录，请据实补充。）") % {"section": ALL_SECTIONS[section]}
            )
        elif section == "problems":
            sentences.append(_("（请结合工作实际填写存在的问题和不足。）"))
        elif section == "next_year":
            sentences.append(_("（请填写下一年度的工作思路和主要举措。）"))
        texts[section] = "".join(sentences)
    return texts


def yoy(now, before) -> object:
    if before in (None, 0) or now is None:
        return None
    return round(100.0 * (float(now) - float(before)) / float(before), 1)


def fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    return str(value)


def render_parts(text: str, values: dict[str, object], previous: dict[str, object]) -> list[tuple[str, str | None]]:
    """The text as (piece, figure key or None) parts: literal text and figure values in order."""
    parts: list[tuple[str, str | None]] = []
    pos = 0
    for m in PLACEHOLDER.finditer(text):
        parts.append((text[pos : m.start()], None))
        key, modifier = m.group(1), m.group(2)
        if modifier == "yoy":
            parts.append((fmt(yoy(values.get(key), previous.get(key))), f"{key}|yoy"))
        else:
            parts.append((fmt(values.get(key)) if key in values else "[?]", key))
        pos = m.end()
    parts.append((text[pos:], None))
    return [p for p in parts if p[0] or p[1]]


def plain_text(text: str, values: dict[str, object], previous: dict[str, object]) -> str:
    return "".join(piece for piece, _key in render_parts(text, values, previous))


def document(node, year: int, summary=None) -> dict:
    """Everything a page or export shows: sections as parts, the figures cited with their links, and
    (for a finalised summary) the figures whose live value moved since."""
    live = compute(node, year)
    texts = summary.texts if summary and summary.texts else draft(node, year, live)
    keys = {k for t in texts.values() for k in cited(t)}
    final = bool(summary and summary.state == "final")
    snapshot = summary.snapshot if final else {}
    live_values = {k: v.value for k, v in live.items()}
    previous = snapshot.get("previous") if final else None
    if previous is None:
        previous = last_year(node, year, keys)
    shown = {**live_values, **snapshot.get("values", {})} if final else live_values
    changed = [
        {"key": k, "label": live[k].label, "then": snapshot["values"][k], "now": live_values[k], "url": live[k].url}
        for k in sorted(snapshot.get("values", {}))
        if k in live and snapshot["values"][k] != live_values[k]
    ]
    notes: dict[str, int] = {}
    sections = []
    for k, title in ALL_SECTIONS.items():
        parts = []
        for piece, key in render_parts(texts.get(k, ""), shown, previous):
            base = key.split("|")[0] if key else None
            note = notes.setdefault(base, len(notes) + 1) if base in live else None
            parts.append({"text": piece, "key": key, "note": note, "url": live[base].url if note else ""})
        sections.append({"key": k, "title": str(title), "parts": parts, "source": texts.get(k, "")})
    cited_figures = [
        {
            "n": n,
            "key": key,
            "label": live[key].label,
            "value": shown[key],
            "unit": live[key].unit,
            "url": live[key].url,
        }
        for key, n in notes.items()
    ]
    return {
        "node": node,
        "year": year,
        "title": _("%(name)s%(year)s年工作总结") % {"name": node.name, "year": year},
        "sections": sections,
        "cited": cited_figures,
        "changed": changed,
        "final": final,
        "live": live,
        "shown": shown,
        "previous": previous,
        "texts": texts,
    }


def snapshot_of(node, year: int, texts: dict[str, str]) -> dict:
    live = compute(node, year)
    keys = {k for t in texts.values() for k in cited(t)}
    return {"values": {k: v.value for k, v in live.items()}, "previous": last_year(node, year, keys)}


def as_json(node, year: int, summary=None) -> dict:
    """The summary as data: sections with their text, and every registered figure with its drill-down."""
    doc = document(node, year, summary)
    figures = []
    for v in doc["live"].values():
        row = {
            "key": v.key,
            "section": str(ALL_SECTIONS[v.section]),
            "section_key": v.section,
            "label": v.label,
            "value": doc["shown"][v.key],
            "unit": v.unit,
            "drilldown": v.url,
        }
        if v.numerator is not None or v.denominator is not None:
            row.update(numerator=v.numerator, denominator=v.denominator)
        if doc["shown"][v.key] != v.value:
            row["live_value"] = v.value
        figures.append(row)
    return {
        "org": {"code": node.code, "name": node.name},
        "year": year,
        "state": "final" if doc["final"] else "draft",
        "title": doc["title"],
        "sections": [
            {"key": s["key"], "title": s["title"], "text": "".join(p["text"] for p in s["parts"])}
            for s in doc["sections"]
        ],
        "figures": figures,
    }


def is_registered(key: str) -> bool:
    return any(f.key == key for f in public_figures())
