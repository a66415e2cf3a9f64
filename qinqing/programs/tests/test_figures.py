"""Programs figures: each equals its drill-down rows and rolls up the tree (county → city; the sibling county
sees none of it)."""

from decimal import Decimal

import pytest

from qinqing.core.figures import Period, all_figures, get
from qinqing.programs import actions
from qinqing.reports import drilldown

pytestmark = pytest.mark.django_db


def _value(key, path, period):
    return get(key).value(path, period)


def test_given_the_programs_when_counted_then_figures_roll_up_and_equal_their_records(prog, tree, users):
    data = {"stage": "cultivate", "on": actions.today(), "officer": users.county_staff}
    actions.advance_stage(prog.candidate, actor=users.county_staff, data=data)
    period = Period.year(actions.today().year)
    expected = {
        "programs.pairings": 2, "programs.enterprise_pairings": 1, "programs.chamber_pairings": 1,
        "programs.projects": 1, "programs.funds_committed": Decimal("80"), "programs.funds_spent": Decimal("30.5"),
        "programs.people_employed": 12, "programs.major_donations": 1, "programs.pipeline_gold": 1,
        "programs.pipeline_silver": 0, "programs.pipeline_cultivate": 1, "programs.pipeline_reserve": 0,
        "programs.listed": 0,
    }  # fmt: skip
    if prog.small.donated_on.year == period.start.year and prog.major.donated_on.year == period.start.year:
        expected.update({"programs.donations": 2, "programs.donation_amount": Decimal("170")})
    for key, value in expected.items():
        assert _value(key, tree.county_a.path, period) == value, key
        assert _value(key, tree.city.path, period) == value, key
        zero = Decimal(0) if isinstance(value, Decimal) else 0
        assert _value(key, tree.county_b.path, period) == zero, key
    rate = _value("programs.funds_spent_rate", tree.city.path, period)
    assert rate["value"] == 38.12


def test_given_every_programs_figure_then_its_drilldown_rows_add_up_to_it(prog, tree):
    period = Period.year(actions.today().year)
    figures = [f for f in all_figures(domain="programs") if hasattr(f, "columns")]
    assert len(figures) >= 18
    for figure in figures:
        value = figure.value(tree.city.path, period)
        rows = list(drilldown.rows(figure, tree.city.path, period))
        if figure.measure == "count":
            assert len(rows) == value, figure.key
        else:
            i = drilldown.amount_index(figure)
            assert sum((Decimal(r[i] or 0) for r in rows), Decimal(0)) == Decimal(value), figure.key


def test_given_a_pairing_ended_before_the_period_then_it_is_not_counted(prog, tree, users):
    last_year = Period.year(actions.today().year - 1)
    data = {"party_kind": "enterprise", "enterprise": tree.ent_a, "county_code": "430621", "village": "旧村",
            "started_on": actions.today().replace(year=actions.today().year - 3, month=1, day=1),
            "ended_on": actions.today().replace(year=actions.today().year - 2, month=6, day=1)}  # fmt: skip
    actions.save_pairing(actor=users.county_staff, data=data)

    assert _value("programs.pairings", tree.county_a.path, last_year) == 2 - _started_this_year(prog)


def _started_this_year(prog) -> int:
    year = actions.today().year
    return sum(p.started_on.year == year for p in (prog.pairing, prog.chamber_pairing))
