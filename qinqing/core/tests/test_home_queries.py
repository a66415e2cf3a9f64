"""The home page reads a few indexed rows once its cards are counted; a change to what a card counts recounts
that card (and only the cards counting it), while an audited read or a change elsewhere recounts nothing."""

import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from qinqing.core import home_versions

# Session, user with its organisation (accounts.backends.RoleBackend.get_user) and one cache read (every source's
# cards and the counters of what they count): no domain count runs again, and the session is not written within a
# minute of its last save (accounts.middleware.IdleTimeoutMiddleware). (An enterprise user's profile reads its
# enterprise, and a department's or bank's its parent FIC, for the profile.) Before issue 17: 18; keyed by the
# newest audit id: 8; with the session saved on every request (savepoint, update, release): 7; the organisation
# read apart: 4.
HOME_QUERIES = 3
PROFILE_READ = {"enterprise", "liaison", "banker"}


@pytest.mark.parametrize("who", ["city_staff", "leader", "county_staff", "liaison", "enterprise", "banker"])
def test_given_cards_counted_once_when_the_home_page_is_read_again_then_a_few_queries_suffice(
    who, users, login, django_assert_max_num_queries
):
    # Given a user whose home page was shown once
    client = login(getattr(users, who))
    assert client.get(reverse("core:home")).status_code == 200
    # When the page is read again
    with django_assert_max_num_queries(HOME_QUERIES + (who in PROFILE_READ)):
        response = client.get(reverse("core:home"))
    # Then it answers with the same cards from a handful of reads
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)  # real commits: the counters move after them
def test_given_an_appeal_registered_when_the_home_page_is_read_then_the_appeal_cards_are_recounted_alone(
    users, tree, login, make_enterprise_appeal, recounts
):
    # Given the county staff's home page showing its open appeals
    client = login(users.county_staff)
    before = _cards(client)
    recounts.clear()
    # When an appeal is registered (committed) and the page is read again
    make_enterprise_appeal()
    after = _cards(client)
    # Then the appeals card counts it, and the cards of what did not change are not counted again
    assert after["办理中的诉求"] == before["办理中的诉求"] + 1
    assert "appeals" in recounts
    assert "policies" not in recounts and "registry" not in recounts and "scope" not in recounts


@pytest.mark.django_db(transaction=True)
def test_given_an_audited_read_when_the_home_page_is_read_again_then_nothing_is_recounted(
    users, login, django_assert_max_num_queries, recounts
):
    # Given the county staff's home page, counted once
    client = login(users.county_staff)
    _cards(client)
    recounts.clear()
    # When the audit administrator reads the audit log (an audited read: it writes an audit entry)
    auditor = Client()
    auditor.force_login(users.audit_admin)
    assert auditor.get(reverse("core:audit_log")).status_code == 200
    from qinqing.core.models import AuditEntry

    assert AuditEntry.objects.filter(actor_id=users.audit_admin.pk).exists()
    # Then the staff's next view reads its cards from the cache, counting nothing
    with django_assert_max_num_queries(HOME_QUERIES):
        assert client.get(reverse("core:home")).status_code == 200
    assert recounts == []


@pytest.mark.django_db(transaction=True)
def test_given_a_change_rolled_back_when_the_home_page_is_read_then_nothing_is_recounted(
    users, login, make_enterprise_appeal, recounts
):
    from django.db import transaction

    client = login(users.county_staff)
    before = _cards(client)
    recounts.clear()
    # When an appeal is registered inside a transaction that rolls back
    with transaction.atomic():
        make_enterprise_appeal()
        transaction.set_rollback(True)
    # Then the counters did not move: the cards stay as they were, uncounted
    assert _cards(client) == before
    assert recounts == []


@pytest.mark.django_db(transaction=True)
def test_given_a_message_read_when_the_home_page_is_read_then_only_that_users_message_card_is_recounted(
    users, login, recounts
):
    from qinqing.notifications.actions import mark_read
    from qinqing.notifications.models import Notification

    Notification.objects.create(recipient=users.county_staff, kind="test", key="k", title="测试消息")
    Notification.objects.create(recipient=users.city_staff, kind="test", key="k", title="测试消息")
    county, city = login(users.county_staff), Client()
    city.force_login(users.city_staff)
    assert _cards(county)["未读消息"] == 1 and _cards(city)["未读消息"] == 1
    recounts.clear()
    # When the county staff marks its messages read (a bulk update, no signal)
    assert mark_read(users.county_staff) == 1
    # Then its card recounts; the city staff's cards are all read from the cache
    assert _cards(county)["未读消息"] == 0
    assert recounts == ["notifications"]
    assert _cards(city)["未读消息"] == 1
    assert recounts == ["notifications"]


