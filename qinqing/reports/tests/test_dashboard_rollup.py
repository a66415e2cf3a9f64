"""The dashboard reads the appeal figures from the appeals rollup (issue 17): one query on the rollup table for
all of them, the same values as counting the appeals, for the period, 同比, 环比 and every child."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qinqing.core.figures import Figure, Period, all_figures
from qinqing.reports import dashboard


@pytest.fixture
def appeals(users, tree):
    from qinqing.appeals import actions
    from qinqing.appeals.models import AppealDomain, AppealType

    made = []
    for enterprise, actor, n in ((tree.ent_a, users.enterprise, 3), (tree.ent_b, users.enterprise_b, 2)):
        for i in range(n):
            made.append(
                actions.register_appeal(
                    actor=actor,
                    enterprise=enterprise,
                    appeal_type=AppealType.objects.get(code="consult"),
                    domain=AppealDomain.objects.get(code="finance"),
                    title=f"融资难{i}",
                    description="贷款审批慢",
                )
            )
    actions.reject_appeal(made[0], actor=users.county_staff, reason="不属于受理范围")
    return made


@pytest.mark.django_db
def test_given_appeals_when_building_the_dashboard_then_appeal_figures_come_from_the_rollup(tree, appeals):
    period = Period.year(timezone.localdate().year)
    rolled = [f for f in all_figures(domain="appeals") if isinstance(f, Figure) and f.rollup]
    assert len(rolled) >= 8
    # When the city's dashboard is built
    with CaptureQueriesContext(connection) as ctx:
        data = dashboard.build(tree.city, period)
    # Then the appeal figures read the month rollup once (whole months: the year, a year earlier, the month before)
    # and not the daily one, and the appeals table only for figures without a rollup (the meetings' issues, counted
    # through their meeting)
    sql = [q["sql"] for q in ctx.captured_queries]
    assert sum('"appeals_appealmonthrollup"' in s for s in sql) == 1
    assert sum('"appeals_appealrollup"' in s for s in sql) == 0
    assert all("meetings_meeting" in s for s in sql if 'FROM "appeals_appeal" ' in s)
    # And every value equals the count of the appeals: the period, a year earlier, the month before, each child
    shown = {f["key"]: f for section in data["sections"] for f in section.figures}
    periods = {"value": period, "yoy_value": data["yoy_period"], "mom_value": data["mom_period"]}
    for figure in rolled:
        for field, p in periods.items():
            assert shown[figure.key][field] == figure.direct_value(tree.city.path, p), (figure.key, field)
        children = [figure.direct_value(c.path, period) for c in data["children"]]
        assert shown[figure.key]["children"] == children, figure.key
    assert shown["appeals.received"]["value"] == 5
    assert shown["appeals.received"]["children"][:2] in ([3, 2], [2, 3])
