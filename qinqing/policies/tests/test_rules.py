"""Pure rule engine: validation, explanations, and agreement of explain() with evaluate_all()."""

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qinqing.eligibility import rules
from qinqing.eligibility.rules import RuleError, evaluate_all, explain, frame_from_records, normalize

RULE = {
    "op": "all",
    "items": [
        {"attr": "region", "op": "startswith", "value": ["4306"]},
        {"attr": "employees", "op": "ge", "value": 10},
        {"op": "any", "items": [
            {"attr": "qualifications", "op": "has_any", "value": ["高新技术企业", "专精特新"]},
            {"attr": "rd_ratio", "op": "ge", "value": 3},
        ]},
    ],
}  # fmt: skip


def test_given_all_conditions_met_when_explained_then_eligible_with_each_leaf_met():
    result = explain(normalize(RULE), {"region": "430621", "employees": 25, "qualifications": ["专精特新"]})
    assert result.verdict == "eligible"
    assert [leaf.status for leaf in result.leaves] == ["met", "met", "met", "unknown"]
    assert result.leaves[1].actual == "25人"


def test_given_one_condition_short_when_explained_then_near_miss_names_it():
    result = explain(normalize(RULE), {"region": "430621", "employees": 5, "qualifications": ["高新技术企业"]})
    assert result.verdict == "near_miss"
    assert [leaf.label for leaf in result.near_miss] == ["从业人数"]


def test_given_missing_employees_when_explained_then_unknown_and_says_which_data():
    result = explain(normalize(RULE), {"region": "430621", "qualifications": ["高新技术企业"]})
    assert result.verdict == "unknown"
    assert result.missing_data == ["最近年度从业人数"]


def test_given_two_conditions_short_when_explained_then_not_eligible():
    result = explain(normalize(RULE), {"region": "440300", "employees": 5, "qualifications": [], "rd_ratio": 1})
    assert result.verdict == "not_eligible"
    assert result.near_miss == []


def test_given_industry_section_letter_or_digits_when_evaluated_then_both_match_digit_codes():
    letter = normalize({"attr": "industry", "op": "startswith", "value": "C"})
    digits = normalize({"attr": "industry", "op": "startswith", "value": "13"})
    assert explain(letter, {"industry": "1311"}).eligible
    assert explain(digits, {"industry": "C1311"}).eligible
    assert not explain(letter, {"industry": "5111"}).eligible
    frame = frame_from_records([{"id": 1, "industry": "1311"}, {"id": 2, "industry": "F5111"}])
    result = evaluate_all({"l": letter, "d": digits}, frame)
    assert result["l"].to_list() == [1] and result["d"].to_list() == [1]


@pytest.mark.parametrize(
    ("leaf", "message"),
    [
        ({"attr": "nope", "op": "eq", "value": 1}, "未知的条件项"),
        ({"attr": "employees", "op": "startswith", "value": 1}, "不能使用运算"),
        ({"attr": "employees", "op": "ge", "value": "十"}, "必须是数字"),
        ({"attr": "qualifications", "op": "has_any", "value": ["金牌"]}, "取值无效"),
        ({"attr": "employees", "op": "between", "value": [9, 1]}, "下限大于上限"),
        ({"attr": "region", "op": "in", "value": ""}, "缺少取值"),
    ],
)
def test_given_bad_condition_when_normalized_then_chinese_error_names_it(leaf, message):
    with pytest.raises(RuleError, match=message):
        normalize({"op": "all", "items": [leaf]})


def test_given_empty_rule_when_evaluated_then_everyone_is_eligible():
    frame = frame_from_records([{"id": 3}, {"id": 1}])
    assert evaluate_all({1: normalize(None)}, frame)[1].to_list() == [1, 3]
    assert explain(normalize(None), {}).eligible


# --- property: explain() and evaluate_all() agree -----------------------------------------------


def _maybe(strategy):
    return st.one_of(st.none(), strategy)


enterprises = st.fixed_dictionaries(
    {
        "region": _maybe(st.sampled_from(["430621", "430623", "430600", "440300", "110101"])),
        "industry": _maybe(st.sampled_from(["1311", "C3911", "5111", "F5211", "6510", "I6510", "C"])),
        "size_class": _maybe(st.sampled_from(list(rules.SIZE_CLASSES))),
        "years": _maybe(st.floats(0, 40, allow_nan=False)),
        "employees": _maybe(st.integers(0, 2000)),
        "revenue": _maybe(st.floats(0, 100000, allow_nan=False)),
        "tax": _maybe(st.floats(0, 5000, allow_nan=False)),
        "rd_ratio": _maybe(st.floats(0, 20, allow_nan=False)),
        "total_assets": _maybe(st.floats(0, 100000, allow_nan=False)),
        "qualifications": _maybe(st.lists(st.sampled_from(rules.QUALIFICATIONS), max_size=3)),
        "member": _maybe(st.booleans()),
        "chambers": _maybe(st.lists(st.integers(1, 5), max_size=3)),
    }
)


