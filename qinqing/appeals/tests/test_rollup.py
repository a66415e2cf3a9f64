"""The appeals rollup (appeals/rollups.py) against the direct query: a random walk of real actions — 退回,
重办 after an unsatisfied callback, merges, pauses, extensions, the deadline sweep — and then every dimension,
every registry figure and the rebuilt table must agree with counting the appeals themselves."""

import contextlib
import datetime as dt
import io
import random

import pytest

from qinqing.appeals import actions
from qinqing.appeals import figures as fig
from qinqing.appeals.filters import filter_appeals
from qinqing.appeals.models import Appeal, AppealDepartmentRollup, AppealEvent, AppealMonthRollup, AppealRollup
from qinqing.core import figure_values, rollups
from qinqing.core.errors import Refused
from qinqing.core.figures import Period, all_figures


def _rollup_table() -> set[tuple]:
    fields = [*AppealRollup.KEYS, *rollups.get("appeals").measure_columns]
    return set(AppealRollup.objects.values_list(*fields))


def _month_table() -> set[tuple]:
    fields = ["day", "org_path", *rollups.get("appeals_months").measure_columns]
    return set(AppealMonthRollup.objects.values_list(*fields))


def _department_table() -> set[tuple]:
    fields = ["day", "org_path", "department", "contact_wait", "reply_wait"]
    return set(AppealDepartmentRollup.objects.values_list(*fields, *rollups.get("appeals_departments").measure_columns))


@pytest.fixture
def walked(users, tree, kinds, fixed_today):
    """About 40 appeals in two counties taken through ~200 random steps over six weeks of days."""
    rng = random.Random(17)
    day = dt.date(2026, 3, 2)
    fixed_today(day)
    staff = {tree.county_a.pk: users.county_staff, tree.county_b.pk: users.county_b_staff}
    dept = {tree.county_a.pk: (tree.dept_a, users.liaison), tree.county_b.pk: (tree.dept_b, users.liaison_b)}
    appeals: list[Appeal] = []

    def register():
        ent, actor = rng.choice([(tree.ent_a, users.enterprise), (tree.ent_b, users.enterprise_b)])
        appeals.append(
            actions.register_appeal(
                actor=actor,
                enterprise=ent,
                appeal_type=rng.choice([kinds.consult, kinds.complaint]),
                domain=rng.choice([kinds.finance, kinds.labour]),
                channel=rng.choice(["online", "hotline", "visit"]),
                title=f"诉求{len(appeals)}",
                description="企业反映的问题需要协调解决",
            )
        )

    def step(a: Appeal):
        a.refresh_from_db()
        fic_staff = staff[a.fic_id]
        department, liaison = dept[a.fic_id]
        # A move the appeal's state allows (mostly forward, sometimes sideways), as staff would make.
        by_state = {
            "registered": [(8, lambda: actions.accept_appeal(a, actor=fic_staff)),
                           (1, lambda: actions.reject_appeal(a, actor=fic_staff, reason="不属于受理范围"))],
            "accepted": [(1, lambda: actions.assign_appeal(a, actor=fic_staff, lead_department=department))],
            "assigned": [(6, lambda: actions.contact_enterprise(a, actor=liaison, comment="已电话联系")),
                         (1, lambda: actions.return_appeal(a, actor=liaison, reason="不属于本单位职责")),
                         (1, lambda: actions.request_extension(a, actor=liaison, days=3, reason="需要现场核查"))],
            "contacted": [(6, lambda: actions.reply_appeal(a, actor=liaison, reply="已答复企业")),
                          (1, lambda: actions.pause_appeal(a, actor=liaison, reason="等待企业补充材料"))],
            "replied": [(1, lambda: actions.record_callback(a, actor=fic_staff, satisfaction=rng.choice([1, 2, 4, 5]),
                                                             solved=rng.random() < 0.6))],
        }  # fmt: skip
        moves = list(by_state.get(a.status, []))
        if a.is_paused:
            moves = [(1, lambda: actions.resume_appeal(a, actor=liaison))]
        elif a.status not in ("closed", "rejected", "merged"):
            masters = [b for b in appeals if b.fic_id == a.fic_id and b.pk != a.pk]
            moves.append((1, lambda: actions.merge_appeal(a, actor=fic_staff, master=rng.choice(masters))))
        if not moves:
            return
        with contextlib.suppress(Refused):  # e.g. a merge into a closed appeal: refused, nothing changes
            rng.choices([m for _w, m in moves], [w for w, _m in moves])[0]()

    for _ in range(6):
        for _ in range(7):
            register()
        for _ in range(35):
            step(rng.choice(appeals))
        for ext in [e for a in appeals for e in a.extensions.filter(status="pending")]:
            actions.decide_extension(ext, actor=staff[ext.appeal.fic_id], approve=rng.random() < 0.5, note="按规定处理")
        day += dt.timedelta(days=7)
        fixed_today(day)
        actions.mark_deadlines(day)  # 超期 flags written by the sweep
    return appeals


