"""Shared fixtures: a small organisation tree with one user per role.

Tree: 湖南省工商联 → 岳阳市工商联 → 岳阳县工商联 (county A) and 华容县工商联 (county B, the sibling).
"""

import contextlib
from types import SimpleNamespace

import pytest

PASSWORD = "Qinqing@2026!"


def pytest_configure(config):
    """The test flush between transactional tests empties the audit table: lift its guard for that."""
    from django.core.management.commands import flush

    from qinqing.core import audit_guard

    handle = flush.Command.handle

    def handle_with_guard_lifted(self, **options):
        with audit_guard.lifted(options.get("database")):
            return handle(self, **options)

    flush.Command.handle = handle_with_guard_lifted

    # Property tests check results, not speed: Hypothesis's per-example deadline (200 ms) failed them on a
    # loaded two-core machine. Speed is proven by the benchmarks in bench/.
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("qinqing", deadline=None)
    hypothesis_settings.load_profile("qinqing")


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrated database (serialized rollback).

    Mixing transactional tests with and without serialized rollback breaks the latter: a plain
    transactional test's flush re-creates content types under new ids, and the next serialized
    restore then collides with them. Restoring everywhere also gives every transactional test the
    data that migrations load (default appeal classification, policy vocabulary).
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
        names = getattr(item, "fixturenames", ())
        if not transactional and not ({"live_server", "transactional_db"} & set(names)):
            continue
        kwargs = dict(marker.kwargs) if marker else {}
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


def pytest_runtest_setup(item):
    """``@pytest.mark.postgres_only`` skips the test, with the reason shown, in the SQLite round."""
    if item.get_closest_marker("postgres_only") is None:
        return
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("只在 PostgreSQL 一轮运行（postgres_only）")


@pytest.fixture(autouse=True)
def _media_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _report_pages_live(settings):
    """The report pages count their figures in every request (a slow count on a loaded machine would otherwise be
    kept as a snapshot: qinqing.reports.snapshots); the snapshot tests lower the threshold themselves."""
    settings.QINQING_FIGURES_SNAPSHOT_MS = 10**9


TEST_DATA_KEYS = "t1:" + "11" * 16
TEST_INDEX_KEYS = "ti1:" + "22" * 32


@pytest.fixture(autouse=True)
def _test_crypto_keys(settings):
    """A fixed key pair for personal data at rest (qinqing.core.crypto), never the developer's var/ file."""
    settings.QINQING_KEY_FILE = ""
    settings.QINQING_DATA_KEYS = TEST_DATA_KEYS
    settings.QINQING_DATA_KEY_ID = ""
    settings.QINQING_INDEX_KEYS = TEST_INDEX_KEYS
    settings.QINQING_INDEX_KEY_ID = ""


@pytest.fixture(autouse=True)
def _audit_dirs_tmp(settings, tmp_path):
    """Audit checkpoints and archived segments of a test live in its own directory."""
    settings.QINQING_AUDIT_CHECKPOINT_DIR = str(tmp_path / "audit-checkpoints")
    settings.QINQING_AUDIT_ARCHIVE_DIR = str(tmp_path / "audit-archive")
    settings.QINQING_AUDIT_SYSLOG = ""


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Argon2 is the production hasher (asserted in accounts/tests/test_password_policy.py); at test
    # time it would spend ~1 s per fixture user on a 2-core machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextlib.contextmanager
def _audit_rows_together():
    """The fixtures' audited actions write their audit rows together when the block ends (audit.written_at_end): the
    same rows, in order, each with its own time, but the chain head is taken once instead of once per row. On
    PostgreSQL a row written alone costs seven round trips (savepoint, deferred checks, head, link, insert, release),
    and ``users`` (26 rows with ``tree``) was then most of the setup of the suite's tests."""
    from django.db import transaction

    from qinqing.core import audit

    with transaction.atomic(), audit.written_at_end():
        yield


