"""The registry rollups (rollups.py) against the direct queries: a random walk of real writes — enterprises
created, edited (industry, size) and moved to another FIC, provisional ones merged away, FIC and chamber
memberships joined, left and re-dated, an enterprise import and a member import in batches, chambers created,
re-typed, cancelled and given a party organisation by actions and by the chamber import — then every registry
figure read from the rollups equals counting the records, on several scopes and periods, the dashboard shows the
same numbers per child without touching the registry's tables, and the rebuilt tables equal the kept ones."""

import csv
import datetime as dt
import io
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qinqing.core import home, rollups
from qinqing.core.figures import Figure, Period, all_figures
from qinqing.registry import provisional
from qinqing.registry import rollups as registry_rollups
from qinqing.registry.chambers import actions as chamber_actions
from qinqing.registry.enterprises import actions as enterprise_actions
from qinqing.registry.importing.runner import run_import
from qinqing.registry.members import actions as member_actions
from qinqing.registry.models import Chamber, Enterprise, Member
from qinqing.reports import dashboard

from .conftest import enterprise_row, make_code, write_csv

NAMES = tuple(r.name for r in registry_rollups.ALL)  # by day and by year
SOURCE_TABLES = ('"registry_enterprise"', '"registry_member"', '"registry_chamber"')
MEMBER_HEADERS = ["会员类别", "姓名", "身份证号", "手机号码", "职务", "入会日期", "退会日期"]


def _table(name: str) -> set[tuple]:
    rollup = rollups.get(name)
    return set(rollup.target_model.objects.values_list(*rollup.key_columns, *rollup.measure_columns))


def _day(rng, today) -> dt.date:
    return today - dt.timedelta(days=rng.randint(0, 800))


