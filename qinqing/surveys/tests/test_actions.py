import pytest
from django.core.exceptions import ValidationError

from qinqing.core.errors import Refused
from qinqing.core.models import AuditEntry
from qinqing.surveys import actions
from qinqing.surveys.models import Response, SurveyTarget, SurveyVersion

from .conftest import answers, small_structure

pytestmark = pytest.mark.django_db


def test_given_a_draft_when_opened_then_version_1_is_frozen_and_the_rule_targets_are_notified(make_survey, tree, firms):
    from qinqing.notifications.models import Notification

    survey = make_survey()
    assert survey.version == 1
    assert SurveyVersion.objects.get(survey=survey, number=1).structure == survey.structure
    targets = set(SurveyTarget.objects.filter(survey=survey).values_list("enterprise_id", flat=True))
    assert tree.ent_a.pk in targets and tree.ent_b.pk not in targets  # county A staff: county A's firms
    assert len(targets) == 13
    assert Notification.objects.filter(kind="surveys.invitation", recipient__enterprise=tree.ent_a).count() == 1


def test_given_a_rule_on_region_when_opened_then_only_matching_firms_are_targets(users, firms):
    survey = actions.create_survey(
        actor=users.county_staff,
        data={
            "title": "平江调查",
            "rule": {"op": "all", "items": [{"attr": "region", "op": "in", "value": ["430626"]}]},
        },
    )
    survey = actions.save_structure(survey, actor=users.county_staff, data=small_structure())
    survey = actions.open_survey(survey, actor=users.county_staff)
    assert SurveyTarget.objects.filter(survey=survey).count() == 4


def test_given_a_condition_on_a_later_question_when_saved_then_refused_naming_the_field(make_survey, users):
    survey = make_survey(open_=False)
    bad = small_structure()
    bad["sections"][0]["questions"][0]["show_if"] = {"code": "Q3", "values": [1]}
    with pytest.raises(ValidationError) as exc:
        actions.save_structure(survey, actor=users.county_staff, data=bad)
    assert "show_if" in exc.value.message_dict
    assert "Q3" in exc.value.message_dict["show_if"][0]
    survey.refresh_from_db()
    assert survey.structure["sections"][0]["questions"][0].get("show_if") is None


def test_given_answers_when_submitted_twice_then_one_response_is_edited(make_survey, users, tree):
    survey = make_survey()
    first = actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw=answers())
    again = actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw=answers(q3=2))
    assert first.pk == again.pk
    assert Response.objects.filter(survey=survey).count() == 1
    assert again.answers["Q3"] == 2 and again.enterprise == tree.ent_a


def test_given_a_multiple_survey_when_submitted_twice_then_two_responses(make_survey, users, tree):
    survey = make_survey(multiple=True)
    actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw=answers())
    actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw=answers())
    assert Response.objects.filter(survey=survey).count() == 2


def test_given_show_if_when_condition_false_then_the_hidden_answer_is_dropped_and_not_required(
    make_survey, users, tree
):
    survey = make_survey()
    response = actions.submit_response(
        survey, actor=users.enterprise, enterprise=tree.ent_a, raw=answers(q1=1, Q2="不应保存")
    )
    assert "Q2" not in response.answers
    with pytest.raises(ValidationError) as exc:
        actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw={"Q1": 2, "Q3": 3})
    assert set(exc.value.message_dict) == {"Q2", "Q4_1", "Q4_2"}


@pytest.mark.parametrize(
    ("raw", "field"),
    [({"Q3": 7}, "Q3"), ({"Q5": [1, 1]}, "Q5"), ({"Q6": "-3"}, "Q6"), ({"Q7": [1, 2, 3]}, "Q7"), ({"Q9": 1}, "Q9")],
)
def test_given_bad_answers_when_submitted_then_refused_naming_the_item_and_nothing_saved(
    make_survey, users, tree, raw, field
):
    survey = make_survey()
    with pytest.raises(ValidationError) as exc:
        actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw={**answers(), **raw})
    assert field in exc.value.message_dict and field in exc.value.message_dict[field][0]
    assert not Response.objects.filter(survey=survey).exists()


def test_given_responses_when_structure_changes_then_a_new_version_else_the_same(make_survey, users, tree):
    survey = make_survey()
    changed = small_structure()
    changed["sections"][0]["questions"][0]["label"] = "近一年是否参加过活动"
    survey = actions.save_structure(survey, actor=users.county_staff, data=changed)
    assert survey.version == 1  # no response yet: the open version is corrected in place
    actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw=answers())
    changed["sections"][0]["questions"].append({"code": "Q8", "kind": "text", "label": "其他", "required": False})
    survey = actions.save_structure(survey, actor=users.county_staff, data=changed)
    assert survey.version == 2
    assert SurveyVersion.objects.filter(survey=survey).count() == 2
    assert Response.objects.get(survey=survey).version == 1


def test_given_an_item_code_when_its_kind_changes_after_opening_then_refused(make_survey, users):
    survey = make_survey()
    changed = small_structure()
    changed["sections"][0]["questions"][2]["kind"] = "number"
    with pytest.raises(ValidationError) as exc:
        actions.save_structure(survey, actor=users.county_staff, data=changed)
    assert "Q3" in exc.value.message_dict["code"][0]


def test_given_a_closed_survey_when_answered_then_refused(make_survey, users, tree):
    survey = make_survey()
    actions.close_survey(survey, actor=users.county_staff)
    with pytest.raises(Refused):
        actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw=answers())


def test_given_some_answered_when_reminded_then_only_non_respondents_are_notified(make_survey, users, tree, firms):
    from qinqing.notifications.models import Notification

    for anonymous in (False, True):
        survey = make_survey(anonymous=anonymous)
        actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw=answers())
        assert actions.remind(survey, actor=users.county_staff) == 12
        reminders = Notification.objects.filter(key__startswith=f"survey-{survey.pk}-remind")
        assert not reminders.filter(recipient__enterprise=tree.ent_a).exists()
        assert SurveyTarget.objects.get(survey=survey, enterprise=tree.ent_a).reminders == 0


def test_given_actions_when_run_then_each_is_audited(make_survey, users, tree):
    survey = make_survey()
    actions.submit_response(survey, actor=users.enterprise, enterprise=tree.ent_a, raw=answers())
    actions.close_survey(survey, actor=users.county_staff)
    found = set(AuditEntry.objects.filter(action__startswith="surveys.").values_list("action", flat=True))
    assert {"surveys.create_survey", "surveys.save_structure", "surveys.open_survey", "surveys.answer",
            "surveys.close_survey"} <= found  # fmt: skip


def test_given_staff_without_manage_when_creating_then_refused(users):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.create_survey(actor=users.leader, data={"title": "x"})
