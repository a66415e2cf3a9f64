import io

import pytest
from openpyxl import Workbook, load_workbook

from qinqing.surveys.models import Response, Survey

from .conftest import answers, small_structure

pytestmark = pytest.mark.django_db
BASE = "/api/v1/surveys/surveys/"


def _api(client, user):
    client.force_login(user)
    return client


def test_given_the_api_when_a_survey_is_built_opened_answered_and_read_then_every_step_works(
    client, users, tree, firms
):
    staff = _api(client, users.county_staff)
    created = staff.post(
        BASE, {"title": "API 调查", "rule": {"op": "all", "items": []}}, content_type="application/json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    saved = staff.post(f"{BASE}{pk}/structure/", {"structure": small_structure()}, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["status"] == "draft"
    assert staff.post(f"{BASE}{pk}/open/").json()["status"] == "open"
    for firm in firms[:5]:
        from qinqing.surveys import actions

        actions.submit_response(Survey.objects.get(pk=pk), actor=users.county_staff, enterprise=firm, raw=answers())
    ent = _api(client, users.enterprise)
    answered = ent.post(f"{BASE}{pk}/answer/", {"answers": answers(q3=2, Q5=[1, 2])}, content_type="application/json")
    assert answered.status_code == 200 and answered.json()["answers"]["Q5"] == [1, 2]
    assert ent.get(f"{BASE}{pk}/mine/").json()["answers"]["Q3"] == 2
    staff = _api(client, users.county_staff)
    result = staff.get(f"{BASE}{pk}/results/").json()
    q3 = next(i for i in result["items"] if i["code"] == "Q3")
    assert result["responses"] == 6 and q3["answered"] == 6
    assert {o["value"]: o["count"] for o in q3["options"]}[4] == 5
    q5 = next(i for i in result["items"] if i["code"] == "Q5")
    assert {o["value"]: o["count"] for o in q5["options"]} == {1: 1, 2: 1, 3: 0}
    table = staff.get(f"{BASE}{pk}/crosstab/", {"item": "Q3", "by": "size"}).json()
    assert sum(r["responses"] for r in table["rows"]) == 6
    scores = staff.get(f"{BASE}{pk}/scores/").json()
    assert scores["overall"]["responses"] == 6
    progress = staff.get(f"{BASE}{pk}/progress/").json()
    assert sum(r["answered"] for r in progress) == 6
    named = staff.get("/api/v1/surveys/responses/", {"survey": pk}).json()
    assert named["count"] == 6
    assert staff.post(f"{BASE}{pk}/close/").json()["status"] == "closed"
    late = _api(client, users.enterprise).post(f"{BASE}{pk}/answer/", {"answers": answers()},
                                                 content_type="application/json")  # fmt: skip
    assert late.status_code == 409


def test_given_a_later_condition_through_the_api_when_saved_then_400_names_show_if(client, users, make_survey):
    survey = make_survey(open_=False)
    bad = small_structure()
    bad["sections"][0]["questions"][1]["show_if"] = {"code": "Q6", "values": [1]}
    staff = _api(client, users.county_staff)
    response = staff.post(f"{BASE}{survey.pk}/structure/", {"structure": bad}, content_type="application/json")
    assert response.status_code == 400
    assert "Q6" in str(response.json()) and "show_if" in str(response.json())
    survey.refresh_from_db()
    assert survey.structure["sections"][0]["questions"][1]["show_if"]["code"] == "Q1"


def test_given_bad_answers_through_the_api_when_posted_then_400_names_the_item_and_nothing_saved(
    client, users, make_survey
):
    survey = make_survey()
    response = _api(client, users.enterprise).post(
        f"{BASE}{survey.pk}/answer/", {"answers": answers(q3=6)}, content_type="application/json"
    )
    assert response.status_code == 400 and "Q3" in str(response.json())
    assert not Response.objects.exists()


def test_given_county_b_users_when_reading_a_county_a_survey_then_404(client, users, make_survey):
    survey = make_survey()
    assert _api(client, users.county_b_staff).get(f"{BASE}{survey.pk}/results/").status_code == 404
    assert _api(client, users.enterprise_b).post(f"{BASE}{survey.pk}/answer/", {"answers": answers()},
                                                  content_type="application/json").status_code == 404  # fmt: skip


def test_given_an_export_when_read_then_one_row_per_response_one_column_per_code_and_a_codebook(
    client, users, tree, firms, make_survey
):
    from qinqing.surveys import actions

    survey = make_survey()
    actions.submit_response(survey, actor=users.county_staff, enterprise=firms[0], raw=answers(Q5=[1, 3], Q7=[3, 1]))
    actions.submit_response(
        survey, actor=users.county_staff, enterprise=firms[1], raw=answers(q1=2, Q2='=HYPERLINK("x")')
    )
    book = load_workbook(io.BytesIO(_api(client, users.county_staff).get(f"{BASE}{survey.pk}/export/").content))
    sheet, codebook = book.worksheets
    head = [c.value for c in sheet[1]]
    codes = ["Q1", "Q2", "Q3", "Q4_1", "Q4_2", "Q5", "Q6", "Q7"]
    assert head[-len(codes) :] == codes and head[0] == "企业"
    rows = {r[0]: dict(zip(head, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    first = rows[firms[0].name]
    assert (first["Q1"], first["Q3"], first["Q5"], first["Q7"]) == (1, 4, "1;3", "3;1")
    assert rows[firms[1].name]["Q2"] == '=HYPERLINK("x")'
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == firms[1].name)
    assert sheet.cell(row=row, column=head.index("Q2") + 1).data_type == "s"  # a text cell, never a formula
    book_codes = {r[0]: r for r in codebook.iter_rows(min_row=2, values_only=True)}
    assert set(book_codes) == set(codes)
    assert "1=非常不满意" in book_codes["Q3"][4] and "9=不了解" in book_codes["Q3"][4]


def _xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "answers.xlsx"
    return buffer


def test_given_an_offline_file_with_a_bad_row_when_imported_then_nothing_is_saved_and_rows_are_named(
    client, users, firms, make_survey
):
    survey = make_survey()
    head = ["统一社会信用代码", "Q1", "Q3", "Q4_1", "Q4_2", "Q5"]
    good = [firms[0].credit_code, 1, 4, 5, 3, "1;2"]
    bad = [firms[1].credit_code, 1, 7, 5, 3, ""]
    unknown = ["91430000XXXXXXXXXX", 1, 4, 5, 3, ""]
    staff = _api(client, users.county_staff)
    response = staff.post(f"{BASE}{survey.pk}/import/", {"file": _xlsx([head, good, bad, unknown])})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any("第 3 行" in e and "Q3" in e for e in errors) and any("第 4 行" in e for e in errors)
    assert not Response.objects.exists()
    response = staff.post(f"{BASE}{survey.pk}/import/", {"file": _xlsx([head, good])})
    assert response.status_code == 200 and response.json()["done"] == 1
    imported = Response.objects.get()
    assert imported.source == "import" and imported.answers["Q5"] == [1, 2] and imported.enterprise == firms[0]