def test_given_random_handling_when_reading_figures_from_the_rollup_then_they_equal_the_direct_query(
    walked, users, tree
):
    # Given the walk produced the cases the rollup must follow
    qs = Appeal.objects.all()
    assert qs.filter(rehandle_count__gt=0).exists() and qs.filter(status="merged").exists()
    assert qs.filter(ever_overdue=True).exists() and qs.filter(lead_department__isnull=False).exists()
    assert {"pause", "resume", "return", "request_extension"} <= set(
        AppealEvent.objects.values_list("action", flat=True)
    )
    # When every dimension is read both ways for the city, a county, and filtered views
    for user in (users.leader, users.county_staff):
        for params in ({}, {"type": "consult"}, {"channel": "hotline", "from": "2026-03-09", "to": "2026-03-31"}):
            direct, _ = filter_appeals(fig_visible(user), params)
            rolled = fig.rollup_source(user, params)
            for dimension in fig.DIMENSIONS:
                # Then each group's counts and rates are the same
                assert fig.by_dimension(rolled, dimension, base_path=user.org.path) == fig.by_dimension(
                    direct, dimension, base_path=user.org.path
                ), (user.username, params, dimension)


def fig_visible(user):
    from qinqing.appeals.permissions import visible_appeals

    return visible_appeals(user)


def test_given_random_handling_when_registry_figures_read_the_rollup_then_each_equals_its_records(walked, tree):
    # When each appeals figure of the registry is read (from the rollup) for several scopes and periods
    periods = [Period(dt.date(2026, 3, 1), dt.date(2026, 4, 30)), Period(dt.date(2026, 3, 9), dt.date(2026, 3, 15))]
    figures = [f for f in all_figures(domain="appeals") if getattr(f, "rollup", None)]
    assert len(figures) >= 8
    for path in (tree.province.path, tree.county_a.path, tree.county_b.path):
        for period in periods:
            for f in figures:
                # Then it equals the count of its drill-down records
                assert f.value(path, period) == f.direct_value(path, period) == f.drilldown(path, period).count()


def test_given_random_handling_when_rebuilding_then_the_table_is_what_the_actions_kept(walked):
    # Given the rollup the actions maintained
    kept = _rollup_table()
    assert kept
    # When it is rebuilt from the appeals by the management command
    from django.core.management import call_command

    call_command("rebuild_rollups", "appeals", stdout=io.StringIO())
    # Then the table is row for row the same (no stale or empty keys were left behind)
    assert _rollup_table() == kept


def test_given_random_handling_when_rebuilding_then_the_month_table_is_what_the_actions_kept(walked):
    # Given the month rollup the actions maintained, over the two months the walk spans
    kept = _month_table()
    assert {day.month for day, *_rest in kept} == {3, 4}
    # When it is rebuilt from the appeals
    from django.core.management import call_command

    call_command("rebuild_rollups", "appeals_months", stdout=io.StringIO())
    # Then it is row for row the same
    assert _month_table() == kept


