"""Chamber conditions become bit tests over the chambers the rules name, 63 per mask column (evaluation.py)."""

import random

from qinqing.eligibility.rules import evaluate_all, explain, frame_from_records, normalize


def test_given_rules_naming_more_chambers_than_one_mask_holds_when_evaluated_then_each_agrees_with_explain():
    r = random.Random(5)
    chambers = list(range(1001, 1151))  # 150 chambers: three mask columns
    records = [{"id": i, "chambers": r.sample(chambers, r.randint(0, 3))} for i in range(1, 301)]
    records += [{"id": 301, "chambers": None}, {"id": 302, "chambers": [9999]}]  # unknown; a chamber one rule names

    def rule() -> dict:
        op = r.choice(["has_any", "has_none"])
        return normalize({"attr": "chambers", "op": op, "value": r.sample(chambers, r.randint(1, 40))})

    policies = {k: rule() for k in range(60)}
    policies[60] = normalize({"attr": "chambers", "op": "has_any", "value": [9999]})
    policies[61] = normalize({"attr": "chambers", "op": "has_none", "value": [chambers[0], chambers[-1]]})
    result = evaluate_all(policies, frame_from_records(records))
    for key, rule in policies.items():
        expected = [rec["id"] for rec in records if explain(rule, rec).eligible]
        assert result[key].to_list() == expected, rule
    assert 302 in result[60].to_list() and 301 not in result[61].to_list()  # unknown stays out of has_none too
