"""The dashboard and the figures page ask the registry for all their figures at once (qinqing.core.figure_values):
one grouped query per model or rollup table, not one per figure, and the same values as asking each figure."""

import datetime as dt
import re
from dataclasses import replace

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qinqing.core import figure_values
from qinqing.core import figures as registry
from qinqing.core.figures import Figure, Period, Rate, visible_figures
from qinqing.reports import dashboard, drilldown

from . import test_traceability

demo = test_traceability.demo  # the demo data, a staff user and a leader (shared fixture)


def _periods():
    today = timezone.localdate()
    return [
        Period(dt.date(today.year, 1, 1), today),
        Period.year(today.year - 1),
        Period(today - dt.timedelta(90), today),
    ]


def test_given_demo_data_when_building_dashboard_then_every_value_is_the_figures_own(demo):
    ctx, _staff, leader = demo
    figures = visible_figures(leader)
    assert any(f.permission for f in figures)  # a leader's dashboard, restricted figures included
    by_key = {f.key: f for f in figures}
    nonzero = set()
    for node in (ctx.root, ctx.counties[0]):
        for period in _periods():
            # When the dashboard is built
            data = dashboard.build(node, period, user=leader)
            shown = {f["key"]: f for section in data["sections"] for f in section.figures}
            assert set(shown) == set(by_key)
            # Then the period, 同比 and 环比 are each figure's value, and so is every child's column
            for key, figure in by_key.items():
                if isinstance(figure, Rate):
                    expected = figure.value(node.path, period)
                    assert (shown[key]["numerator"], shown[key]["denominator"]) == (
                        expected["numerator"],
                        expected["denominator"],
                    ), key
                    continue
                for field, p in (
                    ("value", period),
                    ("yoy_value", data["yoy_period"]),
                    ("mom_value", data["mom_period"]),
                ):
                    assert shown[key][field] == figure.value(node.path, p), (key, field, p)
                if shown[key]["children"]:
                    expected = [figure.value(c.path, period) for c in data["children"]]
                    assert shown[key]["children"] == expected, key
                if shown[key]["value"]:
                    nonzero.add(key)
            # And the figures page gives the same values
            page = drilldown.values(figures, node.path, period)
            for key, figure in by_key.items():
                assert page[key] == drilldown.value_of(figure, node.path, period), key
    assert len(nonzero) >= 20, sorted(nonzero)  # the demo exercises the figures


def _tables(queries) -> list[str]:
    return [m.group(1) for q in queries if (m := re.search(r'\bFROM "(\w+)"', q["sql"]))]


def _batched_tables(figures) -> set[str]:
    """The tables of the figures counted from their records in a shared query (and of no figure asked alone)."""
    figures = [f for f in figures if isinstance(f, Figure) and f.rollup is None and f.reading is None]
    # (distinct counts have a query of their own: they are not split by child)
    alone = {f.model for f in figures if not figure_values.batchable(f) or f.measure.startswith("distinct:")}
    return {apps.get_model(f.model)._meta.db_table for f in figures if f.model not in alone}


def _count(fn) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries), _tables(ctx.captured_queries)


def test_given_more_figures_of_a_model_when_building_pages_then_no_query_is_added(demo, monkeypatch):
    ctx, _staff, leader = demo
    period = _periods()[0]
    board = lambda: dashboard.build(ctx.root, period, user=leader)  # noqa: E731
    page = lambda: drilldown.values(visible_figures(leader), ctx.root.path, period)  # noqa: E731
    board()  # caches warm (menus, content types)
    before_board, tables = _count(board)
    before_page, page_tables = _count(page)
    # Each table of figures counted from their records is read by one query on either page
    shared = _batched_tables(visible_figures(leader))
    assert len(shared) >= 15
    for table in shared:
        assert tables.count(table) == 1, (table, tables.count(table))
        assert page_tables.count(table) == 1, (table, page_tables.count(table))
    # Given ten more figures on models already shown (counted, summed, with a condition)
    registry.discover()
    extra = []
    for i, key in enumerate(["mediation.cases", "mediation.amount", "meetings.issues", "legal.risk_red", "health.low"]):
        base = registry.get(key)
        extra += [replace(base, key=f"{key}_copy{i}"), replace(base, key=f"{key}_copy{i}b", filters={**base.filters})]
    monkeypatch.setattr(registry, "_REGISTRY", {**registry._REGISTRY, **{f.key: f for f in extra}})
    # Then neither page makes a query more
    assert _count(board)[0] == before_board
    assert _count(page)[0] == before_page
    # And the old way (one query per figure) would have shown: far more queries than models
    assert before_board < len([f for f in visible_figures(leader) if isinstance(f, Figure)])
