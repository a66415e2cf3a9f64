"""The mediation demo: both bodies with the demo mediator on their rosters, a year's mix of sources, types and
outcomes with 司法确认, open (and one overdue) cases on the mediator's desk, figures equal to their records."""

import pytest

from qinqing.mediation.models import Case, MediationBody, Party

pytestmark = pytest.mark.django_db


def test_given_the_demo_when_seeded_then_bodies_cases_and_mediator_work(settings, tmp_path):
    from qinqing.core import demo
    from qinqing.core import figures as registry
    from qinqing.core.demo_tree import build_tree, create_demo_users
    from qinqing.mediation import actions
    from qinqing.mediation import demo as med_demo
    from qinqing.mediation.permissions import visible_cases

    ctx = demo.make_context("county")
    build_tree(ctx)
    create_demo_users(ctx)
    med_demo.seed(ctx)  # its time is measured in docs/performance/demo.md, not asserted here
    mediator = ctx.users["mediator"]
    kinds = set(MediationBody.objects.filter(roster__user=mediator).values_list("kind", flat=True))
    assert kinds == {"committee", "centre"}
    cases = Case.objects.all()
    assert cases.count() >= 40
    for status in ("open", "settled", "failed"):
        assert cases.filter(status=status).exists(), status
    assert cases.filter(source__in=["court_pre", "court_in"], confirmation="confirmed").exists()
    assert {c.source for c in cases} >= {"application", "court_pre", "department"}
    desk = visible_cases(mediator).filter(status="open")
    assert desk.count() >= 3 and desk.filter(deadline__lt=actions.today()).exists()
    assert Party.objects.filter(case__in=cases).count() == 2 * cases.count()
    assert all(c.closed_on >= c.received_on for c in cases.exclude(closed_on=None))
    period = registry.Period(min(c.received_on for c in cases), actions.today())
    for key in ("mediation.cases", "mediation.settled", "mediation.confirmed", "mediation.amount"):
        figure = registry.get(key)
        assert figure.value(ctx.root.path, period) == figure.direct_value(ctx.root.path, period)
    assert registry.get("mediation.cases").value(ctx.root.path, period) == cases.count()