def test_given_random_handling_when_reading_department_rows_from_the_department_rollup_then_they_equal_the_direct_query(
    walked, users, tree, fixed_today
):
    # Given the walk left appeals waiting for their first contact or reply, some of them late by now
    assert (
        Appeal.objects.filter(assigned_at__isnull=False, contacted_at__isnull=True)
        .exclude(status__in=["closed", "rejected", "merged"])
        .exists()
    )
    late = set()
    for today in (dt.date(2026, 4, 13), dt.date(2026, 3, 20)):  # late as of the walk's end, and earlier
        fixed_today(today)
        for user in (users.leader, users.county_staff):
            for params in ({}, {"department": str(tree.dept_a.pk)}):
                # When the department rows are read from the month × department table and from the appeals
                source = fig.department_source(user, params)
                assert source is not None and source.model is AppealDepartmentRollup
                direct, _ = filter_appeals(fig_visible(user), params)
                rows = fig.by_dimension(source, "department", base_path=user.org.path)
                # Then every department's counts and rates, late ones included, are the same
                assert rows == fig.by_dimension(direct, "department", base_path=user.org.path), (today, user, params)
                late.update(r["label"] for r in rows if r["contact_missed"] or r["reply_missed"])
    assert late  # the comparison covered departments with late appeals
    # And a filter the table summed away (dates, type, domain, channel) or a state reads the daily rows instead
    for params in ({"from": "2026-03-09"}, {"type": "consult"}, {"channel": "hotline"}, {"status": "closed"}):
        assert fig.department_source(users.leader, params) is None


def test_given_random_handling_when_rebuilding_then_the_department_table_is_what_the_actions_kept(walked):
    # Given the month × department rollup the actions maintained
    kept = _department_table()
    assert {department for _day, _path, department, *_rest in kept} > {0}
    # When it is rebuilt from the appeals
    from django.core.management import call_command

    call_command("rebuild_rollups", "appeals_departments", stdout=io.StringIO())
    # Then it is row for row the same
    assert _department_table() == kept


def test_given_random_handling_when_pages_read_whole_months_and_days_then_each_figure_equals_its_records(walked, tree):
    # Given periods of whole months, of days inside a month, and of months with days at either end
    periods = [
        Period(dt.date(2026, 3, 1), dt.date(2026, 4, 30)),
        Period(dt.date(2026, 3, 9), dt.date(2026, 3, 15)),
        Period(dt.date(2026, 3, 10), dt.date(2026, 4, 8)),
        Period(dt.date(2026, 2, 20), dt.date(2026, 3, 31)),
        Period(dt.date(2026, 4, 1), dt.date(2026, 4, 12)),
        Period(dt.date(2026, 3, 1), dt.date(2026, 4, 8)),
        Period(dt.date(2026, 3, 5), dt.date(2026, 4, 30)),
        Period(dt.date(2026, 2, 27), dt.date(2026, 4, 6)),
    ]
    figures = [f for f in all_figures(domain="appeals") if getattr(f, "rollup", None)]
    prefix_len = len(tree.county_a.path)
    for scope, split in ((tree.province.path, None), (tree.city.path, prefix_len)):
        # When the dashboard's grouped read takes them (the month table for whole months, the days from the daily)
        grouped = figure_values.grouped(figures, scope, periods, split)
        for f in figures:
            for i, period in enumerate(periods):
                groups = grouped[f.key][i]
                # Then the scope's total and every child's value equal the count of the figure's records
                assert sum(groups.values(), 0) == f.drilldown(scope, period).count(), (f.key, period)
                if split:
                    for child in (tree.county_a, tree.county_b):
                        assert groups.get(child.path, 0) == f.drilldown(child.path, period).count(), (f.key, period)


def test_given_an_appeal_deleted_when_reading_the_rollup_then_it_no_longer_counts(make_appeal, users, tree):
    # Given two appeals
    first, second = make_appeal("甲"), make_appeal("乙")
    assert AppealRollup.objects.get().received == 2
    # When one is deleted
    first.delete()
    # Then the rollup counts the other only, and an emptied key disappears
    assert AppealRollup.objects.get().received == 1
    second.delete()
    assert not AppealRollup.objects.exists()
