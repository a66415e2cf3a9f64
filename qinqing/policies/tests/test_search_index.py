"""The tantivy search index: agrees with the database's index, stays current, and works across processes."""

import datetime
import functools
import operator
import random
import threading
import time

import pytest
import tantivy
from django.core.management import call_command

from qinqing.policies import search_index, search_query
from qinqing.policies.actions import delete_policy, set_policy_state
from qinqing.policies.filters import PolicyFilter
from qinqing.policies.models import Policy
from qinqing.policies.permissions import visible_policies
from qinqing.policies.search import RankedResults

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
YEAR = datetime.timedelta(days=365)


@pytest.fixture
def library(users, make_policy):
    """Policies of several owners, states, levels, benefit types, issuers and dates, all about 融资 or 补贴."""

    def make(title, **data):
        return make_policy(title=title, body=f"{title}的具体办法。", **data)

    made = [
        make("民营企业融资担保补贴", level="city", benefit_type="financing"),
        make("稳岗补贴发放通知", level="county", actor=users.county_staff),
        make("华容县融资贴息办法", level="county", actor=users.county_b_staff, benefit_type="financing"),
        make("融资补贴草案", publish=False, actor=users.county_staff),
        make("市场监管融资支持", actor=users.liaison, level="county", publish=False),
        make("过期的融资补贴", effective_on=TODAY - 3 * YEAR, expires_on=TODAY - YEAR),
        make("明年生效的补贴", effective_on=TODAY + YEAR, benefit_type="talent"),
        make("长期有效的融资补贴", effective_on=None, expires_on=TODAY + YEAR, benefit_type="tax"),
    ]
    set_policy_state(made[0], actor=users.city_staff, state="withdrawn")
    return made


FILTERS = [
    {},
    {"level": "county"},
    {"benefit_type": "financing"},
    {"status": "active"},
    {"status": "expired"},
    {"status": "upcoming"},
    {"published_from": (TODAY - datetime.timedelta(days=1)).isoformat()},
    {"level": "city", "status": "active"},
]


@pytest.mark.parametrize("who", ["city_staff", "county_staff", "county_b_staff", "enterprise", "liaison", "banker"])
def test_given_visibility_and_list_filters_when_searched_then_index_and_database_agree(library, users, who):
    user = getattr(users, who)
    for params in FILTERS:
        queryset = PolicyFilter(params, queryset=visible_policies(user)).qs
        for q in ["融资", "补贴", "融资 补贴", "稳岗补贴"]:
            engine = RankedResults(queryset, q)
            database = RankedResults(queryset, q, use_engine=False)
            assert engine.engine is not None and database.engine is None
            assert engine.count() == database.count(), (who, params, q)
            assert {p.pk for p in engine[0:20]} == {p.pk for p in database[0:20]}, (who, params, q)


def test_given_drafts_when_enterprise_searches_then_only_published_in_effect_or_not_are_found(library, users):
    titles = {p.title for p in RankedResults(visible_policies(users.enterprise), "补贴")[0:20]}
    assert "融资补贴草案" not in titles and "民营企业融资担保补贴" not in titles  # draft; withdrawn
    assert {"稳岗补贴发放通知", "过期的融资补贴", "明年生效的补贴"} <= titles


def test_given_filter_on_text_column_when_searched_then_database_answers_correctly(library):
    results = RankedResults(Policy.objects.filter(title__contains="华容"), "融资")
    assert results.engine is None
    assert [p.title for p in results[0:20]] == ["华容县融资贴息办法"]


def test_given_withdrawn_then_deleted_policy_when_searched_then_gone_from_the_index(library, users):
    policy = library[1]
    everyone = Policy.objects.filter(state="published")
    assert "稳岗补贴发放通知" in [p.title for p in RankedResults(everyone, "稳岗")[0:20]]
    set_policy_state(policy, actor=users.county_staff, state="withdrawn")
    assert RankedResults(everyone, "稳岗").count() == 0
    delete_policy(policy, actor=users.county_staff)
    assert RankedResults(Policy.objects.all(), "稳岗").count() == 0


