"""The traceability rule, for every registered figure (other domains' figures included automatically):
its drill-down CSV has as many rows as a count figure says, or its amount column sums to a sum figure;
a rate shows the numerator and denominator of its two figures."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from qinqing.core.demo import make_context, run
from qinqing.core.figures import Figure, Period, Rate, all_figures
from qinqing.reports import drilldown


@pytest.fixture
def demo(db):
    ctx = make_context("test")
    run(ctx)
    from qinqing.accounts.models import User

    staff = User.objects.create_user(
        username="reports_root", name="reports_root", role="fic_staff", org=ctx.root, password="x",
        must_change_password=False,
    )  # fmt: skip
    leader = User.objects.create_user(
        username="reports_leader", name="reports_leader", role="fic_leader", org=ctx.root, password="x",
        must_change_password=False,
    )  # fmt: skip
    return ctx, staff, leader


def _periods():
    today = timezone.localdate()
    return [
        Period.year(today.year),
        Period.year(today.year - 1),
        Period(today - dt.timedelta(days=90), today),
    ]


def test_given_demo_data_when_exporting_each_figure_then_csv_adds_up_to_the_figure(demo, client):
    """Every figure, read by staff or (a figure with its own permission, e.g. 亲清日志's) by a leader."""
    from django.test import Client

    ctx, staff, leader = demo
    client.force_login(staff)
    staff_client = client
    leader_client = Client()
    leader_client.force_login(leader)
    figures = all_figures()
    assert len(figures) >= 20
    assert any(f.permission for f in figures)  # the restricted ones are walked too
    nonzero = set()
    for period in _periods():
        for node in (ctx.root, ctx.counties[0]):
            for figure in figures:
                if figure.permission:
                    assert not staff.has_perm(figure.permission) and leader.has_perm(figure.permission)
                    url = drilldown.url(figure.key, node.code, period, csv_export=not isinstance(figure, Rate))
                    assert staff_client.get(url).status_code == 404, figure.key
                client = leader_client if figure.permission else staff_client
                if isinstance(figure, Rate):
                    response = client.get(drilldown.url(figure.key, node.code, period))
                    assert response.status_code == 200, figure.key
                    value = figure.value(node.path, period)
                    num = all_figures_by_key()[figure.numerator].value(node.path, period)
                    den = all_figures_by_key()[figure.denominator].value(node.path, period)
                    assert (value["numerator"], value["denominator"]) == (num, den), figure.key
                    page = response.content.decode()
                    assert f'id="numerator">{num}<' in page and f'id="denominator">{den}<' in page, figure.key
                    body = client.get(drilldown.url(figure.key, node.code, period, csv_export=True)).content
                    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
                    assert [lines[1][3], lines[2][3]] == [drilldown.display(num), drilldown.display(den)]
                    continue
                assert isinstance(figure, Figure)
                value = figure.value(node.path, period)
                assert value == figure.direct_value(node.path, period), figure.key  # a rollup agrees
                response = client.get(drilldown.url(figure.key, node.code, period, csv_export=True))
                assert response.status_code == 200, figure.key
                lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
                header, body = lines[0], lines[1:]
                if figure.measure == "count":
                    assert len(body) == value, (figure.key, period, len(body), value)
                elif figure.measure.startswith("sum:"):
                    i = drilldown.amount_index(figure)
                    assert i is not None, f"{figure.key}: a sum figure needs an amount column"
                    total = sum((Decimal(row[i] or 0) for row in body), Decimal(0))
                    assert total == Decimal(value), (figure.key, total, value)
                else:  # distinct: the drill-down lists each counted thing once
                    assert len(body) == value, figure.key
                assert header == drilldown.headers(figure)
                if value:
                    nonzero.add(figure.key)
    # The demo data exercises the figures (a rule checked on empty lists would prove nothing).
    assert {"appeals.received", "registry.members", "meetings.held", "reports.outputs"} <= nonzero, sorted(nonzero)
    assert len(nonzero) >= 20, sorted(nonzero)


def all_figures_by_key():
    return {f.key: f for f in all_figures()}


def test_given_rate_when_denominator_is_zero_then_value_is_none_not_an_error(db, tree):
    rate = next(f for f in all_figures() if isinstance(f, Rate))
    assert rate.value(tree.county_a.path, Period.year(1990))["value"] is None
