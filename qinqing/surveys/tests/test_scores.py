import json
from io import StringIO

import polars as pl
import pytest
from django.core.management import call_command

from qinqing.surveys import actions, scores
from qinqing.surveys.structure import Item


def _items():
    return [
        Item("G1", "scale", "税费", "G", "政务", environment="government"),
        Item("G2", "scale", "网办", "G", "政务", environment="government", weight=3),
        Item("M1", "scale", "准入", "M", "市场", environment="market"),
    ]


def _answers(rows):
    return pl.DataFrame(rows, schema={"group": pl.Utf8, "item": pl.Utf8, "value": pl.Int64}, orient="row")


def test_given_scale_answers_when_scored_then_items_environments_and_total_follow_the_formula():
    frame = _answers([("all", "G1", 5), ("all", "G1", 4), ("all", "G1", 9),  # 9 = 不了解: excluded
                      ("all", "G2", 3), ("all", "M1", 2), ("all", "M1", 1)])  # fmt: skip
    row = scores.compute(frame, _items()).row(0, named=True)
    g1, g2, m1 = (4.5 - 1) / 4 * 100, (3 - 1) / 4 * 100, (1.5 - 1) / 4 * 100
    government = (g1 * 1 + g2 * 3) / 4  # item weights 1 and 3
    assert row["government"] == pytest.approx(government)
    assert row["market"] == pytest.approx(m1)
    assert row["total"] == pytest.approx((government + m1) / 2)  # equal environment weights
    assert scores.rounded(row["total"]) == round((government + m1) / 2, 2)
    assert row["factor"] is None  # no items: left out of the total


def test_given_environment_weights_when_scored_then_the_total_uses_them():
    frame = _answers([("all", "G1", 5), ("all", "M1", 1)])
    row = scores.compute(frame, _items(), {"government": 3, "market": 1}).row(0, named=True)
    assert row["total"] == pytest.approx((100 * 3 + 0 * 1) / 4)


def test_given_regions_when_ranked_then_the_best_total_is_first_and_ties_share_a_rank():
    frame = _answers([("a", "G1", 5), ("b", "G1", 3), ("c", "G1", 3), ("a", "M1", 1), ("b", "M1", 4),
                      ("c", "M1", 4)])  # fmt: skip
    ranked = scores.rank(scores.compute(frame, _items())).sort("group")
    assert ranked.get_column("rank_total").to_list() == [3, 1, 1]
    assert ranked.get_column("rank_government").to_list() == [1, 2, 2]


@pytest.mark.django_db
def test_given_a_wanjia_survey_when_survey_scores_runs_then_json_has_overall_and_ranked_regions(users, firms):
    survey = actions.create_survey(actor=users.county_staff, data={}, template="wanjia")
    survey = actions.open_survey(survey, actor=users.county_staff)
    codes = [c for q in survey.structure["sections"][:5] for c in [r["code"] for r in q["questions"][0]["items"]]]
    for i, firm in enumerate(firms):
        value = 5 if firm.region_code == "430621" else 2
        actions.submit_response(survey, actor=users.county_staff, enterprise=firm, raw=dict.fromkeys(codes, value))
    out = StringIO()
    call_command("survey_scores", str(survey.pk), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["responses"] == 12
    assert data["overall"]["total"] == round((8 * 100 + 4 * 25) / 12, 2)
    assert [(r["region"], r["rank"], r["total"]) for r in data["regions"]] == [
        ("430621", 1, 100.0),
        ("430626", 2, 25.0),
    ]
    assert data["regions"][1]["environment_ranks"] == dict.fromkeys(data["environments"], 2)
    assert set(data["overall"]["environments"]) == {"factor", "government", "market", "law", "innovation"}