def test_given_index_not_built_when_searching_then_database_answers_until_rebuilt(library, capsys):
    search_index.drop()
    results = RankedResults(Policy.objects.all(), "融资")
    assert results.engine is None and results.count() == 6
    call_command("rebuild_policy_index")
    assert "已为 8 项政策重建检索索引" in capsys.readouterr().out
    results = RankedResults(Policy.objects.all(), "融资")
    assert results.engine is not None and results.count() == 6


def test_given_an_index_of_an_older_schema_when_migrate_asks_if_stale_then_it_is_rebuilt_once(library, capsys):
    # Given the index of an upgrade's previous release (another schema version)
    version = search_index._version_file(search_index.index_path())
    version.write_text("2 " + version.read_text().split()[1])
    assert not search_index.is_ready() and RankedResults(Policy.objects.all(), "融资").engine is None
    # When make migrate runs rebuild_policy_index --if-stale: rebuilt, and the index answers again
    call_command("rebuild_policy_index", "--if-stale")
    assert "已为 8 项政策重建检索索引" in capsys.readouterr().out
    assert RankedResults(Policy.objects.all(), "融资").engine is not None
    # and a second run leaves a current index alone
    call_command("rebuild_policy_index", "--if-stale")
    assert capsys.readouterr().out.strip() == "政策检索索引无需重建"


def _foreign_writer():
    """The index opened the way another process (a gunicorn worker, the task worker) opens it."""
    index = tantivy.Index.open(str(search_index.index_path()))
    index.register_tokenizer(search_index.TOKENIZER, search_index._analyzer())
    return index.writer(heap_size=15_000_000, num_threads=1)


def test_given_another_process_commits_when_searching_then_its_change_is_seen_and_checked(library):
    everyone = Policy.objects.all()
    assert RankedResults(everyone, "量子").count() == 0
    writer = _foreign_writer()
    writer.add_document(
        search_index._document(
            {"id": 987654, "search_text": "量子 补贴", "state": "published", "level": "city", "benefit_type": "other",
             "application_method": "apply", "org_path": "/X/", "issuer_id": None, "owner_id": 1,
             "created_by_id": None, "published_on": None, "effective_on": None, "expires_on": None}
        )
    )  # fmt: skip
    writer.commit()
    writer.wait_merging_threads()
    time.sleep(0.01)
    results = RankedResults(everyone, "量子")
    assert results.count() == 1  # the reader reloaded after the other process's commit
    assert results[0:20] == []  # but a policy the database does not have is never shown


def test_given_another_process_holds_the_writer_when_a_policy_changes_then_the_update_waits_for_it(library, users):
    writer = _foreign_writer()

    def release():
        time.sleep(0.3)
        writer.rollback()
        writer.wait_merging_threads()  # consumes the writer and releases the lock

    thread = threading.Thread(target=release)
    thread.start()
    started = time.monotonic()
    set_policy_state(library[1], actor=users.county_staff, state="withdrawn")
    thread.join()
    assert time.monotonic() - started >= 0.25
    assert RankedResults(Policy.objects.filter(state="published"), "稳岗").count() == 0


def test_given_filters_when_api_and_page_search_then_index_counts_with_highlights(library, users, login):
    client = login(users.county_staff)
    data = client.get("/api/v1/policies/", {"q": "融资", "benefit_type": "financing"}).json()
    expected = RankedResults(
        PolicyFilter({"benefit_type": "financing"}, queryset=visible_policies(users.county_staff)).qs,
        "融资",
        use_engine=False,
    )
    assert data["count"] == expected.count() == 1  # 华容县融资贴息办法 (the city one is withdrawn)
    assert "<mark>融资</mark>" in data["results"][0]["highlight"]
    page = client.get("/policies/", {"q": "融资", "status": "expired"}).content.decode()
    assert "过期的<mark>融资</mark>补贴" in page and "长期有效" not in page


