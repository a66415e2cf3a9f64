"""Answers kept column-wise (AnswerValue): written with the response by the answering action, replaced when the
answer is edited, read by results and the export instead of the JSON, and carrying no respondent."""

import io

import pytest
from openpyxl import load_workbook

from qinqing.surveys import actions, exports, results
from qinqing.surveys import answers as answer_logic
from qinqing.surveys.models import AnswerValue, Response

from .conftest import answers

pytestmark = pytest.mark.django_db


def test_given_answers_when_split_then_only_multiple_ranking_number_and_text_are_kept_in_order():
    kinds = {"Q1": "single", "Q2": "text", "Q5": "multiple", "Q6": "number", "Q7": "ranking"}
    got = answer_logic.values(kinds, {"Q1": 1, "Q2": "没时间", "Q5": [1, 3], "Q6": 12, "Q7": [3, 1]})
    assert got == [("Q2", 0, None, None, "没时间"), ("Q5", 0, 1, None, ""), ("Q5", 1, 3, None, ""),
                   ("Q6", 0, None, 12.0, ""), ("Q7", 0, 3, None, ""), ("Q7", 1, 1, None, "")]  # fmt: skip


def test_given_an_answer_when_edited_then_its_column_wise_values_are_replaced_and_results_follow(
    make_survey, users, tree
):
    survey = make_survey()
    first = actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a,
                                    raw=answers(Q5=[1, 3], Q6=40, Q7=[3, 1]))  # fmt: skip
    stored = AnswerValue.objects.filter(response=first).values_list("item", "position", "option", "number")
    assert sorted(stored) == [("Q5", 0, 1, None), ("Q5", 1, 3, None), ("Q6", 0, None, 40.0), ("Q7", 0, 3, None),
                              ("Q7", 1, 1, None)]  # fmt: skip
    actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw=answers(q1=2, Q5=[2]))
    assert sorted(AnswerValue.objects.filter(response=first).values_list("item", "option", "text")) == [
        ("Q2", None, "没时间"),
        ("Q5", 2, ""),
    ]
    computed = {r.item.code: r for r in results.compute(survey).items}
    assert {o["value"]: o["count"] for o in computed["Q5"].options} == {1: 0, 2: 1, 3: 0}
    assert computed["Q5"].answered == 1 and computed["Q6"].answered == 0 and computed["Q7"].answered == 0
    assert computed["Q2"].texts == ["没时间"] and computed["Q2"].answered == 1


def test_given_a_ranking_and_numbers_when_results_are_read_then_first_places_and_statistics_come_from_the_values(
    make_survey, users, firms
):
    survey = make_survey()
    for firm, q6, q7 in zip(firms[:3], (10, 20, 60), ([3, 1], [3], [1, 2]), strict=True):
        actions.submit_response(survey, actor=users.county_staff, enterprise=firm, raw=answers(Q6=q6, Q7=q7))
    computed = {r.item.code: r for r in results.compute(survey).items}
    ranking = {o["value"]: (o["count"], o["first"]) for o in computed["Q7"].options}
    assert ranking == {1: (2, 1), 2: (1, 0), 3: (2, 2)} and computed["Q7"].answered == 3
    assert computed["Q6"].stats == {"min": 10.0, "max": 60.0, "mean": 30.0, "median": 20.0}


def test_given_an_export_when_built_then_value_columns_come_from_the_column_wise_rows_not_the_json(
    make_survey, users, firms
):
    survey = make_survey(anonymous=True)
    for firm in firms[:5]:
        actions.submit_response(survey, actor=users.county_staff, enterprise=firm, raw=answers(Q5=[1, 3], Q6=7))
    Response.objects.filter(survey=survey).update(answers={})  # the JSON is not what the export reads
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(survey))).worksheets[0]
    head = [c.value for c in sheet[1]]
    rows = [dict(zip(head, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == 5 and {(r["Q1"], r["Q3"], r["Q4_1"], r["Q5"], r["Q6"], r["Q7"]) for r in rows} == {
        (1, 4, 5, "1;3", 7, None)}  # fmt: skip


def test_given_an_anonymous_answer_when_its_values_are_stored_then_they_carry_no_respondent(make_survey, users, tree):
    survey = make_survey(anonymous=True)
    response = actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a,
                                       raw=answers(Q5=[1], Q2="x"))  # fmt: skip
    row = AnswerValue.objects.filter(response=response).values().first()
    assert set(row) == {"id", "survey_id", "response_id", "item", "position", "option", "number", "text"}
    text = " ".join(str(v) for v in row.values())
    assert tree.ent_a.name not in text and tree.ent_a.credit_code not in text
    assert not isinstance(row["id"], int)  # a random key: no sequence orders the values by time