def _leaf_strategy():
    def for_attr(key):
        attr = rules.ATTRIBUTES[key]
        ops = st.sampled_from(rules.OPERATORS_BY_KIND[attr.kind])
        if attr.kind == "number":
            values = st.one_of(
                st.integers(0, 2000).map(float),
                st.tuples(st.integers(0, 1000), st.integers(0, 1000)).map(lambda t: sorted(map(float, t))),
            )
        elif attr.kind == "code":
            pool = ["43", "4306", "430621", "440300"] if key == "region" else ["C", "F", "13", "39", "C39", "I65"]
            values = st.lists(st.sampled_from(pool), min_size=1, max_size=3)
        elif attr.kind == "enum":
            values = st.lists(st.sampled_from(list(rules.SIZE_CLASSES)), min_size=1, max_size=2)
        elif attr.kind == "set":
            values = st.lists(st.sampled_from(rules.QUALIFICATIONS), min_size=1, max_size=3)
        elif attr.kind == "bool":
            values = st.booleans()
        else:
            values = st.lists(st.integers(1, 5), min_size=1, max_size=2)
        return st.tuples(ops, values).map(lambda ov: {"attr": key, "op": ov[0], "value": ov[1]})

    def fix(leaf):
        value = leaf["value"]
        if leaf["op"] == "between" and not isinstance(value, list):
            leaf["value"] = [value, value + 100]
        elif leaf["op"] != "between" and isinstance(value, list) and rules.ATTRIBUTES[leaf["attr"]].kind == "number":
            leaf["value"] = value[0]
        return normalize(leaf)

    return st.sampled_from(list(rules.ATTRIBUTES)).flatmap(for_attr).map(fix)


rule_trees = st.recursive(
    _leaf_strategy(),
    lambda children: st.fixed_dictionaries(
        {"op": st.sampled_from(["all", "any"]), "items": st.lists(children, min_size=0, max_size=4)}
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policies=st.lists(rule_trees, min_size=1, max_size=4), firms=st.lists(enterprises, min_size=1, max_size=12))
def test_property_explain_and_evaluate_all_agree_on_eligibility(policies, firms):
    records = [dict(firm, id=i) for i, firm in enumerate(firms)]
    frame = frame_from_records(records)
    vectorised = evaluate_all(dict(enumerate(policies)), frame)
    for key, rule in enumerate(policies):
        expected = [r["id"] for r in records if explain(rule, r).eligible]
        assert vectorised[key].to_list() == expected, rule
        # explain() on a row read back from the frame gives the same verdicts as on the raw record
        for index, record in enumerate(records):
            assert explain(rule, rules.frame_row_attrs(frame, index)).verdict == explain(rule, record).verdict


def test_given_frame_when_evaluated_then_result_is_sorted_int_series():
    frame = frame_from_records([{"id": 9, "employees": 50}, {"id": 2, "employees": 60}, {"id": 5}])
    result = evaluate_all({"p": normalize({"attr": "employees", "op": "gt", "value": 10})}, frame)
    assert result["p"].dtype == pl.UInt32 and result["p"].to_list() == [2, 9]


def test_given_id_sets_when_encoded_as_gaps_then_decoded_exactly_and_old_blobs_still_read():
    import io

    from qinqing.eligibility import idsets

    ids = [3, 4, 5, 900, 70_000, 4_000_000_000]
    blob = idsets.encode(pl.Series(ids[::-1]))
    assert idsets.decode(blob).to_list() == ids
    assert idsets.contains(blob, 900) and not idsets.contains(blob, 901)
    assert idsets.with_id(blob, 6, True) == (idsets.encode(sorted([*ids, 6])), 7)
    assert idsets.decode(idsets.encode([])).to_list() == [] and idsets.decode(None).to_list() == []
    old = io.BytesIO()
    pl.DataFrame({"id": pl.Series(ids, dtype=pl.UInt32)}).write_ipc(old, compression="zstd")
    assert idsets.decode(old.getvalue()).to_list() == ids


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule=rule_trees, firm=enterprises)
def test_property_verdict_alone_is_explains_verdict(rule, firm):
    # 我的政策 takes the verdict alone for the policies it only counts: it must be explain()'s, for every verdict
    assert rules.verdict(rule, firm) == explain(rule, firm).verdict


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ({"region": "430621", "employees": 25, "qualifications": ["专精特新"]}, "eligible"),
        ({"region": "430621", "employees": 5, "qualifications": ["高新技术企业"]}, "near_miss"),
        ({"region": "430621", "qualifications": ["高新技术企业"]}, "unknown"),
        ({"region": "440300", "employees": 5, "qualifications": [], "rd_ratio": 1}, "not_eligible"),
    ],
)
def test_given_each_verdict_when_taken_alone_then_same_as_explained(attrs, expected):
    assert rules.verdict(normalize(RULE), attrs) == explain(normalize(RULE), attrs).verdict == expected


def test_given_many_explanations_then_the_vocabulary_is_translated_once_per_language(monkeypatch):
    """我的政策 explains hundreds of policies: labels, units, operators and hints are translated once per language,
    not on every use (each use of a lazy label is a lookup of the active language)."""
    from django.utils import translation

    rule = normalize({"op": "all", "items": [
        {"attr": "employees", "op": "ge", "value": 10}, {"attr": "revenue", "op": "between", "value": [100, 5000]},
        {"attr": "tax", "op": "gt", "value": 1},
    ]})  # fmt: skip
    first = explain(rule, {"employees": 5})
    calls = []
    real = translation._trans.gettext
    monkeypatch.setattr(translation._trans, "gettext", lambda message: calls.append(message) or real(message))
    again = [explain(rule, {"employees": n, "revenue": 50.0 * n}) for n in range(20)]
    assert calls == []
    assert again[0].leaves[0].text == first.leaves[0].text == "从业人数 大于等于 10人"
    assert again[3].leaves[1].actual == "150万元" and again[0].leaves[2].missing_hint == first.leaves[2].missing_hint
