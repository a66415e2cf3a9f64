"""An anonymous survey: no page, API, export or column links a response to its respondent, and every
breakdown under five responses is suppressed."""

import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from qinqing.core.models import AuditEntry
from qinqing.surveys import actions, anonymity, results
from qinqing.surveys.models import Receipt, Response

from .conftest import answers

pytestmark = pytest.mark.django_db


def _respond(survey, users, firms, n, **kw):
    for firm in firms[:n]:
        actions.submit_response(survey, actor=users.county_staff, enterprise=firm, raw=answers(**kw))


def test_given_an_anonymous_answer_when_stored_then_no_column_holds_the_respondent(make_survey, users, tree):
    survey = make_survey(anonymous=True)
    response = actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw=answers())
    row = Response.objects.filter(pk=response.pk).values().get()
    assert row["enterprise_id"] is None and row["submitted_by_id"] is None and row["submitted_on"] is None
    text = " ".join(str(v) for v in row.values())
    assert tree.ent_a.credit_code not in text and tree.ent_a.name not in text and users.enterprise.username not in text
    assert set(row) - {"enterprise_id", "submitted_by_id"} == {
        "id", "survey_id", "version", "org_path", "submitted_on", "edit_key", "region_code", "industry", "size_class",
        "is_member", "targeted", "source", "answers", "codes",
    }  # fmt: skip
    # The receipt and the edit key are different keyed hashes: nothing in one equals anything in the other.
    receipt = Receipt.objects.get(survey=survey)
    assert receipt.token != row["edit_key"] and receipt.token not in text
    assert {f.name for f in Receipt._meta.get_fields()} == {"token", "survey"}
    # The audit row names the survey only.
    entry = AuditEntry.objects.get(action="surveys.answer")
    assert entry.object_type == "surveys.survey" and entry.object_id == str(survey.pk)
    assert str(response.pk) not in f"{entry.before} {entry.after} {entry.object_repr}"


def test_given_an_anonymous_answer_when_the_enterprise_returns_then_it_edits_its_own(make_survey, users, tree):
    survey = make_survey(anonymous=True)
    first = actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw=answers(q3=1))
    again = actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw=answers(q3=5))
    assert first.pk == again.pk and Response.objects.filter(survey=survey).count() == 1
    assert Receipt.objects.filter(survey=survey).count() == 1
    assert actions.respondent_ids(survey, [tree.ent_a.pk, tree.ent_b.pk]) == {tree.ent_a.pk}


def test_given_the_keys_when_hashes_are_made_then_receipt_and_edit_key_differ_per_survey_and_purpose():
    assert anonymity.receipt(1, 7) != anonymity.edit_key(1, 7)
    assert anonymity.receipt(1, 7) != anonymity.receipt(2, 7)
    assert anonymity.receipt(1, 7) in anonymity.receipt_candidates(1, [7])[7]


def test_given_an_anonymous_survey_when_staff_look_everywhere_then_no_response_is_linked(
    client, make_survey, users, tree, firms
):
    survey = make_survey(anonymous=True)
    _respond(survey, users, firms, 6)
    actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw=answers())
    client.force_login(users.county_staff)
    assert client.get(reverse("surveys:responses", args=[survey.pk])).status_code == 404
    api = client.get("/api/v1/surveys/responses/").json()
    assert api["count"] == 0
    export = client.get(reverse("surveys:export", args=[survey.pk]))
    book = load_workbook(io.BytesIO(export.content))
    sheet = book.worksheets[0]
    head = [c.value for c in sheet[1]]
    assert "企业" not in head and "统一社会信用代码" not in head and "地区" not in head
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    assert tree.ent_a.name not in cells and tree.ent_a.credit_code not in cells
    for page in ("surveys:detail", "surveys:results"):
        html = client.get(reverse(page, args=[survey.pk])).content.decode()
        assert tree.ent_a.name not in html and firms[0].name not in html


def test_given_fewer_than_five_anonymous_responses_when_results_are_read_then_everything_is_suppressed(
    client, make_survey, users, firms
):
    survey = make_survey(anonymous=True)
    _respond(survey, users, firms, 4)
    computed = results.compute(survey)
    assert computed.suppressed and computed.items == []
    assert results.score_table(survey)["overall"] is None
    client.force_login(users.county_staff)
    html = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert 'id="suppressed"' in html and 'id="chart-Q3"' not in html
    api = client.get(f"/api/v1/surveys/surveys/{survey.pk}/results/").json()
    assert api["suppressed"] is True and api["items"] == []


def test_given_an_anonymous_crosstab_when_a_group_has_under_five_then_that_row_is_suppressed(make_survey, users, firms):
    survey = make_survey(anonymous=True)
    _respond(survey, users, firms, 12)  # 8 in 430621, 4 in 430626
    table = results.crosstab(survey, "Q3", "region")
    rows = {r["group"]: r for r in table["rows"]}
    assert rows["430621"]["suppressed"] is False and rows["430621"]["responses"] == 8
    assert rows["430626"]["suppressed"] is True
    assert rows["430626"]["responses"] is None and rows["430626"]["cells"] == [None] * 6
    scores = results.score_table(survey)
    assert [r["region"] for r in scores["regions"]] == ["430621"]
    named = make_survey(anonymous=False)
    _respond(named, users, firms, 12)
    assert not any(r["suppressed"] for r in results.crosstab(named, "Q3", "region")["rows"])


def test_given_the_database_when_responses_and_receipts_are_compared_then_no_shared_column_can_join_them(
    make_survey, users, firms
):
    survey = make_survey(anonymous=True)
    _respond(survey, users, firms, 6)
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM surveys_receipt")
        tokens = {r[0] for r in cursor.fetchall()}
        cursor.execute("SELECT * FROM surveys_response")
        cells = {str(v) for row in cursor.fetchall() for v in row}
    assert len(tokens) == 6 and not tokens & cells
