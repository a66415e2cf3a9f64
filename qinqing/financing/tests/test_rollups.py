"""The financing rollups (rollups.py) against the direct queries: a random walk of real actions — needs from
visits and enterprises, pushes to two banks, stages forward, refusals with catalogued reasons, fix tasks and
recommendation to the other bank, an enterprise that moves to another FIC between its needs, a need edited and
one deleted — then every financing figure, the page's batch of values and refusal reasons, and the rebuilt
tables must agree with counting the records themselves."""

import datetime as dt
import io
import random

import pytest
from django.core.management import call_command

from qinqing.core import rollups
from qinqing.core.figures import Figure, Period, all_figures, get
from qinqing.financing import actions
from qinqing.financing import figures as fin_figures
from qinqing.financing.choices import FixStatus, ListState, Stage
from qinqing.financing.models import FinancingNeed, FixTask, NeedReferral, RefusalReason, StageEvent

from .conftest import need_data

NAMES = ("financing_needs", "financing_referrals", "financing_steps", "financing_reach")


def _table(name: str) -> set[tuple]:
    rollup = rollups.get(name)
    return set(rollup.target_model.objects.values_list(*rollup.key_columns, *rollup.measure_columns))


@pytest.fixture
def walked(tree, users, fin):
    """~30 needs of five enterprises over five months taken through random funnels at two banks."""
    from qinqing.registry.models import Enterprise

    rng = random.Random(12)
    today = actions.today()
    extra = [
        Enterprise.objects.create(credit_code=f"91430621MA4L0R{i:04d}", name=f"汇总测试企业{i}", fic=fic,
                                  org_path=fic.path, region_code=fic.region_code)
        for i, fic in enumerate([tree.county_a, tree.county_b, tree.county_a])
    ]  # fmt: skip
    movers = extra[2]  # moves from county A to county B half-way
    enterprises = [tree.ent_a, tree.ent_b, *extra]
    bankers = {tree.bank.pk: users.banker, fin.bank2.pk: fin.banker2}
    banks = [tree.bank, fin.bank2]
    reasons = list(RefusalReason.objects.filter(is_active=True))
    staff = users.city_staff

    def walk(referral: NeedReferral, day: dt.date) -> None:
        banker = bankers[referral.bank_id]
        for stage in (Stage.CONTACTED, Stage.INTENDED, Stage.CREDITED, Stage.LENT):
            day = min(today, day + dt.timedelta(days=rng.randint(0, 12)))
            if rng.random() < 0.2:
                reason = rng.choice(reasons)
                actions.record_stage(referral, actor=banker, data={"stage": Stage.REFUSED, "on": day,
                                     "reason": reason.code, "reason_text": "经核实"})  # fmt: skip
                task = FixTask.objects.filter(referral=referral).first()
                if task is not None and rng.random() < 0.7:
                    actions.complete_fix_task(task, actor=staff, result="已整改", on=day)
                    other = banks[1 - banks.index(referral.bank)]
                    fresh = actions.rerecommend(referral, actor=staff, bank=other, on=day)
                    walk(fresh, day)
                return
            if rng.random() < 0.25:
                return
            amount = {Stage.INTENDED: "300", Stage.CREDITED: "250", Stage.LENT: "240"}.get(stage)
            actions.record_stage(referral, actor=banker, data={"stage": stage, "on": day, "amount": amount})

    for i in range(30):
        if i == 15:
            movers.fic, movers.org_path, movers.region_code = tree.county_b, tree.county_b.path, "430623"
            movers.save()
        enterprise = rng.choice(enterprises)
        stated = today - dt.timedelta(days=rng.randint(0, 150))
        data = need_data(amount=str(rng.randint(10, 900)), is_first_loan=rng.random() < 0.4)
        source = rng.choice(["visit", "import", "enterprise"])
        need = actions.state_need(actor=staff, enterprise=enterprise, stated_on=stated, source=source, data=data)
        if rng.random() < 0.2:  # edited before it is pushed
            actions.update_need(need, actor=staff, data=need_data(amount="123", is_first_loan=not need.is_first_loan))
        if rng.random() < 0.8:
            need.list_state = ListState.RECOMMENDED
            need.save(update_fields=["list_state", "updated_at"])
            on = min(today, stated + dt.timedelta(days=rng.randint(0, 10)))
            batch = actions.push_batch(actor=staff, bank=rng.choice(banks), needs=[need], on=on)
            walk(batch.referrals.get(), on)
    # One need and everything under it removed (referrals and steps go by cascade).
    doomed = NeedReferral.objects.filter(stage=Stage.LENT).first().need
    doomed.delete()
    return enterprises


