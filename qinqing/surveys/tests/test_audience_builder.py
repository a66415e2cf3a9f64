"""The survey's target enterprises chosen with the rule builder (the same widget as policies, activities and bank
products): the rule saved from the posted rows equals the JSON it replaces and opening the survey targets the
enterprises it selects; a bad condition is refused naming the field."""

import pytest
from django.urls import reverse

from qinqing.eligibility import rules
from qinqing.surveys import actions
from qinqing.surveys.models import Survey, SurveyTarget

from .conftest import small_structure

pytestmark = pytest.mark.django_db

# 平江县 (430626), or 中型 manufacturers.
AUDIENCE = {"op": "any", "items": [
    {"attr": "region", "op": "startswith", "value": ["430626"]},
    {"op": "all", "items": [{"attr": "industry", "op": "startswith", "value": ["C"]},
                            {"attr": "size_class", "op": "in", "value": ["中型"]}]},
]}  # fmt: skip
BUILDER_ROWS = {
    "rule-op": "any",
    "rule-r-kind": "leaf", "rule-r-attr": "region", "rule-r-op": "startswith", "rule-r-value": "430626",
    "rule-r-multi": "1",
    "rule-g-kind": "group", "rule-g-op": "all",
    "rule-g.i-kind": "leaf", "rule-g.i-attr": "industry", "rule-g.i-op": "startswith", "rule-g.i-value": "C",
    "rule-g.i-multi": "1",
    "rule-g.s-kind": "leaf", "rule-g.s-attr": "size_class", "rule-g.s-op": "in", "rule-g.s-value": "中型",
    "rule-g.s-multi": "1",
}  # fmt: skip


def test_given_staff_when_choosing_the_targets_with_the_builder_then_the_rule_equals_the_json_and_they_are_targeted(
    client, users, firms
):
    client.force_login(users.county_staff)
    page = client.get(reverse("surveys:new")).content.decode()
    assert 'id="rule-builder"' in page and 'name="regions"' not in page

    response = client.post(reverse("surveys:new"), {"title": "企业用工调查", "audience": "rule", **BUILDER_ROWS})

    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.rule == rules.normalize(AUDIENCE)
    survey = actions.save_structure(survey, actor=users.county_staff, data=small_structure())
    actions.open_survey(survey, actor=users.county_staff)
    expected = {
        f.pk for f in firms if f.region_code == "430626" or (f.industry_code[0] == "C" and f.size_class == "中型")
    }
    assert (
        expected and set(SurveyTarget.objects.filter(survey=survey).values_list("enterprise_id", flat=True)) == expected
    )
    edit = client.get(reverse("surveys:edit", args=[survey.pk])).content.decode()
    # Open: who is asked is fixed, so shown as sentences, not as an editable builder.
    assert 'id="fixed-settings"' in edit and 'id="rule-builder"' not in edit and 'name="anonymous"' not in edit
    assert "中型" in edit.split('id="fixed-settings"')[1].split("</dl>")[0]


def test_given_a_draft_when_editing_then_the_builder_shows_the_rule_and_after_opening_a_post_keeps_it(
    client, users, firms
):
    client.force_login(users.county_staff)
    client.post(reverse("surveys:new"), {"title": "企业用工调查", "audience": "rule", **BUILDER_ROWS})
    survey = Survey.objects.get()
    edit = client.get(reverse("surveys:edit", args=[survey.pk])).content.decode()
    assert 'value="中型" checked' in edit and 'value="C" checked' in edit and 'name="anonymous"' in edit

    survey = actions.save_structure(survey, actor=users.county_staff, data=small_structure())
    actions.open_survey(survey, actor=users.county_staff)
    response = client.post(reverse("surveys:edit", args=[survey.pk]),
                           {"title": "企业用工调查（二）", "anonymous": "on", "audience": "link"})  # fmt: skip

    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.title == "企业用工调查（二）" and not survey.anonymous and survey.audience == "rule"
    assert survey.rule == rules.normalize(AUDIENCE)


def test_given_a_condition_without_values_when_saved_then_refused_naming_the_field(client, users):
    client.force_login(users.county_staff)
    rows = {**BUILDER_ROWS}
    del rows["rule-g.s-value"]

    response = client.post(reverse("surveys:new"), {"title": "企业用工调查", "audience": "rule", **rows})

    assert response.status_code == 200
    assert "选定条件：条件项“企业规模”缺少取值" in response.content.decode()
    assert not Survey.objects.exists()
