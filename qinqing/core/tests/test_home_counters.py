"""The home cards' version counters move for every write to what they count — deletes and bulk writes included —
and watching them costs nothing elsewhere: a delete of a model no card counts stays one DELETE statement."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qinqing.core import home_versions
from qinqing.core.home_versions import Counts


def _counter(model: str, user_id=None):
    return cache.get(Counts(model).key(user_id)) or 0


@pytest.mark.django_db
def test_given_rows_of_a_model_no_card_counts_when_deleted_in_bulk_then_one_delete_statement(users):
    from qinqing.accounts.models import RecoveryCode

    # Given three recovery codes (no home card counts them)
    RecoveryCode.objects.bulk_create([RecoveryCode(user=users.county_staff, code_hash=f"h{n}") for n in range(3)])
    # When they are deleted through the ORM
    with CaptureQueriesContext(connection) as queries:
        deleted, _ = RecoveryCode.objects.filter(user=users.county_staff).delete()
    # Then Django deletes them with one statement, fetching no row first
    assert deleted == 3
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["DELETE"]


@pytest.mark.django_db(transaction=True)  # real commits: the counters move after them
def test_given_counted_rows_when_deleted_in_bulk_then_their_counter_moves_after_the_commit():
    from axes.models import AccessAttempt

    # Given two lockout attempts (the security administrator's cards count them)
    for ip in ("10.0.0.1", "10.0.0.2"):
        AccessAttempt.objects.create(username="someone", ip_address=ip, failures_since_start=5)
    before = _counter("axes.AccessAttempt")
    # When a queryset deletes them (as clearing a lockout does)
    AccessAttempt.objects.filter(username="someone").delete()  # in its own transaction (the collector's)
    # Then the counter moved
    assert _counter("axes.AccessAttempt") != before


@pytest.mark.django_db
def test_given_every_counted_model_then_its_delete_receiver_is_connected_and_nothing_else_has_one():
    from django.apps import apps
    from django.db.models.signals import post_delete, pre_delete

    watched = set(home_versions.watched_models())
    assert {m._meta.label for m in watched} >= {"appeals.Appeal", "registry.Member", "orgs.Organization"}
    for model in watched:
        assert post_delete.has_listeners(model), model
    # A model nobody counts keeps Django's fast delete (policies.SearchSynonym has a receiver of its own)
    for label in ("accounts.RecoveryCode", "policies.PolicyMatch", "core.Job"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        assert not post_delete.has_listeners(model) and not pre_delete.has_listeners(model), label


# ---------------------------------------------------------------------------------------------- bulk writes


@pytest.mark.django_db(transaction=True)  # real commits: the counters move after them
def test_given_a_chamber_import_that_updates_chambers_then_the_chamber_and_organisation_counters_move(tree, tmp_path):
    from qinqing.registry.importing.runner import run_import
    from qinqing.registry.tests.test_import_chambers import chamber_row, write

    run_import("chambers", write(tmp_path / "a.csv", [chamber_row(1)]), org=tree.city, dry_run=False)
    chambers, orgs = _counter("registry.Chamber"), _counter("orgs.Organization")
    # When the same chamber comes again with another type and a new name (update(): no signal)
    path = write(tmp_path / "b.csv", [chamber_row(1, **{"商会类型": "异地商会", "商会名称": "岳阳县新名商会"})])
    report = run_import("chambers", path, org=tree.city, dry_run=False)
    assert (report.new, report.updated) == (0, 1)
    # Then both counters moved
    assert _counter("registry.Chamber") != chambers
    assert _counter("orgs.Organization") != orgs


@pytest.mark.django_db(transaction=True)  # real commits: the counters move after them
def test_given_a_member_import_when_committed_then_the_member_card_counts_the_new_members(tree, users, login, tmp_path):
    from qinqing.registry.importing.runner import run_import
    from qinqing.registry.tests.test_import_members import _file

    client = login(users.county_staff)
    before = _member_card(client)
    # When two members are imported (bulk_create: no signal)
    rows = [
        ["个人会员", "王芳", "", "13800138001", "会员", "2021-03-01"],
        ["个人会员", "李雷", "", "13900139002", "理事", "2022-05-01"],
    ]
    report = run_import("members", _file(tmp_path / "m.csv", rows), org=tree.county_a, dry_run=False)
    assert report.new == 2
    # Then the county staff's next home view counts them (not the kept card)
    assert _member_card(client) == before + 2


@pytest.mark.django_db(transaction=True)  # real commits: the counters move after them
def test_given_an_enterprise_import_when_committed_then_the_enterprise_and_figures_counters_move(tree, tmp_path):
    from qinqing.registry.importing.runner import run_import
    from qinqing.registry.tests.conftest import enterprise_row, write_csv

    enterprises, figures = _counter("registry.Enterprise"), _counter("registry.EnterpriseYearFigures")
    report = run_import(
        "enterprises",
        write_csv(tmp_path / "e.csv", [enterprise_row(i) for i in range(1, 4)]),
        org=tree.county_a,
        dry_run=False,
    )
    assert report.new and report.committed
    assert _counter("registry.Enterprise") != enterprises
    assert _counter("registry.EnterpriseYearFigures") != figures


@pytest.mark.django_db(transaction=True)  # real commits: the counters move after them
def test_given_size_classes_recomputed_when_some_change_then_the_enterprise_counter_moves(tree):
    from qinqing.registry.enterprises.actions import recompute_size_classes
    from qinqing.registry.models import Enterprise

    enterprise = Enterprise.objects.filter(org_path__startswith=tree.county_a.path).first()
    Enterprise.objects.filter(pk=enterprise.pk).update(size_class="xx")
    before = _counter("registry.Enterprise")
    assert recompute_size_classes(Enterprise.objects.filter(pk=enterprise.pk)) == 1
    assert _counter("registry.Enterprise") != before


def _member_card(client) -> int:
    from qinqing.core.tests.test_home_queries import _cards

    return _cards(client)["在册会员"]
