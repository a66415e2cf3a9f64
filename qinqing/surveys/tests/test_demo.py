"""The surveys demo: a 万家 survey with ranked regions, and an open member satisfaction survey for the demo
enterprise to answer."""

import pytest

from qinqing.surveys import results
from qinqing.surveys.models import Receipt, Response, Survey, SurveyTarget

pytestmark = pytest.mark.django_db


def test_given_the_demo_when_seeded_then_wanjia_scores_rank_regions_and_the_demo_enterprise_can_answer(
    settings, tmp_path
):
    from qinqing.core import demo
    from qinqing.surveys.permissions import answerable

    settings.POLICY_SEARCH_INDEX = str(tmp_path / "index")
    ctx = demo.make_context("test")
    demo.run(ctx)
    wanjia = Survey.objects.get(template="wanjia")
    assert wanjia.anonymous and Response.objects.filter(survey=wanjia, enterprise__isnull=False).count() == 0
    assert Receipt.objects.filter(survey=wanjia).count() == Response.objects.filter(survey=wanjia).count() >= 5
    table = results.score_table(wanjia)
    assert table["overall"]["total"] is not None and len(table["regions"]) >= 1
    assert [r["rank"] for r in table["regions"]] == sorted(r["rank"] for r in table["regions"])
    satisfaction = Survey.objects.get(template="satisfaction")
    user = ctx.users["enterprise"]
    assert SurveyTarget.objects.filter(survey=satisfaction, enterprise_id=user.enterprise_id).exists()
    assert answerable(user, satisfaction)
    assert not Response.objects.filter(survey=satisfaction, enterprise_id=user.enterprise_id).exists()
    computed = results.compute(satisfaction)
    assert computed.responses >= 1 and not computed.suppressed