@pytest.fixture
def walked(tree, users, tmp_path):
    rng = random.Random(16)
    today = timezone.localdate()
    staff = users.city_staff
    fics = [tree.city, tree.county_a, tree.county_b]
    enterprises = [tree.ent_a, tree.ent_b]
    for i in range(12):  # created by the action, some edited (industry, size) — edits that move no figure
        fic = rng.choice(fics)
        code = make_code(500 + i, "430600")
        e = enterprise_actions.create_enterprise(actor=staff, fic=fic, credit_code=code, name=f"汇总测试企业{i}",
                                                 industry_code="1391", employees=10)  # fmt: skip
        if rng.random() < 0.5:
            enterprise_actions.update_enterprise(e, actor=staff, industry_code="6511", employees=rng.randint(5, 900))
        enterprises.append(e)
    # Imported in two batches of one file: new enterprises and changes to known ones
    rows = [enterprise_row(n) for n in range(40)]
    path = write_csv(tmp_path / "ents.csv", rows)
    report = run_import("enterprises", path, org=tree.county_a, dry_run=False, batch_size=25)
    assert report.new == 40
    changed = [enterprise_row(n, **{"从业人员": "900"}) for n in range(0, 40, 3)]
    run_import("enterprises", write_csv(tmp_path / "again.csv", changed), org=tree.county_a, dry_run=False)
    # An enterprise moves to another FIC (any save keeps the rollups; no action moves one today)
    mover = enterprises[3]
    mover.fic, mover.org_path = tree.county_b, tree.county_b.path
    mover.save()
    # Memberships: FIC nodes and a chamber (the chamber's own roll is not an FIC member), joins and leaves
    kinds = []
    for e in enterprises:
        org = rng.choice([*fics, tree.chamber_a])
        joined = _day(rng, today)
        left = joined + dt.timedelta(days=rng.randint(0, 400)) if rng.random() < 0.4 else None
        m = member_actions.add_member(actor=staff, organization=org, kind="enterprise", enterprise=e,
                                      joined_on=joined, left_on=left)  # fmt: skip
        kinds.append(m)
    for i in range(6):
        joined = _day(rng, today)
        member_actions.add_member(actor=staff, organization=rng.choice(fics), kind="individual", joined_on=joined,
                                  person_name=f"会员{i}", role="member")  # fmt: skip
    member_actions.add_member(actor=staff, organization=tree.city, kind="group", group=tree.chamber_b,
                              joined_on=today - dt.timedelta(days=200))  # fmt: skip
    for m in rng.sample(kinds, 6):  # leave, come back, re-dated joins
        change = rng.choice(["leave", "return", "redate"])
        if change == "leave":
            member_actions.update_member(m, actor=staff, left_on=max(m.joined_on, today - dt.timedelta(days=30)))
        elif change == "return":
            member_actions.update_member(m, actor=staff, left_on=None)
        else:
            member_actions.update_member(m, actor=staff, joined_on=m.joined_on - dt.timedelta(days=90))
    # A member import (bulk_create, then bulk_update of the same people with leave dates)
    people = [["个人会员", f"导入会员{i}", "", f"1380013{i:04d}", "会员", str(_day(rng, today)), ""] for i in range(8)]
    run_import("members", _members_csv(tmp_path / "m.csv", people), org=tree.county_b, dry_run=False)
    for row in people[:4]:
        row[6] = str(today - dt.timedelta(days=rng.randint(0, 20)))
    run_import("members", _members_csv(tmp_path / "m2.csv", people), org=tree.county_b, dry_run=False)
    # A provisional enterprise, a member of the same FIC as the real one, merged away (duplicate membership)
    temp = provisional.create_provisional_enterprise(actor=users.county_staff, name="临时登记企业")
    real = tree.ent_a
    member_actions.add_member(actor=staff, organization=tree.county_a, kind="enterprise", enterprise=temp,
                              joined_on=today - dt.timedelta(days=3))  # fmt: skip
    if not Member.objects.filter(organization=tree.county_a, enterprise=real).exists():
        member_actions.add_member(actor=staff, organization=tree.county_a, kind="enterprise", enterprise=real,
                                  joined_on=today - dt.timedelta(days=500))  # fmt: skip
    provisional.merge_provisional(temp, into=real, actor=users.county_staff)
    # Chambers: by actions (dated, undated, re-typed, cancelled, with a party organisation) and by import
    chambers = [chamber_actions.register_chamber(tree.chamber_a, actor=staff, chamber_type="industry",
                                                 registered_on=today - dt.timedelta(days=400))]  # fmt: skip
    chambers.append(chamber_actions.register_chamber(tree.chamber_b, actor=staff, chamber_type="township"))
    for i in range(6):
        chambers.append(chamber_actions.create_chamber(actor=staff, fic=rng.choice(fics), name=f"汇总测试商会{i}",
                        chamber_type=rng.choice(["industry", "nonlocal", "township"]),
                        registered_on=_day(rng, today)))  # fmt: skip
    for c, change in zip(rng.sample(chambers, 5), ["party", "cancel", "type", "redate", "party"], strict=True):
        values = {"party": {"party_org_established": True}, "cancel": {"registration_status": "cancelled"},
                  "type": {"chamber_type": "nonlocal"}, "redate": {"registered_on": today}}[change]  # fmt: skip
        chamber_actions.update_chamber(c, actor=staff, **values)
    return {"enterprises": enterprises, "mover": mover, "temp": temp}


def _members_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(MEMBER_HEADERS)
        writer.writerows(rows)
    return path


def _periods() -> list[Period]:
    today = timezone.localdate()
    return [
        Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)),
        Period(today - dt.timedelta(days=365), today - dt.timedelta(days=100)),
        Period(today - dt.timedelta(days=30), today),
        Period(today, today),
        Period(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)),
        Period(dt.date(2000, 1, 1), dt.date(2000, 1, 31)),
    ]


def _registry_figures() -> list[Figure]:
    return [f for f in all_figures(domain="registry") if isinstance(f, Figure) and f.reading is not None]


@pytest.mark.django_db
def test_given_random_registry_writes_when_reading_figures_then_each_equals_its_records(walked, tree):
    # Given the walk produced the cases the rollups must follow
    assert Member.objects.filter(organization__kind="chamber").exists()
    assert Member.objects.filter(left_on__isnull=False).exists()
    assert not Enterprise.objects.filter(pk=walked["temp"].pk).exists()
    assert Chamber.objects.filter(registration_status="cancelled").exists()
    assert Chamber.objects.filter(registered_on__isnull=True).exists()
    figures = _registry_figures()
    assert len(figures) == 14
    nonzero = set()
    for path in (tree.province.path, tree.city.path, tree.county_a.path, tree.county_b.path, tree.chamber_a.path):
        for period in _periods():
            for f in figures:
                # When each figure is read from the rollups, then it equals the aggregate of its records
                direct = f.direct_value(path, period)
                assert f.value(path, period) == direct, (f.key, path, period)
                if direct:
                    nonzero.add(f.key)
    # The walk exercises every figure (a rule checked on zeros would prove nothing)
    assert nonzero == {f.key for f in figures}, sorted({f.key for f in figures} - nonzero)


