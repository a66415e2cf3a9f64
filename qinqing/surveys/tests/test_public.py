"""The public link of an anonymous open-link survey: answered signed out, one answer per browser (editable from
it), rate-limited, nothing kept that names the respondent; named or rule-targeted surveys have no public link."""

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from qinqing.core.models import AuditEntry
from qinqing.surveys import results
from qinqing.surveys.models import AnswerValue, Receipt, Response

pytestmark = pytest.mark.django_db

POST = {"Q1": "1", "Q3": "4", "Q4_1": "5", "Q4_2": "3", "Q5": ["1", "3"]}


@pytest.fixture(autouse=True)
def fresh_counters():
    from django.conf import settings

    caches[settings.QINQING_THROTTLE_CACHE].clear()


@pytest.fixture
def link_survey(make_survey):
    return make_survey(anonymous=True, audience="link")


def test_given_a_signed_out_browser_when_it_answers_then_one_anonymous_response_it_can_edit(link_survey):
    browser = Client()
    url = f"/surveys/public/{link_survey.link_token}/"
    page = browser.get(url)
    assert page.status_code == 200 and "Q3" in page.content.decode()
    assert browser.post(url, POST).status_code == 302
    response = Response.objects.get(survey=link_survey)
    assert response.enterprise_id is None and response.submitted_by_id is None and response.submitted_on is None
    assert response.region_code == "" and response.edit_key and not Receipt.objects.exists()
    assert browser.cookies["qq_survey_browser"].value.split(":")[0] not in response.edit_key  # only a keyed hash
    assert "您已填写本问卷" in browser.get(url).content.decode()
    browser.post(url, {**POST, "Q3": "2"})  # the same browser edits its answer
    response.refresh_from_db()
    assert Response.objects.filter(survey=link_survey).count() == 1 and response.answers["Q3"] == 2
    assert sorted(AnswerValue.objects.filter(response=response).values_list("option", flat=True)) == [1, 3]
    Client().post(url, POST)  # another browser is another respondent
    assert Response.objects.filter(survey=link_survey).count() == 2
    entry = AuditEntry.objects.filter(action="surveys.answer").last()
    assert entry.actor_id is None and entry.object_id == str(link_survey.pk) and entry.after["public"] is True
    assert str(response.pk) not in f"{entry.before} {entry.after} {entry.object_repr}"


def test_given_a_bad_answer_when_posted_signed_out_then_the_item_is_named_and_nothing_saved(link_survey):
    page = Client().post(f"/surveys/public/{link_survey.link_token}/", {**POST, "Q3": ""})
    assert page.status_code == 200 and "第“Q3”题为必答题" in page.content.decode()
    assert not Response.objects.exists()


def test_given_named_or_targeted_surveys_or_a_wrong_token_when_opened_signed_out_then_not_found(make_survey):
    named = make_survey(anonymous=False, audience="link")
    targeted = make_survey(anonymous=True, audience="rule")
    client = Client()
    assert client.get(f"/surveys/public/{named.link_token}/").status_code == 404
    assert client.get("/surveys/public/nonsense/").status_code == 404
    assert targeted.link_token == "" and client.get("/surveys/public//").status_code == 404
    assert client.get(f"/api/v1/surveys/public/{named.link_token}/").status_code == 404


def test_given_a_closed_survey_when_answered_signed_out_then_refused(link_survey, users):
    from qinqing.surveys import actions

    actions.close_survey(link_survey, actor=users.county_staff)
    reply = Client().post(f"/api/v1/surveys/public/{link_survey.link_token}/", {"answers": {"Q1": 1}},
                          content_type="application/json")  # fmt: skip
    assert reply.status_code == 409 and not Response.objects.exists()


@override_settings(QINQING_THROTTLE_RATES={"survey_public": "3/hour"})
def test_given_many_answers_from_one_address_when_posted_then_throttled(link_survey):
    url = f"/surveys/public/{link_survey.link_token}/"
    codes = [Client().post(url, POST).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429] and Response.objects.count() == 3


def test_given_the_api_when_answering_signed_out_then_the_respondent_token_edits_the_same_answer(link_survey):
    client = Client()
    url = f"/api/v1/surveys/public/{link_survey.link_token}/"
    body = client.get(url).json()
    assert body["open"] is True and body["structure"]["sections"]
    answers = {"Q1": 1, "Q3": 4, "Q4_1": 5, "Q4_2": 3}
    first = client.post(url, {"answers": answers}, content_type="application/json").json()
    assert first["answered"] is True and first["respondent"]
    client.post(url, {"answers": {**answers, "Q3": 1}, "respondent": first["respondent"]},
                content_type="application/json")  # fmt: skip
    assert Response.objects.get(survey=link_survey).answers["Q3"] == 1
    bad = client.post(url, {"answers": {**answers, "Q3": 7}}, content_type="application/json")
    assert bad.status_code == 400 and "Q3" in bad.json() and Response.objects.count() == 1


def test_given_public_answers_when_results_are_read_then_they_count_and_stay_suppressed_under_five(link_survey):
    url = f"/surveys/public/{link_survey.link_token}/"
    for _ in range(4):
        Client().post(url, POST)
    assert results.compute(link_survey).suppressed
    Client().post(url, POST)
    computed = results.compute(link_survey)
    assert not computed.suppressed and computed.responses == 5