def _periods() -> list[Period]:
    today = actions.today()
    first = today.replace(day=1)
    back = (first - dt.timedelta(days=70)).replace(day=1)
    return [
        Period(dt.date(today.year - 1, 1, 1), dt.date(today.year, 12, 31)),  # month-aligned, from the reach
        Period(back, today),
        Period(back, first - dt.timedelta(days=1)),
        Period(first, first),
        Period(today - dt.timedelta(days=40), today),  # not from a 1st: the direct query
    ]


def test_given_random_funnels_when_reading_figures_then_each_rollup_value_equals_its_records(walked, tree):
    # Given the walk produced the cases the rollups must follow
    assert {Stage.REFUSED, Stage.LENT, Stage.CREDITED} <= set(StageEvent.objects.values_list("stage", flat=True))
    assert NeedReferral.objects.filter(previous__isnull=False).exists()  # recommended again after a fix
    assert FixTask.objects.filter(status=FixStatus.FIXED).exists()
    assert FinancingNeed.objects.filter(enterprise=walked[4]).values("org_path").distinct().count() == 2
    figures = [f for f in all_figures(domain="financing") if isinstance(f, Figure)]
    assert sum(1 for f in figures if f.rollup) >= 8 and sum(1 for f in figures if f.compute) == 6
    nonzero = set()
    for path in (tree.province.path, tree.city.path, tree.county_a.path, tree.county_b.path):
        for period in _periods():
            direct = {f.key: f.direct_value(path, period) for f in figures}
            # When each figure is read through the registry (rollups), and all at once as the page does
            for f in figures:
                # Then it equals the aggregate of its drill-down records
                assert f.value(path, period) == direct[f.key], (f.key, path, period)
            batch = fin_figures.values_batch(path, period, {"bank": "", "region": "", "industry": "", "size": ""})
            assert {k: batch[k] for k in direct} == direct, (path, period)
            nonzero |= {k for k, v in direct.items() if v}
            # And the refusal reasons per name agree with grouping the refused steps
            qs = fin_figures.records(get("financing.refused"), path, period, {})
            expected = {}
            for name in qs.values_list("referral__refusal_reason__name", flat=True):
                expected[name] = expected.get(name, 0) + 1
            assert dict(fin_figures.refusal_reasons(path, period, {})) == expected
    # The walk exercises every distinct-enterprise figure (a rule checked on zeros would prove nothing)
    assert {f.key for f in figures if f.compute} <= nonzero, sorted(nonzero)


def test_given_an_enterprise_under_two_fics_when_counting_the_city_then_it_counts_once(walked, tree):
    mover = walked[4]
    period = Period(dt.date(2000, 1, 1), dt.date(2100, 12, 31))
    figure = get("financing.need_enterprises")
    per_county = [
        FinancingNeed.objects.filter(enterprise=mover, org_path__startswith=p).exists()
        for p in (tree.county_a.path, tree.county_b.path)
    ]
    assert per_county == [True, True]
    # The mover is one enterprise of the city but one of each county
    assert figure.value(tree.city.path, period) == FinancingNeed.objects.values("enterprise").distinct().count()
    assert figure.value(tree.county_a.path, period) + figure.value(tree.county_b.path, period) == (
        figure.value(tree.city.path, period) + 1
    )


def test_given_random_funnels_when_rebuilding_then_the_tables_are_what_the_actions_kept(walked):
    # Given the rollups the actions and saves maintained
    kept = {name: _table(name) for name in NAMES}
    assert all(kept.values())
    # When they are rebuilt from the records by the management command
    call_command("rebuild_rollups", *NAMES, stdout=io.StringIO())
    # Then each table is row for row the same (no stale or emptied keys left behind)
    assert {name: _table(name) for name in NAMES} == kept


def test_given_random_funnels_when_the_reach_is_rebuilt_in_sql_then_it_equals_the_python_rebuild(walked):
    from django.db import connection

    from qinqing.financing.rollups import REACH

    if connection.vendor != "postgresql":
        pytest.skip("the SQL rebuild is PostgreSQL's (generate_series, date_trunc); SQLite rebuilds in Python")
    # Given the reach rebuilt from the records in Python (as on SQLite)
    python_rows = REACH.rebuild_python()
    by_python = _table("financing_reach")
    # When it is rebuilt in SQL
    sql_rows = REACH.rebuild_sql()
    # Then the same rows, several per enterprise and subtree (the walk has chains of many days)
    assert _table("financing_reach") == by_python
    assert sql_rows == python_rows == len(by_python) > 30


