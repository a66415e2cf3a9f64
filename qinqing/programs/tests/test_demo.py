"""The programs demo: a county's year of pairings, projects and funds, donations with some of 100 万元 and more, a
listing pipeline reaching 上市; figures equal to their records."""

import pytest
from django.db.models import Sum
from django.utils import timezone

from qinqing.core import figures as registry
from qinqing.programs.models import Donation, ListingCandidate, Pairing, Project, ProjectYear, StageStep

pytestmark = pytest.mark.django_db


def test_given_the_city_scale_when_seeded_then_a_year_of_programs_figures_agree(settings, tmp_path):
    from qinqing.core import demo
    from qinqing.programs import demo as programs_demo

    settings.POLICY_SEARCH_INDEX = str(tmp_path / "index")
    ctx = demo.make_context("test")
    demo.run(ctx)
    # The tiny tree, seeded again at the default (city) profile's scale: the volume seed_demo writes by default.
    ctx.sizes["scale"] = demo.PROFILES["city"]["scale"]
    ProjectYear.objects.all().delete()
    Project.objects.all().delete()
    Pairing.objects.all().delete()
    StageStep.objects.all().delete()
    ListingCandidate.objects.all().delete()
    Donation.objects.all().delete()

    # How long seeding takes is measured in docs/performance/demo.md, not asserted here (no timed unit tests).
    programs_demo.seed(ctx)

    assert Pairing.objects.count() >= 1000 and Project.objects.count() >= 1.5 * Pairing.objects.count()
    assert Pairing.objects.filter(party_kind="chamber", chamber=ctx.chamber).exists()
    assert Pairing.objects.filter(enterprise_id=ctx.users["enterprise"].enterprise_id).exists()
    assert Donation.objects.filter(major=True).count() >= 2 and Donation.objects.filter(form="in_kind").exists()
    assert set(ListingCandidate.objects.values_list("tier", flat=True)) == {"gold", "silver"}
    assert ListingCandidate.objects.filter(stage="listed").exists()
    for c in ListingCandidate.objects.all():
        steps = list(c.steps.order_by("on", "pk").values_list("stage", flat=True))
        assert steps == ["reserve", "cultivate", "tutor", "apply", "listed"][: len(steps)] and steps[-1] == c.stage
    year = timezone.localdate().year
    period = registry.Period.year(year)
    committed = ProjectYear.objects.filter(year=year).aggregate(s=Sum("committed"))["s"]
    assert registry.get("programs.funds_committed").value(ctx.root.path, period) == committed
    assert 20000 < committed < 60000  # 万元: like 岳阳's 3.8 亿元