@pytest.mark.django_db
def test_given_random_registry_writes_when_rebuilding_then_the_tables_are_what_the_writes_kept(walked):
    # Given the rollups the actions, saves and imports maintained
    kept = {name: _table(name) for name in NAMES}
    assert all(kept.values())
    # When they are rebuilt from the records by the management command
    call_command("rebuild_rollups", *NAMES, stdout=io.StringIO())
    # Then each table is row for row the same (no stale or emptied keys left behind)
    assert {name: _table(name) for name in NAMES} == kept


@pytest.mark.django_db
def test_given_the_dashboard_when_built_then_registry_figures_come_from_rollups_with_the_direct_numbers(
    walked, tree, users
):
    today = timezone.localdate()
    period = Period(dt.date(today.year, 1, 1), today)
    # When the city's dashboard is built
    with CaptureQueriesContext(connection) as queries:
        data = dashboard.build(tree.city, period, user=users.leader)
    # Then no query reads the enterprise, member or chamber table (but for the ratings, a few rows per chamber,
    # scoped through their chamber's path)
    sql = [q["sql"] for q in queries.captured_queries if '"registry_chamberrating"' not in q["sql"]]
    touching = [q for q in sql if any(t in q for t in SOURCE_TABLES)]
    assert touching == []
    # And each registry figure, its 同比, 环比 and per-county values are the direct counts
    shown = {e["key"]: e for s in data["sections"] for e in s.figures if e["key"].startswith("registry.")}
    children = [c.path for c in data["children"]]
    assert children == [tree.county_a.path, tree.county_b.path]
    for f in _registry_figures():
        entry = shown[f.key]
        assert entry["value"] == f.direct_value(tree.city.path, period), f.key
        assert entry["yoy_value"] == f.direct_value(tree.city.path, data["yoy_period"]), f.key
        assert entry["mom_value"] == f.direct_value(tree.city.path, data["mom_period"]), f.key
        assert entry["children"] == [f.direct_value(p, period) for p in children], f.key


def _dashboard_queries(tree, user, period) -> int:
    with CaptureQueriesContext(connection) as queries:
        dashboard.build(tree.city, period, user=user)
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_given_more_registry_records_when_building_the_dashboard_then_the_query_count_stays(tree, users, tmp_path):
    today = timezone.localdate()
    period = Period(dt.date(today.year, 1, 1), today)
    before = _dashboard_queries(tree, users.leader, period)
    # When enterprises, memberships over many days and chambers are added
    run_import("enterprises", write_csv(tmp_path / "e.csv", [enterprise_row(n) for n in range(30)]),
               org=tree.county_a, dry_run=False)  # fmt: skip
    for i, e in enumerate(Enterprise.objects.all()[:20]):
        member_actions.add_member(actor=users.city_staff, organization=tree.county_b, kind="enterprise",
                                  enterprise=e, joined_on=today - dt.timedelta(days=7 * i))  # fmt: skip
    chamber_actions.create_chamber(actor=users.city_staff, fic=tree.county_a, name="新商会", chamber_type="industry",
                                   registered_on=today)  # fmt: skip
    # Then the dashboard makes as many queries as before (one per rollup read, not one per record or day)
    assert _dashboard_queries(tree, users.leader, period) == before


@pytest.mark.django_db
def test_given_random_registry_writes_when_counting_a_subtree_then_the_rollup_equals_the_records(walked, tree, users):
    # Given the walk's creations, moves, merges and imports
    for path in (tree.province.path, tree.city.path, tree.county_a.path, tree.county_b.path):
        # When a subtree's enterprises are counted from the rollup, then it is the count of its records
        assert registry_rollups.enterprises_under(path) == Enterprise.objects.filter(org_path__startswith=path).count()
    assert registry_rollups.enterprises_under(tree.city.path) > 2
    # And the home page's 企业 card of the city's staff shows it without reading the enterprise table
    with CaptureQueriesContext(connection) as queries:
        cards = {c["label"]: c["value"] for c in home.scope_cards(users.city_staff)}
    assert cards["企业"] == Enterprise.objects.filter(org_path__startswith=tree.city.path).count()
    assert not [q for q in queries.captured_queries if '"registry_enterprise"' in q["sql"]]