def test_given_index_write_fails_when_policy_saved_then_saved_and_logged(library, users, monkeypatch, caplog):
    def broken(index, timeout=10.0):
        raise ValueError("Failed to acquire Lockfile: LockBusy")

    monkeypatch.setattr(search_index, "_writer", broken)
    policy = set_policy_state(library[1], actor=users.county_staff, state="withdrawn")
    policy.refresh_from_db()
    assert policy.state == "withdrawn"
    assert "policy search index update failed" in caplog.text


@pytest.mark.parametrize("role", ["city_staff", "county_staff", "liaison", "enterprise", "leader"])
def test_given_each_role_when_searching_the_list_then_the_index_answers(users, make_policy, role):
    # A visibility filter the index cannot translate (a join) would silently send every search of that role
    # to the database's slower full-text index.
    from qinqing.policies.filters import PolicyFilter
    from qinqing.policies.permissions import visible_policies
    from qinqing.policies.search import RankedResults

    make_policy(title="岳阳市稳岗补贴政策")
    user = getattr(users, role)
    for params in ({}, {"level": "city"}, {"status": "active"}):
        results = RankedResults(PolicyFilter(params, queryset=visible_policies(user)).qs, "稳岗")
        assert results.engine is not None, (role, params)


def _index_ids(queryset) -> set[int]:
    current = search_index.handle()
    searcher = current.index.searcher()
    result = searcher.search(search_query.translate(queryset, current), limit=10_000)
    return set(searcher.fast_field_values("pid", [address for _score, address in result.hits]))


def test_given_random_filters_when_translated_then_the_index_finds_what_the_database_finds(library, users, tree):
    """The translator's rewrites (a closed column's equality as the exclusion of its other values, an OR holding one
    as NOT (NOT a AND NOT b), IS NULL as a term, a subtree of org_path or of the issuer's path as one term) against
    the database, on random trees of AND, OR and NOT over every kind of leaf."""
    from django.db.models import Q

    Policy.objects.filter(title="稳岗补贴发放通知").update(issuer=tree.dept_b, issuer_name="")  # issued in county B
    search_index.rebuild()
    leaves = [
        Q(state="published"), Q(state="draft"), Q(state="withdrawn"), Q(state="unknown"),
        Q(level="county"), Q(benefit_type="financing"), Q(issuer__isnull=True), Q(issuer__isnull=False),
        Q(issuer__path__startswith=tree.city.path), Q(issuer__path__startswith=tree.county_a.path),
        Q(org_path__startswith=tree.city.path), Q(org_path__startswith=tree.county_b.path),
        Q(org_path__startswith=tree.province.path), Q(issuer_id__in=[tree.dept_a.pk, tree.dept_b.pk]),
        Q(effective_on__isnull=True), Q(expires_on__lt=TODAY), Q(effective_on__gt=TODAY), Q(issuer__path__isnull=False),
        Q(published_on__gte=TODAY - datetime.timedelta(days=1)), Q(pk__in=[p.pk for p in library[:4]]),
    ]  # fmt: skip
    r = random.Random(17)

    def tree_of(depth: int) -> Q:
        if depth == 0 or r.random() < 0.3:
            q = r.choice(leaves)
        else:
            children = [tree_of(depth - 1) for _ in range(r.randint(2, 3))]
            q = functools.reduce(operator.or_ if r.random() < 0.5 else operator.and_, children)
        return ~q if r.random() < 0.25 else q

    everyone = set(Policy.objects.values_list("pk", flat=True))
    assert _index_ids(Policy.objects.all()) == everyone and len(everyone) == 8
    sizes, untranslated = set(), 0
    for _ in range(300):
        q = tree_of(3)
        queryset = Policy.objects.filter(q)
        expected = set(queryset.values_list("pk", flat=True))
        try:
            found = _index_ids(queryset)
        except search_index.Untranslatable:  # the issuer's path under a NOT (SQL's NULL): the database answers
            assert "issuer__path" in str(q), q
            untranslated += 1
            continue
        assert found == expected, q
        sizes.add(len(expected))
    assert len(sizes) >= 5 and untranslated < 100  # the trees were not all empty or all full, nor untranslated


def test_given_a_state_outside_its_choices_when_saved_then_the_database_refuses_it(library):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Policy.objects.filter(pk=library[0].pk).update(state="archived")
