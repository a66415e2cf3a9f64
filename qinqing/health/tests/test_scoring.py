"""Indicator and band maths (pure), and the vectorised pass against the plain-loop reference."""

import copy
import math
import random

import polars as pl
import pytest
from django.core.exceptions import ValidationError

from qinqing.health.indicators import DEFAULT_CONFIG, DIMENSIONS, QUESTIONS, SOURCES, grade_of
from qinqing.health.schemes import bands_text, check_config, parse_bands
from qinqing.health.scoring import FORMULAS, score_frame, score_one, score_plain

CONFIG = check_config(DEFAULT_CONFIG)


def _row(pk, year, **values):
    return {"id": pk, "year": year, **{name: values.get(name) for name in SOURCES}}


def _frame(rows):
    return pl.DataFrame(rows, schema={"id": pl.Int64, "year": pl.Int64, **{s: pl.Float64 for s in SOURCES}})


def test_given_two_years_when_scored_then_growth_ratios_and_days_follow_the_formulas():
    rows = [
        _row(1, 2024, revenue=1000, tax=50, rd=20, employees=100, assets=2000, profit=80, liabilities=1000),
        _row(1, 2025, revenue=1200, tax=45, rd=36, employees=110, assets=2400, profit=120, cost=900,
             liabilities=1200, receivables=240, inventory=90),
    ]  # fmt: skip
    out = score_one(rows, CONFIG)
    assert out["year"] == 2025
    assert out["v_revenue_growth"] == pytest.approx(20.0)
    assert out["v_tax_growth"] == pytest.approx(-10.0)
    assert out["v_employment_growth"] == pytest.approx(10.0)
    assert out["v_profit_growth"] == pytest.approx(50.0)
    assert out["v_net_assets_growth"] == pytest.approx(20.0)  # 1000 → 1200
    assert out["v_rd_growth"] == pytest.approx(80.0)
    assert out["v_profit_margin"] == pytest.approx(10.0)
    assert out["v_asset_turnover"] == pytest.approx(0.5)
    assert out["v_rd_intensity"] == pytest.approx(3.0)
    assert out["v_receivable_days"] == pytest.approx(73.0)
    assert out["v_inventory_days"] == pytest.approx(36.5)
    assert out["v_debt_ratio"] == pytest.approx(50.0)
    # revenue growth 20% is in the top band (20~): 12 points; tax −10% in −10~0: 40% of 8.
    assert out["p_revenue_growth"] == pytest.approx(12.0)
    assert out["p_tax_growth"] == pytest.approx(3.2)


def test_given_a_moderate_indicator_when_the_ratio_is_inside_or_outside_the_target_then_inside_scores_best():
    def debt_points(ratio):
        return score_one([_row(1, 2025, assets=100, liabilities=ratio)], CONFIG)["p_debt_ratio"]

    assert debt_points(50) == pytest.approx(10.0)  # 40~60: 100% of the weight
    assert debt_points(15) == pytest.approx(7.0)
    assert debt_points(75) == pytest.approx(3.0)
    assert debt_points(90) == pytest.approx(0.0)
    assert debt_points(60) == pytest.approx(7.0)  # bands are [low, high): 60 belongs to 60~70


def test_given_missing_inputs_when_scored_then_indicators_are_missing_and_scores_use_the_weights_with_data():
    out = score_one([_row(7, 2025, revenue=500, rd=25)], CONFIG)
    assert out["v_revenue_growth"] is None  # no previous year: not guessed
    assert out["v_profit_margin"] is None
    assert out["p_profit_margin"] is None
    assert out["v_rd_intensity"] == pytest.approx(5.0)
    assert out["coverage"] == pytest.approx(10.0)  # only R&D intensity has data
    assert out["d_innovation"] == pytest.approx(100.0)  # 10 of its 16 weight has data, full marks there
    assert out["d_vitality"] is None
    assert out["total"] == pytest.approx(100.0)


def test_given_a_gap_in_years_when_scored_then_growth_is_missing():
    out = score_one([_row(1, 2022, revenue=100), _row(1, 2025, revenue=150)], CONFIG)
    assert out["year"] == 2025 and out["v_revenue_growth"] is None


