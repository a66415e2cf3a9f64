"""seed_demo / demo_logins and the pure helpers of the demo tree."""

import io
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qinqing.core import demo
from qinqing.core.demo_tree import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    allocate,
    build_tree,
    create_demo_users,
    credit_check_char,
    credit_code,
    plan_regions,
    short_region,
)
from qinqing.core.roles import org_kinds_for

# --- pure helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000802100433B"])
def test_given_published_credit_codes_when_checking_then_the_check_character_matches(code):
    assert credit_check_char(code[:17]) == code[17]


def test_given_a_region_and_serial_when_making_a_credit_code_then_it_is_18_valid_characters():
    code = credit_code("430621", "MA4L2X3X0")
    assert len(code) == 18 and code.startswith("91430621MA4L2X3X0")
    assert credit_check_char(code[:17]) == code[17]


@pytest.mark.parametrize(("total", "weights"), [(44, [4, 1, 1, 1, 1, 1]), (20, [1, 2]), (7, [1, 1, 1]), (0, [1])])
def test_given_weights_when_allocating_then_parts_sum_to_the_total(total, weights):
    parts = allocate(total, weights)
    assert sum(parts) == total and len(parts) == len(weights)


def test_given_profiles_when_planning_regions_then_city_has_yueyang_counties_and_province_several_cities():
    assert [c for c, _ in plan_regions("city", 5)[0][2]] == ["430621", "430623", "430624", "430626", "430681"]
    assert [c for c, _ in plan_regions("county", 1)[0][2]] == ["430621"]
    province = plan_regions("province", 12)
    assert len(province) == 3 and sum(len(c[2]) for c in province) == 12


def test_given_region_names_when_shortening_then_one_character_names_keep_their_suffix():
    assert short_region("岳阳市") == "岳阳" and short_region("华容县") == "华容" and short_region("澧县") == "澧县"


# --- the command ---------------------------------------------------------------------------


def _seed(profile: str, *args) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--profile", profile, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_given_an_empty_database_when_seeding_the_city_profile_then_the_tree_matches_yueyang():
    from qinqing.orgs.models import Organization

    _seed("city")  # how long seeding takes is measured in docs/performance/demo.md, not asserted here

    root = Organization.objects.get(parent=None)
    assert (root.name, root.code) == ("湖南省工商联", "430000")
    city = Organization.objects.get(code="430600")
    assert city.name == "岳阳市工商联" and city.parent == root and city.path == "/430000/430600/"
    counties = Organization.objects.filter(kind="fic", parent=city).order_by("code")
    assert [c.code for c in counties] == ["430621", "430623", "430624", "430626", "430681"]
    assert counties[0].name == "岳阳县工商联" and counties[0].path == "/430000/430600/430621/"
    departments = Organization.objects.filter(kind="department")
    assert departments.count() >= 40
    names = set(departments.values_list("name", flat=True))
    assert {"岳阳市市场监督管理局", "国家税务总局岳阳市税务局", "岳阳县人力资源和社会保障局"} <= names
    assert departments.filter(parent=city).count() > departments.filter(parent=counties[0]).count()
    assert Organization.objects.filter(kind="bank", name__contains="农村商业银行").count() >= 6
    assert Organization.objects.filter(kind="lawfirm").exists()
    for org in Organization.objects.exclude(parent=None):
        assert org.path == f"{org.parent.path}{org.code}/", org


@pytest.mark.django_db
def test_given_a_seeded_database_when_signing_in_then_every_demo_account_works_with_its_role():
    from qinqing.accounts.models import User

    _seed("county")
    users = {u.username: u for u in User.objects.select_related("org", "enterprise")}
    assert set(users) >= {a.username for a in DEMO_ACCOUNTS}
    for account in DEMO_ACCOUNTS:
        user = users[account.username]
        assert user.role == account.role
        assert user.org.kind in org_kinds_for(account.role), account.username
        assert not user.must_change_password
        assert user.check_password(DEMO_PASSWORD), account.username
    assert users["county_staff"].org.code == "430621"
    assert users["city_staff"].org.code == "430600"
    assert users["liaison"].org.parent.code == "430600"
    enterprise = users["enterprise"].enterprise
    assert enterprise is not None and credit_check_char(enterprise.credit_code[:17]) == enterprise.credit_code[17]
    assert users["enterprise"].org == enterprise.fic


@pytest.mark.django_db
def test_given_a_seeded_database_when_seeding_again_then_if_empty_skips_and_plain_refuses():
    from qinqing.orgs.models import Organization

    _seed("test")
    before = Organization.objects.count()
    assert "跳过" in _seed("county", "--if-empty")
    assert Organization.objects.count() == before
    with pytest.raises(CommandError, match="已有组织树"):
        _seed("county")


