"""A dashboard of one FIC node: every registered figure for a period, rolled up from the node's subtree,
with 同比 (same period a year earlier) and 环比 (the period just before), and a breakdown by the node's
children from one grouped query per model or rollup table for all its figures (qinqing.core.figure_values:
GROUP BY the path prefix that names the child).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from qinqing.core import figure_values
from qinqing.core.figures import SECTIONS, Figure, Period, Rate, visible_figures
from qinqing.orgs.models import Organization

from . import drilldown
from .periods import previous_month


@dataclass
class Child:
    path: str
    name: str
    code: str


@dataclass
class Section:
    key: str
    label: str
    figures: list[dict] = field(default_factory=list)


def children_of(node: Organization) -> list[Child]:
    rows = Organization.objects.filter(parent=node, kind="fic", is_active=True).order_by("code")
    return [Child(o.path, o.name, o.code) for o in rows.only("path", "name", "code")]


def _pct(now, before) -> float | None:
    if now is None or before in (None, 0):
        return None
    return round(100.0 * (float(now) - float(before)) / float(before), 1)


def _child_prefix_len(node: Organization, children: list[Child]) -> int | None:
    lengths = {len(c.path) for c in children}
    return lengths.pop() if len(lengths) == 1 else None


def build(node: Organization, period: Period, *, user=None, with_children: bool = True, figures=None) -> dict:
    """Every figure for the period, 同比 and 环比, and per child: one query per model or rollup table for all
    its figures (figures declared with a ``records`` function, a ``compute`` or a distinct count are asked for
    their value per period instead). Only the figures ``user`` may read (none with a permission of their own
    when no user is given), or the ``figures`` given (a snapshot's recount: qinqing.reports.snapshots)."""
    figures = visible_figures(user) if figures is None else figures
    yoy_period, mom_period = period.previous_year(), previous_month(period)
    periods = [period, yoy_period, mom_period]
    children = children_of(node) if with_children else []
    prefix_len = _child_prefix_len(node, children)
    by_child: dict[str, dict[str, object]] = {}
    values: list[dict[str, object]] = [{}, {}, {}]
    # Figures of one model, rollup table or rollup reading: one grouped query for all of them, every period and
    # child (qinqing.core.figure_values), distinct counts per model for the node alone; the others (a compute or
    # a records function) asked per period.
    together = figure_values.grouped(figures, node.path, periods, prefix_len if children else None)
    distinct = figure_values.distinct_totals(figures, node.path, periods)
    for f in figures:
        if not isinstance(f, Figure):
            continue
        per_period = together.get(f.key)
        if f.key in distinct:
            for i in range(len(periods)):
                values[i][f.key] = distinct[f.key][i]
        elif per_period is not None:
            for i, groups in enumerate(per_period):
                values[i][f.key] = sum(groups.values(), figure_values.zero(f))
            if children and prefix_len:
                by_child[f.key] = {c.path: per_period[0].get(c.path, 0) for c in children}
        else:
            for i, p in enumerate(periods):
                values[i][f.key] = f.value(node.path, p)
    current, yoy, mom = ({k: {"value": v} for k, v in vals.items()} for vals in values)
    for f in figures:
        if isinstance(f, Rate):
            for vals in (current, yoy, mom):
                num, den = vals[f.numerator]["value"], vals[f.denominator]["value"]
                vals[f.key] = {"value": _rate(num, den), "numerator": num, "denominator": den}
    sections: dict[str, Section] = {}
    for f in figures:
        rate = isinstance(f, Rate)
        if rate:
            nums, dens = by_child.get(f.numerator), by_child.get(f.denominator)
            child_values = {c.path: _rate(nums[c.path], dens[c.path]) for c in children} if nums and dens else {}
        else:
            child_values = by_child.get(f.key, {})
        value = current[f.key]["value"]
        entry = {k: v for k, v in current[f.key].items() if k != "value"}
        section = sections.setdefault(f.section, Section(f.section, str(SECTIONS[f.section])))
        compare = _diff if rate else _pct
        entry.update(
            key=f.key,
            label=str(f.label),
            unit=str(f.unit),
            is_rate=rate,
            value=value,
            yoy_value=yoy[f.key]["value"],
            mom_value=mom[f.key]["value"],
            yoy=compare(value, yoy[f.key]["value"]),
            mom=compare(value, mom[f.key]["value"]),
            url=drilldown.url(f.key, node.code, period),
            children=[child_values.get(c.path) for c in children] if child_values else [],
        )
        section.figures.append(entry)
    ordered = [sections[k] for k in SECTIONS if k in sections]
    return {
        "node": node,
        "period": period,
        "yoy_period": yoy_period,
        "mom_period": mom_period,
        "children": children,
        "sections": ordered,
        "charts": [_chart(s, children) for s in ordered],
    }


def _rate(num, den):
    return round(100.0 * float(num) / float(den), 2) if num is not None and den else None


def _diff(now, before):
    """Rates compare in percentage points."""
    if now is None or before is None:
        return None
    return round(float(now) - float(before), 2)


def _chart(section: Section, children: list[Child]) -> dict:
    """A grouped bar chart of the section's counts by child (up to four figures), and its table."""
    series = [f for f in section.figures if not f["is_rate"] and f["children"]][:4]
    if not series:
        series_all = [f for f in section.figures if not f["is_rate"]][:6]
        return {
            "id": f"chart-{section.key}",
            "title": section.label,
            "labels": [f["label"] for f in series_all],
            "series": [{"name": _("本期"), "data": [drilldown.plain(f["value"]) for f in series_all]},
                       {"name": _("上年同期"), "data": [drilldown.plain(f["yoy_value"]) for f in series_all]}],
        }  # fmt: skip
    return {
        "id": f"chart-{section.key}",
        "title": section.label,
        "labels": [c.name for c in children],
        "series": [{"name": f["label"], "data": [drilldown.plain(v) for v in f["children"]]} for f in series],
    }