def test_given_questionnaire_answers_when_scored_then_they_add_to_their_dimensions():
    rows = [_row(1, 2025, assets=100, liabilities=50)]
    without = score_one(rows, CONFIG)
    answered = score_one(rows, CONFIG, {"compliance": "yes", "disputes": "partly"})
    assert without["d_bottom"] == pytest.approx(100.0)
    assert answered["p_compliance"] == pytest.approx(2.0) and answered["p_disputes"] == pytest.approx(1.0)
    assert answered["d_bottom"] == pytest.approx(13.0 / 14.0 * 100.0)


def _random_rows(rng, n):
    rows = []
    for pk in range(1, n + 1):
        first = rng.choice([2022, 2023, 2024])
        for year in range(first, 2026):
            if rng.random() < 0.1:
                continue  # a year missing now and then
            values = {}
            for name in SOURCES:
                if rng.random() < 0.15:
                    continue
                values[name] = rng.choice([0.0, round(rng.uniform(-50, 5000), 2), round(rng.uniform(1, 300), 2)])
            rows.append(_row(pk, year, **values))
    return rows


def test_given_random_data_when_scored_vectorised_then_it_equals_the_plain_loop():
    rng = random.Random(13)
    rows = _random_rows(rng, 400)
    answers = {pk: {q.code: rng.choice(["yes", "partly", "no", None]) for q in QUESTIONS} for pk in range(1, 401)}
    peers = {pk: rng.choice(["430621C33", "430621C34", "430602F51"]) for pk in range(1, 401)}
    answer_frame = pl.DataFrame(
        [{"id": pk, **a} for pk, a in answers.items()], schema={"id": pl.Int64, **{q.code: pl.Utf8 for q in QUESTIONS}}
    )
    peer_frame = pl.DataFrame({"id": list(peers), "peer": list(peers.values())})
    fast = score_frame(_frame(rows), CONFIG, answer_frame, peer_frame)
    slow = score_plain(rows, CONFIG, answers, peers)
    assert fast.height == len(slow)
    compared = [*(f"v_{c}" for c in FORMULAS), *(f"d_{d}" for d in DIMENSIONS), *(f"m_{d}" for d in DIMENSIONS),
                "total", "coverage", "m_total", "percentile", "peer_count", "year"]  # fmt: skip
    for record in fast.iter_rows(named=True):
        reference = slow[record["id"]]
        for name in compared:
            a, b = record[name], reference[name]
            assert (a is None) == (b is None), (record["id"], name, a, b)
            if a is not None:
                assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), (record["id"], name, a, b)


def test_given_bands_that_overlap_or_leave_gaps_when_checked_then_refused_naming_the_indicator():
    with pytest.raises(ValidationError) as overlap:
        parse_bands("revenue_growth", "~0=10; -5~10=50; 10~=100")
    assert "bands_revenue_growth" in overlap.value.message_dict
    assert "营业收入增长率" in overlap.value.message_dict["bands_revenue_growth"][0]
    assert "重叠" in overlap.value.message_dict["bands_revenue_growth"][0]
    with pytest.raises(ValidationError) as gap:
        parse_bands("revenue_growth", "~0=10; 5~10=50; 10~=100")
    assert "空档" in gap.value.message_dict["bands_revenue_growth"][0]
    with pytest.raises(ValidationError) as open_end:
        parse_bands("revenue_growth", "~0=10; 0~10=50")
    assert "空档" in open_end.value.message_dict["bands_revenue_growth"][0]
    with pytest.raises(ValidationError) as moderate:
        parse_bands("debt_ratio", "~40=100; 40~60=80; 60~=0")
    assert "适度指标" in moderate.value.message_dict["bands_debt_ratio"][0]


def test_given_weights_not_summing_to_100_when_checked_then_refused_with_the_sum():
    config = copy.deepcopy(DEFAULT_CONFIG)
    config["indicators"]["revenue_growth"]["weight"] = 20
    with pytest.raises(ValidationError) as error:
        check_config(config)
    assert "108" in error.value.message_dict["weights"][0]


def test_given_bands_when_written_as_text_and_parsed_then_they_round_trip():
    bands = CONFIG["indicators"]["debt_ratio"]["bands"]
    assert parse_bands("debt_ratio", bands_text(bands)) == bands


def test_given_totals_when_graded_then_the_bands_are_85_70_60():
    assert [grade_of(v) for v in (90, 85, 70.5, 60, 59.9, None)] == ["A", "A", "B", "C", "D", ""]