def test_given_a_stage_recorded_when_reading_the_figures_then_counts_move_in_the_same_transaction(tree, users, fin):
    # Given a need pushed to a bank
    on = actions.today().replace(day=1)
    batch = actions.push_batch(actor=users.county_staff, bank=tree.bank, needs=[fin.need], on=on)
    referral = batch.referrals.get()
    period = Period(on, actions.today())
    lent = get("financing.lent")
    credited = get("financing.credited")
    assert (credited.value(tree.city.path, period), lent.value(tree.city.path, period)) == (0, 0)
    # When the bank records credit and then a loan
    actions.record_stage(referral, actor=users.banker, data={"stage": "credited", "amount": "250", "on": on})
    actions.record_stage(referral, actor=users.banker, data={"stage": "lent", "amount": "250", "on": on})
    # Then the enterprise counts once in each, read from the reach table
    assert (credited.value(tree.city.path, period), lent.value(tree.city.path, period)) == (1, 1)
    assert get("financing.loan_amount").value(tree.city.path, period) == 250


def test_given_a_record_saved_when_its_reach_is_recomputed_then_the_enterprise_row_is_locked_first(tree, users, fin):
    # Reaches do not add up: two writers of one enterprise must take turns (SELECT … FOR UPDATE on PostgreSQL)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        actions.push_batch(actor=users.county_staff, bank=tree.bank, needs=[fin.need], on=actions.today())
    sql = [q["sql"] for q in queries.captured_queries]
    locks = [i for i, q in enumerate(sql) if "registry_enterprise" in q and "FOR UPDATE" in q]
    reads = [i for i, q in enumerate(sql) if "financing_needreferral" in q and "SELECT" in q and "enterprise_id" in q]
    if connection.features.has_select_for_update:
        assert locks and reads and locks[0] < reads[0]
    else:  # SQLite: one writer at a time anyway, no row locks
        assert not locks


def test_given_random_funnels_when_building_the_dashboard_then_financing_figures_come_from_the_rollups(walked, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qinqing.reports import dashboard

    # Whole months (so 环比 is the same number of whole months before, and 户数 come from the reach too)
    end = actions.today().replace(day=1) - dt.timedelta(days=1)
    period = Period((end - dt.timedelta(days=70)).replace(day=1), end)
    figures = [f for f in all_figures(domain="financing") if isinstance(f, Figure)]
    # When the city's dashboard is built (the period, 同比, 环比 and each county)
    with CaptureQueriesContext(connection) as ctx:
        data = dashboard.build(tree.city, period)
    # Then no financing record table is read: the sums and counts from their rollups, 户数 from the reach
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    for table in ("financing_financingneed", "financing_needreferral", "financing_stageevent"):
        assert f'FROM "{table}"' not in sql and f'JOIN "{table}"' not in sql, table
    assert '"financing_financingreach"' in sql and '"financing_steprollup"' in sql
    # And every value equals the direct query on the records
    shown = {f["key"]: f for section in data["sections"] for f in section.figures}
    periods = {"value": period, "yoy_value": data["yoy_period"], "mom_value": data["mom_period"]}
    assert any(shown[f.key]["value"] for f in figures)
    for figure in figures:
        for field, p in periods.items():
            assert shown[figure.key][field] == figure.direct_value(tree.city.path, p), (figure.key, field)
        if shown[figure.key]["children"]:
            children = [figure.direct_value(c.path, period) for c in data["children"]]
            assert shown[figure.key]["children"] == children, figure.key


def test_given_a_provisional_enterprise_with_needs_when_merged_then_the_reach_counts_one_enterprise(tree, users, fin):
    from qinqing.registry import provisional

    # Given a provisional enterprise of county A that stated a need, as ent_a (the merge target) did
    temp = provisional.create_provisional_enterprise(actor=users.county_staff, name="临时融资企业")
    actions.state_need(
        actor=users.city_staff, enterprise=temp, stated_on=actions.today(), source="visit", data=need_data()
    )
    assert FinancingNeed.objects.filter(enterprise=tree.ent_a).exists()
    # When it is merged into ent_a (its needs move by QuerySet.update, which sends no signal)
    provisional.merge_provisional(temp, into=tree.ent_a, actor=users.city_staff)
    assert FinancingNeed.objects.filter(enterprise=tree.ent_a).count() == 2
    # Then the reach the merge kept is the reach of the records: one enterprise where there were two
    kept = _table("financing_reach")
    call_command("rebuild_rollups", "financing_reach", stdout=io.StringIO())
    assert _table("financing_reach") == kept