@pytest.mark.django_db
def test_given_an_existing_chamber_when_building_the_tree_then_the_secretary_joins_it_and_no_chamber_is_added():
    from qinqing.orgs.models import Organization

    root = Organization.objects.create(kind="fic", name="他省工商联", code="999999", region_code="999999", path="/x/")
    chamber = Organization.objects.create(
        kind="chamber", name="已有商会", code="C1", region_code="999999", parent=root, path="/x/C1/"
    )
    ctx = demo.make_context("test")
    build_tree(ctx)
    create_demo_users(ctx)
    assert ctx.users["secretary"].org == chamber
    assert Organization.objects.filter(kind="chamber").count() == 1


def _tree_fingerprint(seed: int) -> list:
    from qinqing.accounts.models import User
    from qinqing.core import audit_guard
    from qinqing.core.models import AuditEntry
    from qinqing.orgs.models import Organization
    from qinqing.registry.models import Enterprise

    ctx = demo.make_context("city", seed)
    build_tree(ctx)
    create_demo_users(ctx)
    result = [
        list(Organization.objects.order_by("path").values_list("path", "name", "contact_phone")),
        sorted(User.objects.values_list("username", "name", "org__path")),
    ]
    User.objects.all().delete()
    Enterprise.objects.all().delete()
    with audit_guard.lifted():
        AuditEntry.objects.all().delete()
    for org in sorted(Organization.objects.all(), key=lambda o: -len(o.path)):
        org.delete()
    return result


@pytest.mark.django_db
def test_given_the_same_seed_when_building_twice_then_the_tree_and_users_are_identical():
    first = _tree_fingerprint(7)
    assert _tree_fingerprint(7) == first
    assert _tree_fingerprint(8) != first


@pytest.mark.django_db
def test_given_the_seed_when_domains_run_then_each_gets_its_own_rng_and_the_context(monkeypatch):
    seen = []

    def fake_seeders():
        yield "alpha", lambda ctx: seen.append(("alpha", ctx.rng.random(), ctx.city.code, sorted(ctx.users)))
        yield "beta", lambda ctx: seen.append(("beta", ctx.rng.random(), len(ctx.counties), len(ctx.departments)))

    monkeypatch.setattr(demo, "domain_seeders", fake_seeders)
    demo.run(demo.make_context("test", 5))
    assert seen[0][0] == "alpha" and seen[0][1] == random.Random("5:alpha").random()
    assert seen[0][2] == "430600" and "enterprise" in seen[0][3]
    assert seen[1][1] == random.Random("5:beta").random() and seen[1][2] == 1 and seen[1][3] >= 2


@pytest.mark.django_db
def test_given_a_seeded_database_when_listing_logins_then_a_chinese_table_shows_every_account():
    _seed("test")
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for account in DEMO_ACCOUNTS:
        assert account.username in text and account.label in text
    assert DEMO_PASSWORD in text and "岳阳市工商联" in text and "角色" in text


@pytest.mark.django_db
def test_given_an_empty_database_when_listing_logins_then_it_says_to_seed_first():
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "seed_demo" in out.getvalue()


def test_given_an_unknown_profile_when_making_a_context_then_a_chinese_error_names_it():
    with pytest.raises(ValueError, match="未知的演示规模“huge”"):
        demo.make_context("huge")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_given_a_failing_domain_seeder_when_seeding_then_nothing_is_kept_and_if_empty_retries(monkeypatch):
    from qinqing.orgs.models import Organization

    def broken_seeders():
        def fail(ctx):
            raise RuntimeError("坏的演示数据")

        yield "broken", fail

    monkeypatch.setattr(demo, "domain_seeders", broken_seeders)
    with pytest.raises(RuntimeError):
        _seed("test", "--if-empty")
    assert not Organization.objects.exists()
    monkeypatch.setattr(demo, "domain_seeders", lambda: iter(()))
    _seed("test", "--if-empty")
    assert demo.tree_exists()


@pytest.mark.django_db
def test_given_the_province_profile_when_building_the_tree_then_three_cities_hold_twelve_counties():
    from qinqing.orgs.models import Organization

    ctx = demo.make_context("province")
    counts = build_tree(ctx)
    create_demo_users(ctx)
    cities = Organization.objects.filter(kind="fic", fic_level=2).order_by("code")
    assert [c.name for c in cities] == ["长沙市工商联", "岳阳市工商联", "常德市工商联"]
    assert Organization.objects.filter(kind="fic", fic_level=3).count() == 12 == len(ctx.counties)
    assert counts["departments"] >= 90 and ctx.city.code == "430600"
    assert Organization.objects.filter(kind="department", name="长沙市市场监督管理局").exists()