@pytest.fixture
def tree(db):
    from qinqing.orgs.actions import create_organization
    from qinqing.registry.models import Enterprise

    with _audit_rows_together():
        return _make_tree(create_organization, Enterprise)


def _make_tree(create_organization, Enterprise) -> SimpleNamespace:
    province = create_organization(kind="fic", name="湖南省工商联", region_code="430000", parent=None)
    city = create_organization(kind="fic", name="岳阳市工商联", region_code="430600", parent=province)
    county_a = create_organization(kind="fic", name="岳阳县工商联", region_code="430621", parent=city)
    county_b = create_organization(kind="fic", name="华容县工商联", region_code="430623", parent=city)
    chamber_a = create_organization(kind="chamber", name="岳阳县餐饮行业商会", region_code="430621", parent=county_a)
    chamber_b = create_organization(kind="chamber", name="华容县建材商会", region_code="430623", parent=county_b)
    dept_a = create_organization(kind="department", name="岳阳县市场监督管理局", region_code="430621", parent=county_a)
    dept_b = create_organization(
        kind="department", name="华容县人力资源和社会保障局", region_code="430623", parent=county_b
    )
    bank = create_organization(kind="bank", name="岳阳农商银行", region_code="430600", parent=city)
    lawfirm = create_organization(kind="lawfirm", name="湖南岳阳律师事务所", region_code="430600", parent=city)
    ent_a = Enterprise.objects.create(
        credit_code="91430621MA4L000030",
        name="岳阳县洞庭食品有限公司",
        fic=county_a,
        org_path=county_a.path,
        region_code="430621",
    )
    ent_b = Enterprise.objects.create(
        credit_code="91430623MA4L00011P",
        name="华容县芥菜加工有限公司",
        fic=county_b,
        org_path=county_b.path,
        region_code="430623",
    )
    return SimpleNamespace(
        province=province,
        city=city,
        county_a=county_a,
        county_b=county_b,
        chamber_a=chamber_a,
        chamber_b=chamber_b,
        dept_a=dept_a,
        dept_b=dept_b,
        bank=bank,
        lawfirm=lawfirm,
        ent_a=ent_a,
        ent_b=ent_b,
    )


@pytest.fixture
def users(tree):
    from qinqing.accounts.actions import create_user

    def make(username, role, org, **extra):
        return create_user(
            username=username, name=username, role=role, org=org, password=PASSWORD, must_change_password=False, **extra
        )

    with _audit_rows_together():
        return _make_users(make, tree)


def _make_users(make, tree) -> SimpleNamespace:
    return SimpleNamespace(
        city_staff=make("city_staff", "fic_staff", tree.city),
        county_staff=make("county_staff", "fic_staff", tree.county_a),
        county_b_staff=make("county_b_staff", "fic_staff", tree.county_b),
        leader=make("leader", "fic_leader", tree.city),
        secretary=make("secretary", "chamber_secretary", tree.chamber_a),
        enterprise=make("ent_user", "enterprise", tree.county_a, enterprise=tree.ent_a),
        enterprise_b=make("ent_user_b", "enterprise", tree.county_b, enterprise=tree.ent_b),
        liaison=make("liaison", "dept_liaison", tree.dept_a),
        liaison_b=make("liaison_b", "dept_liaison", tree.dept_b),
        banker=make("banker", "bank_officer", tree.bank),
        lawyer=make("lawyer", "lawyer", tree.lawfirm),
        mediator=make("mediator", "mediator", tree.chamber_a),
        reviewer=make("reviewer", "discipline_reviewer", tree.city),
        sys_admin=make("sys_admin", "sys_admin", tree.city),
        sec_admin=make("sec_admin", "sec_admin", tree.city),
        audit_admin=make("audit_admin", "audit_admin", tree.city),
    )


@pytest.fixture
def login(client):
    """login(user) signs the test client in as that user and returns the client."""

    def do(user):
        client.force_login(user)
        return client

    return do
