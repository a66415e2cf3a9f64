import pytest
from django.utils import timezone

from qinqing.core.figures import Period, all_figures, get
from qinqing.surveys import actions

from .conftest import answers

pytestmark = pytest.mark.django_db


def test_given_surveys_when_figures_are_computed_then_each_equals_its_drilldown_rows(make_survey, users, tree, firms):
    named, anonymous = make_survey(), make_survey(anonymous=True)
    for survey in (named, anonymous):
        for firm in firms[:3]:
            actions.submit_response(survey, actor=users.county_staff, enterprise=firm, raw=answers())
    period = Period.year(timezone.localdate().year)
    values = {}
    for figure in all_figures(domain="surveys"):
        for path in (tree.province.path, tree.county_a.path, tree.county_b.path):
            if hasattr(figure, "measure"):
                value = figure.value(path, period)
                assert value == figure.drilldown(path, period).count(), figure.key
                values[(figure.key, path)] = value
    assert values[("surveys.run", tree.county_a.path)] == 2
    assert values[("surveys.responses", tree.province.path)] == 6
    assert values[("surveys.targets", tree.county_a.path)] == 26
    assert values[("surveys.responses", tree.county_b.path)] == 0
    rate = get("surveys.response_rate").value(tree.county_a.path, period)
    assert rate == {"value": round(100 * 6 / 26, 2), "numerator": 6, "denominator": 26}
