"""Chinese full-text search on the database in use (run on SQLite and on PostgreSQL)."""

import pytest

from qinqing.policies.models import Policy
from qinqing.policies.search import RankedResults
from qinqing.policies.segment import highlight, query_words, segment

pytestmark = pytest.mark.django_db

TEXTS = {
    "稳岗": ("关于做好2026年稳岗补贴发放工作的通知", "对不裁员或少裁员的参保企业返还失业保险费。"),
    "融资": ("民营企业融资担保费用补助办法", "对小微企业通过政府性融资担保机构获得贷款的，给予担保费补助。"),
    "专精特新": ("专精特新中小企业梯度培育奖励", "对新认定的省级专精特新中小企业给予一次性奖励。"),
    "用地": ("工业用地弹性出让实施细则", "鼓励以长期租赁、先租后让方式供应工业用地。"),
}


@pytest.fixture
def policies(users, make_policy):
    return {key: make_policy(title=title, body=body, benefit_type="other") for key, (title, body) in TEXTS.items()}


def _titles(q, queryset=None, *, use_synonyms=False):
    queryset = Policy.objects.all() if queryset is None else queryset
    return [p.title for p in RankedResults(queryset, q, use_synonyms=use_synonyms)[0:20]]


@pytest.mark.parametrize("word", ["融资", "稳岗", "补贴", "用地"])
def test_given_policies_when_searching_two_character_word_then_found(policies, word):
    titles = _titles(word)
    assert titles, word
    assert all(word in t or word in Policy.objects.get(title=t).body for t in titles)


def test_given_policies_when_searching_four_character_word_then_only_that_policy(policies):
    assert _titles("专精特新") == [TEXTS["专精特新"][0]]
    assert _titles("稳岗补贴") == [TEXTS["稳岗"][0]]


def test_given_title_hit_and_body_hit_when_ranked_then_more_hits_rank_first(policies, make_policy):
    make_policy(title="科技创新券", body="可用于购买检验检测服务，不涉及融资。")
    titles = _titles("融资")
    assert titles[0] == TEXTS["融资"][0] and len(titles) == 2


def test_given_policy_retitled_when_searching_then_index_is_current(policies, users):
    from qinqing.policies.actions import update_policy

    policy = policies["用地"]
    update_policy(
        policy,
        actor=users.city_staff,
        data={"title": "厂房租金减免", "level": "city", "benefit_type": "other", "body": "租金减半。"},
    )
    assert _titles("用地") == [] and _titles("租金") == ["厂房租金减免"]


def test_given_filters_when_searching_then_both_apply(policies):
    queryset = Policy.objects.filter(benefit_type="financing")
    assert _titles("补助", queryset) == []
    assert RankedResults(Policy.objects.all(), "补助", use_synonyms=False).count() == 1


def test_given_unknown_word_when_searching_then_nothing():
    assert RankedResults(Policy.objects.all(), "量子纠缠").count() == 0


def test_given_html_in_text_when_highlighted_then_escaped_and_marked():
    html = str(highlight("<b>融资</b>担保", query_words("融资")))
    assert html == "&lt;b&gt;<mark>融资</mark>&lt;/b&gt;担保"


def test_given_compound_word_when_segmented_then_parts_indexed():
    words = segment("稳岗补贴").split()
    assert "稳岗" in words and "补贴" in words
