import pytest
from django.urls import reverse

from qinqing.surveys import actions
from qinqing.surveys.models import Response, Survey

from .conftest import answers

pytestmark = pytest.mark.django_db


def test_given_staff_when_creating_from_the_wanjia_template_then_the_builder_shows_its_environments(client, users):
    client.force_login(users.county_staff)
    response = client.post(reverse("surveys:new"), {"template": "wanjia", "audience": "rule", "title": ""})
    survey = Survey.objects.get()
    assert response.status_code == 302 and survey.title == "万家民营企业评营商环境"
    page = client.get(reverse("surveys:builder", args=[survey.pk])).content.decode()
    assert "要素环境" in page and "G1" in page


def test_given_the_builder_when_adding_questions_then_they_are_saved_with_their_codes(client, users):
    client.force_login(users.county_staff)
    survey = actions.create_survey(actor=users.county_staff, data={"title": "测试"})
    url = reverse("surveys:builder", args=[survey.pk])
    client.post(url, {"section": "一", "code": "A1", "kind": "single", "label": "是否会员", "required": "on",
                      "options": "是\n否"})  # fmt: skip
    client.post(url, {"section": "一", "code": "A2", "kind": "matrix", "label": "评价", "required": "on",
                      "items": "A2_1 融资\nA2_2 法律"})  # fmt: skip
    survey.refresh_from_db()
    codes = [q["code"] for q in survey.structure["sections"][0]["questions"]]
    assert codes == ["A1", "A2"]
    assert survey.slots == {"A1": 0, "A2_1": 1, "A2_2": 2}


def test_given_a_condition_on_a_later_question_when_posted_then_the_page_names_the_field(client, users):
    client.force_login(users.county_staff)
    survey = actions.create_survey(actor=users.county_staff, data={"title": "测试"})
    response = client.post(
        reverse("surveys:builder", args=[survey.pk]),
        {"code": "A1", "kind": "text", "label": "原因", "show_if_code": "A9", "show_if_values": "1"},
    )
    assert response.status_code == 200
    assert "“A9”不在它之前" in response.content.decode()
    survey.refresh_from_db()
    assert survey.structure == {"sections": []}


def test_given_an_open_survey_when_the_enterprise_answers_on_the_page_then_saved_and_editable(
    client, users, tree, make_survey
):
    survey = make_survey()
    client.force_login(users.enterprise)
    url = reverse("surveys:answer", args=[survey.pk])
    page = client.get(url).content.decode()
    assert 'data-show-if="Q1"' in page
    post = {"Q1": "1", "Q3": "4", "Q4_1": "5", "Q4_2": "9", "Q5": ["1", "3"], "Q6": "12", "Q7__1": "2", "Q7__2": "1"}
    assert client.post(url, post).status_code == 302
    response = Response.objects.get(survey=survey)
    assert response.answers == {"Q1": 1, "Q3": 4, "Q4_1": 5, "Q4_2": 9, "Q5": [1, 3], "Q6": 12, "Q7": [2, 1]}
    assert client.post(url, {**post, "Q3": "2"}).status_code == 302
    assert Response.objects.get(survey=survey).answers["Q3"] == 2
    bad = client.post(url, {**post, "Q3": ""})
    assert "第“Q3”题为必答题" in bad.content.decode()
    assert Response.objects.get(survey=survey).answers["Q3"] == 2


def test_given_another_county_enterprise_when_opening_the_answer_page_then_404(client, users, make_survey):
    survey = make_survey()
    client.force_login(users.enterprise_b)
    assert client.get(reverse("surveys:answer", args=[survey.pk])).status_code == 404


def test_given_an_open_link_survey_when_any_enterprise_follows_the_link_then_it_can_answer(
    client, users, tree, make_survey
):
    survey = make_survey(audience="link")
    client.force_login(users.enterprise_b)
    url = reverse("surveys:answer_link", args=[survey.link_token])
    assert client.post(url, answers()).status_code == 302
    assert Response.objects.get(survey=survey).enterprise == tree.ent_b
    assert client.get(reverse("surveys:answer_link", args=["wrong"])).status_code == 404


def test_given_responses_when_staff_open_results_then_counts_charts_and_crosstab_show(
    client, users, tree, firms, make_survey
):
    survey = make_survey()
    for i, firm in enumerate(firms[:6]):
        actions.submit_response(survey, actor=users.county_staff, enterprise=firm, raw=answers(q3=1 + i % 5))
    client.force_login(users.city_staff)
    page = client.get(reverse("surveys:results", args=[survey.pk]), {"item": "Q3", "by": "region"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "共 6 份答卷" in html and 'id="chart-Q3"' in html and 'id="crosstab"' in html
    assert 'id="scores"' in html


def test_given_staff_when_opening_open_remind_close_then_each_step_works(client, users, make_survey):
    survey = make_survey(open_=False)
    client.force_login(users.county_staff)
    client.post(reverse("surveys:open", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == "open"
    client.post(reverse("surveys:remind", args=[survey.pk]))
    client.post(reverse("surveys:close", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == "closed"
    detail = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert "填写进度（按地区）" in detail


def test_given_a_leader_when_posting_to_open_then_refused(client, users, make_survey):
    survey = make_survey(open_=False)
    client.force_login(users.leader)
    assert client.post(reverse("surveys:open", args=[survey.pk])).status_code == 403
    survey.refresh_from_db()
    assert survey.status == "draft"


def test_given_the_survey_list_when_loaded_then_queries_stay_constant(
    client, users, make_survey, django_assert_max_num_queries
):
    for _i in range(5):
        make_survey()
    client.force_login(users.county_staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("surveys:list")).status_code == 200
