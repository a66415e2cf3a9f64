"""Figures: the demo's year, each figure equal to its drill-down rows, breakdowns adding up, roll-up by node."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qinqing.activities import figures as act_figures
from qinqing.core.demo import make_context
from qinqing.core.figures import Figure, Period, all_figures


@pytest.fixture
def demo(db):
    """The tree, the demo users, the registry's enterprises and this domain's year (not every domain's demo)."""
    import random
    import time

    from qinqing.activities import demo as activities_demo
    from qinqing.core.demo_tree import build_tree, create_demo_users
    from qinqing.registry import demo as registry_demo

    ctx = make_context("test")
    build_tree(ctx)
    create_demo_users(ctx)
    ctx.rng = random.Random(f"{ctx.seed}:registry")
    registry_demo.seed(ctx)
    ctx.rng = random.Random(f"{ctx.seed}:activities")
    started = time.perf_counter()
    activities_demo.seed(ctx)
    return ctx, time.perf_counter() - started


def _periods():
    today = timezone.localdate()
    return [Period.year(today.year), Period.year(today.year - 1), Period(today.replace(day=1), today)]


def test_given_the_demo_when_each_figure_is_drilled_down_then_its_rows_equal_it_and_breakdowns_add_up(demo):
    ctx, _timings = demo
    figures = [f for f in all_figures(domain="activities") if isinstance(f, Figure)]
    nonzero = set()
    for period in _periods():
        for node in (ctx.city, ctx.counties[0]):
            for figure in figures:
                value = figure.value(node.path, period)
                rows = act_figures.records(figure, node.path, period, {}).order_by(*figure.order_by)
                listed = list(rows.values_list(*[c.lookup for c in figure.columns]))
                if figure.measure.startswith("sum:"):
                    index = next(i for i, c in enumerate(figure.columns) if c.amount)
                    assert sum(r[index] for r in listed) == value, figure.key
                else:
                    assert len(listed) == value, (figure.key, len(listed), value)
                for by in act_figures.BY:
                    groups = act_figures.breakdown(figure, node.path, period, {}, by)
                    if figure.measure.startswith("distinct:"):  # one enterprise may be in several groups
                        assert sum(groups.values()) >= value, (figure.key, by)
                    else:
                        assert sum(groups.values()) == value, (figure.key, by)
                for kind, n in act_figures.breakdown(figure, node.path, period, {}, "kind").items():
                    assert act_figures.value(figure, node.path, period, {"kind": kind}) == n, (figure.key, kind)
                nonzero |= {figure.key} if value else set()
    assert {"activities.activities", "activities.sessions", "activities.attendances", "activities.enterprises",
            "activities.jobs", "activities.intentions", "activities.ideals"} <= nonzero  # fmt: skip


def test_given_the_demo_when_the_city_rolls_up_then_each_county_is_one_row_with_its_subtree(demo):
    ctx, _timings = demo
    period = Period.year(timezone.localdate().year)
    figure = next(f for f in all_figures(domain="activities") if f.key == "activities.sessions")

    groups = act_figures.breakdown(figure, ctx.city.path, period, {}, "region")

    from qinqing.orgs.models import Organization

    children = set(Organization.objects.filter(parent=ctx.city).values_list("path", flat=True))
    assert set(groups) <= {ctx.city.path, *children} and ctx.counties[0].path in groups
    for county in ctx.counties:
        assert groups.get(county.path, 0) == figure.value(county.path, period)


def test_given_a_kind_filter_when_the_records_page_opens_then_its_rows_equal_the_figure(demo):
    ctx, _timings = demo
    from qinqing.accounts.models import User

    staff = User.objects.create_user(username="act_city", name="act_city", role="fic_staff", org=ctx.city,
                                     password="x", must_change_password=False)  # fmt: skip
    client = Client()
    client.force_login(staff)
    year = timezone.localdate().year
    query = f"?start={year}-01-01&end={year}-12-31&kind=training"

    page = client.get(reverse("activities:figures") + query)
    records = client.get(reverse("activities:figure_records", args=["activities.activities"]) + query)

    assert page.status_code == 200 and records.status_code == 200
    value = int(records.content.decode().split('id="figure-value">')[1].split("<")[0])
    assert records.content.decode().count("<tr>") - 1 == min(value, 50)
