"""POLICY_SEARCH_ENGINE=database (several application servers): searches are answered by the database's own index,
nothing is written to or read from a tantivy index on the machine, and the rebuild command builds none."""

from pathlib import Path

import pytest
from django.core.management import call_command

from qinqing.policies import search_index
from qinqing.policies.models import Policy
from qinqing.policies.permissions import visible_policies
from qinqing.policies.search import RankedResults

pytestmark = pytest.mark.django_db


def _entries() -> int:
    current = search_index.handle()
    return current.index.searcher().num_docs if current else -1


def test_given_the_database_engine_when_a_policy_is_saved_then_it_is_found_without_the_machine_index(
    settings, make_policy, users
):
    assert _entries() == 0  # this test's empty tantivy index (conftest)
    settings.POLICY_SEARCH_ENGINE = "database"
    policy = make_policy(title="数据库检索稳岗补贴", body="数据库检索：稳岗补贴办法。")
    results = RankedResults(visible_policies(users.city_staff), "稳岗")
    assert results.engine is None and [p.pk for p in results[0:10]] == [policy.pk]
    settings.POLICY_SEARCH_ENGINE = "tantivy"
    assert _entries() == 0  # the save did not touch the machine's index


def test_given_the_database_engine_when_the_index_is_rebuilt_then_nothing_is_built(settings, make_policy, capsys):
    make_policy(title="重建测试政策")
    settings.POLICY_SEARCH_ENGINE = "database"
    settings.POLICY_SEARCH_INDEX = str(Path(settings.POLICY_SEARCH_INDEX).with_name("never-built"))
    call_command("rebuild_policy_index")
    assert "数据库全文索引" in capsys.readouterr().out
    assert not Path(settings.POLICY_SEARCH_INDEX).exists()
    assert search_index.rebuild() == Policy.objects.count()