@pytest.mark.django_db(transaction=True)
def test_given_a_bulk_write_when_it_says_what_changed_then_the_counter_moves_after_the_commit():
    from django.core.cache import cache
    from django.db import transaction

    key = home_versions.Counts("policies.PolicyPush").key()
    cache.set(key, 7, None)
    start = 7
    with transaction.atomic():
        home_versions.changed("policies.PolicyPush")
        home_versions.changed("policies.PolicyPush")  # once per transaction however many rows
        assert cache.get(key) == start  # not before the commit
    assert cache.get(key) == start + 1


@pytest.mark.django_db(transaction=True)
def test_given_cards_past_their_time_bound_when_the_page_is_read_then_they_are_shown_and_recounted_in_the_background(
    unannounced_read, recounts, django_assert_max_num_queries
):
    from django_tasks import default_task_backend

    from qinqing.core import home
    from qinqing.core.tasks import refresh_home_cards

    # Given a write no counter hears of (a bulk statement), and the cards' time bound passed
    client = unannounced_read(home.HOME_CARDS_SECONDS + 1)
    # When the page is read, twice
    with django_assert_max_num_queries(HOME_QUERIES + _cache_add_queries()):  # + the recount's queue guard
        first = _cards(client)
    with django_assert_max_num_queries(HOME_QUERIES):  # the guard is read with the cards: no add while queued
        second = _cards(client)
    # Then both views show the kept cards at once, counting nothing, and one recount is queued
    assert first["未读消息"] == 1 and second["未读消息"] == 1
    assert recounts == []
    queued = [r for r in default_task_backend.results if r.task.func is refresh_home_cards.func]
    assert len(queued) == 1
    # And when the background recount runs, the next view shows its numbers without counting
    names = refresh_home_cards.call(*queued[0].args)
    assert "notifications" in names and "scope" in names
    recounts.clear()
    assert _cards(client)["未读消息"] == 0
    assert recounts == []


@pytest.mark.django_db(transaction=True)
def test_given_cards_past_the_stale_bound_when_the_page_is_read_then_the_view_recounts_them(unannounced_read, recounts):
    from qinqing.core import home

    # Given an unannounced write and no background recount for longer than the stale bound
    client = unannounced_read(home.HOME_CARDS_STALE_SECONDS + 1)
    # When the page is read, then it counts afresh
    assert _cards(client)["未读消息"] == 0
    assert "notifications" in recounts


@pytest.fixture
def unannounced_read(users, login, recounts, settings, monkeypatch):
    """The county staff's cards counted with one unread message; then the message marked read by a bulk
    statement (no signal, no ``changed()``) and this module's clock moved on ``seconds``; tasks only queued."""
    from django.utils import timezone

    from qinqing.core import home
    from qinqing.notifications.models import Notification

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    def given(seconds: float):
        Notification.objects.create(recipient=users.county_staff, kind="test", key="k", title="测试消息")
        client = login(users.county_staff)
        assert _cards(client)["未读消息"] == 1
        Notification.objects.filter(recipient=users.county_staff).update(read_at=timezone.now())
        later = home.time.time() + seconds
        monkeypatch.setattr(home, "time", SimpleNamespace(time=lambda: later))  # home's clock only
        recounts.clear()
        return client

    return given


def _cache_add_queries() -> int:
    """What one cache.add costs in queries (the database cache in tests: a few; Redis in production: none)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        cache.add("qinqing:test:probe", 1, 5)
    cache.delete("qinqing:test:probe")
    return len(context.captured_queries)


def _cards(client) -> dict:
    html = client.get(reverse("core:home")).content.decode()
    found = re.findall(r'<div class="num">([^<]*)</div><div class="label">([^<]*)</div>', html)
    return {label: int(num) if num.isdigit() else num for num, label in found}


@pytest.fixture
def recounts(monkeypatch):
    """The names of the card sources counted (not read from the cache), in order; the cache starts empty (a
    transactional test's flush leaves the cache table alone)."""
    from django.core.cache import cache

    from qinqing.core import home

    cache.clear()

    called: list[str] = []
    real = home.domain_sources

    def spied():
        return [home.CardSource(s.name, _spy(s.name, s.provider, called), s.counts) for s in real()]

    monkeypatch.setattr(home, "domain_sources", spied)
    monkeypatch.setattr(home, "scope_cards", _spy("scope", home.scope_cards, called))
    return called


def _spy(name, provider, called):
    def run(user):
        called.append(name)
        return provider(user)

    return run


@pytest.fixture
def make_enterprise_appeal(users, tree):
    from qinqing.appeals import actions
    from qinqing.appeals.models import AppealDomain, AppealType

    def make():
        return actions.register_appeal(
            actor=users.enterprise,
            enterprise=tree.ent_a,
            appeal_type=AppealType.objects.get(code="consult"),
            domain=AppealDomain.objects.get(code="finance"),
            title="贷款审批慢",
            description="贷款申请提交三个月仍未审批",
        )

    return make
