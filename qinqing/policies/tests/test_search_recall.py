"""Search recall on the demo policies (issue 10): the benefit type is searched and synonyms apply at query
time, identically on the tantivy index and on the database's full-text index."""

import pytest

from qinqing.policies.demo import POLICIES
from qinqing.policies.models import Policy, SearchSynonym
from qinqing.policies.search import RankedResults

pytestmark = pytest.mark.django_db

FINANCING = {title for title, _level, benefit, *_rest in POLICIES if benefit == "financing"}


@pytest.fixture
def demo_policies(make_policy):
    for title, level, benefit, method, issuer, summary, _rule, _start, _end in POLICIES:
        make_policy(
            title=title,
            level=level,
            benefit_type=benefit,
            application_method=method,
            issuer_name=issuer,
            summary=summary,
            body=summary,
            rule={"op": "all", "items": []},
        )
    return Policy.objects.all()


def _found(q, *, engine: bool, synonyms: bool = True) -> set[str]:
    results = RankedResults(Policy.objects.all(), q, use_engine=engine, use_synonyms=synonyms)
    assert (results.engine is not None) == engine
    return {p.title for p in results[0 : results.count()]}


@pytest.mark.parametrize("engine", [True, False], ids=["tantivy", "database"])
def test_given_demo_policies_when_searching_financing_then_every_financing_policy_found(demo_policies, engine):
    assert len(FINANCING) == 4
    assert _found("融资", engine=engine) >= FINANCING


@pytest.mark.parametrize("engine", [True, False], ids=["tantivy", "database"])
def test_given_demo_policies_when_searching_subsidy_then_synonyms_found(demo_policies, engine):
    found = _found("补贴", engine=engine)
    for word in ("补助", "奖补", "贴息"):
        having = {p.title for p in demo_policies if word in p.title or word in p.summary}
        assert having and having <= found, word
    assert "县域小微企业创业担保贷款" in found  # 财政按规定贴息


@pytest.mark.parametrize("engine", [True, False], ids=["tantivy", "database"])
def test_given_demo_policies_when_searching_technology_then_found(demo_policies, engine):
    found = _found("科技", engine=engine)
    assert {"高新技术企业认定奖补", "研发费用税前加计扣除政策", "岳阳市工业企业技术改造专项资金"} <= found
    for word in ("创新", "专精特新"):  # the starting synonym table maps 科技 to them too (migration 0005)
        having = {p.title for p in demo_policies if word in p.title}
        assert having <= found, word
    assert "岳阳市重点项目用地保障办法" not in found


def test_given_synonyms_off_when_searching_subsidy_then_fewer_found(demo_policies):
    assert _found("补贴", engine=True, synonyms=False) < _found("补贴", engine=True)


def test_given_administrator_adds_synonym_when_searching_then_applied_at_once_on_both_engines(demo_policies):
    assert _found("安家", engine=True) == {"岳阳市高层次人才引进安家补贴"}
    assert _found("住房", engine=True) == set()
    SearchSynonym.objects.create(term="住房", synonyms="安家、公寓")
    assert _found("住房", engine=True) == _found("住房", engine=False) == {"岳阳市高层次人才引进安家补贴"}


def test_given_two_words_with_synonyms_when_searching_then_both_must_match(demo_policies):
    found = _found("融资 补贴", engine=True)
    assert found == _found("融资 补贴", engine=False)
    assert found and found <= FINANCING | {p.title for p in demo_policies if "贷款" in p.summary}
